"""The centre of the window: pages as rows of panel thumbnails (model + delegate + view)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
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
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from studio.core.models import MAX_PANELS_PER_PAGE, Page, Panel
from studio.ui.panel_delegate import JobRole, PanelDelegate, PanelRole, ShaRole
from studio.ui.theme import ACCENT
from studio.ui.thumbs import ThumbnailCache

ZOOM_STEPS = (110, 150, 200, 260, 340, 440)
PANEL_MIME = "application/x-comic-studio-panel"
FULL_PAGE = QColor(200, 50, 50)
Index = QModelIndex | QPersistentModelIndex


class PanelGridModel(QAbstractTableModel):
    """Rows are pages, columns are panel positions. Thumbnails come from the cache lazily.

    Panels can be dragged to another position or page: a drop emits ``move_requested``
    and whoever holds the undo stack does the move (the model never writes).
    """

    move_requested = Signal(int, int, int)  # panel id, to page, its index there after the move

    def __init__(self, thumbs: ThumbnailCache, parent: Any = None) -> None:
        super().__init__(parent)
        self._thumbs = thumbs
        self._pages: list[Page] = []
        self._columns = 0
        self._current: dict[int, str] = {}  # panel id → sha of its current version
        self._where: dict[int, tuple[int, int]] = {}  # panel id → (row, column)
        self._by_sha: dict[str, list[int]] = {}
        self._jobs: dict[int, float] = {}  # panel id → progress (-1 = unknown)
        thumbs.loaded.connect(self._on_thumbs_loaded)

    # ------------------------------------------------------------------ data
    def set_book(self, pages: list[Page], current: dict[int, str]) -> None:
        self.beginResetModel()
        self._pages = pages
        self._columns = max((len(p.panels) for p in pages), default=0)
        self._current = dict(current)
        self._where = {
            panel.id: (r, c) for r, page in enumerate(pages) for c, panel in enumerate(page.panels)
        }
        self._by_sha = {}
        for pid, sha in self._current.items():
            self._by_sha.setdefault(sha, []).append(pid)
        self.endResetModel()

    def update_current(self, panel_id: int, sha: str | None) -> None:
        old = self._current.pop(panel_id, None)
        if old and panel_id in self._by_sha.get(old, []):
            self._by_sha[old].remove(panel_id)
        if sha:
            self._current[panel_id] = sha
            self._by_sha.setdefault(sha, []).append(panel_id)
        self._changed(panel_id)

    def set_job_progress(self, panel_ids: list[int], progress: float | None) -> None:
        for pid in panel_ids:
            if progress is None:
                self._jobs.pop(pid, None)
            else:
                self._jobs[pid] = progress
            self._changed(pid)

    def clear_jobs(self) -> None:
        ids = list(self._jobs)
        self._jobs.clear()
        for pid in ids:
            self._changed(pid)

    def panel(self, row: int, column: int) -> Panel | None:
        if 0 <= row < len(self._pages) and 0 <= column < len(self._pages[row].panels):
            return self._pages[row].panels[column]
        return None

    def index_of(self, panel_id: int) -> QModelIndex:
        where = self._where.get(panel_id)
        return self.index(*where) if where else QModelIndex()

    def panel_ids(self) -> list[int]:
        return list(self._where)

    def panel_count(self, row: int) -> int:
        return len(self._pages[row].panels) if 0 <= row < len(self._pages) else 0

    def accepts(self, panel_id: int, row: int) -> bool:
        """Whether page ``row`` has room for the panel (a page holds at most 20)."""
        where = self._where.get(panel_id)
        same_page = where is not None and where[0] == row
        return same_page or self.panel_count(row) < MAX_PANELS_PER_PAGE

    def move_target(self, panel_id: int, row: int, insert: int) -> tuple[int, int] | None:
        """Dropping before column ``insert`` of page ``row``: the panel's final position,
        or None when it would not move."""
        where = self._where.get(panel_id)
        if where is None or not 0 <= row < len(self._pages):
            return None
        count = self.panel_count(row)
        insert = count if insert < 0 else min(insert, count)
        if where[0] == row and insert > where[1]:
            insert -= 1  # the panel leaves its own place first
        return None if (row, insert) == where else (row, insert)

    # ------------------------------------------------------------- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.panel(index.row(), index.column()) is None:
            return Qt.ItemFlag.ItemIsDropEnabled if index.isValid() else Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemIsDropEnabled
        )

    def mimeTypes(self) -> list[str]:
        return [PANEL_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        data = QMimeData()
        panels = [self.panel(i.row(), i.column()) for i in indexes]
        ids = [p.id for p in panels if p is not None]
        if ids:
            data.setData(PANEL_MIME, str(ids[0]).encode("ascii"))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Drop a dragged panel: on a cell it goes before that cell's panel; with an invalid
        ``parent``, before column ``column`` of page ``row`` (-1 = at the end)."""
        panel_id = panel_id_of(data)
        if panel_id is None or action not in (Qt.DropAction.MoveAction, Qt.DropAction.CopyAction):
            return False
        page, insert = (parent.row(), parent.column()) if parent.isValid() else (row, column)
        target = self.move_target(panel_id, page, insert)
        if target is None:
            return False
        self.move_requested.emit(panel_id, *target)
        return True

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        panel = self.panel(index.row(), index.column())
        if panel is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row() + 1}.{index.column() + 1}"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = panel.script.description or "No description yet"
            return f"Page {index.row() + 1}, panel {index.column() + 1}\n{text[:300]}"
        if role == Qt.ItemDataRole.DecorationRole:
            sha = self._current.get(panel.id)
            return self._thumbs.get(sha) if sha else None
        if role == PanelRole:
            return panel
        if role == ShaRole:
            return self._current.get(panel.id)
        if role == JobRole:
            return self._jobs.get(panel.id)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return f"Page {section + 1}"
        return f"Panel {section + 1}"

    def _changed(self, panel_id: int) -> None:
        idx = self.index_of(panel_id)
        if idx.isValid():
            self.dataChanged.emit(idx, idx)

    def _on_thumbs_loaded(self, sha: str) -> None:
        for pid in self._by_sha.get(sha, []):
            self._changed(pid)


def panel_id_of(data: QMimeData) -> int | None:
    """The panel id a drag carries, or None for anything else."""
    if not data.hasFormat(PANEL_MIME):
        return None
    try:
        return int(bytes(data.data(PANEL_MIME).data()).decode("ascii"))
    except ValueError:
        return None


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

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if event.angleDelta().y() > 0:
                self.zoom_in()
            elif event.angleDelta().y() < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def _apply_zoom(self) -> None:
        side = ZOOM_STEPS[self._zoom]
        self.horizontalHeader().setDefaultSectionSize(side)
        self.verticalHeader().setDefaultSectionSize(side + 16)
