"""The whole command line (new → generate → redraw → continue → export) against each
provider's fake under issue 15's fault mix: every job succeeds and no billable request is
processed twice (a 429 refused its request before any work, so its resend is no duplicate).
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_animus import FakeAnimus
from fake_base import FakeServer
from fake_cartoonicate import FakeCartoonicate
from fake_depicta import FakeDepicta
from fake_llamagen import FakeLlamaGen
from fake_storymint import FakeStoryMint
from faults import FAULT_MIX, FaultInjector

from studio.providers import registry

FAKES: dict[str, Callable[[], FakeServer]] = {
    "llamagen": FakeLlamaGen,
    "storymint": FakeStoryMint,
    "animus": FakeAnimus,
    "depicta": FakeDepicta,
    "cartoonicate": FakeCartoonicate,
}
KEY = "e2e-fault-mix-KEY-0123456789abcdef"


class ServerThread:
    """A fake provider server with the fault mix, on its own loop in a background thread."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> FakeServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        FaultInjector(FAULT_MIX, seed=int(os.environ.get("FAULT_MIX_SEED", "3"))).attach(
            self.server
        )
        return self.server

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(params=list(FAKES))
def provider(request: pytest.FixtureRequest) -> Iterator[tuple[str, FakeServer]]:
    with ServerThread(FAKES[request.param]()) as server:
        yield request.param, server


@pytest.mark.timeout(60)
def test_whole_command_line_rides_out_the_fault_mix(
    cli, cli_env: dict[str, str], tmp_path: Path, provider: tuple[str, FakeServer]
) -> None:
    pid, fake = provider
    config = tmp_path / "config"
    config.mkdir(parents=True, exist_ok=True)
    settings = {"providers": {pid: {"requests_per_minute": 60000}}}
    (config / "settings.json").write_text(json.dumps(settings))
    cli_env[f"{pid.upper()}_API_KEY"] = KEY
    cli_env["COMIC_STUDIO_POLL_INTERVAL"] = "0.05"
    cli_env["COMIC_STUDIO_RETRY_BASE_DELAY"] = "0.01"  # backoff steps: 0.01 s, 0.02 s, …
    caps = registry.info(pid).capabilities
    url = ("--base-url", fake.url)

    def ok(*args: str) -> None:
        out = cli(*args, timeout=50)
        assert out.returncode == 0, f"{args[0]}: {out.stdout}\n{out.stderr}"
        assert KEY not in out.stdout + out.stderr

    pages = ("--pages", "2", "--panels-per-page", "1") if caps.multi_page else ("--panels", "1")
    ok("new", "f.comic", "--provider", pid, "--prompt", "Leo finds a glowing key. Mia laughs.",
       "--character", "name=Leo;age=10;gender=boy;dress=green coat", *pages)  # fmt: skip
    ok("generate", "f.comic", *url)
    if caps.panel_redraw:
        ok("redraw", "f.comic", "--page", "0", "--panel", "0", "--prompt", "Leo smiles.", *url)
    if caps.continue_write:
        ok("continue", "f.comic", "--prompt", "Then Leo opens a door.", "--panels", "1", *url)
    ok("export", "f.comic", "--format", "cbz", "--out", "f.cbz")

    jobs = json.loads(cli("jobs", "f.comic", "--json").stdout)["jobs"]
    assert [j["state"] for j in jobs] == ["succeeded"] * len(jobs), jobs
    taken = collections.Counter((r.method, r.path, r.raw) for r in fake.billable_taken())
    assert [k for k, n in taken.items() if n > 1] == [], "a billable request was processed twice"
    assert sum(1 for r in fake.requests if r.fault) > 0
    assert (tmp_path / "f.cbz").stat().st_size > 0
