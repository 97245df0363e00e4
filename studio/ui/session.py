"""One open project and its services: job manager, Qt bridge, undo stack, change signals."""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from studio.core.models import Job, JobKind, Story
from studio.jobs import JobManager
from studio.providers.base import Provider
from studio.storage import Project, ProjectWriteError
from studio.ui.bridge import JobBridge
from studio.ui.tasks import TaskRunner

log = logging.getLogger("studio.ui")


class Session(QObject):
    """What the widgets of an open project talk to. Slots call these methods, never asyncio."""

    story_changed = Signal()
    script_changed = Signal()  # panel texts or the page/panel structure changed
    cast_changed = Signal()
    panels_changed = Signal(list)  # panel ids whose versions changed
    panel_texts_changed = Signal(list)  # panel ids whose script text changed (a redraw)
    book_changed = Signal()  # pages were added or removed
    notice = Signal(str)  # something the user should know ("Your story was spread over…")

    def __init__(
        self,
        project: Project,
        runner: TaskRunner,
        providers: Callable[[str], Provider],
        *,
        concurrency: dict[str, int] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.runner = runner
        self.manager = JobManager(project, providers, concurrency=concurrency)
        self.bridge = JobBridge(self.manager, self)
        self.undo = QUndoStack(self)
        self._page_count = project.page_count()
        self.bridge.result_stored.connect(self._on_bridge_stored)
        self._derive_missing_shots()

    # ------------------------------------------------------------------ facts
    @property
    def name(self) -> str:
        return self.project.path.stem

    def story(self) -> Story:
        return copy.deepcopy(self.project.story)

    def active_jobs(self) -> list[int]:
        return self.manager.running()

    # ---------------------------------------------------------------- actions
    def start(self) -> list[Job]:
        """Resume the jobs left unfinished when the studio last closed."""
        return self.manager.resume_all()

    def generate(self) -> Job:
        from studio.jobs import actions

        had_panels = self.project.panel_count()
        notices: list[str] = []
        job = actions.generate(self.manager, notices=notices)
        for text in notices:
            self.notice.emit(text)
        if notices:
            self.notify_cast()
        if not had_panels and self.project.panel_count():
            self._notify_structure()
        return job

    def redraw(self, page: int, panel: int, **asked: Any) -> Job:
        from studio.jobs import actions

        return actions.redraw(self.manager, page, panel, **asked)

    def continue_story(self, prompt: str, pages: int, panels_per_page: int, paginated: bool) -> Job:
        from studio.jobs import actions

        return actions.continue_story(
            self.manager,
            prompt,
            pages=pages,
            panels_per_page=panels_per_page,
            paginated=paginated,
        )

    def animate(self, page: int, panel: int) -> Job:
        from studio.jobs import actions

        return actions.animate(self.manager, page, panel)

    def write_script(self, with_llm: bool, apply: Callable[[Any], None] | None = None) -> Job:
        """Write the script from the story as a job: offline, or with the configured language
        model. ``apply(written)`` puts the result in (the Script tab: one undo step); by
        default it replaces the script. Raises ValueError when no language model is
        configured (the Script tab disables the choice then)."""
        from studio.jobs.script import store_written

        writer = None
        if with_llm:
            from studio.settings import load_settings
            from studio.story.llm import LlmWriter, resolve_config

            config = resolve_config(settings=load_settings())
            if config is None:
                raise ValueError("No language model is configured (Settings → Script writer).")
            writer = LlmWriter(config)

        def store(written: Any) -> None:
            store_written(self.project, written)
            self.notify_script()

        return self.manager.write_script(writer, apply=apply or store)

    def retry(self, job_id: int) -> Job:
        """Poll a job again when possible; else resubmit the same request (billed again)."""
        job = self.project.job(job_id)
        if job.kind is JobKind.script:
            return self.write_script(job.provider == "llm")
        if job.remote_id or job.provider == "local":
            return self.manager.resume(job_id)
        return self.manager.submit(
            job.provider,
            job.kind,
            job.request,
            target_page=job.target_page,
            target_panel=job.target_panel,
        )

    def retry_bills_again(self, job_id: int) -> bool:
        job = self.project.job(job_id)
        if job.kind is JobKind.script:
            return False
        if job.remote_id or job.provider == "local":
            return False
        return bool(getattr(self.manager.provider(job.provider), "billable", True))

    def cancel(self, job_id: int) -> None:
        self.manager.cancel(job_id)
        self.runner.spawn(self._settle_cancel(job_id), name=f"settle-cancel-{job_id}")

    async def _settle_cancel(self, job_id: int) -> None:
        """A task cancelled before its first step never records "cancelled": record it."""
        for _ in range(200):
            await asyncio.sleep(0.01)
            if not self.project.job(job_id).state.active:
                return
            if job_id not in self.manager.running():
                self.manager.cancel(job_id)

    def job_panels(self, job: Job) -> list[int]:
        """Ids of the panels a job drew or is drawing."""
        if job.id in self.manager.changed_panels:
            return list(self.manager.changed_panels[job.id])
        if job.target_page is not None and job.target_panel is not None:
            try:
                return [self.project.panel_at(job.target_page, job.target_panel).id]
            except Exception:  # noqa: BLE001 - the panel may be gone
                return []
        if job.kind is JobKind.create:
            return [p.id for page in self.project.pages() for p in page.panels]
        return []

    async def close(self) -> None:
        """Stop waiting for jobs (they stay resumable), then close the project file."""
        await self.manager.shutdown()
        self.bridge.detach()
        self.project.close()

    # ---------------------------------------------------- change notification
    def notify_story(self) -> None:
        self.story_changed.emit()

    def notify_script(self, panel_ids: list[int] | None = None) -> None:
        """The script, a page's template, panel order or the book format changed, for
        ``panel_ids`` (None: anywhere in the book).

        Lettering of those panels that is still all automatic is dropped so it is placed
        afresh for the new text and frames; lettering a person edited is kept as it is.
        """
        try:
            self.project.forget_auto_lettering(panel_ids)
        except ProjectWriteError as exc:
            log.warning("automatic lettering not refreshed: %s", exc)
        self.refresh_shots()
        self._notify_structure()

    def _derive_missing_shots(self) -> None:
        """An old file's shots are derived off the UI thread (800 panels: ~150 ms); the
        views hear ``script_changed`` once they are stored."""
        from studio.story import ensure_shots
        from studio.ui.dialogs.common import guarded

        if not self.project.panels_without_shot():
            return

        def derive() -> int:
            try:
                return ensure_shots(self.project)
            except ProjectWriteError as exc:  # read-only: shots are derived when shown
                log.warning("shots not stored: %s", exc)
                return 0

        self.runner.run_in_thread(
            derive,
            on_done=guarded(self, lambda n: self.script_changed.emit() if n else None),
            name="derive-shots",
        )

    def refresh_shots(self) -> None:
        """Derive the shots of panels that have none (an old file, a changed text)."""
        from studio.story import ensure_shots

        try:
            if self.project.panels_without_shot():
                ensure_shots(self.project)
        except ProjectWriteError as exc:  # read-only: shots are derived when shown
            log.warning("shots not stored: %s", exc)

    def notify_cast(self) -> None:
        self.cast_changed.emit()

    def notify_panels(self, panel_ids: list[int]) -> None:
        self.panels_changed.emit(panel_ids)

    def _notify_structure(self) -> None:
        self.script_changed.emit()
        self._page_count = self.project.page_count()
        self.book_changed.emit()

    def _on_bridge_stored(self, job: Job, panel_ids: list[int]) -> None:
        count = self.project.page_count()
        if count != self._page_count or job.kind in (JobKind.continue_, JobKind.create):
            self._page_count = count
            self.book_changed.emit()
            self.script_changed.emit()
        elif job.kind is JobKind.redraw:
            self.panel_texts_changed.emit(panel_ids)
        self.panels_changed.emit(panel_ids)
