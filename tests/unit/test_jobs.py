"""JobManager: persisted transitions, cancel, resume and never resending a billable request."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from studio.core.models import JobKind, JobState, Layout, Story
from studio.jobs import JobManager, actions
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    Provider,
    ResultPanel,
    Submission,
)
from studio.providers.local import LocalProvider
from studio.storage import Project
from tests.helpers import png


class CountingProvider(Provider):
    """A billable provider that counts submits and answers after ``gate`` is set."""

    id = "counting"
    name = "Counting"
    capabilities = Capabilities(panel_redraw=True)

    def __init__(self) -> None:
        self.submits = 0
        self.gate = asyncio.Event()

    async def submit(self, request: GenerationRequest) -> Submission:
        self.submits += 1
        return Submission(remote_id=f"r{self.submits}", handle={"n": self.submits}, credits=3)

    async def wait(self, submission, request, progress, save_handle=None) -> GenerationResult:
        await self.gate.wait()
        return GenerationResult(panels=[ResultPanel(0, 0, png("blue"))])


def _project(tmp_path: Path) -> Project:
    story = Story(prompt="Leo reads. Mia laughs.", layout=Layout(1, 2))
    project = Project.create(tmp_path / "j.comic", story)
    actions.ensure_script(project)
    return project


async def test_local_generation_persists_every_state(tmp_path: Path) -> None:
    project = _project(tmp_path)
    manager = JobManager(project, lambda _pid: LocalProvider())
    seen: list[str] = []
    manager.listeners.append(lambda job, event: seen.append(job.state.value))
    job = actions.generate(manager)
    await manager.wait()
    states = [e["state"] for e in project.job_events(job.id)]
    assert states[:4] == ["draft", "submitting", "queued", "running"]
    assert states[-2:] == ["downloading", "succeeded"]
    assert "succeeded" in seen and project.job(job.id).progress == 1.0
    assert all(p.current_version for p in project.page(0).panels)
    project.close()


async def test_cancel_before_start_ends_cancelled(tmp_path: Path) -> None:
    project = _project(tmp_path)
    manager = JobManager(project, lambda _pid: LocalProvider())
    job = actions.generate(manager)
    manager.cancel(job.id)
    await asyncio.sleep(0)
    await manager.wait()
    final = project.job(job.id)
    assert final.state is JobState.cancelled and "nothing was billed" in final.message
    project.close()


async def test_shutdown_leaves_job_resumable_without_resubmitting(tmp_path: Path) -> None:
    project = _project(tmp_path)
    first = CountingProvider()
    manager = JobManager(project, lambda _pid: first)
    job = manager.submit("counting", JobKind.create, {"prompt": "x"})
    while project.job(job.id).state is not JobState.running:
        await asyncio.sleep(0.01)
    await manager.shutdown()
    assert project.job(job.id).state is JobState.running
    second = CountingProvider()
    second.gate.set()
    again = JobManager(project, lambda _pid: second)
    assert [j.id for j in again.resume_all()] == [job.id]
    await again.wait()
    assert project.job(job.id).state is JobState.succeeded
    assert (first.submits, second.submits) == (1, 0)
    assert project.job(job.id).credits == 3
    project.close()


async def test_interrupted_submit_becomes_unknown_and_is_not_resent(tmp_path: Path) -> None:
    project = _project(tmp_path)
    job = project.create_job("counting", JobKind.create, {"prompt": "x"})
    project.update_job(job, state=JobState.submitting)  # the process died mid-send
    provider = CountingProvider()
    manager = JobManager(project, lambda _pid: provider)
    manager.resume_all()
    await manager.wait()
    final = project.job(job.id)
    assert final.state is JobState.unknown and final.error_kind == "unknown"
    assert "may have been accepted" in final.error
    assert provider.submits == 0
    project.close()


async def test_unsupported_capability_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    from studio.providers.errors import NotSupported

    project = _project(tmp_path)
    provider = CountingProvider()
    manager = JobManager(project, lambda _pid: provider)
    with pytest.raises(NotSupported, match="cannot do this"):
        manager.submit("counting", JobKind.continue_, {"prompt": "more"})
    assert provider.submits == 0
    assert project.jobs()[-1].state is JobState.cancelled
    project.close()


def _assets(project: Project) -> dict[Any, str]:
    return {(p, j): a for p, j, a in project.iter_current_assets()}


async def test_redraw_touches_only_its_panel(tmp_path: Path) -> None:
    project = _project(tmp_path)
    manager = JobManager(project, lambda _pid: LocalProvider())
    actions.generate(manager)
    await manager.wait()
    before = _assets(project)
    actions.redraw(manager, 0, 1, prompt="Mia laughs, close-up")
    await manager.wait()
    after = _assets(project)
    assert after[(0, 0)] == before[(0, 0)] and after[(0, 1)] != before[(0, 1)]
    assert len(project.versions(project.panel_at(0, 1).id)) == 2
    project.close()


class PreparingProvider(CountingProvider):
    """Uploads first (not billable), then sends the billable request through the hook."""

    def __init__(self) -> None:
        super().__init__()
        self.uploaded = asyncio.Event()
        self.go_on = asyncio.Event()
        self.fail_upload = False

    async def submit(self, request: GenerationRequest) -> Submission:
        from studio.providers.base import before_billable
        from studio.providers.errors import ProviderUnavailable

        self.uploaded.set()  # the reference upload is done; the create is next
        await self.go_on.wait()
        if self.fail_upload:
            raise ProviderUnavailable("the upload server is down")
        before_billable()
        return await super().submit(request)


async def test_job_stays_a_resumable_draft_until_the_billable_request_leaves(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path)
    provider = PreparingProvider()
    manager = JobManager(project, lambda _pid: provider)
    job = manager.submit("counting", JobKind.create, {"prompt": "x"})
    await provider.uploaded.wait()
    assert project.job(job.id).state is JobState.draft  # a crash now: nothing was billed
    provider.go_on.set()
    provider.gate.set()
    await manager.wait()
    states = [e["state"] for e in project.job_events(job.id)]
    assert states[:3] == ["draft", "submitting", "queued"]
    assert project.job(job.id).state is JobState.succeeded and provider.submits == 1

    # the process dies while preparing: on restart the draft is prepared and sent once
    second = project.create_job("counting", JobKind.create, {"prompt": "y"})
    again = PreparingProvider()
    again.go_on.set()
    again.gate.set()
    manager = JobManager(project, lambda _pid: again)
    manager.resume_all()
    await manager.wait()
    assert project.job(second.id).state is JobState.succeeded and again.submits == 1
    project.close()


async def test_a_failure_while_preparing_fails_the_job_saying_nothing_was_billed(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path)
    provider = PreparingProvider()
    provider.fail_upload = True
    provider.go_on.set()
    manager = JobManager(project, lambda _pid: provider)
    job = manager.submit("counting", JobKind.create, {"prompt": "x"})
    await manager.wait()
    final = project.job(job.id)
    assert final.state is JobState.failed and provider.submits == 0
    assert "submitting" not in [e["state"] for e in project.job_events(job.id)]
    project.close()


class FlakyWaitProvider(CountingProvider):
    """Accepts (and bills) the job, then the provider is unreachable once while waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True

    async def wait(self, submission, request, progress, save_handle=None) -> GenerationResult:
        from studio.providers.errors import ProviderUnavailable

        if self.down:
            self.down = False
            raise ProviderUnavailable("Counting could not be reached (ConnectError).")
        return GenerationResult(panels=[ResultPanel(0, 0, png("blue"))])


async def test_a_paid_job_that_failed_while_waiting_says_so_and_retry_does_not_bill_again(
    tmp_path: Path,
) -> None:
    from studio.jobs.manager import PAID_AND_KEPT

    project = _project(tmp_path)
    provider = FlakyWaitProvider()
    manager = JobManager(project, lambda _pid: provider)
    job = manager.submit("counting", JobKind.create, {"prompt": "x"})
    await manager.wait()
    failed = project.job(job.id)
    assert failed.state is JobState.failed and failed.remote_id == "r1"
    assert PAID_AND_KEPT in failed.error
    manager.resume(job.id)
    await manager.wait()
    assert project.job(job.id).state is JobState.succeeded
    assert provider.submits == 1  # asked again by remote id, never sent twice
    assert project.page(0).panels[0].current_version is not None
    project.close()
