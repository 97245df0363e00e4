"""The job monitor: every job of the open project (state, progress, time, cost, the
provider's job id) with Cancel, Retry and Show panels, in a dock the window keeps visible
while jobs exist (the table model lives in `job_table`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Job, JobState
from studio.ui.icons import icon
from studio.ui.job_table import (
    COLUMNS,
    UNKNOWN_HELP,
    JobTableModel,
    ProgressDelegate,
    elapsed_text,
    explain,
)

__all__ = [
    "COLUMNS",
    "UNKNOWN_HELP",
    "JobMonitor",
    "JobTableModel",
    "elapsed_text",
    "explain",
]
_WIDTHS = (48, 96, 72, 88, 150, 60, 70, 150)


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
        for col, width in enumerate(_WIDTHS):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(lambda _i: self._on_show_clicked())
        self.model.dataChanged.connect(lambda *_a: self._update_buttons())
        self.model.rowsInserted.connect(lambda *_a: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()
        self.cancel = QPushButton(icon("cancel"), "Ca&ncel job")
        self.cancel.clicked.connect(self._on_cancel_clicked)
        self.retry = QPushButton(icon("retry"), "Re&try")
        self.retry.clicked.connect(self._on_retry_clicked)
        self.show_panels = QPushButton("Show &panels")
        self.show_panels.clicked.connect(self._on_show_clicked)
        buttons = QVBoxLayout()
        for b in (self.cancel, self.retry, self.show_panels):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.table, 1)
        left.addWidget(self.detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addLayout(left, 1)
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
        active = job is not None and job.state.active
        self.cancel.setEnabled(active)
        self.cancel.setToolTip(
            "Stop waiting for this job" if active else "Select a running job to cancel it"
        )
        ended = job is not None and job.state in (
            JobState.failed,
            JobState.cancelled,
            JobState.unknown,
        )
        self.retry.setEnabled(ended)
        self.retry.setToolTip(
            "Send the job again (a remote provider bills it again)"
            if ended
            else "Only a failed, cancelled or unknown job can be retried"
        )
        self.show_panels.setEnabled(job is not None)
        self.show_panels.setToolTip(
            "Select the job's panels in the book" if job else "Select a job first"
        )
        if job is not None and job.state in (JobState.unknown, JobState.failed):
            self.detail.setText(explain(job))
            self.detail.show()
        else:
            self.detail.hide()

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
