"""The command line end to end: offline comic, versions, exports, errors and exit codes."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers import png

PROMPT = (
    'Leo walks into the Quiet Library at night. He finds a glowing book. "What is this?" '
    'asks Leo. Mia runs in from the street. "Don\'t open it!" Mia shouts. Leo opens it '
    "anyway. Stars pour out of the pages. The friends float into space."
)
CAST = [
    "--character",
    "name=Leo;age=10;gender=boy;dress=orange wizard robe",
    "--character",
    "name=Mia;age=11;gender=girl;dress=green dress and glasses",
    "--location",
    "name=Quiet Library;description=tall shelves",
]


def _new(cli, path: str = "leo.comic", *extra: str) -> None:
    out = cli(
        "new",
        path,
        "--title",
        "Leo",
        "--prompt",
        PROMPT,
        "--pages",
        "2",
        "--panels-per-page",
        "4",
        *CAST,
        *extra,
    )
    assert out.returncode == 0, out.stderr
    assert "2 page(s), 8 panel(s)" in out.stdout


@pytest.fixture
def book(cli, tmp_path: Path) -> Path:
    _new(cli)
    done = cli("generate", "leo.comic")
    assert done.returncode == 0, done.stderr
    assert "job 1 succeeded" in done.stderr
    return tmp_path / "leo.comic"


def _current_assets(path: Path) -> dict[tuple[int, int], str]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT pages.idx, panels.idx, versions.asset FROM panels JOIN pages ON pages.id ="
        " panels.page_id JOIN versions ON versions.id = panels.current_version"
    ).fetchall()
    conn.close()
    return {(p, j): a for p, j, a in rows}


def test_new_generate_show_and_jobs(cli, book: Path) -> None:
    shown = json.loads(cli("show", "leo.comic", "--json").stdout)
    assert shown["title"] == "Leo"
    assert [c["name"] for c in shown["characters"]] == ["Leo", "Mia"]
    panels = [p for page in shown["pages"] for p in page["panels"]]
    assert len(panels) == 8 and all(p["current_version"] for p in panels)
    speakers = {d["speaker"] for p in panels for d in p["dialogue"]}
    assert speakers == {"Leo", "Mia"}
    jobs = json.loads(cli("jobs", "leo.comic", "--json").stdout)["jobs"]
    assert [(j["kind"], j["state"], j["progress"]) for j in jobs] == [("create", "succeeded", 1.0)]


def test_generation_is_deterministic(cli, book: Path, tmp_path: Path) -> None:
    _new(cli, "again.comic")
    assert cli("generate", "again.comic").returncode == 0
    assert _current_assets(book) == _current_assets(tmp_path / "again.comic")


def test_redraw_adds_one_version_and_leaves_the_rest(cli, book: Path, tmp_path: Path) -> None:
    before = _current_assets(book)
    ref = tmp_path / "ref.png"
    ref.write_bytes(png("purple", (80, 80)))
    out = cli(
        "redraw",
        "leo.comic",
        "--page",
        "0",
        "--panel",
        "2",
        "--prompt",
        "Leo close-up, amazed",
        "--caption",
        "The book glows.",
        "--image",
        str(ref),
    )
    assert out.returncode == 0, out.stderr
    after = _current_assets(book)
    assert after[(0, 2)] != before[(0, 2)]
    assert {k: v for k, v in after.items() if k != (0, 2)} == {
        k: v for k, v in before.items() if k != (0, 2)
    }
    versions = json.loads(
        cli("versions", "leo.comic", "--page", "0", "--panel", "2", "--json").stdout
    )
    assert len(versions["versions"]) == 2
    first = versions["versions"][0]["id"]
    assert versions["versions"][1]["prompt"] == "Leo close-up, amazed"
    assert (
        cli(
            "use-version", "leo.comic", "--page", "0", "--panel", "2", "--version", str(first)
        ).returncode
        == 0
    )
    assert _current_assets(book) == before
    shown = json.loads(cli("show", "leo.comic", "--json").stdout)
    assert shown["pages"][0]["panels"][2]["caption"] == "The book glows."


def test_continue_appends_pages(cli, book: Path) -> None:
    out = cli(
        "continue",
        "leo.comic",
        "--prompt",
        'Leo and Mia land on a beach at sunrise. "Where are we?" asks Mia.',
        "--panels",
        "3",
    )
    assert out.returncode == 0, out.stderr
    shown = json.loads(cli("show", "leo.comic", "--json").stdout)
    assert [len(p["panels"]) for p in shown["pages"]] == [4, 4, 3]
    speakers = [d["speaker"] for p in shown["pages"][2]["panels"] for d in p["dialogue"]]
    assert speakers == ["Mia"]


def test_exports_open_in_standard_tools(cli, book: Path, tmp_path: Path) -> None:
    for fmt in ("png", "pdf", "cbz", "zip"):
        out = cli("export", "leo.comic", "--format", fmt, "--out", f"out.{fmt}")
        assert out.returncode == 0, out.stderr
    pages = sorted((tmp_path / "out.png").iterdir())
    assert [p.name for p in pages] == ["page_001.png", "page_002.png"]
    reader = PdfReader(tmp_path / "out.pdf")
    assert len(reader.pages) == 2
    with zipfile.ZipFile(tmp_path / "out.cbz") as cbz:
        assert cbz.testzip() is None
        names = cbz.namelist()
        assert [n for n in names if n.endswith(".png")] == ["0001.png", "0002.png"]
        assert "ComicInfo.xml" in names
        assert cbz.read("0001.png") == pages[0].read_bytes()
        info = ET.fromstring(cbz.read("ComicInfo.xml"))
        assert info.findtext("Title") == "Leo" and info.findtext("PageCount") == "2"
        assert info.findtext("Characters") == "Leo, Mia"
    with zipfile.ZipFile(tmp_path / "out.zip") as package:
        names = set(package.namelist())
        assert {"cover.png", "book.pdf", "metadata.json", "pages/page_01.png"} <= names
        assert "panels/page_01_panel_01.png" in names
        meta = json.loads(package.read("metadata.json"))
        assert len(meta["pages"][0]["panels"][0]["versions"]) == 1


def test_no_wait_then_resume(cli, tmp_path: Path) -> None:
    _new(cli)
    out = cli("generate", "leo.comic", "--no-wait")
    assert out.returncode == 0, out.stderr
    assert "resume" in out.stdout
    resumed = cli("resume", "leo.comic")
    assert resumed.returncode == 0, resumed.stderr
    jobs = json.loads(cli("jobs", "leo.comic", "--json").stdout)["jobs"]
    assert [j["state"] for j in jobs] == ["succeeded"]
    assert len(_current_assets(tmp_path / "leo.comic")) == 8
    assert cli("resume", "leo.comic").stdout.strip() == "No unfinished jobs."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "x.comic", "--prompt", "   "], "prompt is empty"),
        (["new", "x.comic", "--prompt", "hi", "--panels", "21"], "out of range"),
        (["new", "x.comic", "--prompt", "hi", "--size", "64x64"], "out of range"),
        (["new", "x.comic", "--prompt", "hi", "--size", "big"], "Unknown size"),
        (["new", "x.comic", "--prompt", "hi", "--provider", "nope"], "Unknown provider"),
        (
            ["new", "x.comic", "--prompt", "hi", "--character", "name=A", "--character", "name=a"],
            "Two characters",
        ),
        (
            ["new", "x.comic", "--prompt", "hi", "--character", "name=A;image=missing.png"],
            "does not exist",
        ),
        (["show", "missing.comic"], "does not exist"),
        (["keys", "set", "local"], "needs no key"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, args: list[str], message: str) -> None:
    out = cli(*args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert message in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_bad_panel_index_and_damaged_file(cli, book: Path, tmp_path: Path) -> None:
    out = cli("redraw", "leo.comic", "--page", "0", "--panel", "9")
    assert out.returncode == 2 and "has no panel 9" in out.stderr
    junk = tmp_path / "junk.comic"
    junk.write_bytes(b"not a project at all" * 20)
    digest = hashlib.sha256(junk.read_bytes()).hexdigest()
    out = cli("show", "junk.comic")
    assert out.returncode == 2 and "not a Comic Studio project" in out.stderr
    assert hashlib.sha256(junk.read_bytes()).hexdigest() == digest


def test_non_image_reference_is_refused(cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    out = cli("new", "x.comic", "--prompt", "hi", "--character", "name=A;image=notes.txt")
    assert out.returncode == 2 and "not an image" in out.stderr
    assert not (tmp_path / "x.comic").exists()


def test_capability_refused_with_exit_2(cli, book: Path) -> None:
    out = cli("animate", "leo.comic", "--page", "0", "--panel", "0")
    assert out.returncode == 2
    assert "cannot do this" in out.stderr


def test_keys_without_a_keyring_never_fall_back_to_plain_text(cli, tmp_path: Path) -> None:
    out = cli("keys", "set", "llamagen", stdin="sk-secret-value-123456\n")
    assert out.returncode == 3
    assert "No system keyring" in out.stderr and "LLAMAGEN_API_KEY" in out.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not any(b"sk-secret-value" in p.read_bytes() for p in written)
    status = cli("keys", "status", "llamagen")
    assert status.returncode == 0 and "no key" in status.stdout


def test_providers_json_never_contains_a_key(cli, cli_env: dict[str, str]) -> None:
    cli_env["DEPICTA_API_KEY"] = "dpct_TEST-not-a-real-key"
    out = cli("providers", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    ids = [p["id"] for p in data["providers"]]
    assert ids[0] == "local" and "llamagen" in ids
    local = data["providers"][0]
    assert local["default"] and not local["needs_key"]
    assert "dpct_TEST-not-a-real-key" not in out.stdout


def test_versions_are_numbered_per_panel_everywhere(cli, book: Path) -> None:
    """`show`, `versions` and `use-version` name a version by its number 1..n in its panel."""
    assert cli("redraw", "leo.comic", "--page", "0", "--panel", "2").returncode == 0
    shown = cli("show", "leo.comic").stdout
    assert "Panel 0 [version 1 of 1]" in shown and "Panel 2 [version 2 of 2]" in shown
    assert not re.search(r"\[v\d", shown)
    listed = cli("versions", "leo.comic", "--page", "0", "--panel", "2")
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("  version 1 of 2") and lines[1].startswith("* version 2 of 2")
    data = json.loads(cli("versions", "leo.comic", "--page", "0", "--panel", "2", "--json").stdout)
    entries = data["versions"]
    assert [v["number"] for v in entries] == [1, 2]
    assert [v["current"] for v in entries] == [False, True]
    first_id, second_id = (v["id"] for v in entries)
    assert data["current"] == second_id and second_id > 2  # ids are global, numbers are not

    def use(k: int):
        return cli("use-version", "leo.comic", "--page", "0", "--panel", "2", "--version", str(k))

    done = use(1)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Page 0 panel 2 now shows version 1 of 2."
    assert "Panel 2 [version 1 of 2]" in cli("show", "leo.comic").stdout
    again = use(second_id)  # the global id of this panel's version: still understood
    assert again.returncode == 0 and "version 2 of 2" in again.stdout
    pages = json.loads(cli("show", "leo.comic", "--json").stdout)["pages"]
    current = pages[0]["panels"][2]
    assert (current["current_version"], current["current_number"]) == (second_id, 2)
    elsewhere = pages[1]["panels"][3]["current_version"]  # another panel's version id
    assert elsewhere not in (first_id, second_id, 1, 2)
    other = use(elsewhere)
    assert other.returncode == 2 and "versions 1 to 2" in other.stderr


def test_export_says_its_result_once(cli, book: Path, tmp_path: Path) -> None:
    out = cli("export", "leo.comic", "--format", "pdf", "--out", "once.pdf")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["Exported 2 page(s) to once.pdf"]
    assert "xported" not in out.stderr
