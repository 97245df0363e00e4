"""Marking a region of the inspector's panel image to redraw only that part (inpainting).

``MarkedPicture`` is the inspector's picture label: with marking on, the user drags
rectangles over the image (Esc clears them); ``mask_png()`` turns them into the mask a
provider inpaints with, a PNG at the image's own pixel size, white where to redraw.
``RegionTools`` is the "Mark a region" toggle and its "Clear" button. Marks are view state:
no undo, and they go when another panel or version is shown.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import QBuffer, QIODevice, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from studio.providers import registry

MIN_MARK = 2  # image pixels: a click without a drag marks nothing


def inpaint_gate(provider_id: str, has_image: bool) -> tuple[bool, str]:
    """(enabled, tooltip) of the "Mark a region" toggle for the book's provider."""
    if not provider_id:
        return False, "Open a comic and select a panel first"
    try:
        pinfo = registry.info(provider_id)
    except Exception:  # noqa: BLE001 - an unknown provider id from an old file
        return False, f"Unknown provider '{provider_id}': pick one in the Story tab"
    caps = pinfo.capabilities
    if not caps.inpaint:
        reason = caps.reason("inpaint") or "it redraws whole panels only"
        return False, f"{pinfo.name} cannot redraw a marked region: {reason}."
    if not has_image:
        return False, "Draw the panel first, then mark the part to redraw"
    return True, (
        "Drag rectangles over the picture; Redraw then redraws only the marked region "
        "(Esc clears the marks)"
    )


def _span(a: QPoint, b: QPoint) -> QRect:
    """The pixels between two pixel-edge positions, whichever way the drag went."""
    x0, x1 = sorted((a.x(), b.x()))
    y0, y1 = sorted((a.y(), b.y()))
    return QRect(x0, y0, x1 - x0, y1 - y0)


class MarkedPicture(QLabel):
    """A label showing the panel image, on which rectangles can be marked (in image pixels)."""

    marks_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._marking = False
        self._key: Hashable | None = None
        self._source = QSize()
        self._marks: list[QRect] = []
        self._drag: tuple[QPoint, QPoint] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    # ----------------------------------------------------------------- public
    def set_source(self, key: Hashable | None, size: QSize | None) -> None:
        """The image shown (``key`` names it, e.g. (panel id, version id)) and its pixel size.
        Marks belong to one image: a different key clears them."""
        if key != self._key:
            self.clear_marks()
        self._key = key
        self._source = QSize(size) if size is not None else QSize()

    def set_marking(self, on: bool) -> None:
        self._marking = on
        self._drag = None
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        if on:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.update()

    def marking(self) -> bool:
        return self._marking

    def marks(self) -> list[QRect]:
        """The marked rectangles in the image's pixels."""
        return [QRect(r) for r in self._marks]

    def add_mark(self, rect: QRect) -> None:
        """Mark a rectangle given in image pixels (clipped to the image)."""
        r = rect.normalized().intersected(QRect(QPoint(0, 0), self._source))
        if r.width() >= MIN_MARK and r.height() >= MIN_MARK:
            self._marks.append(r)
            self.update()
            self.marks_changed.emit()

    def clear_marks(self) -> None:
        had = bool(self._marks)
        self._marks.clear()
        self._drag = None
        self.update()
        if had:
            self.marks_changed.emit()

    def mask_png(self) -> bytes | None:
        """The mask at the image's pixel size: white in the marked area, black elsewhere
        (None when nothing is marked)."""
        if not self._marks or self._source.isEmpty():
            return None
        mask = QImage(self._source, QImage.Format.Format_RGB32)
        mask.fill(QColor("black"))
        painter = QPainter(mask)
        for r in self._marks:
            painter.fillRect(r, QColor("white"))
        painter.end()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        mask.save(buffer, "PNG")
        return bytes(buffer.data().data())

    def shown_rect(self) -> QRectF:
        """Where the image is drawn in this widget (empty while there is none)."""
        pixmap = self.pixmap()
        if pixmap.isNull() or self._source.isEmpty():
            return QRectF()
        size = pixmap.deviceIndependentSize()
        area = QRectF(self.contentsRect())
        return QRectF(
            area.x() + (area.width() - size.width()) / 2,
            area.y() + (area.height() - size.height()) / 2,
            size.width(),
            size.height(),
        )

    def to_image(self, pos: QPointF) -> QPoint:
        """A widget position → the image pixel under it (clamped to the image's edge)."""
        shown = self.shown_rect()
        fx = (pos.x() - shown.x()) / shown.width()
        fy = (pos.y() - shown.y()) / shown.height()
        x = round(min(max(fx, 0.0), 1.0) * self._source.width())
        y = round(min(max(fy, 0.0), 1.0) * self._source.height())
        return QPoint(x, y)

    def to_widget(self, rect: QRect) -> QRectF:
        """An image-pixel rectangle → where it is drawn in this widget."""
        shown = self.shown_rect()
        sx = shown.width() / self._source.width()
        sy = shown.height() / self._source.height()
        return QRectF(
            shown.x() + rect.x() * sx,
            shown.y() + rect.y() * sy,
            rect.width() * sx,
            rect.height() * sy,
        )

    # ----------------------------------------------------------------- events
    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if (
            self._marking
            and event.button() == Qt.MouseButton.LeftButton
            and self.shown_rect().contains(pos)
        ):
            start = self.to_image(pos)
            self._drag = (start, start)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = (self._drag[0], self.to_image(event.position()))
            self.update()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None and event.button() == Qt.MouseButton.LeftButton:
            start, _ = self._drag
            self._drag = None
            end = self.to_image(event.position())
            self.add_mark(_span(start, end))
            self.update()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and (self._marks or self._drag):
            self.clear_marks()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.shown_rect().isEmpty() or not (self._marks or self._drag):
            return
        rects = list(self._marks)
        if self._drag is not None:
            rects.append(_span(*self._drag))
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(self.palette().highlight().color())
        fill.setAlpha(80)
        pen = QPen(self.palette().highlight().color(), 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for r in rects:
            painter.fillRect(self.to_widget(r), fill)
            painter.drawRect(self.to_widget(r))
        painter.end()


class RegionTools(QWidget):
    """The "Mark a region" toggle and "Clear" under the picture."""

    def __init__(self, picture: MarkedPicture, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._picture = picture
        self.mark = QPushButton("Mark a region")
        self.mark.setCheckable(True)
        self.mark.toggled.connect(picture.set_marking)
        self.clear = QPushButton("Clear")
        self.clear.setToolTip("Remove the marks (Esc)")
        self.clear.clicked.connect(picture.clear_marks)
        self.hint = QLabel()
        self.hint.setEnabled(False)  # greyed, as a hint
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mark)
        layout.addWidget(self.clear)
        layout.addWidget(self.hint, 1)
        picture.marks_changed.connect(self._update)
        self.mark.toggled.connect(self._update)
        self._update()

    def set_gate(self, enabled: bool, tip: str) -> None:
        self.mark.setEnabled(enabled)
        self.mark.setToolTip(tip)
        if not enabled:
            self.mark.setChecked(False)
            self._picture.clear_marks()
        self._update()

    def _update(self) -> None:
        count = len(self._picture.marks())
        self.clear.setEnabled(count > 0)
        if count:
            self.hint.setText(f"{count} region{'s' if count > 1 else ''} marked")
        elif self.mark.isChecked():
            self.hint.setText("Drag over the picture")
        else:
            self.hint.setText("")
