"""Project files that are broken, foreign or hostile: a clear error and the file untouched,
or the healthy part opened read-only with a notice.

(Plain foreign files, a newer schema and a file cut in half are in test_storage.py.)
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.models import Character, Layout, Location, ScriptPanel, Story
from studio.storage import (
    DamagedProject,
    NotAProject,
    Project,
    ProjectError,
    ProjectWriteError,
    schema,
)
from studio.storage.checks import REQUIRED_TABLES
from tests.helpers import png

SQLITE_HEADER = b"SQLite format 3\x00"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> dict[str, str]:
    return {p.name: _digest(p) for p in folder.iterdir() if p.is_file()}


def _book(path: Path, pages: int = 3) -> list[str]:
    """A closed project with ``pages`` pages of one panel, each with an image; its shas."""
    shas = []
    with Project.create(path, Story(title="Leo", prompt="Leo reads.")) as project:
        project.set_characters([Character("Leo")])
        for i in range(pages):
            page = project.append_page([ScriptPanel(f"panel {i}")])
            version = project.add_version(page.panels[0].id, png((i * 40, 0, 0)), provider="local")
            shas.append(version.asset)
    return shas


def _raw(path: Path, *sql: str) -> None:
    """Edit the file as another tool would: foreign keys off, no studio code."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in sql:
        conn.execute(statement)
    conn.close()


def _refused(path: Path, error: type[ProjectError] = ProjectError) -> str:
    """Open must fail with ``error``, leave the folder byte-identical, and say why."""
    before = _listing(path.parent)
    with pytest.raises(error) as caught:
        Project.open(path)
    assert _listing(path.parent) == before, "the file (or a sibling) was changed"
    message = str(caught.value)
    assert path.name in message and "Traceback" not in message
    assert len(message) < 400
    return message


# ---------------------------------------------------------- unreadable files


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.binary(min_size=0, max_size=8192),
    sqlite_header=st.booleans(),
)
def test_random_bytes_are_refused_and_untouched(
    tmp_path_factory: pytest.TempPathFactory, body: bytes, sqlite_header: bool
) -> None:
    folder = tmp_path_factory.mktemp("random")
    path = folder / "noise.comic"
    path.write_bytes((SQLITE_HEADER if sqlite_header else b"") + body)
    _refused(path)


@pytest.mark.parametrize("keep", [0, 16, 100, 1024, 4096, -1, -100, -4096])
def test_truncated_project_at_any_point(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "cut.comic"
    _book(path, pages=12)
    data = path.read_bytes()
    path.write_bytes(data[: keep if keep >= 0 else len(data) + keep])
    message = _refused(path)
    assert "not changed" in message or "not a Comic Studio project" in message


def test_scrambled_page_inside_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "flipped.comic"
    _book(path, pages=12)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 3] = bytes(reversed(data[page * 2 : page * 3]))
    path.write_bytes(bytes(data))
    assert "not changed" in _refused(path, DamagedProject)


def test_sqlite_file_with_our_id_but_not_our_tables(tmp_path: Path) -> None:
    """Someone else's database stamped with our application id: refused, not "migrated"."""
    path = tmp_path / "impostor.comic"
    _raw(
        path,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO notes(body) VALUES ('not a comic')",
        f"PRAGMA application_id = {schema.APPLICATION_ID}",
        f"PRAGMA user_version = {schema.CURRENT_VERSION}",
    )
    message = _refused(path, DamagedProject)
    assert "lacks" in message and "meta" in message


def test_sqlite_file_with_our_id_and_no_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "half.comic"
    _raw(path, "CREATE TABLE t (x)", f"PRAGMA application_id = {schema.APPLICATION_ID}")
    _refused(path, DamagedProject)


def test_a_project_missing_one_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gap.comic"
    _book(path, pages=1)
    _raw(path, "PRAGMA foreign_keys=OFF", "DROP TABLE versions")
    assert "versions" in _refused(path, DamagedProject)
    assert "versions" in REQUIRED_TABLES


def test_a_foreign_sqlite_database_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "browser-history.comic"
    _raw(
        path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)", "PRAGMA user_version=3"
    )
    _refused(path, NotAProject)


@pytest.mark.parametrize("name", ["what?.comic", "100% #1.comic", "a b&c=d.comic"])
def test_file_names_with_uri_characters_open_the_right_file(tmp_path: Path, name: str) -> None:
    _book(tmp_path / name, pages=1)
    with Project.open(tmp_path / name) as project:
        assert project.page_count() == 1 and not project.read_only
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# ------------------------------------------------- healthy part, read-only


def test_missing_assets_open_read_only_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "holes.comic"
    shas = _book(path, pages=3)
    _raw(path, f"DELETE FROM assets WHERE sha256='{shas[1]}'")
    before = _digest(path)

    with Project.open(path) as project:
        assert project.read_only
        assert project.missing_assets == {shas[1]}
        assert len(project.notices) == 1
        notice = project.notices[0]
        assert "1 image(s)" in notice and "read-only" in notice and "holes.comic" in notice
        # the healthy part: pages, panels, versions, the cast and the other images
        assert project.page_count() == 3
        assert [c.name for c in project.characters()] == ["Leo"]
        assert project.asset(shas[0]) == png((0, 0, 0))
        assert project.thumbnail(shas[2]).startswith(b"\xff\xd8")  # shown, not cached
        with pytest.raises(ProjectError, match=r"missing from holes\.comic"):
            project.asset(shas[1])
        # writing is refused with the reason, and nothing is half-written
        with pytest.raises(ProjectWriteError, match=r"not saved.*missing"):
            project.set_story(Story(title="changed", prompt="x"))
        with pytest.raises(ProjectWriteError):
            project.add_version(project.panel_at(0, 0).id, png("blue"), provider="local")
        assert project.story.title == "Leo"
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["holes.comic"]


def test_missing_reference_and_extra_file_assets_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "refs.comic"
    with Project.create(path, Story(prompt="x")) as project:
        sha = project.put_asset(png("green"))
        project.set_characters([Character("Leo", image_asset=sha)])
        project.set_locations([Location("Pier", image_asset=sha)])
        project.add_extra_file("book.pdf", b"%PDF-1.4")
    _raw(path, f"DELETE FROM assets WHERE sha256='{sha}'")
    before = _digest(path)
    with Project.open(path) as project:
        assert project.read_only and project.missing_assets == {sha}
        notice = project.notices[0]
        assert "character reference" in notice and "location reference" in notice
        assert project.characters()[0].image_asset == sha  # still listed, shown as missing
        assert project.extra_files()["book.pdf"]  # the healthy extra file is still there
    assert _digest(path) == before


def test_orphan_panels_open_read_only(tmp_path: Path) -> None:
    path = tmp_path / "orphans.comic"
    _book(path, pages=2)
    _raw(path, "DELETE FROM pages WHERE idx=1")
    before = _digest(path)
    with Project.open(path) as project:
        assert project.read_only and "no longer exist" in project.notices[0]
        assert [p.index for p in project.pages()] == [0]
    assert _digest(path) == before


def test_older_file_with_missing_assets_is_migrated_only_in_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "old.comic"
    conn = sqlite3.connect(path, isolation_level=None)
    schema.migrate(conn, target=1)
    conn.execute("INSERT INTO meta(key, value) VALUES ('story', '{\"title\": \"Old\"}')")
    conn.execute("INSERT INTO pages(idx) VALUES (0)")
    conn.execute("INSERT INTO panels(page_id, idx, description) VALUES (1, 0, 'old panel')")
    conn.execute(
        "INSERT INTO versions(panel_id, asset, provider, created_at) VALUES (1, 'gone', 'x', 0)"
    )
    conn.execute("UPDATE panels SET current_version=1")
    conn.close()
    before = _digest(path)
    with Project.open(path) as project:
        assert project.read_only and project.missing_assets == {"gone"}
        assert project.panel_at(0, 0).script.description == "old panel"
        assert project.lettering(project.panel_at(0, 0).id) is None  # a v2 table, in the copy
        scratch = project._scratch
        assert scratch is not None and scratch.exists()
    assert not scratch.exists()
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.comic"]  # no .bak either


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to any file")
def test_write_protected_file_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "locked.comic"
    _book(path, pages=1)
    path.chmod(0o444)
    with Project.open(path) as project:
        assert project.read_only and "write-protected" in project.notices[0]
        with pytest.raises(ProjectWriteError, match="write-protected"):
            project.set_meta("x", "y")


# ------------------------------------------------------- hostile contents


@pytest.mark.parametrize(
    "layout",
    [
        {"pages": 10**9, "panels_per_page": 10**9},
        {"pages": -5, "panels_per_page": 0},
        {"pages": "many", "panels_per_page": [1]},
        [1, 2, 3],
        {"pages": 1e400},
    ],
)
def test_damaged_story_layout_is_read_within_limits(tmp_path: Path, layout: object) -> None:
    path = tmp_path / "story.comic"
    _book(path, pages=1)
    story = {"title": "Leo", "prompt": "p", "layout": layout, "seed": "x", "upscale": 7}
    _raw(path, f"UPDATE meta SET value='{json.dumps(story)}' WHERE key='story'")
    with Project.open(path) as project:
        read = project.story
    assert read.title == "Leo"
    assert isinstance(read.layout, Layout)
    assert 1 <= read.layout.pages <= 20 and 1 <= read.layout.panels_per_page <= 20


def test_stored_decompression_bomb_gives_a_clear_error(tmp_path: Path) -> None:
    """An asset row written by another tool that claims 100 000 × 100 000 pixels."""
    from tests.unit.test_bad_images import png_header

    path = tmp_path / "bomb.comic"
    _book(path, pages=1)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO assets(sha256, mime, size, data) VALUES ('bomb', 'image/png', 1, ?)",
        (png_header(100_000, 100_000),),
    )
    conn.close()
    with Project.open(path) as project, pytest.raises(ProjectError, match=r"shown.*too large"):
        project.thumbnail("bomb")
