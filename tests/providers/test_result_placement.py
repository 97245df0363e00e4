"""Where delivered work lands, through the real JobManager and the fakes: strips, chat
edits that change several pages, multi-page jobs whose later page failed, progress."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from fake_animus import FakeAnimus, fast_animus
from fake_base import FakeServer
from fake_cartoonicate import FakeCartoonicate, fast_cartoonicate
from fake_llamagen import FakeLlamaGen, fast_llamagen
from fake_storymint import FakeStoryMint, fast_storymint

from studio.asyncloop import finalize_async_generators
from studio.core.models import JobState, Layout, Story
from studio.jobs import JobManager, actions
from studio.providers.base import Provider
from studio.providers.costs import cost_line
from studio.storage import Project


async def _started(fake: FakeServer) -> FakeServer:
    return await fake.start()


@pytest.fixture
async def servers() -> AsyncIterator[list[FakeServer]]:
    started: list[FakeServer] = []
    yield started
    for server in started:
        await server.close()


def _manager(
    tmp_path: Path, provider_id: str, make: Callable[[], Provider], pages: int, panels: int
) -> JobManager:
    story = Story(
        prompt="Dev reads the logs. Dev frowns. Dev pushes to main. Cat sighs.",
        layout=Layout(pages=pages, panels_per_page=panels, paginated=pages > 1),
        provider=provider_id,
    )
    project = Project.create(tmp_path / "p.comic", story)
    actions.ensure_script(project)
    provider = make()
    return JobManager(project, lambda _pid: provider)


def _drawn(project: Project) -> list[list[int]]:
    """Versions per panel, page by page."""
    return [[len(project.versions(p.id)) for p in page.panels] for page in project.pages()]


# ---------------------------------------------------------------- Cartoonicate


async def test_cartoonicate_strip_of_three_fills_its_page(
    tmp_path: Path, servers: list[FakeServer]
) -> None:
    fake = await FakeCartoonicate().start()
    servers.append(fake)
    manager = _manager(tmp_path, "cartoonicate", lambda: fast_cartoonicate(fake.url), 1, 3)
    project = manager.project
    texts = [p.script.description for p in project.page(0).panels]
    assert len(texts) == 3
    job = actions.generate(manager)
    await manager.wait()
    done = project.job(job.id)
    assert done.state is JobState.succeeded, done.error
    body = fake.requests_for("create")[0].json
    assert (body["format"], body["panel_count"]) == ("comic", 3)
    # the page shows what was bought: one panel holding the strip, no empty panels
    assert _drawn(project) == [[1]]
    merged = project.page(0).panels[0].script.description
    assert all(text in merged for text in texts)  # no script text was lost
    assert "one panel holding the whole image" in done.message
    await manager.shutdown()
    project.close()


async def test_cartoonicate_single_panel_page_asks_for_single(
    tmp_path: Path, servers: list[FakeServer]
) -> None:
    fake = await FakeCartoonicate().start()
    servers.append(fake)
    manager = _manager(tmp_path, "cartoonicate", lambda: fast_cartoonicate(fake.url), 1, 1)
    job = actions.generate(manager)
    await manager.wait()
    assert manager.project.job(job.id).state is JobState.succeeded
    body = fake.requests_for("create")[0].json
    assert body["format"] == "single" and "panel_count" not in body
    assert _drawn(manager.project) == [[1]]
    await manager.shutdown()
    manager.project.close()


# ------------------------------------------------------------------- StoryMint


async def test_storymint_redraw_adds_one_version_to_its_panel_only(
    tmp_path: Path, servers: list[FakeServer]
) -> None:
    fake = await FakeStoryMint().start()
    servers.append(fake)
    fake.chat_extra_pages = (-1, 1)  # the chat edit also changes the pages before and after
    manager = _manager(tmp_path, "storymint", lambda: fast_storymint(fake.url), 3, 1)
    project = manager.project
    await manager.wait([actions.generate(manager).id])
    assert _drawn(project) == [[1], [1], [1]]
    job = actions.redraw(manager, 1, 0, prompt="Make the sky red")
    await manager.wait()
    assert project.job(job.id).state is JobState.succeeded, project.job(job.id).error
    # page 2 got exactly one new version; pages 1 and 3 each got theirs on their own panel
    assert _drawn(project) == [[2], [2], [2]]
    await manager.shutdown()
    project.close()


# ---------------------------------------------------------------------- Animus


async def test_animus_later_page_failed_ends_failed_with_pages_kept(
    tmp_path: Path, servers: list[FakeServer]
) -> None:
    fake = await FakeAnimus().start()
    servers.append(fake)
    manager = _manager(tmp_path, "animus", lambda: fast_animus(fake.url), 2, 1)
    project = manager.project
    second = project.page(1).panels[0].script.description
    fake.fail_gen = second[:20]
    job = actions.generate(manager)
    await manager.wait()
    done = project.job(job.id)
    assert done.state is JobState.failed
    assert "page 2" in done.error.lower()
    assert _drawn(project) == [[1], [0]]  # the accepted page is stored
    await manager.shutdown()
    project.close()


async def test_animus_progress_follows_the_status_percentage(
    tmp_path: Path, servers: list[FakeServer]
) -> None:
    fake = await FakeAnimus().start()
    servers.append(fake)
    fake.running_polls = 3
    manager = _manager(tmp_path, "animus", lambda: fast_animus(fake.url), 1, 2)
    seen: list[float | None] = []
    manager.listeners.append(lambda job, _event: seen.append(job.progress))
    await manager.wait([actions.generate(manager).id])
    assert 0.0 in seen  # a batch: its aggregate counts (none completed yet)
    seen.clear()
    await manager.wait([actions.redraw(manager, 0, 1, prompt="Sora waves again").id])
    assert 0.4 in seen  # one create: the status said progress 40
    await manager.shutdown()
    manager.project.close()


async def test_cartoonicate_progress_is_indeterminate_then_counts(
    tmp_path: Path, servers: list[FakeServer]
) -> None:
    fake = await FakeCartoonicate().start()
    servers.append(fake)
    manager = _manager(tmp_path, "cartoonicate", lambda: fast_cartoonicate(fake.url), 1, 1)
    project = manager.project
    project.set_remote_project("cartoonicate", {"variants": 2})
    seen: list[tuple[float | None, str]] = []
    manager.listeners.append(lambda job, _event: seen.append((job.progress, job.message)))
    await manager.wait([actions.generate(manager).id])
    running = [(p, m) for p, m in seen if "preview(s) ready" in m]
    assert running and running[0][0] is None  # nothing ready yet: no fake 0 %
    await manager.shutdown()
    project.close()


# ------------------------------------------------------------------- cost line


@pytest.mark.parametrize(
    "provider_id", ["llamagen", "storymint", "animus", "depicta", "cartoonicate"]
)
def test_cost_line_speaks_in_words(provider_id: str) -> None:
    line = cost_line(provider_id, {})
    assert line.split(":")[0] in {"LlamaGen", "StoryMint", "Animus", "Depicta", "Cartoonicate"}
    assert "_" not in line and "see " not in line  # no field names


def test_cost_line_carries_the_numbers_the_provider_gave() -> None:
    line = cost_line("animus", {"credits_per_image": 1, "remaining_balance": 87})
    assert line == "Animus: 1 credit per image · 87 credits left"
    line = cost_line("depicta", {"last_cost_eur": 1.2, "balance_eur": 8.8})
    assert line == "Depicta: €1.20 for the last story · €8.80 left"


async def test_animus_job_feeds_the_cost_line(tmp_path: Path, servers: list[FakeServer]) -> None:
    fake = await FakeAnimus().start()
    servers.append(fake)
    manager = _manager(tmp_path, "animus", lambda: fast_animus(fake.url), 1, 2)
    await manager.wait([actions.generate(manager).id])
    line = cost_line("animus", manager.project.remote_project("animus"))
    assert line == f"Animus: 4 credits per image · {fake.balance} credits left"
    await manager.shutdown()
    manager.project.close()


# ------------------------------------------------------------ StoryMint stream


@pytest.mark.parametrize("cancel", [False, True])
async def test_storymint_stream_closes_cleanly(
    tmp_path: Path, servers: list[FakeServer], cancel: bool
) -> None:
    """The event stream stays open after ``done`` (or the job is cancelled mid-stream):
    closing it leaves no "async generator ignored GeneratorExit" and no unread error
    (tests/conftest.py and pyproject's filterwarnings fail the test on either)."""
    fake = await FakeStoryMint().start()
    servers.append(fake)
    fake.stream_mode = "open" if not cancel else "silent_open"
    # Like qasync's loop: no asyncgen finalizer hook, so a generator left to the garbage
    # collector is closed without a loop — the way the window's log got its traceback.
    hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
    finalize_async_generators()  # what the window's main() does on its qasync loop
    manager = _manager(tmp_path, "storymint", lambda: fast_storymint(fake.url, use_sse=True), 2, 1)
    job = actions.generate(manager)
    if cancel:
        await asyncio.sleep(0.3)
        manager.cancel(job.id)
    await manager.wait()
    final = manager.project.job(job.id)
    assert final.state is (JobState.cancelled if cancel else JobState.succeeded), final.error
    assert sys.get_asyncgen_hooks().finalizer is not None
    await manager.shutdown()
    manager.project.close()
    del manager
    gc.collect()
    await asyncio.sleep(0.05)
    gc.collect()
    sys.set_asyncgen_hooks(*hooks)


# ------------------------------------------------------------- LlamaGen progress


async def test_llamagen_progress_counts_the_panels_that_arrived(
    tmp_path: Path, servers: list[FakeServer]
) -> None:
    fake = await FakeLlamaGen().start()
    servers.append(fake)
    fake.loading_polls = 3
    manager = _manager(tmp_path, "llamagen", lambda: fast_llamagen(fake.url), 1, 4)
    seen: list[float | None] = []
    manager.listeners.append(lambda job, _event: seen.append(job.progress))
    job = actions.generate(manager)
    await manager.wait()
    assert manager.project.job(job.id).state is JobState.succeeded
    running = [p for p in seen if p is not None and p < 1.0]
    assert running and running == sorted(running)  # 1 of 4, then 2 of 4, …
    assert None in seen  # before the first panel: indeterminate, not 0 %
    await manager.shutdown()
    manager.project.close()
