"""Storing a finished job's result — or keeping it outside the project file when the file
cannot be written (disk full, read-only, locked) and storing it later. Mixed into
JobManager; see studio/jobs/spill.py for where kept results live."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from studio.core.models import Job, JobState
from studio.jobs.apply import apply_result
from studio.jobs.requests import build_request
from studio.jobs.spill import Spill, SpillError
from studio.providers.base import GenerationRequest, GenerationResult
from studio.storage import Project, ProjectError, ProjectWriteError

log = logging.getLogger("studio.jobs")

SUBMISSION_FIELDS = ("remote_id", "handle", "credits", "trace_id")
INCOMPLETE = "incomplete"  # error_kind of a job that stored part of its work
WAITING = "Waiting to save: the result is kept outside the project file"


class KeepResults:
    """The JobManager part that never drops a result because the file could not take it."""

    project: Project
    spill: Spill
    kept: dict[int, Path | None]
    retry_interval: float
    changed_panels: dict[int, list[int]]
    _tasks: dict[int, asyncio.Task[None]]
    _held: dict[int, tuple[GenerationResult, str]]
    _unsaved: dict[int, dict[str, Any]]
    _warned: set[int]
    _retry_task: asyncio.Task[None] | None
    _closing: bool
    # provided by JobManager
    _emit: Callable[[Job, str], None]
    _start: Callable[[Job, Coroutine[Any, Any, None] | None], None]

    def _save(self, job: Job, **changes: Any) -> None:
        """Like _update once the provider has our request: a failed write must not stop the
        job (the result is on its way and paid for). Fields the file lacks are retried with
        the next write and kept with the result."""
        pending = self._unsaved.get(job.id, {})
        try:
            self.project.update_job(job, **{**pending, **changes})
        except ProjectWriteError as exc:
            log.warning("job %s: state not saved: %s", job.id, exc)
            for key, value in changes.items():
                setattr(job, key, value)
            self._unsaved[job.id] = {
                **pending,
                **{k: v for k, v in changes.items() if k in SUBMISSION_FIELDS},
            }
            self._warn(job, str(exc))
        else:
            self._unsaved.pop(job.id, None)
        self._emit(job, "changed")

    def _warn(self, job: Job, reason: str) -> None:
        job.error_kind = "write_error"
        if not job.error:
            job.error = reason
        if job.id not in self._warned:
            self._warned.add(job.id)
            self._emit(job, "write_error")

    async def _store(self, job: Job, request: GenerationRequest, result: GenerationResult) -> None:
        """Write the result into the file (one transaction, off the UI thread), or keep it."""
        try:
            changed = await asyncio.to_thread(apply_result, self.project, job, request, result)
        except ProjectWriteError as exc:
            await self._keep(job, result, str(exc))
            return
        self.spill.discard(job.id)  # only now: the commit above succeeded
        self._held.pop(job.id, None)
        self.kept.pop(job.id, None)
        credits = result.credits if result.credits is not None else job.credits
        self.changed_panels[job.id] = changed
        if result.missing:
            self._incomplete(job, credits, result.missing)
            return
        self._succeeded(job, credits, result.message or f"Done: {len(changed)} panel(s)")

    def _incomplete(self, job: Job, credits: float | None, missing: str) -> None:
        """Part of the work arrived (and is stored), part failed or is unknown: the job
        ends ``failed``, saying what is missing. Resuming it never fetches it again."""
        if job.state not in (JobState.running, JobState.downloading):
            self._save(job, state=JobState.running)
        self._save(
            job,
            state=JobState.failed,
            credits=credits,
            message=missing,
            error=missing,
            error_kind=INCOMPLETE,
        )
        self._emit(job, "stored")
        self._emit(job, "finished")

    def _succeeded(self, job: Job, credits: float | None, message: str) -> None:
        """Record success once the result is in the file. Should this write fail, the next
        start sees the job's versions in the file and records it then (never re-fetched)."""
        if job.state is JobState.draft:
            self._save(job, state=JobState.submitting)
        if job.state not in (JobState.running, JobState.downloading, JobState.queued):
            self._save(job, state=JobState.running)
        self._save(
            job,
            state=JobState.succeeded,
            progress=1.0,
            credits=credits,
            message=message,
            error="",
            error_kind="",
        )
        self._emit(job, "stored")
        self._emit(job, "finished")

    def _already_stored(self, job: Job) -> bool:
        """The job's result reached the file before the studio stopped: just record it."""
        if job.state is JobState.succeeded or not self.project.job_has_results(job.id):
            return False
        if job.error_kind == INCOMPLETE:
            return True  # its delivered part is stored; what is missing is drawn anew
        self.spill.discard(job.id)
        self._succeeded(job, job.credits, "Done (stored before the studio stopped)")
        return True

    async def _keep(self, job: Job, result: GenerationResult, reason: str) -> None:
        fields = {k: getattr(job, k) for k in SUBMISSION_FIELDS}
        try:
            where: Path | None = await asyncio.to_thread(
                self.spill.save, job.id, result, reason, fields
            )
        except SpillError as exc:
            log.error("job %s: result kept in memory only: %s", job.id, exc)
            self._held[job.id] = (result, reason)
            where = None
        self.kept[job.id] = where
        job.message = WAITING
        place = f"in {where}" if where else "in memory only (the spill folder is not writable)"
        job.error = (
            f"Waiting to save: {reason.rstrip('.')}. The result is kept {place} and is written "
            "into the project as soon as the file is writable again."
        )
        log.error("job %s: %s", job.id, job.error)
        self._warn(job, job.error)
        self._emit(job, "changed")
        self._ensure_retry()

    async def _store_kept(self, job: Job) -> None:
        """Store a result kept earlier (spill folder or memory) without polling again."""
        try:
            await self._store_kept_steps(job)
        except Exception as exc:  # the kept result stays where it is, whatever went wrong
            log.exception("job %s: storing the kept result failed", job.id)
            self._warn(job, f"Storing the kept result failed: {exc}")
            self._emit(job, "changed")

    async def _store_kept_steps(self, job: Job) -> None:
        if job.state is JobState.succeeded:  # stored before the spill could be deleted
            self.spill.discard(job.id)
            return
        if self._already_stored(job):
            return
        held = self._held.get(job.id)
        if held is not None:
            result, fields = held[0], {}
        else:
            try:
                result, fields = await asyncio.to_thread(self.spill.load, job.id)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                job.error = f"The result kept in {self.spill.job_dir(job.id)} is unreadable: {exc}"
                self._warn(job, job.error)
                self._emit(job, "changed")
                return
        for key, value in fields.items():
            if key in SUBMISSION_FIELDS and value and not getattr(job, key):
                setattr(job, key, value)
                self._unsaved.setdefault(job.id, {})[key] = value
        await self._store(job, build_request(self.project, job), result)

    def _ensure_retry(self) -> None:
        if self._closing or (self._retry_task is not None and not self._retry_task.done()):
            return
        loop = asyncio.get_running_loop()
        self._retry_task = loop.create_task(self._retry_kept(), name="retry-kept-results")

    async def _retry_kept(self) -> None:
        """While results wait for the file, try to store them every ``retry_interval`` s."""
        while not self._closing:
            await asyncio.sleep(self.retry_interval)
            if not self.spill.pending() and not self._held:
                return
            self.retry_kept()

    def retry_kept(self) -> list[int]:
        """Try now to store every kept result (e.g. after the user freed space)."""
        started = []
        for job_id in sorted((set(self.spill.pending()) | set(self._held)) - set(self._tasks)):
            try:
                job = self.project.job(job_id)
            except ProjectError:
                continue
            self._start(job, self._store_kept(job))
            started.append(job_id)
        return started

    def last_chance_keep(self) -> None:
        """On shutdown: results only held in memory get one more try at the spill folder."""
        for job_id, (result, reason) in list(self._held.items()):
            fields = self._unsaved.get(job_id, {})
            try:
                self.spill.save(job_id, result, reason, fields)
            except SpillError as exc:
                rescued = self._rescue(job_id, result, reason, fields)
                if rescued is None:
                    log.critical("job %s: its result could be kept nowhere: %s", job_id, exc)
                    continue
                log.critical(
                    "job %s: the spill folder failed (%s); its result was written to %s "
                    "(the images and result.json): store it by hand",
                    job_id,
                    exc,
                    rescued,
                )
            del self._held[job_id]

    def _rescue(
        self, job_id: int, result: GenerationResult, reason: str, fields: dict[str, Any]
    ) -> Path | None:
        """Last resort at exit: a folder beside the project file, else the temp folder."""
        import tempfile

        name = self.spill.project_path.stem
        for base in (self.spill.project_path.parent, Path(tempfile.gettempdir())):
            rescue = Spill(self.spill.project_path)
            rescue.dir = base / f"{name}.rescued-results"
            try:
                return rescue.save(job_id, result, reason, fields)
            except SpillError:
                continue
        return None
