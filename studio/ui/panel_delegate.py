"""How one panel of the grid is painted: thumbnail, number, job overlay, selection ring."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from studio.ui.theme import ACCENT

PanelRole = Qt.ItemDataRole.UserRole + 1
ShaRole = Qt.ItemDataRole.UserRole + 2
JobRole = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex


STATE_TEXT = {"loading": "Loading…", "empty": "Not drawn yet", "drawing": "Drawing…", "image": ""}


def cell_state(index: Index) -> str:
    """The one state a cell shows: "drawing" while a job works on it (over whatever is
    there), else "image", "loading" (an image not decoded yet) or "empty"."""
    if index.data(JobRole) is not None:
        return "drawing"
    if index.data(ShaRole):
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        return "image" if pixmap is not None and not pixmap.isNull() else "loading"
    return "empty"


class PanelDelegate(QStyledItemDelegate):
    """A card per panel: thumbnail, number, job overlay, selection ring."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        panel = index.data(PanelRole)
        if panel is None:
            return
        pal = option.palette  # type: ignore[attr-defined]
        rect: QRect = option.rect.adjusted(6, 6, -6, -6)  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setPen(QPen(pal.mid().color(), 1))
        painter.setBrush(pal.base())
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        inner = rect.adjusted(5, 5, -5, -22)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        progress = index.data(JobRole)
        if pixmap is not None and not pixmap.isNull():
            size = pixmap.size().scaled(inner.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(inner.center())
            painter.drawPixmap(target, pixmap)
        else:
            painter.fillRect(inner, pal.alternateBase())
        state = cell_state(index)
        if state in ("loading", "empty"):
            painter.setPen(pal.placeholderText().color())
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, STATE_TEXT[state])
        self._paint_label(painter, rect, index, pal)
        if state == "drawing":
            self._paint_job(painter, inner, progress)
        if selected:
            painter.setPen(QPen(ACCENT, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 6, 6)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, 200)

    @staticmethod
    def _paint_label(painter: QPainter, rect: QRect, index: Index, pal: Any) -> None:
        label = rect.adjusted(8, rect.height() - 21, -8, -3)
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        painter.setFont(font)
        painter.setPen(pal.text().color())
        painter.drawText(label, Qt.AlignmentFlag.AlignVCenter, f"Panel {index.data()}")

    @staticmethod
    def _paint_job(painter: QPainter, inner: QRect, progress: float) -> None:
        painter.fillRect(inner, QColor(0, 0, 0, 110))
        bar = QRect(inner.left() + 12, inner.center().y() + 6, inner.width() - 24, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 70))
        painter.drawRoundedRect(QRectF(bar), 3, 3)
        if progress >= 0:
            done = QRect(bar)
            done.setWidth(max(6, int(bar.width() * min(1.0, progress))))
            painter.setBrush(QColor(255, 255, 255, 230))
            painter.drawRoundedRect(QRectF(done), 3, 3)
        painter.setPen(QColor(255, 255, 255))
        text_rect = QRect(inner.left(), bar.top() - 26, inner.width(), 20)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, "Drawing…")
