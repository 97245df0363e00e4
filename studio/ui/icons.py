"""Toolbar icons: Qt standard pixmaps plus a few simple drawn glyphs."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

_SP = QStyle.StandardPixmap
_STANDARD = {
    "new": _SP.SP_FileIcon,
    "open": _SP.SP_DialogOpenButton,
    "export": _SP.SP_DialogSaveButton,
    "cancel": _SP.SP_DialogCancelButton,
    "retry": _SP.SP_BrowserReload,
    "about": _SP.SP_MessageBoxInformation,
    "warning": _SP.SP_MessageBoxWarning,
    "image": _SP.SP_FileDialogContentsView,
}


def icon(name: str) -> QIcon:
    """A named icon; drawn ones follow the palette's text colour."""
    drawer = _DRAWN.get(name)
    if drawer is not None:
        return _drawn(drawer)
    style = QApplication.style()
    return style.standardIcon(_STANDARD.get(name, _SP.SP_FileIcon))


def _drawn(draw: object) -> QIcon:
    colour = QApplication.palette().windowText().color()
    result = QIcon()
    for side in (16, 24, 32, 48):
        pm = QPixmap(side * 2, side * 2)
        pm.setDevicePixelRatio(2.0)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(side / 24, side / 24)
        pen = QPen(colour, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        draw(p, colour)  # type: ignore[operator]
        p.end()
        result.addPixmap(pm)
    return result


def _generate(p: QPainter, c: QColor) -> None:
    path = QPainterPath(QPointF(12, 2))
    for x, y in ((14.5, 9.5), (22, 12), (14.5, 14.5), (12, 22), (9.5, 14.5), (2, 12), (9.5, 9.5)):
        path.lineTo(x, y)
    path.closeSubpath()
    p.setBrush(QColor(240, 180, 40))
    p.drawPath(path)


def _redraw(p: QPainter, c: QColor) -> None:
    p.drawArc(QRectF(4, 4, 16, 16), 40 * 16, 280 * 16)
    p.drawLine(QPointF(17, 3), QPointF(18.5, 7.5))
    p.drawLine(QPointF(18.5, 7.5), QPointF(14, 8.5))


def _continue(p: QPainter, c: QColor) -> None:
    p.drawRect(QRectF(3, 4, 10, 16))
    p.drawLine(QPointF(15, 12), QPointF(22, 12))
    p.drawLine(QPointF(19, 9), QPointF(22, 12))
    p.drawLine(QPointF(19, 15), QPointF(22, 12))


def _zoom(sign: str) -> object:
    def draw(p: QPainter, c: QColor) -> None:
        p.drawEllipse(QRectF(3, 3, 13, 13))
        p.drawLine(QPointF(14, 14), QPointF(21, 21))
        p.drawLine(QPointF(6.5, 9.5), QPointF(12.5, 9.5))
        if sign == "+":
            p.drawLine(QPointF(9.5, 6.5), QPointF(9.5, 12.5))

    return draw


def _page(p: QPainter, c: QColor) -> None:
    p.drawRect(QRectF(4, 2, 16, 20))
    p.drawLine(QPointF(4, 11), QPointF(20, 11))
    p.drawLine(QPointF(12, 2), QPointF(12, 11))


def _grid(p: QPainter, c: QColor) -> None:
    for x in (3, 13):
        for y in (3, 13):
            p.drawRect(QRectF(x, y, 8, 8))


def _animate(p: QPainter, c: QColor) -> None:
    p.drawRect(QRectF(3, 5, 18, 14))
    path = QPainterPath(QPointF(10, 9))
    path.lineTo(15, 12)
    path.lineTo(10, 15)
    path.closeSubpath()
    p.setBrush(c)
    p.drawPath(path)


def _turn(back: bool) -> object:
    def draw(p: QPainter, c: QColor) -> None:
        if not back:
            p.translate(24, 0)
            p.scale(-1, 1)
        path = QPainterPath(QPointF(8, 9))
        path.cubicTo(QPointF(14, 5), QPointF(21, 8), QPointF(20, 15))
        p.drawPath(path)
        p.drawLine(QPointF(8, 9), QPointF(9, 3.5))
        p.drawLine(QPointF(8, 9), QPointF(13.5, 10.5))

    return draw


def _settings(p: QPainter, c: QColor) -> None:
    for y, knob in ((6, 15), (12, 8), (18, 13)):
        p.drawLine(QPointF(3, y), QPointF(21, y))
        p.setBrush(c)
        p.drawEllipse(QPointF(knob, y), 2.2, 2.2)


_DRAWN = {
    "undo": _turn(True),
    "redo": _turn(False),
    "settings": _settings,
    "generate": _generate,
    "redraw": _redraw,
    "continue": _continue,
    "zoom_in": _zoom("+"),
    "zoom_out": _zoom("-"),
    "page": _page,
    "grid": _grid,
    "animate": _animate,
}
