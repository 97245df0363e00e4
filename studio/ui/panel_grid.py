"""The centre of the window: pages as rows of panel thumbnails (the view; the model is in
`panel_model`, the delegate in `panel_delegate`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableView,
    QWidget,
)

from studio.ui.panel_delegate import PanelDelegate, PanelRole, ShaRole
from studio.ui.panel_model import PANEL_MIME, Index, PanelGridModel, panel_id_of
from studio.ui.theme import ACCENT

__all__ = [
    "FULL_PAGE",
    "PANEL_MIME",
    "ZOOM_STEPS",
    "PanelGridModel",
    "PanelGridView",
    "ShaRole",
    "panel_id_of",
]

ZOOM_STEPS = (110, 150, 200, 260, 340, 440)
MIN_SIDE = 72  # px: below this a panel is a blur; the view scrolls sideways instead
FULL_PAGE = QColor(200, 50, 50)


class PanelGridView(QTableView):
    """Keyboard and mouse navigation over the panels; Ctrl+wheel zooms; drag to reorder.

    A dragged panel shows an accent bar where it would land (red on a full page); the
    drop goes to the model's ``dropMimeData``. In a right-to-left book the view is
    mirrored, so each page reads from the right like the printed page.
    """

    panel_activated = Signal(int, int)  # page, panel
    zoom_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zoom = 1
        self._drop: tuple[int, int, bool] | None = None  # row, insert column, page has room
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setItemDelegate(PanelDelegate(self))
        self.setShowGrid(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setWordWrap(False)
        self.horizontalHeader().hide()
        self.setStyleSheet(
            "QTableView { selection-background-color: transparent; }"
            " QTableView::item:selected { background: transparent; }"
        )
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        vh.setMinimumWidth(64)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)  # our own bar between panels instead
        self._apply_zoom()

    def zoom(self) -> int:
        return self._zoom

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom - 1)

    def set_zoom(self, step: int) -> None:
        step = max(0, min(len(ZOOM_STEPS) - 1, step))
        if step != self._zoom:
            self._zoom = step
            self._apply_zoom()
            self.zoom_changed.emit(step)

    def select_panel(self, page: int, panel: int) -> None:
        model = self.model()
        if model is None or page >= model.rowCount():
            return
        idx = model.index(page, panel)
        self.setCurrentIndex(idx)
        self.scrollTo(idx)

    def currentChanged(self, current: Index, previous: Index) -> None:
        super().currentChanged(current, previous)
        if current.isValid() and current.data(PanelRole) is not None:
            self.panel_activated.emit(current.row(), current.column())

    def insertion_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The page row and the column a panel dropped at viewport point (x, y) goes before."""
        model = self.model()
        row = self.rowAt(int(y))
        if not isinstance(model, PanelGridModel) or row < 0:
            return None
        count = model.panel_count(row)
        column = self.columnAt(int(x))
        if column < 0 or column >= count:
            return row, count
        centre = self.visualRect(model.index(row, column)).center().x()
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        after = x < centre if rtl else x > centre
        return row, column + 1 if after else column

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        index = self.currentIndex()
        model = self.model()
        if not index.isValid() or index.data(PanelRole) is None or model is None:
            return
        drag = QDrag(self)
        drag.setMimeData(model.mimeData([index]))
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if pixmap is not None and not pixmap.isNull():
            drag.setPixmap(pixmap.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio))
        drag.exec(Qt.DropAction.MoveAction)  # the model moves nothing itself: no clean-up
        self._set_drop(None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if panel_id_of(event.mimeData()) is None:
            event.ignore()
            return
        event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)  # auto-scrolls near the edges
        panel_id = panel_id_of(event.mimeData())
        pos = event.position()
        spot = self.insertion_at(pos.x(), pos.y()) if panel_id is not None else None
        model = self.model()
        if spot is None or panel_id is None or not isinstance(model, PanelGridModel):
            self._set_drop(None)
            event.ignore()
            return
        self._set_drop((*spot, model.accepts(panel_id, spot[0])))
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: Any) -> None:
        self._set_drop(None)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        pos = event.position()
        spot = self.insertion_at(pos.x(), pos.y())
        self._set_drop(None)
        model = self.model()
        if spot is None or model is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        model.dropMimeData(event.mimeData(), Qt.DropAction.MoveAction, *spot, QModelIndex())

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._drop is None:
            return
        row, column, room = self._drop
        bar = self._drop_bar(row, column)
        painter = QPainter(self.viewport())
        painter.fillRect(bar, ACCENT if room else FULL_PAGE)
        painter.end()

    def _drop_bar(self, row: int, column: int) -> QRect:
        model = self.model()
        count = model.panel_count(row) if isinstance(model, PanelGridModel) else 0
        cell = self.visualRect(model.index(row, min(column, max(0, count - 1))))
        if cell.isNull():
            cell = QRect(0, self.rowViewportPosition(row), 0, self.rowHeight(row))
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        trailing = column >= count and count > 0  # after the last panel of the page
        x = cell.right() if rtl != trailing else cell.left()  # the edge facing the gap
        return QRect(x - 2, cell.top() + 4, 5, cell.height() - 8)

    def _set_drop(self, drop: tuple[int, int, bool] | None) -> None:
        if drop != self._drop:
            self._drop = drop
            self.viewport().update()

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if model is not None:  # a page with more panels narrows every column
            model.modelReset.connect(self._apply_zoom)
            model.columnsInserted.connect(self._apply_zoom)
            model.columnsRemoved.connect(self._apply_zoom)
        self._apply_zoom()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_zoom()

    def cell_side(self) -> int:
        """The side of a panel cell: the zoom step, narrowed so a page's panels all fit
        the width (no horizontal scrolling) down to MIN_SIDE."""
        side = ZOOM_STEPS[self._zoom]
        model = self.model()
        columns = model.columnCount() if model is not None else 0
        if columns:
            bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            room = self.width() - self.verticalHeader().width() - bar - 2 * self.frameWidth()
            side = max(MIN_SIDE, min(side, room // columns))
        return side

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def _apply_zoom(self, *_args: object) -> None:
        side = self.cell_side()
        if side == self.horizontalHeader().defaultSectionSize():
            return
        self.horizontalHeader().setDefaultSectionSize(side)
        self.verticalHeader().setDefaultSectionSize(side + 16)
