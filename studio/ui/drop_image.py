"""A reference-image well: drop an image file on it or click to choose one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp)"


def image_path_from(event: QDragEnterEvent | QDropEvent) -> str | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(IMAGE_SUFFIXES):
            return url.toLocalFile()
    return None


class DropImage(QLabel):
    """Holds an optional image path; ``changed`` fires with the path ('' when cleared)."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = ""
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(120, 72)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Drop a reference image here, or click to choose one")
        self.setStyleSheet(
            "QLabel { border: 1px dashed palette(mid); border-radius: 6px; padding: 4px; }"
        )
        self._show()

    def path(self) -> str:
        return self._path

    def set_path(self, path: str) -> None:
        self._path = path
        self._show()
        self.changed.emit(path)

    def clear_image(self) -> None:
        self.set_path("")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if image_path_from(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = image_path_from(event)
        if path:
            self.set_path(path)
            event.acceptProposedAction()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton and self._path:
            self.clear_image()
            return
        path, _ = QFileDialog.getOpenFileName(self, "Reference image", "", IMAGE_FILTER)
        if path:
            self.set_path(path)

    def _show(self) -> None:
        if not self._path:
            self.setPixmap(QPixmap())
            self.setText("Reference image\n(drop or click)")
            return
        pixmap = QPixmap(self._path)  # small user-chosen file; decoded once on choice
        if pixmap.isNull():
            self.setText(Path(self._path).name)
            return
        self.setPixmap(
            pixmap.scaled(
                120,
                72,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
