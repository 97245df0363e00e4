"""A reference-image preview that accepts a dropped image file, plus its size rule."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from studio.core.validation import ValidationError, validate_reference_image

MAX_REF_BYTES = 10 * 1024 * 1024
PREVIEW_SIDE = 200


def read_reference_image(path: str | Path) -> bytes:
    """The bytes of an image file meant as a reference; ValidationError otherwise."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"{path.name} cannot be read: {exc.strerror}.", "image") from None
    if size > MAX_REF_BYTES:
        raise ValidationError(
            f"{path.name} is {size / 1_048_576:.1f} MB; reference images can be at most "
            f"{MAX_REF_BYTES // 1_048_576} MB. Save a smaller copy (1–2 MB is plenty).",
            "image",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path.name} cannot be read: {exc.strerror}.", "image") from None
    return validate_reference_image(data, source=path.name)


class RefImageBox(QLabel):
    """Shows the preview; drop an image file on it to use it (``file_dropped(path)``)."""

    file_dropped = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setFixedSize(PREVIEW_SIDE + 8, PREVIEW_SIDE + 8)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWordWrap(True)
        self.has_image = False
        self.show_empty()

    def show_empty(self, text: str = "No reference image\n\nDrop an image file here") -> None:
        self.has_image = False
        self.clear()
        self.setText(text)

    def show_image(self, image: QImage) -> None:
        self.has_image = True
        self.setPixmap(QPixmap.fromImage(image))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.isEnabled() and self._local_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._local_file(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.file_dropped.emit(path)

    @staticmethod
    def _local_file(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        return files[0] if len(files) == 1 else None
