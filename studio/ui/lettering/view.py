"""The lettering editor's canvas: fits the panel frame, rubber-band selection, editing keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from studio.ui.lettering.text import InlineText

NUDGE = 0.005  # of the frame; Shift nudges four times as far
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class LetterView(QGraphicsView):
    """Emits editing keys as signals; text typed into an in-place editor passes through."""

    key_action = Signal(str)  # "delete", "next", "previous", "edit", "escape"
    nudge = Signal(float, float)  # frame fractions

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("letterView")
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setBackgroundBrush(QColor(58, 60, 66))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def fit(self) -> None:
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def event(self, event: QEvent) -> bool:
        """Tab and Shift+Tab cycle through the objects instead of moving widget focus."""
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not self._typing():
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                forward = key == Qt.Key.Key_Tab and not shift
                self.key_action.emit("next" if forward else "previous")
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._typing():
            super().keyPressEvent(event)
            return
        key = event.key()
        if key in _ARROWS:
            step = NUDGE * (4 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
            dx, dy = _ARROWS[Qt.Key(key)]
            self.nudge.emit(dx * step, dy * step)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.key_action.emit("delete")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self.key_action.emit("edit")
        elif key == Qt.Key.Key_Escape:
            self.key_action.emit("escape")
        else:
            super().keyPressEvent(event)

    def _typing(self) -> bool:
        scene = self.scene()
        return scene is not None and isinstance(scene.focusItem(), InlineText)
