"""The composed page picture in the page view; a double-click on a panel asks to letter it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from studio.render.layout import Rect
from studio.storage import Project


def page_frames(project: Project, page: int) -> tuple[list[Rect], tuple[int, int]]:
    """The panel frames of page ``page`` and the page size, both in page pixels."""
    from studio.render.book import ProjectBook

    book = ProjectBook(project)
    return book.frames(project.page(page)), book.size


class PageImage(QLabel):
    """A QLabel showing the page; knows where the panels are on it."""

    panel_double_clicked = Signal(int)  # panel index on the shown page

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._frames: list[Rect] = []
        self._page_size = (1, 1)

    def set_frames(self, frames: list[Rect], page_size: tuple[int, int]) -> None:
        self._frames = list(frames)
        self._page_size = page_size
        self.setToolTip("Double-click a panel to edit its lettering" if frames else "")

    def panel_at(self, pos: QPoint) -> int | None:
        """The index of the panel under ``pos`` (label coordinates), if any."""
        pixmap = self.pixmap()
        if pixmap is None or pixmap.isNull() or not self._frames:
            return None
        size = pixmap.deviceIndependentSize()
        if size.width() <= 0 or size.height() <= 0:
            return None
        left = (self.width() - size.width()) / 2
        top = (self.height() - size.height()) / 2
        x = (pos.x() - left) / size.width() * self._page_size[0]
        y = (pos.y() - top) / size.height() * self._page_size[1]
        for n, r in enumerate(self._frames):
            if r.x <= x <= r.x + r.w and r.y <= y <= r.y + r.h:
                return n
        return None

    def point_of(self, panel: int) -> QPoint:
        """The label point at the centre of panel ``panel`` (for tests and tooltips)."""
        pixmap = self.pixmap()
        size = pixmap.deviceIndependentSize()
        r = self._frames[panel]
        left = (self.width() - size.width()) / 2
        top = (self.height() - size.height()) / 2
        cx = left + (r.x + r.w / 2) / self._page_size[0] * size.width()
        cy = top + (r.y + r.h / 2) / self._page_size[1] * size.height()
        return QPoint(round(cx), round(cy))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        panel = self.panel_at(event.position().toPoint())
        if panel is not None:
            self.panel_double_clicked.emit(panel)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)
