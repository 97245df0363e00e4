"""Every job of the open project: state, progress, time, credits; cancel, retry, show panels."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Job, JobState
from studio.ui.icons import icon

COLUMNS = ("Job", "Provider", "Kind", "State", "Progress", "Elapsed", "Credits", "Message")
JobRoleId = Qt.ItemDataRole.UserRole + 1
_STATE_COLOURS = {
    JobState.succeeded: QColor(60, 160, 90),
    JobState.failed: QColor(210, 70, 60),
    JobState.unknown: QColor(220, 150, 40),
    JobState.cancelled: QColor(140, 140, 140),
}
Index = QModelIndex | QPersistentModelIndex


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

    def tick(self) -> None:
        """Refresh the elapsed column of running jobs."""
        col = COLUMNS.index("Elapsed")
        for row, job in enumerate(self._jobs):
            if job.state.active:
                idx = self.index(row, col)
                self.dataChanged.emit(idx, idx)

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
            return job.error or job.message
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
            case "Credits":
                return "" if job.credits is None else f"{job.credits:g}"
            case _:
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
            bar.minimum = bar.maximum = 0  # busy indicator
            bar.progress = 0
        else:
            bar.progress = int((job.progress or 0) * 100)
        bar.text = "" if bar.maximum == 0 else f"{bar.progress}%"
        bar.textVisible = True
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        QApplication.style().drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


class JobMonitor(QWidget):
    cancel_requested = Signal(int)
    retry_requested = Signal(int)
    show_panels_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = JobTableModel(self)
        self._setup_ui()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.model.tick)
        self._timer.start()

    def _setup_ui(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COLUMNS.index("Progress"), ProgressDelegate(self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        for col, width in enumerate((56, 110, 80, 96, 140, 70, 64)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _i: self._on_show_clicked())
        self.model.dataChanged.connect(lambda *_a: self._update_buttons())
        self.cancel = QPushButton(icon("cancel"), "Cancel")
        self.cancel.clicked.connect(self._on_cancel_clicked)
        self.retry = QPushButton(icon("retry"), "Retry")
        self.retry.clicked.connect(self._on_retry_clicked)
        self.show_panels = QPushButton("Show panels")
        self.show_panels.clicked.connect(self._on_show_clicked)
        buttons = QVBoxLayout()
        for b in (self.cancel, self.retry, self.show_panels):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def selected_job(self) -> Job | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.job(rows[0].row()) if rows else None

    def select_job(self, job_id: int) -> None:
        row = self.model.row_of(job_id)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        job = self.selected_job()
        self.cancel.setEnabled(job is not None and job.state.active)
        self.retry.setEnabled(
            job is not None and job.state in (JobState.failed, JobState.cancelled, JobState.unknown)
        )
        self.show_panels.setEnabled(job is not None)

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_buttons()

    def _on_cancel_clicked(self) -> None:
        if job := self.selected_job():
            self.cancel_requested.emit(job.id)

    def _on_retry_clicked(self) -> None:
        if job := self.selected_job():
            self.retry_requested.emit(job.id)

    def _on_show_clicked(self) -> None:
        if job := self.selected_job():
            self.show_panels_requested.emit(job.id)
