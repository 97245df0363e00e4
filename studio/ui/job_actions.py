"""Starting, following and ending jobs from the window: validation, cost, notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from studio.core.models import Job, JobKind, JobState
from studio.core.validation import validate_story
from studio.providers import registry
from studio.ui.messages import job_summary
from studio.ui.notify import show_error
from studio.ui.session import Session

if TYPE_CHECKING:
    from studio.ui.job_monitor import JobMonitor
    from studio.ui.notify import Toast
    from studio.ui.workspace import Workspace


class JobHost(Protocol):
    """The window the job verbs act on (and the parent of their dialogs); they are given it
    and never import it."""

    jobs: JobMonitor
    toast: Toast

    @property
    def workspace(self) -> Workspace: ...
    def statusBar(self) -> QStatusBar: ...
    def show_jobs(self) -> None: ...
    def on_jobs_idle(self) -> None: ...


class JobActions(QObject):
    """The window's job verbs. Every error becomes a message; nothing blocks the loop."""

    def __init__(self, window: JobHost) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self._w = window
        self._session: Session | None = None
        self._panels: dict[int, list[int]] = {}  # job id → panels shown as busy

    def set_session(self, session: Session | None) -> None:
        self._session = session
        self._panels.clear()
        if session is not None:
            session.bridge.job_changed.connect(self._on_job_changed)
            session.bridge.job_finished.connect(self._on_job_finished)
            session.bridge.write_error.connect(self._on_write_error)

    # ------------------------------------------------------------------ verbs
    def generate(self) -> Job | None:
        session = self._session
        if session is None:
            return None
        story = session.story()
        try:
            validate_story(story)
        except ValueError as exc:
            self._w.workspace.story_editor.show_error(str(exc))
            self._w.workspace.tabs.setCurrentIndex(0)
            return None
        if not self._confirm_cost(story.provider, "generate the comic"):
            return None
        return self._submit(session.generate, "Generating")

    def redraw(self, page: int, panel: int, asked: dict) -> Job | None:
        session = self._session
        if session is None:
            return None
        provider = session.project.story.provider
        if not self._confirm_cost(provider, "redraw this panel"):
            return None
        return self._submit(lambda: session.redraw(page, panel, **asked), "Redrawing")

    def continue_story(self) -> Job | None:
        session = self._session
        if session is None:
            return None
        try:
            from studio.ui.dialogs.continue_dialog import ContinueDialog
        except ImportError as exc:
            show_error(self._w, exc)
            return None
        dialog = ContinueDialog(self._w, session.story())
        if not dialog.exec():
            return None
        prompt, pages, per_page, paginated = dialog.values()
        return self.continue_with(prompt, pages, per_page, paginated)

    def continue_with(self, prompt: str, pages: int, per_page: int, paginated: bool) -> Job | None:
        session = self._session
        if session is None:
            return None
        if not self._confirm_cost(session.project.story.provider, "continue the story"):
            return None
        return self._submit(
            lambda: session.continue_story(prompt, pages, per_page, paginated), "Continuing"
        )

    def animate(self, page: int, panel: int) -> Job | None:
        session = self._session
        if session is None:
            return None
        if not self._confirm_cost(session.project.story.provider, "animate this panel"):
            return None
        return self._submit(lambda: session.animate(page, panel), "Animating")

    def cancel(self, job_id: int) -> None:
        if self._session is not None:
            self._session.cancel(job_id)

    def retry(self, job_id: int) -> Job | None:
        session = self._session
        if session is None:
            return None
        if session.retry_bills_again(job_id):
            answer = QMessageBox.question(
                self._w,
                "Submit again?",
                "This job has no remote id to check, so retrying sends a new request that the "
                "provider will bill again. Submit it again?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        return self._submit(lambda: session.retry(job_id), "Retrying")

    def show_panels(self, job_id: int) -> None:
        if self._session is None:
            return
        ids = self._session.job_panels(self._session.project.job(job_id))
        model = self._w.workspace.model
        for pid in ids:
            idx = model.index_of(pid)
            if idx.isValid():
                self._w.workspace.select_panel(idx.row(), idx.column())
                return
        self._w.statusBar().showMessage("This job has no panels in the book yet.", 4000)

    # ------------------------------------------------------------- internals
    def _submit(self, start: Callable[[], Job], verb: str) -> Job | None:
        try:
            job = start()
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message
            show_error(self._w, exc)
            return None
        self._w.statusBar().showMessage(f"{verb}: job #{job.id} queued with {job.provider}.", 5000)
        self._w.jobs.model.upsert(job)
        self._w.show_jobs()
        return job

    def _confirm_cost(self, provider_id: str, what: str) -> bool:
        try:
            info = registry.info(provider_id)
        except ValueError as exc:
            show_error(self._w, exc)
            return False
        caps = info.capabilities
        if not caps.needs_key:
            return True
        note = caps.price_note or "the provider bills per request"
        answer = QMessageBox.question(
            self._w,
            "Send a billable request?",
            f"This will ask {info.name} to {what}.\n\nCost: {note}.\n\nContinue?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_job_changed(self, job: Job) -> None:
        self._w.jobs.model.upsert(job)
        if self._session is None:
            return
        model = self._w.workspace.model
        if job.state.active:
            if job.id not in self._panels:
                self._panels[job.id] = self._session.job_panels(job)
            progress = job.progress if job.progress is not None else -1.0
            model.set_job_progress(self._panels[job.id], progress)
        elif job.id in self._panels:
            model.set_job_progress(self._panels.pop(job.id), None)

    def _on_job_finished(self, job: Job) -> None:
        self._on_job_changed(job)
        text = job_summary(job)
        error = job.state in (JobState.failed, JobState.unknown)
        if not self._w.toast.docked:  # a docked notice is in the status bar already
            self._w.statusBar().showMessage(text, 8000)
        self._w.toast.show_message(text, error=error, msec=8000 if error else 5000)
        if job.state is JobState.succeeded and job.kind is JobKind.continue_:
            self._w.workspace.reload_book()
        if self._session is not None and not set(self._session.active_jobs()) - {job.id}:
            self._w.on_jobs_idle()

    def _on_write_error(self, job: Job) -> None:
        """Once per job: the project file refused a write. Say why, where the result is kept
        and that the studio retries; the jobs list shows "Waiting to save" until it is in."""
        self._w.jobs.model.upsert(job)
        manager = self._session.manager if self._session is not None else None
        if manager is not None and job.id in manager.kept:
            every = f"{manager.retry_interval:g} s"
            text = (
                f"Job #{job.id}: {job.error}\n\nThe studio tries again every {every} and "
                "when the project is reopened."
            )
            status = f"Job #{job.id} is waiting to save; retrying every {every}."
        else:
            text = (
                f"Job #{job.id}: the project file could not be written "
                f"({job.error or 'write failed'}). Free disk space or check that the file is "
                "writable; the job keeps running and its result is kept until it can be saved."
            )
            status = f"Job #{job.id}: the project file could not be written."
        self._w.statusBar().showMessage(status)
        self._w.toast.show_message(text, error=True, msec=12000)


def confirm_jobs_stop(parent: QWidget, verb: str, running: int) -> bool:
    """Ask before ``verb`` (close, quit) stops waiting for ``running`` jobs."""
    answer = QMessageBox.question(
        parent,
        f"{verb} while jobs run?",
        f"{running} job{'s are' if running != 1 else ' is'} still running. The studio stops "
        "waiting now and resumes them the next time you open this project; nothing is lost "
        f"or sent again.\n\n{verb} anyway?",
    )
    return answer == QMessageBox.StandardButton.Yes
