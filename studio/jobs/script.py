"""Script jobs: writing the script from the story (offline, or a language model) as a job.

A script job has no provider and no remote id: its provider column says which writer
("llm" or "offline"), its work runs on the event loop (HTTP awaits, CPU work in threads),
and its result replaces the project's script through ``apply``. Cancelling stops it at
once and changes nothing; a script job interrupted by a quit is not resumed (it is marked
cancelled: nothing was changed, write again).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol

from studio.core.models import Job, JobKind, JobState, Script
from studio.core.validation import ValidationError
from studio.storage import Project, ProjectError
from studio.story.llm import LlmWriter, WriterError, Written, offline_script

log = logging.getLogger("studio.jobs")
INTERRUPTED = "The studio stopped while this script was being written; nothing was changed."
Apply = Callable[[Written], None]
_closing: set[asyncio.Task[None]] = set()  # writers' clients being closed (held, not lost)


class _Host(Protocol):
    project: Project
    _tasks: dict[int, asyncio.Task[None]]

    def _emit(self, job: Job, event: str) -> None: ...


def store_written(project: Project, written: Written) -> None:
    """The default ``apply``: replace the script (panels with versions keep them)."""
    project.set_script(written.script)
    # A model's script is a written script (providers get it as directions); the offline
    # fallback is a derivation like "Derive from story".
    project.set_script_edited(written.writer == "llm")
    project.set_meta("script_writer", written.writer)


class ScriptJobs:
    """Mixed into JobManager: ``write_script`` and the handling of interrupted script jobs."""

    def write_script(
        self: _Host,
        writer: LlmWriter | None,
        *,
        pages: int | None = None,
        panels_per_page: int | None = None,
        apply: Apply | None = None,
    ) -> Job:
        """Start a script job: ``writer`` None writes offline. Returns the job at once."""
        story = self.project.story
        pages = pages or story.layout.pages
        per_page = panels_per_page or story.layout.panels_per_page
        asked: dict[str, Any] = {"pages": pages, "panels_per_page": per_page}
        if writer is not None:  # where it went, never the key
            asked |= {"base_url": writer.config.base_url, "model": writer.config.model}
        job = self.project.create_job("llm" if writer else "offline", JobKind.script, asked)
        self._emit(job, "changed")
        work = _run(self, job, writer, pages, per_page, apply)
        task = asyncio.get_running_loop().create_task(work, name=f"job-{job.id}")
        self._tasks[job.id] = task
        task.add_done_callback(lambda t, j=job: _done(self, t, j, writer))
        return job

    def _settle_script_job(self: _Host, job: Job) -> None:
        """An unfinished script job found on start-up: it cannot resume, say so."""
        if job.state.active:
            _record(self, job, JobState.cancelled, message=INTERRUPTED, kind="cancelled")


def _record(host: _Host, job: Job, state: JobState, **fields: Any) -> None:
    kind = fields.pop("kind", "")
    try:
        host.project.update_job(job, state=state, error_kind=kind, **fields)
    except ProjectError as exc:
        log.error("job %s: could not record %s: %s", job.id, state.value, exc)
    host._emit(job, "changed")
    if state.terminal:
        host._emit(job, "finished")


async def _run(
    host: _Host,
    job: Job,
    writer: LlmWriter | None,
    pages: int,
    per_page: int,
    apply: Apply | None,
) -> None:
    project = host.project

    def report(fraction: float | None, message: str) -> None:
        if job.state is JobState.running and (job.progress, job.message) == (fraction, message):
            return
        _record(host, job, JobState.running, progress=fraction, message=message)

    try:
        _record(host, job, JobState.submitting, message="Starting")
        report(0.0, "Writing the script")
        story, cast, locations = project.story, project.characters(), project.locations()
        if writer is None:
            script: Script = await asyncio.to_thread(
                offline_script, story, cast, locations, pages, per_page
            )
            written = Written(script, "offline", "Written offline from the story.")
        else:
            written = await writer.write(
                story, cast, locations, pages=pages, panels_per_page=per_page, report=report
            )
        _record(host, job, JobState.downloading, progress=0.99, message="Storing the script")
        (apply or (lambda w: store_written(project, w)))(written)
        _record(host, job, JobState.succeeded, progress=1.0, message=written.message)
    except asyncio.CancelledError:
        _record(host, job, JobState.cancelled, message="Cancelled; the script was not changed.",
                kind="cancelled")  # fmt: skip
    except ValidationError as exc:
        _record(host, job, JobState.failed, error=str(exc), message=str(exc), kind="validation")
    except WriterError as exc:
        text = exc.user_message()
        _record(host, job, JobState.failed, error=text, message=exc.message, kind=exc.kind,
                trace_id=exc.trace_id)  # fmt: skip
    except Exception as exc:  # a crash must end the job, not leave it running forever
        log.exception("script job %s crashed", job.id)
        _record(host, job, JobState.failed, error=f"Internal error: {exc}", kind="failed")
    finally:
        if writer is not None:
            await writer.aclose()


def _done(host: _Host, task: asyncio.Task[None], job: Job, writer: LlmWriter | None) -> None:
    host._tasks.pop(job.id, None)
    if task.cancelled():  # cancelled before it first ran: _run never saw it
        _record(host, job, JobState.cancelled, message="Cancelled; the script was not changed.",
                kind="cancelled")  # fmt: skip
        if writer is not None:
            closing = asyncio.get_running_loop().create_task(writer.aclose())
            _closing.add(closing)
            closing.add_done_callback(_closing.discard)
