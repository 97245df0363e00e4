"""Non-modal toasts and friendly error boxes (never a traceback)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QStatusBar, QWidget

from studio.ui.messages import describe


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A message box with what went wrong and what to do next."""
    title, text = describe(exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(title)
    box.setInformativeText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()  # not exec(): the event loop (and the jobs) keep running


class Toast(QFrame):
    """A small popup in the bottom-right corner of its parent that fades after a while."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.docked = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setMaximumWidth(380)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self._label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        parent.installEventFilter(self)
        self.hide()

    def text(self) -> str:
        return self._label.text()

    def show_message(self, text: str, *, error: bool = False, msec: int = 5000) -> None:
        accent = "#d9534f" if error else "#4084d6"
        self.setStyleSheet(
            "QFrame#toast { background: palette(tool-tip-base); border: 1px solid palette(mid);"
            f" border-left: 4px solid {accent}; border-radius: 6px; }}"
        )
        shown = text
        if self.docked:  # one line in the status bar; the whole text as a tooltip
            metrics = self._label.fontMetrics()
            one_line = " ".join(text.split())
            shown = metrics.elidedText(one_line, Qt.TextElideMode.ElideRight, 540)
            self.setToolTip(text)
        self._label.setText(shown)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timer.start(msec)

    def mousePressEvent(self, event: object) -> None:
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return super().eventFilter(watched, event)

    def dock_in(self, bar: QStatusBar) -> None:
        """Live in ``bar`` (right end) instead of floating: a notice never covers a control."""
        self.docked = True
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self._label.setWordWrap(False)
        self._label.setMaximumWidth(560)
        self.layout().setContentsMargins(10, 1, 10, 1)
        bar.addPermanentWidget(self)
        self.hide()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None or self.docked:
            return
        margin = 18
        self.move(
            QPoint(
                parent.width() - self.width() - margin,
                parent.height() - self.height() - margin - 24,
            )
        )


def read_only_notice(parent: QWidget, name: str, notices: list[str]) -> QMessageBox:
    """A window-modal warning that ``name`` was opened read-only, and why; shown with
    ``open()`` (not ``exec()``) so the window keeps running. Keep a reference to it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Opened read-only")
    box.setText(f"{name} was opened read-only.")
    box.setInformativeText("\n\n".join(notices))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box
