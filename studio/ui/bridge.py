"""The one QObject that forwards JobManager events to the views as Qt signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from studio.core.models import Job
from studio.jobs import JobManager


class JobBridge(QObject):
    job_changed = Signal(object)  # Job
    job_finished = Signal(object)  # Job
    result_stored = Signal(object, list)  # Job, changed panel ids
    write_error = Signal(object)  # Job

    def __init__(self, manager: JobManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        manager.listeners.append(self._on_event)

    def detach(self) -> None:
        if self._on_event in self.manager.listeners:
            self.manager.listeners.remove(self._on_event)

    def _on_event(self, job: Job, event: str) -> None:
        if event == "changed":
            self.job_changed.emit(job)
        elif event == "finished":
            self.job_finished.emit(job)
        elif event == "stored":
            self.result_stored.emit(job, self.manager.changed_panels.get(job.id, []))
        elif event == "write_error":
            self.write_error.emit(job)
