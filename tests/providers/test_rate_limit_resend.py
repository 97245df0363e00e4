"""A 429 on a billable create: resent after Retry-After (bounded, shown, cancellable);
a LlamaGen 429 about credits, a 5xx or a dropped connection: never resent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fake_cartoonicate import FakeCartoonicate, fast_cartoonicate
from fake_llamagen import FakeLlamaGen, fast_llamagen

from studio.core.models import JobState, Layout, Story
from studio.jobs import JobManager, actions
from studio.providers.base import Provider
from studio.providers.resend import ResendPolicy
from studio.storage import Project


@pytest.fixture
async def cartoonicate() -> AsyncIterator[FakeCartoonicate]:
    server = await FakeCartoonicate().start()
    yield server
    await server.close()


@pytest.fixture
async def llamagen() -> AsyncIterator[FakeLlamaGen]:
    server = await FakeLlamaGen().start()
    yield server
    await server.close()


def _manager(tmp_path: Path, provider: Provider, provider_id: str) -> JobManager:
    story = Story(
        prompt="Dev pushes to main. Cat sighs.", layout=Layout(1, 1), provider=provider_id
    )
    project = Project.create(tmp_path / "r.comic", story)
    actions.ensure_script(project)
    return JobManager(project, lambda _pid: provider)


async def _finish(manager: JobManager) -> None:
    await manager.shutdown()
    manager.project.close()


async def test_429_on_create_is_resent_after_retry_after_and_shown(
    tmp_path: Path, cartoonicate: FakeCartoonicate
) -> None:
    cartoonicate.fail("create", 429, times=2, retry_after=0)
    manager = _manager(tmp_path, fast_cartoonicate(cartoonicate.url), "cartoonicate")
    messages: list[tuple[str, str]] = []
    manager.listeners.append(lambda job, _e: messages.append((job.state.value, job.message)))
    job = actions.generate(manager)
    await manager.wait()
    assert manager.project.job(job.id).state is JobState.succeeded
    creates = cartoonicate.requests_for("create")
    assert [r.refused for r in creates] == [True, True, False]
    assert [r.processed for r in creates] == [False, False, True]
    assert ("draft", "Rate limited — retrying in 0 s") in messages
    events = [e["state"] for e in manager.project.job_events(job.id)]
    assert events[:5] == ["draft", "submitting", "draft", "submitting", "draft"]
    await _finish(manager)


async def test_429_without_retry_after_waits_5_s_then_backs_off(
    tmp_path: Path, cartoonicate: FakeCartoonicate
) -> None:
    cartoonicate.fail("create", 429, times=5)
    provider = fast_cartoonicate(cartoonicate.url)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    provider.resend = ResendPolicy(first_wait=5.0, sleep=sleep)
    manager = _manager(tmp_path, provider, "cartoonicate")
    job = actions.generate(manager)
    await manager.wait()
    final = manager.project.job(job.id)
    assert final.state is JobState.failed and final.error_kind == "rate_limit"
    assert waits == [5.0, 10.0, 20.0]  # at most 3 resends
    assert len(cartoonicate.requests_for("create")) == 4
    await _finish(manager)


async def test_resends_stop_at_two_minutes_of_waiting(
    tmp_path: Path, cartoonicate: FakeCartoonicate
) -> None:
    cartoonicate.fail("create", 429, times=5, retry_after=100)
    provider = fast_cartoonicate(cartoonicate.url)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    provider.resend = ResendPolicy(sleep=sleep)
    manager = _manager(tmp_path, provider, "cartoonicate")
    job = actions.generate(manager)
    await manager.wait()
    assert manager.project.job(job.id).state is JobState.failed
    assert waits == [100.0] and len(cartoonicate.requests_for("create")) == 2
    await _finish(manager)


async def test_cancel_during_the_wait_sends_nothing_more(
    tmp_path: Path, cartoonicate: FakeCartoonicate
) -> None:
    cartoonicate.fail("create", 429, retry_after=30)
    manager = _manager(tmp_path, fast_cartoonicate(cartoonicate.url), "cartoonicate")
    job = actions.generate(manager)
    for _ in range(200):
        await asyncio.sleep(0.01)
        if manager.project.job(job.id).message.startswith("Rate limited"):
            break
    assert manager.project.job(job.id).message == "Rate limited — retrying in 30 s"
    manager.cancel(job.id)
    await manager.wait()
    final = manager.project.job(job.id)
    assert final.state is JobState.cancelled and "nothing was billed" in final.message
    assert len(cartoonicate.requests_for("create")) == 1
    await _finish(manager)


@pytest.mark.parametrize(
    ("status", "body", "kind", "state"),
    [
        (429, {"error": {"message": "Insufficient credits for this request"}}, "quota", "failed"),
        (500, {"error": {"message": "boom"}}, "unknown", "unknown"),
    ],
)
async def test_llamagen_credit_429_fails_and_5xx_is_unknown_never_resent(
    tmp_path: Path, llamagen: FakeLlamaGen, status: int, body: dict, kind: str, state: str
) -> None:
    llamagen.fail("create", status, body=body, retry_after=0)
    manager = _manager(tmp_path, fast_llamagen(llamagen.url), "llamagen")
    job = actions.generate(manager)
    await manager.wait()
    final = manager.project.job(job.id)
    assert (final.state.value, final.error_kind) == (state, kind)
    assert len(llamagen.requests_for("create")) == 1
    await _finish(manager)


async def test_dropped_create_ends_unknown_and_is_not_resent(
    tmp_path: Path, llamagen: FakeLlamaGen
) -> None:
    llamagen.drop("create")
    manager = _manager(tmp_path, fast_llamagen(llamagen.url), "llamagen")
    job = actions.generate(manager)
    await manager.wait()
    assert manager.project.job(job.id).state is JobState.unknown
    assert len(llamagen.requests_for("create")) == 1
    await _finish(manager)
