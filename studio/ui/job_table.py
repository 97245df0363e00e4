"""The job table of the monitor: one row per job (provider, kind, state, progress, time,
cost, the provider's job id, message) and the progress bar delegate."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from studio.core.models import Job, JobState

COLUMNS = (
    "Job",
    "Provider",
    "Kind",
    "State",
    "Progress",
    "Elapsed",
    "Cost",
    "Provider job",
    "Message",
)
UNKNOWN_HELP = (
    "The provider may have accepted this request, and may bill it, but the studio could not "
    "tell. Check the provider's dashboard or Comic ▸ Provider history before retrying: "
    "Retry sends a new, billable request. A result found there can be imported without one."
)
JobRoleId = Qt.ItemDataRole.UserRole + 1
_STATE_COLOURS = {
    JobState.succeeded: QColor(60, 160, 90),
    JobState.failed: QColor(210, 70, 60),
    JobState.unknown: QColor(220, 150, 40),
    JobState.cancelled: QColor(140, 140, 140),
}
Index = QModelIndex | QPersistentModelIndex


def explain(job: Job) -> str:
    """What the job's state means to the person, and what they can do."""
    text = job.error or job.message
    if job.state is JobState.unknown:
        return f"{text}\n\n{UNKNOWN_HELP}" if text else UNKNOWN_HELP
    return text


def elapsed_text(job: Job, now: float) -> str:
    end = now if job.state.active else job.updated_at
    seconds = max(0, int(end - job.created_at))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else f"{seconds // 3600} h"


class JobTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._jobs: list[Job] = []
        self._rows: dict[int, int] = {}

    def set_jobs(self, jobs: list[Job]) -> None:
        self.beginResetModel()
        self._jobs = list(reversed(jobs))  # newest first
        self._rows = {j.id: r for r, j in enumerate(self._jobs)}
        self.endResetModel()

    def upsert(self, job: Job) -> None:
        row = self._rows.get(job.id)
        if row is None:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self._jobs.insert(0, job)
            self._rows = {j.id: r for r, j in enumerate(self._jobs)}
            self.endInsertRows()
            return
        self._jobs[row] = job
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def job(self, row: int) -> Job | None:
        return self._jobs[row] if 0 <= row < len(self._jobs) else None

    def row_of(self, job_id: int) -> int:
        return self._rows.get(job_id, -1)

    def jobs(self) -> list[Job]:
        return list(self._jobs)

    def tick(self) -> None:
        """Refresh the elapsed time (and the busy bars) of running jobs."""
        first, last = COLUMNS.index("Progress"), COLUMNS.index("Elapsed")
        for row, job in enumerate(self._jobs):
            if job.state.active:
                self.dataChanged.emit(self.index(row, first), self.index(row, last))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        job = self.job(index.row())
        if job is None:
            return None
        column = COLUMNS[index.column()]
        if role == JobRoleId:
            return job.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(job, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("Message", "State"):
            return explain(job)
        if role == Qt.ItemDataRole.ForegroundRole and column == "State":
            return _STATE_COLOURS.get(job.state)
        if role == Qt.ItemDataRole.UserRole and column == "Progress":
            return job
        return None

    @staticmethod
    def _text(job: Job, column: str) -> str:
        match column:
            case "Job":
                return f"#{job.id}"
            case "Provider":
                return job.provider
            case "Kind":
                return job.kind.value
            case "State":
                return job.state.value
            case "Progress":
                return "" if job.progress is None else f"{int(job.progress * 100)}%"
            case "Elapsed":
                return elapsed_text(job, time.time())
            case "Cost":
                return "" if job.credits is None else f"{job.credits:g}"
            case "Provider job":
                return job.remote_id or ""
            case _:
                if job.state is JobState.unknown:
                    return f"Unknown outcome: check before retrying. {job.message}"[:200]
                return (job.error if job.state is JobState.failed and job.error else job.message)[
                    :200
                ]


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        job: Job | None = index.data(Qt.ItemDataRole.UserRole)
        if job is None:
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 5, -4, -5)  # type: ignore[attr-defined]
        bar.minimum, bar.maximum = 0, 100
        if job.state is JobState.succeeded:
            bar.progress = 100
        elif job.progress is None and job.state.active:
            bar.minimum = bar.maximum = 0  # busy indicator: the provider reports no progress
            bar.progress = 0
        else:
            bar.progress = int((job.progress or 0) * 100)
        if bar.maximum == 0:
            bar.text = f"working · {elapsed_text(job, time.time())}"
        else:
            bar.text = f"{bar.progress}%"
        bar.textVisible = True
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        QApplication.style().drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)
