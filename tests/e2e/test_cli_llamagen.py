"""LlamaGen through the real command line against a loopback fake: kill, resume, exit codes."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_llamagen import FakeLlamaGen

KEY = "sk-e2e-secret-key-0123456789"


class ServerThread:
    """Runs a fake provider server on its own event loop in a background thread."""

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
def fake() -> Iterator[FakeLlamaGen]:
    with ServerThread(FakeLlamaGen()) as server:
        yield server


@pytest.fixture
def llama_env(cli_env: dict[str, str], tmp_path: Path, fake: FakeLlamaGen) -> dict[str, str]:
    config = tmp_path / "config"
    config.mkdir(parents=True, exist_ok=True)
    settings = {"providers": {"llamagen": {"requests_per_minute": 6000}}}
    (config / "settings.json").write_text(json.dumps(settings))
    cli_env.update(LLAMAGEN_API_KEY=KEY, LLAMAGEN_BASE_URL=fake.url)
    cli_env["COMIC_STUDIO_POLL_INTERVAL"] = "0.1"
    return cli_env


def _remote_id(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = conn.execute("SELECT remote_id FROM jobs ORDER BY id DESC LIMIT 1").fetchone()
        conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def test_kill_while_waiting_then_resume_without_a_second_create(
    cli, llama_env: dict[str, str], fake: FakeLlamaGen, tmp_path: Path
) -> None:
    fake.loading_polls = 10_000  # stays LOADING until we say otherwise
    out = cli(
        "new", "l.comic", "--provider", "llamagen", "--prompt", "Leo finds a book.", "--panels", "3"
    )
    assert out.returncode == 0, out.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio.cli", "generate", "l.comic"],
        cwd=tmp_path,
        env=llama_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while _remote_id(tmp_path / "l.comic") is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _remote_id(tmp_path / "l.comic"), "the remote id was never stored"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    for gen in fake.generations.values():
        gen.loading_left = 1
    resumed = cli("resume", "l.comic")
    assert resumed.returncode == 0, resumed.stderr
    assert fake.billable_count() == 1
    shown = json.loads(cli("show", "l.comic", "--json").stdout)
    assert all(p["current_version"] for p in shown["pages"][0]["panels"])
    jobs = json.loads(cli("jobs", "l.comic", "--json").stdout)["jobs"]
    assert jobs[0]["state"] == "succeeded" and jobs[0]["credits"] == 450
    every_url = [r.path_qs for r in fake.requests]
    assert not any(KEY in u for u in every_url)
    assert KEY not in (tmp_path / "l.comic").read_bytes().decode("latin-1")
    assert all(
        "authorization" not in r.headers for r in fake.asset_requests() if r.origin == "asset"
    )


@pytest.mark.parametrize(("status", "code"), [(401, 3), (402, 3), (403, 3), (422, 2), (500, 5)])
def test_refusals_map_to_exit_codes(
    cli, llama_env: dict[str, str], fake: FakeLlamaGen, status: int, code: int
) -> None:
    assert cli("new", "l.comic", "--provider", "llamagen", "--prompt", "x").returncode == 0
    fake.fail("create", status, body={"error": {"message": f"refused {status}"}})
    out = cli("generate", "l.comic")
    assert out.returncode == code, out.stderr
    assert KEY not in out.stderr and KEY not in out.stdout
    assert fake.billable_count() == 1


def test_dropped_create_is_unknown_exit_5_and_never_resent(
    cli, llama_env: dict[str, str], fake: FakeLlamaGen
) -> None:
    assert cli("new", "l.comic", "--provider", "llamagen", "--prompt", "x").returncode == 0
    fake.drop("create")
    out = cli("generate", "l.comic")
    assert out.returncode == 5, out.stderr
    assert "may have been accepted" in out.stderr or "may" in out.stderr
    assert cli("resume", "l.comic").stdout.strip() == "No unfinished jobs."
    assert fake.billable_count() == 1


def test_usage_command(cli, llama_env: dict[str, str], fake: FakeLlamaGen) -> None:
    out = cli("usage", "llamagen", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["usage"] == fake.usage_body
