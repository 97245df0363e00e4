"""The book as a table model: pages are rows, panels are columns; thumbnails, job progress
and panel drags (moving a panel) for the grid and the page views."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from studio.core.models import MAX_PANELS_PER_PAGE, Page, Panel
from studio.ui.panel_delegate import JobRole, PanelRole, ShaRole
from studio.ui.thumbs import ThumbnailCache

PANEL_MIME = "application/x-comic-studio-panel"
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
