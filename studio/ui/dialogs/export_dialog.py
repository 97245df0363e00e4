"""Export the project as PNG pages, PDF, CBZ or a ZIP package, off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.settings import load_settings
from studio.storage import Project
from studio.ui.dialogs.common import StatusLabel, describe_error, guarded
from studio.ui.tasks import TaskRunner

FORMATS: tuple[tuple[str, str, str], ...] = (
    # (format, label, file dialog filter); "png" writes a folder
    ("pdf", "PDF document", "PDF (*.pdf)"),
    ("cbz", "CBZ comic book archive", "Comic book archive (*.cbz)"),
    ("zip", "ZIP package (pages, panels, PDF, metadata)", "ZIP package (*.zip)"),
    ("png", "PNG pages (a folder)", ""),
)


class ExportCancelled(Exception):
    """Raised from the progress callback to stop an export (the export layer cleans up)."""


class _ProgressRelay(QObject):
    """Lives on the UI thread; emitting from the worker queues the call to the UI thread."""

    progress = Signal(int, int)


def suggested_target(project_path: Path, fmt: str) -> Path:
    """``<stem>.<ext>`` next to the project file; a ``<stem> pages`` folder for PNG."""
    if fmt == "png":
        return project_path.with_name(f"{project_path.stem} pages")
    return project_path.with_suffix(f".{fmt}")


def run_export(
    project: Project,
    fmt: str,
    out: Path,
    lettered: bool,
    progress: object,
) -> Path:
    """Worker-thread body: build the book and export it (imports are lazy: export is heavy)."""
    from studio.export import export
    from studio.render.book import ProjectBook

    book = ProjectBook(project, lettered=lettered)  # the book's own format
    return export(book, fmt, out, progress)  # type: ignore[arg-type]


class ExportDialog(QDialog):
    """Pick a format and a target, export in a worker with progress, then offer the folder."""

    def __init__(self, parent: QWidget | None, project: Project, runner: TaskRunner) -> None:
        super().__init__(parent)
        self._project = project
        self._runner = runner
        self._settings = load_settings()
        self._cancel = threading.Event()
        self._relay = _ProgressRelay()
        self._relay.progress.connect(self._on_export_progress)
        self.running = False
        self.result_path: Path | None = None
        self._close_when_done = False
        self._setup_ui()
        self._on_format_changed()

    def format(self) -> str:
        return str(self.format_combo.currentData())

    def target(self) -> Path:
        return Path(self.target_edit.text().strip()).expanduser()

    def set_target(self, path: Path) -> None:
        self.target_edit.setText(str(path))

    def start(self) -> None:
        """Start the export with the current choices (what the Export button does)."""
        self._on_export_clicked()

    def reject(self) -> None:
        if self.running:  # never leave a worker writing for a closed dialog
            self._cancel.set()
            self._close_when_done = True
            self.status.show_message("Cancelling…")
            return
        super().reject()

    # --------------------------------------------------------------------- UI
    def _setup_ui(self) -> None:
        self.setWindowTitle("Export")
        self.resize(580, 220)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.format_combo = QComboBox()
        for fmt, label, _filter in FORMATS:
            self.format_combo.addItem(label, fmt)
        form.addRow("Format:", self.format_combo)
        self.target_edit = QLineEdit()
        self.browse_button = QPushButton("Browse…")
        row = QHBoxLayout()
        row.addWidget(self.target_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow("Save to:", row)
        self.lettering_check = QCheckBox("Draw captions and speech balloons")
        self.lettering_check.setChecked(self._settings.show_lettering)
        form.addRow("Lettering:", self.lettering_check)
        layout.addLayout(form)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%v / %m pages")
        self.progress_bar.setTextVisible(False)  # no page count until the export reports one
        layout.addWidget(self.progress_bar)
        self.status = StatusLabel()
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(
            "Open folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.hide()
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.setDefault(True)
        layout.addWidget(self.buttons)
        self.format_combo.currentIndexChanged.connect(self._on_format_changed)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.close_button.clicked.connect(self._on_close_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self._set_running(False)

    def _set_running(self, running: bool) -> None:
        self.running = running
        for widget in (self.format_combo, self.target_edit, self.browse_button):
            widget.setEnabled(not running)
        self.lettering_check.setEnabled(not running)
        self.export_button.setEnabled(not running)
        self.close_button.setEnabled(True)
        self.close_button.setText("Cancel" if running else "Close")

    # ------------------------------------------------------------------ slots
    def _on_format_changed(self, *_args: object) -> None:
        self.set_target(suggested_target(Path(self._project.path), self.format()))
        self.open_button.hide()

    def _on_browse_clicked(self) -> None:
        fmt = self.format()
        current = self.target()
        if fmt == "png":
            chosen = QFileDialog.getExistingDirectory(
                self, "Folder for the pages", str(current.parent)
            )
            if chosen:
                folder = Path(chosen)
                if any(folder.iterdir()):  # export wants a new or empty folder
                    folder = folder / current.name
                self.set_target(folder)
            return
        filt = next(f for k, _label, f in FORMATS if k == fmt)
        chosen, _ = QFileDialog.getSaveFileName(self, "Export to", str(current), filt)
        if chosen:
            path = Path(chosen)
            self.set_target(path if path.suffix else path.with_suffix(f".{fmt}"))

    def _on_export_clicked(self) -> None:
        if self.running:
            return
        out = self.target()
        if not self.target_edit.text().strip():
            self.status.show_message("Choose where to save the export.", "error")
            return
        self._cancel.clear()
        self.result_path = None
        self.open_button.hide()
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.status.show_message("Exporting…")
        self._set_running(True)
        relay, cancel = self._relay, self._cancel

        def progress(done: int, total: int) -> None:  # runs on the worker thread
            if cancel.is_set():
                raise ExportCancelled
            relay.progress.emit(done, total)

        self._runner.run_in_thread(
            run_export,
            self._project,
            self.format(),
            out,
            self.lettering_check.isChecked(),
            progress,
            on_done=guarded(self, self._on_export_done),
            on_error=guarded(self, self._on_export_error),
            name="export",
        )

    def _on_export_progress(self, done: int, total: int) -> None:
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(min(done, max(total, 1)))

    def _on_export_done(self, path: Path) -> None:
        self._set_running(False)
        self.result_path = Path(path)
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.status.show_message(f"Exported to {self.result_path}", "ok")
        self.open_button.show()
        if self._close_when_done:
            super().reject()

    def _on_export_error(self, error: BaseException) -> None:
        self._set_running(False)
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(False)
        if isinstance(error, ExportCancelled):
            self.status.show_message("Export cancelled; no file was left behind.")
        elif isinstance(error, ImportError):
            self.status.show_message(f"Export is not available in this build ({error}).", "error")
        else:
            self.status.show_message(f"The export failed: {describe_error(error)}", "error")
        if self._close_when_done:
            super().reject()

    def _on_close_clicked(self) -> None:
        if self.running:
            self._cancel.set()
            self.close_button.setEnabled(False)
            self.status.show_message("Cancelling after the current page…")
        else:
            self.reject()

    def _on_open_clicked(self) -> None:
        if self.result_path is None:
            return
        folder = self.result_path if self.result_path.is_dir() else self.result_path.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
