"""SIGKILL the studio at seeded points of submit, poll and download; restart; check the end.

Real processes: the command line (``python -m studio.cli``) and the Qt window (the packaged
entry script ``packaging/launcher.py FILE.comic``, offscreen) drive the real LlamaGen adapter
against the loopback LlamaGen fake running in this process. The fake holds the N-th request
of a route (the billable create/PATCH, a status poll or an asset download) until the test
has killed the client, then answers it as a real server would (the create is processed and
billed). After each kill the studio restarts — `comic-studio resume` or the window, which
resumes the project's jobs on open — and the test checks that:

* the job ends as it would have without the kill: ``succeeded`` (same panels and versions),
  or ``unknown`` when the kill fell while the billable request was in flight (DESIGN: never
  sent again);
* no billable request reached the server twice;
* ``PRAGMA integrity_check`` is ``ok`` right after the kill and at the end;
* panel, version and job counts never go down across the kill;
* every stored image is byte-identical to one the fake served.

``COMIC_STUDIO_KILL_SEED`` picks the plan (default 6); the soak variant runs more kills.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_base import Fault, make_png
from fake_llamagen import FakeLlamaGen

from studio.core.models import JobState, Layout, Story
from studio.jobs import JobManager, actions
from studio.providers import registry
from studio.storage import Project
from tests.e2e.test_cli_llamagen import ServerThread

KEY = "test-key-not-real"
LAUNCHER = Path(__file__).resolve().parents[2] / "packaging" / "launcher.py"
PANELS = {"generate": 2, "redraw": 1, "continue": 2}  # versions a finished job adds
BILLABLE = {"generate": "create", "redraw": "patch", "continue": "patch"}
POINT_ROUTE = {"poll": "status", "download": "asset"}


class HoldingLlamaGen(FakeLlamaGen):
    """The LlamaGen fake, able to hold the N-th request of one route until released."""

    def __init__(self) -> None:
        super().__init__()
        self.loading_polls = 2  # three status polls per job: LOADING, LOADING, PROCESSED
        self.loop: asyncio.AbstractEventLoop | None = None
        self.holding = threading.Event()
        self._hold: tuple[str, int] | None = None
        self._after: str | None = None
        self._seen: Counter[str] = Counter()
        self._release: asyncio.Event | None = None

    def arm(self, route: str, nth: int, *, after: str | None = None) -> None:
        """Hold the ``nth`` request of ``route`` (counted from the first ``after`` request)."""
        self._seen = Counter()
        self._hold = (route, nth)
        self._after = after
        self.holding.clear()

    def release(self) -> None:
        if self._release is not None and self.loop is not None:
            self.loop.call_soon_threadsafe(self._release.set)

    def _take(self, route: str) -> Fault | None:
        if self._after is None or self._seen[self._after] or route == self._after:
            self._seen[route] += 1
        if self._hold == (route, self._seen[route]):
            self._hold = None
            return Fault("hold")
        return super()._take(route)

    async def _apply(self, fault: Fault, request: web.Request) -> web.StreamResponse | None:
        if fault.kind != "hold":
            return await super()._apply(fault, request)
        self.loop = asyncio.get_running_loop()
        self._release = asyncio.Event()
        self.holding.set()
        await self._release.wait()  # the client is killed meanwhile; then answer as usual
        return None

    def served_digests(self) -> set[str]:
        names = [r.path.rsplit("/", 1)[1] for r in self.asset_requests()]
        return {hashlib.sha256(make_png(n)).hexdigest() for n in names}


@dataclass
class Kill:
    op: str  # generate | redraw | continue
    runner: str  # cli | window: the process that is killed
    point: str  # submit | poll | download
    nth: int  # which request of the route is held
    restart: str  # cli | window: what finishes the job afterwards


def plan(kills: int, seed: int) -> list[Kill]:
    rng = random.Random(seed)
    points = (["submit", "poll", "download"] * kills)[:kills]
    runners = (["cli", "window"] * kills)[:kills]
    restarts = (["cli", "window"] * kills)[:kills]
    for items in (points, runners, restarts):
        rng.shuffle(items)
    out = []
    for point, runner, restart in zip(points, runners, restarts, strict=True):
        op = rng.choice(["generate", "redraw", "continue"])
        nth = {"submit": 1, "poll": rng.randint(1, 3), "download": rng.randint(1, PANELS[op])}
        out.append(Kill(op, runner, point, nth[point], restart))
    return out


# ----------------------------------------------------------------------------- helpers
def counts(path: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(path)
    try:
        return tuple(  # type: ignore[return-value]
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("panels", "versions", "jobs")
        )
    finally:
        conn.close()


def rows(path: Path) -> dict[str, set[object]]:
    """Every panel, job and (version, asset) id, and every stored asset's digest."""
    conn = sqlite3.connect(path)
    try:
        return {
            "panels": {r[0] for r in conn.execute("SELECT id FROM panels")},
            "jobs": {r[0] for r in conn.execute("SELECT id FROM jobs")},
            "versions": {tuple(r) for r in conn.execute("SELECT id, asset FROM versions")},
            "assets": {
                hashlib.sha256(r[0]).hexdigest() for r in conn.execute("SELECT data FROM assets")
            },
        }
    finally:
        conn.close()


def none_lost(before: dict[str, set[object]], after: dict[str, set[object]]) -> list[str]:
    lost = {k: before[k] - after[k] for k in before}
    return [f"{k}: {sorted(map(str, gone))}" for k, gone in lost.items() if gone]


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def last_job(path: Path) -> sqlite3.Row:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM jobs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()


def job_assets(path: Path, job_id: int) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT asset FROM versions WHERE job_id=?", (job_id,)).fetchall()
        for (sha,) in rows:  # the bytes in the file hash to the name they are stored under
            data = conn.execute("SELECT data FROM assets WHERE sha256=?", (sha,)).fetchone()[0]
            assert hashlib.sha256(data).hexdigest() == sha
        return [r[0] for r in rows]
    finally:
        conn.close()


def qt_window_loaded(pid: int) -> bool:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return "libQt6Widgets" in maps and "offscreen" in maps


class Studio:
    """Starts the studio's processes for one test and prepares projects in-process."""

    def __init__(self, fake: HoldingLlamaGen, tmp: Path) -> None:
        self.fake = fake
        self.tmp = tmp
        self.env = {k: v for k, v in os.environ.items() if not k.endswith("_BASE_URL")}
        self.env.update(
            LLAMAGEN_API_KEY=KEY,
            LLAMAGEN_BASE_URL=fake.url,
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
            QT_QPA_PLATFORM="offscreen",
            COMIC_STUDIO_POLL_INTERVAL="0.05",
        )

    def manager(self, project: Project) -> JobManager:
        return JobManager(
            project, lambda pid: registry.create_provider(pid, base_url=self.fake.url)
        )

    def project(self, name: str, op: str) -> Path:
        """A new project; for redraw/continue one already generated (in this process)."""
        path = self.tmp / f"{name}.comic"
        story = Story(
            title=name,
            prompt="Leo finds a glowing key in a quiet library.",
            provider="llamagen",
            layout=Layout(pages=1, panels_per_page=2),
        )
        with Project.create(path, story) as project:
            actions.ensure_script(project)
            if op != "generate":
                asyncio.run(self._generate(project))
        return path

    async def _generate(self, project: Project) -> None:
        manager = self.manager(project)
        job = actions.generate(manager)
        await manager.wait([job.id])
        await manager.shutdown()
        assert project.job(job.id).state is JobState.succeeded

    def draft(self, path: Path, op: str) -> None:
        """Record the job as the window's verbs do (validated, state draft) without running
        it: the window process then starts it as a job left unfinished."""

        class Recorder(JobManager):
            def _start(self, job, work=None):  # type: ignore[no-untyped-def]
                return None

        with Project.open(path) as project:
            manager = Recorder(project, lambda pid: registry.create_provider(pid, base_url=""))
            if op == "generate":
                actions.generate(manager)
            elif op == "redraw":
                actions.redraw(manager, 0, 1, prompt="Leo smiles at the key.")
            else:
                actions.continue_story(
                    manager, "They fly home on the key.", pages=1, panels_per_page=2
                )

    def cli_args(self, op: str, path: Path) -> list[str]:
        if op == "generate":
            return ["generate", str(path)]
        if op == "redraw":
            return ["redraw", str(path), "--page", "0", "--panel", "1", "--prompt", "Leo smiles."]
        return ["continue", str(path), "--prompt", "They fly home on the key.", "--pages", "1"]

    def start(self, runner: str, args: list[str], path: Path) -> subprocess.Popen[bytes]:
        if runner == "window":  # the window opens the project and starts its jobs
            cmd = [sys.executable, str(LAUNCHER), str(path)]
        else:
            cmd = [sys.executable, "-m", "studio.cli", *args]
        return subprocess.Popen(
            cmd,
            cwd=self.tmp,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def finish(self, how: str, path: Path) -> int:
        """Restart the studio on ``path`` and let it finish the job; returns the exit code."""
        if how == "cli":
            done = subprocess.run(
                [sys.executable, "-m", "studio.cli", "resume", str(path)],
                cwd=self.tmp,
                env=self.env,
                capture_output=True,
                timeout=120,
            )
            return done.returncode
        window = self.start("window", [], path)
        deadline = time.monotonic() + 90
        try:
            while JobState(last_job(path)["state"]).active:
                assert window.poll() is None, window.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the window never finished the job"
                time.sleep(0.05)
            window.terminate()  # SIGTERM: the window closes in order
            return window.wait(30)
        finally:
            if window.poll() is None:
                window.kill()
                window.wait()


@pytest.fixture
def studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Studio]:
    config = Path(os.environ["COMIC_STUDIO_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    settings = {"providers": {"llamagen": {"requests_per_minute": 6000}}}
    (config / "settings.json").write_text(json.dumps(settings))
    monkeypatch.setenv("LLAMAGEN_API_KEY", KEY)
    monkeypatch.setenv("COMIC_STUDIO_POLL_INTERVAL", "0.05")
    with ServerThread(HoldingLlamaGen()) as fake:
        assert isinstance(fake, HoldingLlamaGen)
        yield Studio(fake, tmp_path)


# ------------------------------------------------------------------------------- runs
def kill_and_resume(studio: Studio, n: int, kill: Kill) -> str:
    fake = studio.fake
    path = studio.project(f"k{n:02d}", kill.op)
    if kill.runner == "window":
        studio.draft(path, kill.op)
    before = counts(path)
    before_rows = rows(path)
    billed = fake.billable_count()
    route = BILLABLE[kill.op] if kill.point == "submit" else POINT_ROUTE[kill.point]
    fake.arm(route, kill.nth, after=None if kill.point == "submit" else BILLABLE[kill.op])
    proc = studio.start(kill.runner, studio.cli_args(kill.op, path), path)
    try:
        while not fake.holding.wait(0.05):
            if proc.poll() is not None:
                err = proc.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
                raise AssertionError(f"{kill}: ended before request {route} #{kill.nth}: {err}")
        if kill.runner == "window":
            assert qt_window_loaded(proc.pid), "the killed process was not the Qt window"
    finally:
        proc.kill()  # SIGKILL
        proc.wait(30)
        fake.release()
    assert proc.returncode == -9
    assert integrity(path) == "ok"
    after_kill = counts(path)
    assert all(a >= b for a, b in zip(after_kill, before, strict=True)), (before, after_kill)
    kill_rows = rows(path)
    assert none_lost(before_rows, kill_rows) == [], kill
    at_kill = last_job(path)
    billed_at_kill = fake.billable_count() - billed

    code = studio.finish(kill.restart, path)

    job = last_job(path)
    assert job["id"] == at_kill["id"]
    # Killed while the file says "submitting": the billable request may have left, so the
    # job is "unknown" and is never sent again (DESIGN). Any later point: it finishes.
    expected = "unknown" if at_kill["state"] == "submitting" else "succeeded"
    if kill.point == "submit":
        assert expected == "unknown" and billed_at_kill == 1
    else:
        assert expected == "succeeded" and billed_at_kill == 1
    assert job["state"] == expected, (kill, dict(job))
    assert fake.billable_count() - billed == 1, kill  # sent once, never again
    assert integrity(path) == "ok"
    end = counts(path)
    assert all(a >= b for a, b in zip(end, after_kill, strict=True)), (after_kill, end)
    assert none_lost(kill_rows, rows(path)) == [], kill  # same ids, same images
    assets = job_assets(path, job["id"])
    if expected == "succeeded":
        assert job["remote_id"] and len(assets) == PANELS[kill.op]
        assert set(assets) <= fake.served_digests()  # byte-identical to what was served
        assert end[1] == before[1] + PANELS[kill.op]
        if kill.restart == "cli":
            assert code == 0
    else:
        assert assets == [] and end[1] == before[1]
        if kill.restart == "cli":
            assert code == 5  # EXIT_UNKNOWN
        assert "may have been accepted" in job["message"]
    if kill.restart == "window":
        assert code == 0
    return str(job["state"])


def run_plan(studio: Studio, kills: int) -> None:
    seed = int(os.environ.get("COMIC_STUDIO_KILL_SEED", "6"))
    started = time.perf_counter()
    outcomes: Counter[tuple[str, str]] = Counter()
    shapes: Counter[str] = Counter()
    for n, kill in enumerate(plan(kills, seed)):
        t0 = time.perf_counter()
        outcome = kill_and_resume(studio, n, kill)
        outcomes[(kill.point, outcome)] += 1
        shapes[f"{kill.runner}->{kill.restart}"] += 1
        print(
            f"kill {n:2d}: {kill.op:<8} {kill.runner:>6}->{kill.restart:<6} at "
            f"{kill.point}#{kill.nth}: {outcome} ({time.perf_counter() - t0:.1f}s)"
        )
    wall = time.perf_counter() - started
    print(
        f"\nkill/resume: {kills} kills (seed {seed}) in {wall:.1f}s; "
        f"outcomes {dict(sorted(outcomes.items()))}; "
        f"killed->restarted {dict(sorted(shapes.items()))}"
    )
    assert sum(outcomes.values()) == kills
    assert {p for p, _ in outcomes} == {"submit", "poll", "download"}


def test_plan_covers_every_point_and_both_processes() -> None:
    kills = plan(20, 6)
    assert Counter(k.point for k in kills) == {"submit": 7, "poll": 7, "download": 6}
    assert Counter(k.runner for k in kills) == {"cli": 10, "window": 10}
    assert Counter(k.restart for k in kills) == {"cli": 10, "window": 10}
    assert plan(20, 6) == kills  # the same seed gives the same kills


@pytest.mark.timeout(600)
def test_twenty_kills_at_submit_poll_and_download(studio: Studio) -> None:
    run_plan(studio, 20)


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_kill_soak(studio: Studio) -> None:
    run_plan(studio, int(os.environ.get("COMIC_STUDIO_KILLS", "90")))
