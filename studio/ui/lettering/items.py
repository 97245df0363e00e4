"""Scene items of the lettering editor: one per object, with handles and a reading-order badge.

The scene is the panel frame in page pixels, so an object's box is ``fraction × frame``.
Handles and badges ignore the view's scale and keep a constant size on screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsObject,
    QGraphicsRectItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from studio.core.lettering import TAILED, Lettering
from studio.ui.lettering.ops import RESIZE_ROLES, default_tail, moved, re_aimed, resized

HANDLE = 10  # px on screen
SELECT = QColor(30, 120, 230)
TAIL = QColor(240, 130, 20)
_CURSORS = {
    "nw": Qt.CursorShape.SizeFDiagCursor,
    "se": Qt.CursorShape.SizeFDiagCursor,
    "ne": Qt.CursorShape.SizeBDiagCursor,
    "sw": Qt.CursorShape.SizeBDiagCursor,
    "n": Qt.CursorShape.SizeVerCursor,
    "s": Qt.CursorShape.SizeVerCursor,
    "e": Qt.CursorShape.SizeHorCursor,
    "w": Qt.CursorShape.SizeHorCursor,
    "tail": Qt.CursorShape.CrossCursor,
}
Renderer = Callable[[Lettering], tuple[Image.Image, int, int]]


def to_pixmap(image: Image.Image) -> QPixmap:
    rgba = image.convert("RGBA")
    data = rgba.tobytes("raw", "RGBA")
    qimage = QImage(data, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(qimage.copy())


class Handle(QGraphicsRectItem):
    """A resize square or the round tail handle; drags are forwarded to the owning object."""

    def __init__(self, owner: LetterItem, role: str) -> None:
        side = HANDLE + (2 if role == "tail" else 0)
        super().__init__(-side / 2, -side / 2, side, side, owner)
        self._owner = owner
        self.role = role
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setCursor(_CURSORS[role])
        self.setZValue(20)
        self.setPen(QPen(QColor(255, 255, 255), 1.5))
        self.setBrush(QBrush(TAIL if role == "tail" else SELECT))
        self.setToolTip("Drag to aim the tail" if role == "tail" else "Drag to resize")

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.pen())
        painter.setBrush(self.brush())
        if self.role == "tail":
            painter.drawEllipse(self.rect())
        else:
            painter.drawRect(self.rect())

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()
        self._owner.begin_drag(self.role, event.scenePos())

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._owner.drag_to(event.scenePos())

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._owner.end_drag()


class Badge(QGraphicsEllipseItem):
    """The object's place in reading order, shown at its top-left corner."""

    def __init__(self, owner: LetterItem) -> None:
        super().__init__(-15, -15, 18, 18, owner)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setZValue(15)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.number = 0

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(255, 255, 255), 1.5))
        painter.setBrush(QColor(40, 40, 48, 220))
        painter.drawEllipse(self.rect())
        font = QFont(painter.font())
        font.setPixelSize(11)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, str(self.number))


class LetterItem(QGraphicsObject):
    """One lettering object: its rendered sprite, and handles while selected."""

    committed = Signal(object, str)  # the edited Lettering, what was done ("Move", …)
    edit_requested = Signal(str)  # object id: a double-click asks for in-place text editing

    def __init__(self, lettering: Lettering, frame: tuple[int, int], render: Renderer) -> None:
        super().__init__()
        self._frame = frame
        self._render = render
        self._lettering = lettering
        self._pixmap = QPixmap()
        self._offset = QPointF()
        self._drag: tuple[str, QPointF, Lettering] | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self._handles = {role: Handle(self, role) for role in (*RESIZE_ROLES, "tail")}
        self._tail_line = QGraphicsLineItem(self)
        pen = QPen(TAIL, 1.2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._tail_line.setPen(pen)
        self._badge = Badge(self)
        self._apply(lettering)

    # ----------------------------------------------------------------- public
    @property
    def lettering(self) -> Lettering:
        return self._lettering

    @property
    def object_id(self) -> str:
        return self._lettering.id

    def set_lettering(self, lettering: Lettering) -> None:
        if lettering != self._lettering:
            self._apply(lettering)

    def set_order(self, number: int) -> None:
        self._badge.number = number
        self._badge.update()

    def box_rect(self) -> QRectF:
        fw, fh = self._frame
        lt = self._lettering
        return QRectF(lt.x * fw, lt.y * fh, lt.w * fw, lt.h * fh)

    def handle(self, role: str) -> Handle:
        return self._handles[role]

    # ---------------------------------------------------------------- dragging
    def begin_drag(self, role: str, scene_pos: QPointF) -> None:
        if not self.isSelected():
            self.scene().clearSelection()
            self.setSelected(True)
        self._drag = (role, scene_pos, self._lettering)

    def drag_to(self, scene_pos: QPointF) -> None:
        if self._drag is None:
            return
        role, start_pos, start = self._drag
        fw, fh = self._frame
        point = (scene_pos.x() / fw, scene_pos.y() / fh)
        if role == "move":
            delta = scene_pos - start_pos
            new = moved(start, delta.x() / fw, delta.y() / fh)
        elif role == "tail":
            new = re_aimed(start, point)
        else:
            new = resized(start, role, point)
        self.set_lettering(new)

    def end_drag(self) -> None:
        if self._drag is None:
            return
        role, _pos, start = self._drag
        self._drag = None
        if self._lettering != start:
            what = {"move": "Move", "tail": "Aim tail"}.get(role, "Resize")
            self.committed.emit(self._lettering, what)

    # ------------------------------------------------------------ QGraphicsItem
    def boundingRect(self) -> QRectF:
        sprite = QRectF(self._offset, self._pixmap.size().toSizeF())
        return sprite.united(self.box_rect()).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.box_rect())
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self._offset, self._pixmap)
        if self.isSelected():
            pen = QPen(SELECT, 1.5, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.box_rect())

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: object) -> object:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._place_handles()
        return super().itemChange(change, value)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = ("move", event.scenePos(), self._lettering)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.drag_to(event.scenePos())

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        self.end_drag()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._drag = None
        self.edit_requested.emit(self.object_id)

    # -------------------------------------------------------------- internals
    def _apply(self, lettering: Lettering) -> None:
        self.prepareGeometryChange()
        self._lettering = lettering
        image, left, top = self._render(lettering)
        self._pixmap = to_pixmap(image)
        self._offset = QPointF(left, top)
        self._place_handles()
        self.update()

    def _place_handles(self) -> None:
        box = self.box_rect()
        spots = {
            "nw": box.topLeft(),
            "n": QPointF(box.center().x(), box.top()),
            "ne": box.topRight(),
            "e": QPointF(box.right(), box.center().y()),
            "se": box.bottomRight(),
            "s": QPointF(box.center().x(), box.bottom()),
            "sw": box.bottomLeft(),
            "w": QPointF(box.left(), box.center().y()),
        }
        selected = self.isSelected()
        for role, spot in spots.items():
            self._handles[role].setPos(spot)
            self._handles[role].setVisible(selected)
        lt = self._lettering
        tailed = lt.kind in TAILED
        fw, fh = self._frame
        tx, ty = lt.tail if lt.tail is not None else default_tail(lt)
        tip = QPointF(tx * fw, ty * fh)
        self._handles["tail"].setPos(tip)
        self._handles["tail"].setVisible(selected and tailed)
        start = _rim_towards(box, tip)
        self._tail_line.setLine(start.x(), start.y(), tip.x(), tip.y())
        self._tail_line.setVisible(selected and tailed)
        self._badge.setPos(box.topLeft())


def _rim_towards(box: QRectF, target: QPointF) -> QPointF:
    """The point of the ellipse inscribed in ``box`` in the direction of ``target``."""
    centre = box.center()
    dx, dy = target.x() - centre.x(), target.y() - centre.y()
    a, b = max(1e-6, box.width() / 2), max(1e-6, box.height() / 2)
    reach = math.hypot(dx / a, dy / b)
    if reach <= 1.0:
        return target
    return QPointF(centre.x() + dx / reach, centre.y() + dy / reach)
