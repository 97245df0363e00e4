"""In-place text editing over a lettering object: Enter commits, Shift+Enter breaks, Esc cancels."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QPainter,
    QPen,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QGraphicsTextItem, QStyleOptionGraphicsItem, QWidget

from studio import resources
from studio.core.lettering import MAX_TEXT


@lru_cache(maxsize=1)
def lettering_family() -> str:
    """The bundled Comic Neue as a Qt font family, or the default family without it."""
    path = Path(resources.__file__).parent / "fonts" / "ComicNeue-Regular.otf"
    if path.exists():
        families = QFontDatabase.applicationFontFamilies(
            QFontDatabase.addApplicationFont(str(path))
        )
        if families:
            return families[0]
    return QFont().family()


class InlineText(QGraphicsTextItem):
    """A text box laid over an object's box in scene (page pixel) units."""

    finished = Signal(str, bool)  # object id, committed

    def __init__(self, object_id: str, text: str, box: QRectF, pixel_size: float) -> None:
        super().__init__()
        self.object_id = object_id
        self._done = False
        self._box = QRectF(0, 0, box.width(), box.height())
        font = QFont(lettering_family())
        font.setPixelSize(max(8, round(pixel_size)))
        self.setFont(font)
        self.setDefaultTextColor(QColor(20, 20, 24))
        self.setPlainText(text)
        self.document().setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
        self.setTextWidth(max(40.0, box.width()))
        self.setPos(box.topLeft())
        self.setZValue(5000)  # above the selected object (raised to 1000+)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setToolTip("Enter to keep · Shift+Enter for a new line · Esc to cancel")

    def text(self) -> str:
        return self.toPlainText()[:MAX_TEXT]

    def start(self) -> None:
        """Focus the box with all its text selected, ready to be retyped."""
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        cursor = self.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def finish(self, commit: bool) -> None:
        if self._done:
            return
        self._done = True
        self.finished.emit(self.object_id, commit)

    def boundingRect(self) -> QRectF:
        return super().boundingRect().united(self._box)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        rect = self.boundingRect()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(255, 255, 255, 235))
        pen = QPen(QColor(30, 120, 230), 2)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 6, 6)
        super().paint(painter, option, widget)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText("\n")
            else:
                self.finish(True)
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.finish(False)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.finish(True)
