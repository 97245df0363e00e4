"""The API key never leaks: not into a log line, a project file byte (or its -wal), an
export (nor a member inside one), a URL or body any server saw, an error text, or the
output of any command — neither as it is nor base64-, hex- or URL-encoded.

And it goes only to the configured API origin: never to an asset host (directly or by
redirect), never to a base URL or link planted in a project file by someone else.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import keyring
import pytest
from keyring.backend import KeyringBackend

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_llamagen import FakeLlamaGen

from studio import cli, secrets
from studio.core.models import Character, JobKind, JobState, Layout, Story
from studio.jobs import JobManager, actions
from studio.providers import registry
from studio.storage import Project
from tests.helpers import png

KEY = "test-key-not-real-Q7wXz3R9kLm2Vb8N"


# ------------------------------------------------------------------ the scan


def _encodings(key: str) -> list[bytes]:
    raw = key.encode()
    out = {raw, raw.hex().encode(), quote(key).encode(), quote_plus(key).encode()}
    out.add(key.encode("utf-16-le"))
    for alphabet in (base64.b64encode, base64.urlsafe_b64encode):
        for prefix in (b"", b"x", b"xx", b"Bearer ", b":"):
            encoded = alphabet(prefix + raw)
            skip = (len(prefix) + 2) // 3 * 4  # the characters that also encode the prefix
            out.add(encoded[skip:-4])
    return sorted(o for o in out if len(o) >= 12)


LEAKS = _encodings(KEY)


class Scan:
    """Everything collected for scanning, with where it came from."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bytes]] = []

    def add(self, where: str, data: bytes | str) -> None:
        self.items.append(
            (where, data.encode("utf-8", "replace") if isinstance(data, str) else data)
        )

    def add_file(self, path: Path) -> None:
        data = path.read_bytes()
        self.add(str(path), data)
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    member = archive.read(name)
                    self.add(f"{path}!{name}", name)
                    self.add(f"{path}!{name}", member)
                    if member.startswith(b"%PDF"):
                        self._add_pdf(f"{path}!{name}", member)
        elif data.startswith(b"%PDF"):
            self._add_pdf(str(path), data)

    def add_tree(self, folder: Path) -> int:
        count = 0
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                self.add_file(path)
                count += 1
        return count

    def _add_pdf(self, where: str, data: bytes) -> None:
        """Every stream of a PDF decoded (metadata may sit in compressed object streams)."""
        import io

        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            self.add(f"{where}#docinfo", repr(dict(pdf.docinfo)))
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    try:
                        self.add(f"{where}#stream", obj.read_bytes())
                    except pikepdf.PdfError:
                        self.add(f"{where}#raw", obj.read_raw_bytes())

    def assert_clean(self) -> None:
        assert self.items, "nothing was collected"
        found = [(where, leak) for where, data in self.items for leak in LEAKS if leak in data]
        assert not found, f"the key leaked into: {found[:5]}"


def _log_text(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter()
    lines = []
    for record in records:
        lines.append(record.getMessage())
        lines.append(repr(record.args))
        if record.exc_info:
            lines.append(formatter.formatException(record.exc_info))
    return "\n".join(lines)


def _project_files(path: Path) -> list[Path]:
    return [p for p in path.parent.iterdir() if p.name.startswith(path.name)]


def _scan_server(scan: Scan, fake: FakeLlamaGen, *, api_auth_expected: bool = True) -> None:
    """What the server saw: every URL and body; the key only in API-origin auth headers."""
    assert fake.requests, "the fake saw no request"
    for r in fake.requests:
        scan.add(f"{r.origin} url {r.method} {r.path_qs}", r.path_qs)
        scan.add(f"{r.origin} body {r.path}", r.raw)
        scan.add(f"{r.origin} form {r.path}", repr(r.form))
        headers = dict(r.headers)
        auth = headers.pop("authorization", "")
        scan.add(f"{r.origin} other headers {r.path}", repr(headers))
        if r.origin == "asset" or (r.route in ("asset", "redirect") and r.origin != "api"):
            assert not auth, f"auth sent to the asset host: {r.path}"
        elif r.origin == "api" and api_auth_expected:
            assert auth == f"Bearer {KEY}", f"the API origin got no key on {r.path}"
    asset_hits = [r for r in fake.requests if r.origin == "asset"]
    for r in asset_hits:
        assert "authorization" not in r.headers and "x-api-key" not in r.headers


# --------------------------------------------------- in process: logs, files


@pytest.fixture
async def fake() -> AsyncIterator[FakeLlamaGen]:
    server = await FakeLlamaGen().start()
    yield server
    await server.close()


@pytest.fixture
def studio_env(monkeypatch: pytest.MonkeyPatch, memory_keyring: Any, fake: FakeLlamaGen) -> None:
    config = Path(os.environ["COMIC_STUDIO_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    settings = {"providers": {"llamagen": {"requests_per_minute": 100_000}}}
    (config / "settings.json").write_text(json.dumps(settings))
    monkeypatch.setenv("LLAMAGEN_BASE_URL", fake.url)
    monkeypatch.setenv("COMIC_STUDIO_POLL_INTERVAL", "0.05")
    secrets.set_key("llamagen", KEY)  # through the (memory) keyring, as the UI does
    assert secrets.key_source("llamagen") == "keyring"


async def _run(manager: JobManager, job_id: int) -> None:
    await asyncio.wait_for(manager.wait([job_id]), 60)


async def test_a_whole_session_leaks_the_key_nowhere(
    studio_env: None,
    fake: FakeLlamaGen,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    scan = Scan()
    path = tmp_path / "book.comic"
    story = Story(title="Leo", prompt="Leo finds a key.", provider="llamagen", layout=Layout(1, 2))
    project = Project.create(path, story)
    project.set_characters([Character("Leo", image_asset=project.put_asset(png("orange")))])
    manager = JobManager(project, lambda pid: registry.create_provider(pid))
    errors: list[str] = []
    try:
        # 1. success, the assets behind a redirect from the API origin to another host
        fake.asset_mode = "redirect"
        job = actions.generate(manager)
        await _run(manager, job.id)
        assert project.job(job.id).state is JobState.succeeded, project.job(job.id).error
        for f in _project_files(path):  # while the project is open: the -wal holds it all
            scan.add_file(f)

        # 2. a redraw with a reference image (an upload: multipart to the API)
        ref = tmp_path / "ref.png"
        ref.write_bytes(png("teal"))
        job = actions.redraw(manager, 0, 0, prompt="Leo smiles.", image=str(ref))
        await _run(manager, job.id)
        assert project.job(job.id).state is JobState.succeeded, project.job(job.id).error

        # 3. refusals that echo the key back (real APIs do): 401 JSON, 500 text, FAILED
        fake.asset_mode = "asset"
        fake.fail("create", 401, body={"error": {"message": f"Invalid API key {KEY}"}})
        job = actions.generate(manager)
        await _run(manager, job.id)
        assert project.job(job.id).error_kind == "auth"
        fake.fail("create", 500, body=f"upstream error for Bearer {KEY}")
        job = actions.generate(manager)
        await _run(manager, job.id)
        assert project.job(job.id).state is JobState.unknown  # a 5xx on a create: ambiguous
        fake.final_status = "FAILED"
        fake.fail_reason = "The model could not draw this."
        job = actions.generate(manager)
        await _run(manager, job.id)
        assert project.job(job.id).state is JobState.failed
        fake.final_status = "PROCESSED"

        # 4. an asset that is not an image, and a status poll that fails once
        fake.asset_fault = "not_image"
        fake.fail("status", 503, body={"error": {"message": f"busy ({KEY})"}})
        job = actions.generate(manager)
        await _run(manager, job.id)
        assert project.job(job.id).state is JobState.failed
        fake.asset_fault = None

        for j in project.jobs():
            errors += [j.error, j.message, json.dumps(j.request), json.dumps(j.handle)]
            errors += [json.dumps(e) for e in project.job_events(j.id)]
        assert any("Invalid API key" in e for e in errors), "the echoed error was not kept"
    finally:
        await manager.shutdown()
        for f in _project_files(path):
            scan.add_file(f)
        project.close()

    # 5. every export, through the command line's code path (in process: logs captured)
    for fmt, out in (("png", "pages"), ("pdf", "b.pdf"), ("cbz", "b.cbz"), ("zip", "b.zip")):
        code = cli.main(["export", str(path), "--format", fmt, "--out", str(tmp_path / out)])
        assert code == 0
    for command in (["jobs", str(path), "--json"], ["show", str(path), "--json"]):
        assert cli.main(command) == 0
    assert cli.main(["providers", "--json"]) == 0
    assert cli.main(["keys", "status", "llamagen"]) == 0
    output = capsys.readouterr()
    assert "stored in the keyring" in output.out

    exported = sum(scan.add_tree(tmp_path / d) for d in ("pages",))
    for name in ("b.pdf", "b.cbz", "b.zip"):
        scan.add_file(tmp_path / name)
    assert exported >= 1
    for f in _project_files(path):
        scan.add_file(f)
    scan.add_tree(Path(os.environ["COMIC_STUDIO_CONFIG_DIR"]))
    if Path(os.environ["COMIC_STUDIO_DATA_DIR"]).exists():
        scan.add_tree(Path(os.environ["COMIC_STUDIO_DATA_DIR"]))
    scan.add("stdout", output.out)
    scan.add("stderr", output.err)
    scan.add("errors", "\n".join(errors))
    log = _log_text(caplog.records)
    assert "GET" in log or "POST" in log, "the HTTP layer logged nothing to check"
    scan.add("log", log)
    _scan_server(scan, fake)
    assert any(r.origin == "asset" for r in fake.requests), "no asset fetched cross-origin"
    assert fake.requests_for("redirect"), "no redirect was followed"
    scan.assert_clean()


async def test_a_failure_reason_that_echoes_the_key_is_not_kept(
    studio_env: None, fake: FakeLlamaGen, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A 200 answer whose failure text quotes the key (a proxy or API echoing the request):
    the job's error, message and events, and the log, hold ``***`` instead."""
    caplog.set_level(logging.DEBUG)
    path = tmp_path / "echo.comic"
    project = Project.create(path, Story(prompt="Leo.", provider="llamagen", layout=Layout(1, 2)))
    manager = JobManager(project, lambda pid: registry.create_provider(pid))
    fake.final_status = "FAILED"
    fake.fail_reason = f"Key {KEY} has no credits left"
    try:
        job = actions.generate(manager)
        await _run(manager, job.id)
        final = project.job(job.id)
    finally:
        await manager.shutdown()
        project.close()
    assert final.state is JobState.failed and "no credits left" in final.error
    scan = Scan()
    scan.add("error", final.error + final.message)
    for f in _project_files(path):
        scan.add_file(f)
    scan.add("log", _log_text(caplog.records))
    scan.assert_clean()


# ------------------------------------------ the command line, key from the env


class ServerThread:
    """A fake provider on its own loop in a thread, for tests that run the real command."""

    def __init__(self, server: FakeLlamaGen) -> None:
        self.server = server
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> FakeLlamaGen:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def servers() -> Iterator[tuple[FakeLlamaGen, FakeLlamaGen]]:
    """The configured API, and a second API on another port that must never get the key."""
    with ServerThread(FakeLlamaGen()) as good, ServerThread(FakeLlamaGen()) as other:
        yield good, other


@pytest.fixture
def env(cli_env: dict[str, str], tmp_path: Path, servers: Any) -> dict[str, str]:
    good, _other = servers
    config = tmp_path / "config"
    config.mkdir(parents=True, exist_ok=True)
    settings = {"providers": {"llamagen": {"requests_per_minute": 100_000}}}
    (config / "settings.json").write_text(json.dumps(settings))
    cli_env.update(LLAMAGEN_API_KEY=KEY, LLAMAGEN_BASE_URL=good.url)
    cli_env["COMIC_STUDIO_POLL_INTERVAL"] = "0.05"
    return cli_env


def _cmd(env: dict[str, str], cwd: Path, scan: Scan, *args: str, stdin: str | None = None):
    out = subprocess.run(
        [sys.executable, "-m", "studio.cli", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    scan.add(f"stdout of {args[:2]}", out.stdout)
    scan.add(f"stderr of {args[:2]}", out.stderr)
    return out


def test_the_command_line_leaks_the_key_nowhere(
    env: dict[str, str], servers: Any, tmp_path: Path
) -> None:
    good, other = servers
    scan = Scan()
    run = lambda *a, **k: _cmd(env, tmp_path, scan, *a, **k)  # noqa: E731
    assert run("new", "b.comic", "--provider", "llamagen", "--prompt", "Leo.").returncode == 0
    good.asset_mode = "redirect"
    assert run("generate", "b.comic").returncode == 0
    good.fail("patch", 401, body={"error": {"message": f"Invalid API key {KEY}"}})
    refused = run("continue", "b.comic", "--prompt", "Then he runs.")
    assert refused.returncode == 3 and "Invalid API key" in refused.stderr
    good.fail("usage", 400, body=f"<html>proxy error for {KEY}</html>")
    assert run("usage", "llamagen").returncode != 0
    for fmt, out in (("png", "pages"), ("pdf", "b.pdf"), ("cbz", "b.cbz"), ("zip", "b.zip")):
        done = run("export", "b.comic", "--format", fmt, "--out", out)
        assert done.returncode == 0, done.stderr
    for args in (("show", "b.comic", "--json"), ("jobs", "b.comic", "--json"), ("providers",)):
        assert run(*args).returncode == 0
    status = run("keys", "status", "llamagen")
    assert "LLAMAGEN_API_KEY" in status.stdout  # says where the key comes from, not what it is
    scan.add_tree(tmp_path)
    _scan_server(scan, good)
    assert not other.requests
    scan.assert_clean()


def test_without_a_keyring_the_key_is_refused_not_written(
    env: dict[str, str], tmp_path: Path
) -> None:
    """The null keyring backend: `keys set` says so and points at the environment."""
    scan = Scan()
    typed = "test-key-not-real-typed-at-the-prompt-5566"
    out = _cmd(env, tmp_path, scan, "keys", "set", "llamagen", stdin=typed + "\n")
    assert out.returncode == 3
    assert "No system keyring" in out.stderr and "LLAMAGEN_API_KEY" in out.stderr
    assert "plain text" in out.stderr
    assert typed not in out.stdout + out.stderr
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert typed.encode() not in path.read_bytes(), path
    # the key from the environment still works for this run
    assert (
        _cmd(env, tmp_path, scan, "keys", "status", "llamagen")
        .stdout.strip()
        .endswith("taken from $LLAMAGEN_API_KEY.")
    )


# ------------------------------------------- a base URL planted in a project


def _plant(path: Path, evil: str) -> None:
    """A project "from someone else": every place a URL could hide points at ``evil``."""
    story = Story(title="Gift", prompt="Leo.", provider="llamagen", layout=Layout(1, 2))
    with Project.create(path, story) as project:
        planted = {"base_url": evil + "/v1", "api_base": evil + "/v1", "url": evil + "/v1"}
        project.set_remote_project("llamagen", {"generation_id": "gen_0001", **planted})
        project.set_meta("base_url", evil + "/v1")
        project.set_meta("settings", json.dumps({"providers": {"llamagen": planted}}))
        project.set_characters([Character("Leo", image_url=evil + "/files/leo.png")])
        job = project.create_job("llamagen", JobKind.create, {"prompt": "Leo.", **planted})
        job = project.update_job(job, state=JobState.submitting)
        project.update_job(
            job,
            state=JobState.queued,
            remote_id="gen_0001",
            handle={
                **planted,
                "status_url": evil + "/v1/comics/generations/gen_0001",
                "poll_url": evil + "/v1/comics/generations/gen_0001",
                "assets": [evil + "/files/x.png"],
            },
        )
    conn = sqlite3.connect(path)  # and a raw settings table, as another tool might add
    conn.execute("CREATE TABLE settings (key TEXT, value TEXT)")
    conn.execute("INSERT INTO settings VALUES ('llamagen.base_url', ?)", (evil + "/v1",))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("configured_by", ["env", "settings", "flag"])
def test_a_base_url_inside_a_project_never_receives_the_key(
    env: dict[str, str], servers: Any, tmp_path: Path, configured_by: str
) -> None:
    good, evil = servers
    # The job in the file refers to a generation the configured API really has.
    good.generations["gen_0001"] = _generation(good)
    path = tmp_path / "gift.comic"
    _plant(path, evil.api_origin)
    flag: tuple[str, ...] = ()
    if configured_by != "env":
        del env["LLAMAGEN_BASE_URL"]
    if configured_by == "settings":
        settings = {"providers": {"llamagen": {"base_url": good.url, "requests_per_minute": 1e5}}}
        (tmp_path / "config" / "settings.json").write_text(json.dumps(settings))
    if configured_by == "flag":
        flag = ("--base-url", good.url)
    scan = Scan()
    resumed = _cmd(env, tmp_path, scan, "resume", path.name, *flag)
    assert resumed.returncode == 0, resumed.stderr
    generated = _cmd(env, tmp_path, scan, "generate", path.name, *flag)
    assert generated.returncode == 0, generated.stderr

    assert not [r for r in evil.requests if r.origin == "api"], "the planted API was called"
    for r in evil.requests:  # the planted asset host may be fetched, but without any key
        assert "authorization" not in r.headers and "x-api-key" not in r.headers
        assert KEY not in r.path_qs and KEY.encode() not in r.raw
    assert [r for r in good.requests if r.route == "status"], "the configured API was not used"
    assert all(
        r.headers.get("authorization") == f"Bearer {KEY}"
        for r in good.requests
        if r.origin == "api"
    )
    scan.add_file(path)
    scan.assert_clean()


def _generation(fake: FakeLlamaGen) -> Any:
    from fake_llamagen import FakeGeneration, FakePanel

    return FakeGeneration(
        "gen_0001",
        "Leo.",
        target=[[FakePanel("p0n0"), FakePanel("p0n1")]],
        loading_left=0,
    )


# ------------------------------------------------------- keyring backends


class _PlainTextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's file backends (which write keys to disk)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.file = folder / "keyring_pass.cfg"

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.file.write_text(f"[{service}]\n{username} = {password}\n")

    def delete_password(self, service: str, username: str) -> None:
        self.file.unlink(missing_ok=True)


_PlainTextKeyring.__module__ = "keyrings.alt.file"


class _BrokenKeyring(KeyringBackend):
    """A Secret Service whose D-Bus session went away: errors that are not KeyringError."""

    priority = 5  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise ConnectionResetError("dbus went away")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise ConnectionResetError("dbus went away")

    def delete_password(self, service: str, username: str) -> None:
        raise ConnectionResetError("dbus went away")


# Every KeyringBackend subclass registers itself with keyring's discovery; these two are
# only for the tests that install them explicitly, never for a later keyring.get_keyring()
# (the real Secret Service test would otherwise chain to the broken one first).
for _fake in (_PlainTextKeyring, _BrokenKeyring):
    KeyringBackend._classes.discard(_fake)  # type: ignore[attr-defined]


def test_a_plain_text_keyring_backend_is_never_used(tmp_path: Path) -> None:
    backend = _PlainTextKeyring(tmp_path)
    keyring.set_keyring(backend)
    assert not secrets.keyring_usable()
    with pytest.raises(secrets.KeyringUnavailable, match="never stores keys in plain text"):
        secrets.set_key("llamagen", KEY)
    assert not backend.file.exists()
    assert secrets.get_key("llamagen") is None


def test_a_broken_keyring_reads_as_no_key_and_logs_no_secret(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    keyring.set_keyring(_BrokenKeyring())
    assert secrets.get_key("llamagen") is None
    assert secrets.key_source("llamagen") == ""
    assert "ConnectionResetError" in caplog.text
    monkeypatch.setenv("LLAMAGEN_API_KEY", KEY)
    assert secrets.get_key("llamagen") == KEY  # the environment still works for this run
    assert KEY not in caplog.text
