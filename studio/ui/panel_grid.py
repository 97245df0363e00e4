"""The centre of the window: pages as rows of panel thumbnails (model + delegate + view)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from studio.core.models import Page, Panel
from studio.ui.theme import ACCENT
from studio.ui.thumbs import ThumbnailCache

PanelRole = Qt.ItemDataRole.UserRole + 1
ShaRole = Qt.ItemDataRole.UserRole + 2
JobRole = Qt.ItemDataRole.UserRole + 3
ZOOM_STEPS = (110, 150, 200, 260, 340, 440)
Index = QModelIndex | QPersistentModelIndex


class PanelGridModel(QAbstractTableModel):
    """Rows are pages, columns are panel positions. Thumbnails come from the cache lazily."""

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

    # ------------------------------------------------------------- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pages)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._columns

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.panel(index.row(), index.column()) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

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
        if pixmap is not None and not pixmap.isNull():
            size = pixmap.size().scaled(inner.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, size.width(), size.height())
            target.moveCenter(inner.center())
            painter.drawPixmap(target, pixmap)
        else:
            painter.fillRect(inner, pal.alternateBase())
            painter.setPen(pal.placeholderText().color())
            text = "Loading…" if index.data(ShaRole) else "Not drawn yet"
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, text)
        self._paint_label(painter, rect, index, pal)
        progress = index.data(JobRole)
        if progress is not None:
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


class PanelGridView(QTableView):
    """Keyboard and mouse navigation over the panels; Ctrl+wheel zooms."""

    panel_activated = Signal(int, int)  # page, panel
    zoom_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zoom = 1
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
