"""JobManager: runs every generation as a persisted, resumable, cancellable job."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from studio.core.models import Job, JobKind, JobState
from studio.jobs.keeping import INCOMPLETE, KeepResults
from studio.jobs.requests import build_request
from studio.jobs.script import ScriptJobs
from studio.jobs.spill import Spill
from studio.providers.base import (
    BEFORE_BILLABLE,
    GenerationRequest,
    GenerationResult,
    Progress,
    Provider,
    Submission,
    validate_for,
)
from studio.providers.errors import OutcomeUnknown, ProviderError
from studio.providers.resend import ResendPolicy, resend_on_429, waiting_message
from studio.storage import Project, ProjectError, ProjectWriteError

log = logging.getLogger("studio.jobs")

ProviderFactory = Callable[[str], Provider]
# (job, event), event in changed|stored|finished|write_error. "write_error": a result (or a
# state) could not be written into the project file; ``manager.kept[job.id]`` says where the
# result is kept meanwhile. It is sent once per job; the manager retries on its own.
Listener = Callable[[Job, str], None]

CANCEL_NOTE = (
    "Stopped waiting. {name} has no cancel endpoint, so the generation may still finish "
    "and be billed; `resume` (or reopening the project) fetches it."
)
INTERRUPTED_SUBMIT = (
    "The studio stopped while sending this request to {name}: it may have been accepted and "
    "billed. Check your {name} history before generating again; nothing was resent."
)


# Failures while waiting that say nothing about the work itself: the provider still has
# the (paid) job, and Retry asks for it again by its remote id without a new charge.
_CAN_ASK_AGAIN = frozenset({"unavailable", "rate_limit", "malformed", "asset_expired", "auth"})
PAID_AND_KEPT = (
    "The provider has this job (it may have been charged): Retry asks for its result again "
    "without sending it a second time."
)


class JobManager(ScriptJobs, KeepResults):
    """Owns the asyncio tasks of one project's jobs. Every state change is written first."""

    def __init__(
        self,
        project: Project,
        providers: ProviderFactory,
        *,
        concurrency: dict[str, int] | None = None,
    ) -> None:
        self.project = project
        self._factory = providers
        self._providers: dict[str, Provider] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._limits = {"local": 2, **(concurrency or {})}
        self._sems: dict[str, asyncio.Semaphore] = {}
        self.listeners: list[Listener] = []
        self.changed_panels: dict[int, list[int]] = {}
        self._closing = False
        self.spill = Spill(project.path)
        #: job id → folder of a result waiting to be written into the file (None: in memory)
        self.kept: dict[int, Path | None] = {}
        self.retry_interval = float(os.environ.get("COMIC_STUDIO_SAVE_RETRY", "") or 30.0)
        self._held: dict[int, tuple[GenerationResult, str]] = {}  # not even the spill worked
        self._unsaved: dict[int, dict[str, Any]] = {}  # submission fields the file lacks
        self._warned: set[int] = set()
        self._retry_task: asyncio.Task[None] | None = None
        #: a billable request refused by a 429 is resent within these bounds
        self.resend = ResendPolicy()

    # ------------------------------------------------------------------ public
    def provider(self, provider_id: str) -> Provider:
        if provider_id not in self._providers:
            self._providers[provider_id] = self._factory(provider_id)
        return self._providers[provider_id]

    def submit(
        self,
        provider_id: str,
        kind: JobKind,
        asked: dict[str, Any],
        *,
        target_page: int | None = None,
        target_panel: int | None = None,
    ) -> Job:
        """Create the job row (validated first) and start it. Raises ProviderError early."""
        provider = self.provider(provider_id)
        job = self.project.create_job(
            provider_id, kind, asked, target_page=target_page, target_panel=target_panel
        )
        try:
            validate_for(provider, build_request(self.project, job))
        except ProviderError as exc:
            self._finish(job, JobState.cancelled, exc)
            raise
        self._emit(job, "changed")
        self._start(job)
        return job

    def resume_all(self) -> list[Job]:
        """Continue every unfinished job recorded in the project (after a restart).

        Results kept outside the file (a write failed earlier) are stored first; their jobs
        are never polled or downloaded again.
        """
        resumed = []
        for job_id in self.spill.pending():
            if job_id in self._tasks:
                continue
            try:
                job = self.project.job(job_id)
            except ProjectError:
                log.error("a kept result belongs to job %s, which this project lacks", job_id)
                continue
            self._start(job, self._store_kept(job))
            resumed.append(job)
        for job in self.project.unfinished_jobs():
            if job.id in self._tasks:
                continue
            if job.kind is JobKind.script:  # nothing to resume: it is marked cancelled
                self._settle_script_job(job)
                continue
            self._start(job)
            resumed.append(job)
        return resumed

    def resume(self, job_id: int) -> Job:
        """Poll a failed/cancelled/unknown job again: only when it has a remote id."""
        job = self.project.job(job_id)
        if job.id in self._tasks:
            return job
        if job.kind is JobKind.script:
            raise ProjectError("A script job cannot be resumed: write the script again.")
        if self.spill.has(job.id) or job.id in self._held:
            self._start(job, self._store_kept(job))
            return job
        if job.state.active:
            self._start(job)
            return job
        if not job.remote_id and job.provider != "local":
            raise ProjectError(
                "This job has no remote id to check, so it cannot be resumed: submit it again."
            )
        if job.state is JobState.succeeded:
            return job
        if job.error_kind == INCOMPLETE:
            raise ProjectError(
                "This job's delivered panels are stored; what it is missing was not made. "
                "Generate or redraw those panels as a new job."
            )
        self.project.update_job(job, state=JobState.queued, message="Resuming", error="")
        self._start(job)
        return job

    def cancel(self, job_id: int) -> None:
        task = self._tasks.get(job_id)
        if task is not None:
            task.cancel()
            return
        job = self.project.job(job_id)
        if job.kind is JobKind.script:
            self._settle_script_job(job)
        elif job.state.active:
            self._cancelled(job)

    def running(self) -> list[int]:
        return [jid for jid, t in self._tasks.items() if not t.done()]

    async def wait(self, job_ids: list[int] | None = None) -> None:
        ids = job_ids if job_ids is not None else list(self._tasks)
        tasks = [self._tasks[i] for i in ids if i in self._tasks]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def shutdown(self) -> None:
        """Stop waiting (jobs stay resumable in the file) and close provider clients."""
        self._closing = True
        if self._retry_task is not None:
            self._retry_task.cancel()
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        self.last_chance_keep()
        for provider in self._providers.values():
            with contextlib.suppress(Exception):
                await provider.aclose()

    # ---------------------------------------------------------------- internal
    def _emit(self, job: Job, event: str) -> None:
        for listener in list(self.listeners):
            try:
                listener(job, event)
            except Exception:
                log.exception("job listener failed")

    def _start(self, job: Job, work: Coroutine[Any, Any, None] | None = None) -> None:
        coro = work if work is not None else self._run(job)
        task = asyncio.get_running_loop().create_task(coro, name=f"job-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda t, j=job: self._on_task_done(t, j))

    def _on_task_done(self, task: asyncio.Task[None], job: Job) -> None:
        self._tasks.pop(job.id, None)
        # A task cancelled before it first ran never saw CancelledError inside _run.
        if task.cancelled() and not self._closing:
            self._cancelled(job)

    def _sem(self, provider_id: str) -> asyncio.Semaphore:
        if provider_id not in self._sems:
            self._sems[provider_id] = asyncio.Semaphore(self._limits.get(provider_id, 4))
        return self._sems[provider_id]

    def _update(self, job: Job, **changes: Any) -> None:
        self.project.update_job(job, **changes)
        self._emit(job, "changed")

    async def _run(self, job: Job) -> None:
        try:
            async with self._sem(job.provider):
                await self._run_steps(job)
        except asyncio.CancelledError:
            if not self._closing:  # on shutdown the job stays unfinished and resumes later
                self._cancelled(job, await self._cancel_remote(job))
        except OutcomeUnknown as exc:
            self._finish(job, JobState.unknown, exc)
        except ProviderError as exc:
            self._finish(job, JobState.failed, exc)
        except ProjectWriteError as exc:
            log.error("job %s: %s", job.id, exc)
            self._emit(job, "write_error")
        except Exception as exc:
            log.exception("job %s crashed", job.id)
            self._finish(job, JobState.failed, ProviderError(f"Internal error: {exc}"))

    async def _run_steps(self, job: Job) -> None:
        provider = self.provider(job.provider)
        billable = getattr(provider, "billable", True)
        request = build_request(self.project, job)
        if self._already_stored(job):
            return
        if job.state is JobState.submitting and billable:
            raise OutcomeUnknown(INTERRUPTED_SUBMIT.format(name=provider.name))
        if job.state in (JobState.draft, JobState.submitting):
            sub = await self._submit(job, provider, request)
            self._save(
                job,
                state=JobState.queued,
                remote_id=sub.remote_id,
                handle=sub.handle,
                credits=sub.credits,
                trace_id=sub.trace_id,
                message=sub.message or "Accepted",
            )
        if job.state in (JobState.queued, JobState.unknown, JobState.failed, JobState.cancelled):
            self._save(job, state=JobState.running, message="Waiting for the provider")
        sub = Submission(remote_id=job.remote_id, handle=job.handle, credits=job.credits)
        result = await provider.wait(sub, request, self._progress(job), self._saver(job))
        self._save(job, state=JobState.downloading, message="Storing the result")
        await self._store(job, request, result)

    async def _submit(self, job: Job, provider: Provider, request: GenerationRequest) -> Submission:
        """Submit; the job turns ``submitting`` only as the billable request leaves.

        Until then (reference uploads, status reads) a crash leaves the job a ``draft``
        that resumes by preparing again, instead of an ``unknown`` that nothing was sent for.
        """

        def sending() -> None:
            if job.state is JobState.draft:
                self._update(job, state=JobState.submitting, message="Sending request")

        async def send() -> Submission:
            token = BEFORE_BILLABLE.set(sending)
            try:
                return await provider.submit(request)
            finally:
                BEFORE_BILLABLE.reset(token)

        def refused(wait: float) -> None:
            # Nothing was taken: the job waits as a draft (a restart sends it again).
            self._update(job, state=JobState.draft, message=waiting_message(wait))

        sub = await resend_on_429(send, refused, getattr(provider, "resend", None) or self.resend)
        sending()  # providers that never call out (the offline renderer) pass here
        return sub

    def _progress(self, job: Job) -> Callable[[Progress], None]:
        def report(p: Progress) -> None:
            state = JobState.downloading if p.state == "downloading" else JobState.running
            if (job.state, job.progress, job.message) == (state, p.fraction, p.message):
                return  # an idle poll: nothing to write or show
            try:
                self._save(job, state=state, progress=p.fraction, message=p.message)
            except ProjectError as exc:
                log.warning("job %s progress not saved: %s", job.id, exc)

        return report

    def _saver(self, job: Job) -> Callable[[dict[str, Any]], Any]:
        async def save(handle: dict[str, Any]) -> None:
            self._save(job, handle=handle)

        return save

    def _finish(self, job: Job, state: JobState, exc: ProviderError) -> None:
        error = exc.user_message()
        if state is JobState.failed and job.remote_id and exc.kind in _CAN_ASK_AGAIN:
            error = f"{error} {PAID_AND_KEPT}"
        try:
            self.project.update_job(
                job,
                state=state,
                error=error,
                error_kind=exc.kind,
                message=exc.message,
                trace_id=exc.trace_id or job.trace_id,
            )
        except ProjectError as write_exc:
            log.error("job %s: could not record %s: %s", job.id, state.value, write_exc)
        self._emit(job, "changed")
        self._emit(job, "finished")

    async def _cancel_remote(self, job: Job) -> str:
        """Ask a provider that can cancel (ComfyUI) to drop the job's queued work; a note."""
        provider = self.provider(job.provider)
        cancel = getattr(provider, "cancel_remote", None)
        if cancel is None or not provider.capabilities.cancel or not job.handle:
            return ""
        try:
            return str(await asyncio.wait_for(cancel(job.handle), 15) or "")
        except (ProviderError, TimeoutError) as exc:
            log.warning("job %s: the provider-side cancel failed: %s", job.id, exc)
            return "The provider could not be told to stop; its queue may still hold the job."

    def _cancelled(self, job: Job, remote_note: str = "") -> None:
        fresh = self.project.job(job.id)
        if fresh.state.terminal:
            return
        provider = self.provider(job.provider)
        if fresh.remote_id and getattr(provider, "billable", True):
            note = CANCEL_NOTE.format(name=provider.name)
        elif fresh.state is JobState.submitting and getattr(provider, "billable", True):
            note = INTERRUPTED_SUBMIT.format(name=provider.name)
        else:
            note = "Cancelled; nothing was billed."
        if remote_note:
            note = f"{note} {remote_note}"
        self.project.update_job(job, state=JobState.cancelled, message=note, error_kind="cancelled")
        self._emit(job, "changed")
        self._emit(job, "finished")
