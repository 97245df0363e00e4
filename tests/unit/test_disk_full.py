"""Disk full / read-only project file while a job finishes: the result is kept, never dropped.

Real SQLite, the real LlamaGen adapter and JobManager against the loopback LlamaGen fake.
"Disk full" is SQLite's own SQLITE_FULL, made by lowering ``PRAGMA max_page_count`` on the
project's connection to the file's current size. "Read-only" is ``PRAGMA query_only`` on
that connection: these tests run as root in CI, where chmod 0o444 does not stop writes.
A lock held by another program is a real second connection holding the write lock.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import random
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_llamagen import FakeLlamaGen, fast_llamagen

from studio.core.models import Job, JobState, Layout, Story
from studio.jobs import JobManager, actions
from studio.jobs.spill import Spill
from studio.storage import Project
from studio.storage.jobs_store import kept_results

KEY = "test-key-not-real"


def noise_png(name: str, side: int = 96) -> bytes:
    """A real PNG that does not compress: it needs new pages in the project file."""
    rng = random.Random(name)
    img = Image.frombytes("RGB", (side, side), bytes(rng.randrange(256) for _ in range(side**3)))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


class BigAssets(FakeLlamaGen):
    async def _serve_asset(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=noise_png(request.match_info["name"]), content_type="image/png")


@pytest.fixture
async def fake() -> AsyncIterator[BigAssets]:
    server = await BigAssets().start()
    yield server
    await server.close()


def new_project(path: Path) -> Project:
    story = Story(
        title="Kept",
        prompt="Leo finds a glowing key in a quiet library.",
        provider="llamagen",
        layout=Layout(pages=1, panels_per_page=2),
    )
    project = Project.create(path, story)
    actions.ensure_script(project)
    return project


def manager_for(project: Project, fake: FakeLlamaGen, events: list[tuple[int, str]]) -> JobManager:
    manager = JobManager(project, lambda _pid: fast_llamagen(fake.url, api_key=KEY))
    manager.retry_interval = 0.05
    manager.listeners.append(lambda job, event: events.append((job.id, event)))
    return manager


def served(fake: FakeLlamaGen) -> set[str]:
    names = [r.path.rsplit("/", 1)[1] for r in fake.asset_requests()]
    return {hashlib.sha256(noise_png(n)).hexdigest() for n in names}


def stored_assets(project: Project) -> set[str]:
    return {r[0] for r in project._query("SELECT asset FROM versions")}


def counts(project: Project) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        project._one(f"SELECT COUNT(*) FROM {t}")[0] for t in ("panels", "versions", "jobs")
    )


async def until(check, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2000):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


def on_state(manager: JobManager, state: JobState, action) -> None:  # type: ignore[no-untyped-def]
    """Run ``action`` once, the first time a job reaches ``state``."""
    done: list[bool] = []

    def listener(job: Job, event: str) -> None:
        if event == "changed" and job.state is state and not done:
            done.append(True)
            action()

    manager.listeners.append(listener)


async def test_disk_full_keeps_the_result_and_stores_it_when_space_returns(
    fake: FakeLlamaGen, tmp_path: Path
) -> None:
    project = new_project(tmp_path / "full.comic")
    events: list[tuple[int, str]] = []
    manager = manager_for(project, fake, events)
    manager.retry_interval = 3600  # the retry below is triggered by hand, once space is back

    def fill_disk() -> None:
        pages = project._one("PRAGMA page_count")[0]
        project._conn.execute(f"PRAGMA max_page_count = {pages}")

    on_state(manager, JobState.downloading, fill_disk)
    before = counts(project)
    job = actions.generate(manager)
    await manager.wait([job.id])

    fresh = project.job(job.id)
    assert fresh.state.active  # not succeeded: the file does not hold the result
    assert fresh.error_kind == "write_error"
    assert "database or disk is full" in fresh.error and "Waiting to save" in fresh.error
    folder = manager.kept[job.id]
    assert folder is not None and str(folder) in fresh.error
    assert [e for e in events if e[1] == "write_error"] == [(job.id, "write_error")]
    kept_files = {p.name for p in folder.iterdir()} - {"result.json"}
    assert kept_files == served(fake) and len(kept_files) == 2
    for name in kept_files:  # byte-identical to what the provider served
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == name
    assert counts(project) == (before[0], before[1], before[2] + 1)  # nothing half-written
    assert project.integrity() == "ok"

    requests_before = len(fake.requests)
    project._conn.execute("PRAGMA max_page_count = 1073741823")  # space is back
    assert manager.retry_kept() == [job.id]
    await until(lambda: project.job(job.id).state is JobState.succeeded, "stored after retry")
    await manager.wait()
    assert stored_assets(project) == served(fake)
    assert not folder.exists() and kept_results(project.path) == {}
    assert len(fake.requests) == requests_before  # stored from the spill: nothing fetched
    assert fake.billable_count() == 1
    assert project.job(job.id).error == "" and project.job(job.id).credits == 300
    assert counts(project)[1] == before[1] + 2
    assert project.integrity() == "ok"
    await manager.shutdown()
    project.close()


async def test_read_only_file_result_survives_a_restart(fake: FakeLlamaGen, tmp_path: Path) -> None:
    """The file turns read-only right after the request was sent, so even the remote id is
    not in the file; the kept result carries it, and the next open stores everything."""
    path = tmp_path / "ro.comic"
    project = new_project(path)
    events: list[tuple[int, str]] = []
    manager = manager_for(project, fake, events)
    manager.retry_interval = 3600
    on_state(manager, JobState.submitting, lambda: project._conn.execute("PRAGMA query_only=1"))
    job = actions.generate(manager)
    await manager.wait([job.id])
    assert fake.billable_count() == 1
    row = project._one("SELECT state, remote_id FROM jobs WHERE id=?", (job.id,))
    assert (row["state"], row["remote_id"]) == ("submitting", None)
    assert "readonly" in project.job(job.id).error
    assert events.count((job.id, "write_error")) == 1
    await manager.shutdown()  # the studio quits while the file is still read-only
    project.close()

    project = Project.open(path)  # writable again
    manager = manager_for(project, fake, [])
    requests_before = len(fake.requests)
    resumed = manager.resume_all()
    assert [j.id for j in resumed] == [job.id]
    tasks = list(manager._tasks.values())
    await manager.wait()
    for t in tasks:
        if t.exception():
            raise t.exception()
    done = project.job(job.id)
    assert done.state is JobState.succeeded  # not "unknown": the answer was kept
    assert done.remote_id == "gen_0001" and done.error_kind == ""
    assert stored_assets(project) == served(fake)
    assert len(fake.requests) == requests_before and fake.billable_count() == 1
    assert kept_results(path) == {}
    assert project.integrity() == "ok"
    await manager.shutdown()
    project.close()


async def test_spill_round_trip_is_exact_and_damage_is_refused(tmp_path: Path) -> None:
    from studio.providers.base import GenerationResult, ResultPanel

    spill = Spill(tmp_path / "x.comic")
    result = GenerationResult(
        panels=[
            ResultPanel(0, 1, noise_png("a"), caption="c", anchors={"Leo": (0.25, 0.5)}),
            ResultPanel(0, 1, noise_png("b"), alternative=True, remote_page=3),
        ],
        remote_project={"id": "gen_1"},
        credits=12.5,
        extra_files={"book.mp3": b"ID3 not really"},
        character_refs={"Leo": noise_png("leo")},
    )
    folder = spill.save(7, result, "disk full", {"remote_id": "gen_1"})
    assert spill.pending() == [7] and not list(spill.dir.glob(".*"))
    loaded, fields = spill.load(7)
    assert loaded == result and fields == {"remote_id": "gen_1"}
    sha = hashlib.sha256(noise_png("a")).hexdigest()
    (folder / sha).write_bytes(b"damaged")
    with pytest.raises(ValueError, match="damaged"):
        spill.load(7)
    spill.discard(7)
    assert spill.pending() == [] and not folder.exists()


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    conn.execute("BEGIN IMMEDIATE")
    return conn


async def test_cli_shows_the_kept_result_and_resume_stores_it(
    fake: FakeLlamaGen, tmp_path: Path
) -> None:
    path = tmp_path / "cli.comic"
    project = new_project(path)
    manager = manager_for(project, fake, [])
    manager.retry_interval = 3600
    on_state(manager, JobState.downloading, lambda: project._conn.execute("PRAGMA query_only=1"))
    job = actions.generate(manager)
    await manager.wait([job.id])
    await manager.shutdown()
    project.close()
    folder = Spill(path).job_dir(job.id)
    assert folder.is_dir()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "studio.cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    listed = json.loads(cli("jobs", str(path), "--json").stdout)["jobs"][0]
    assert listed["error_kind"] == "write_error" and str(folder) in listed["error"]
    assert listed["state"] == "downloading"

    lock = _hold_write_lock(path)  # another program holds the file
    try:
        out = await asyncio.to_thread(cli, "resume", str(path))
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert out.returncode == 1, out.stderr
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("Job ")]
    assert len(lines) == 1 and "database is locked" in lines[0] and str(folder) in lines[0]
    assert folder.is_dir()

    out = await asyncio.to_thread(cli, "resume", str(path))
    assert out.returncode == 0, out.stderr
    assert f"Job {job.id} succeeded" in out.stdout
    assert not folder.exists()
    with Project.open(path) as reopened:
        assert stored_assets(reopened) == served(fake)
        assert reopened.integrity() == "ok"
    assert fake.billable_count() == 1


async def test_spill_folder_unwritable_keeps_it_in_memory_then_on_disk_at_exit(
    fake: FakeLlamaGen, tmp_path: Path
) -> None:
    """Both the project file and the spill folder refuse writes (a plain file stands where the
    spill folder should be, which stops root too): the result stays in memory, gets onto
    disk when the studio quits and the folder is usable, and into the file on the next open."""
    path = tmp_path / "both.comic"
    project = new_project(path)
    blocker = Spill(path).dir.parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    manager = manager_for(project, fake, [])
    manager.retry_interval = 3600
    on_state(manager, JobState.downloading, lambda: project._conn.execute("PRAGMA query_only=1"))
    job = actions.generate(manager)
    await manager.wait([job.id])
    assert manager.kept[job.id] is None
    assert "in memory only" in job.error and job.message.startswith("Waiting to save")
    blocker.unlink()  # the folder can be made again; the project file stays read-only
    await manager.shutdown()
    project.close()
    assert Spill(path).pending() == [job.id]

    project = Project.open(path)
    manager = manager_for(project, fake, [])
    requests_before = len(fake.requests)
    manager.resume_all()
    await manager.wait()
    assert project.job(job.id).state is JobState.succeeded
    assert stored_assets(project) == served(fake)
    assert len(fake.requests) == requests_before and fake.billable_count() == 1
    await manager.shutdown()
    project.close()


async def test_spill_folder_still_blocked_at_exit_rescues_the_result_beside_the_file(
    fake: FakeLlamaGen, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "stuck.comic"
    project = new_project(path)
    blocker = Spill(path).dir.parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    manager = manager_for(project, fake, [])
    manager.retry_interval = 3600
    on_state(manager, JobState.downloading, lambda: project._conn.execute("PRAGMA query_only=1"))
    job = actions.generate(manager)
    await manager.wait([job.id])
    await manager.shutdown()  # the spill folder is still blocked
    project.close()
    rescued = tmp_path / "stuck.rescued-results" / f"job-{job.id}"
    assert (rescued / "result.json").is_file()
    kept = {p.name for p in rescued.iterdir() if p.name != "result.json"}
    assert kept == set(served(fake))  # every image served, under its sha256 name
    assert any(str(rescued.parent) in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("state_left", ["downloading", "submitting"])
async def test_result_in_the_file_but_success_not_recorded_is_not_fetched_again(
    fake: FakeLlamaGen, tmp_path: Path, state_left: str
) -> None:
    """The studio stopped after the result's commit but before "succeeded" was written (or the
    file refused that one small write): the next start records it without asking again."""
    path = tmp_path / "half.comic"
    project = new_project(path)
    manager = manager_for(project, fake, [])
    job = actions.generate(manager)
    await manager.wait([job.id])
    await manager.shutdown()
    versions = counts(project)[1]
    with project.transaction() as c:  # the file as it is after such a stop
        c.execute("UPDATE jobs SET state=? WHERE id=?", (state_left, job.id))
    project.close()

    project = Project.open(path)
    manager = manager_for(project, fake, [])
    requests_before = len(fake.requests)
    manager.resume_all()
    await manager.wait()
    assert project.job(job.id).state is JobState.succeeded  # not "unknown", not re-polled
    assert len(fake.requests) == requests_before and fake.billable_count() == 1
    assert counts(project)[1] == versions
    await manager.shutdown()
    project.close()
