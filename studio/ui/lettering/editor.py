"""The panel lettering editor: the panel's art with its balloons, captions and SFX, editable.

Every edit is a ``LetterEdit`` on the session's undo stack; the editor redraws from the stored
rows whenever the hub says a panel's lettering changed, so undo and redo need no extra path.
"""

from __future__ import annotations

from PIL import Image, ImageOps
from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.lettering import Lettering, to_rows
from studio.core.models import Panel
from studio.storage import ProjectError
from studio.ui.lettering import ops
from studio.ui.lettering.controls import LetterControls
from studio.ui.lettering.items import LetterItem, to_pixmap
from studio.ui.lettering.source import PanelLetters, load_panel
from studio.ui.lettering.text import InlineText
from studio.ui.lettering.undo import LetterEdit, LetterHub, Rows
from studio.ui.lettering.view import LetterView
from studio.ui.session import Session

MERGING = ("size", "rotation")  # spin-box steps that merge into one undo step


class LetterEditor(QWidget):
    """Shown in the centre area; ``open_panel`` loads a panel, ``back_requested`` leaves."""

    back_requested = Signal()
    panel_shown = Signal(int, int)  # page, panel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hub = LetterHub(self)
        self.hub.changed.connect(self._on_hub_changed)
        self._session: Session | None = None
        self._where: tuple[int, int] | None = None
        self._source: PanelLetters | None = None
        self._items: list[Lettering] = []
        self._views: dict[str, LetterItem] = {}
        self._editing: InlineText | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setObjectName("letterEditor")
        self.back = QToolButton()
        self.back.setText("◀ Back")
        self.back.setToolTip("Leave the lettering editor (Esc)")
        self.back.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.back.clicked.connect(self.back_requested.emit)
        self.title = QLabel("")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.previous = QToolButton()
        self.previous.setText("‹")
        self.previous.setToolTip("Previous panel")
        self.previous.clicked.connect(lambda: self._on_step_clicked(-1))
        self.next = QToolButton()
        self.next.setText("›")
        self.next.setToolTip("Next panel")
        self.next.clicked.connect(lambda: self._on_step_clicked(1))
        self.show_letters = QCheckBox("Show lettering")
        self.show_letters.setChecked(True)
        self.show_letters.setToolTip("Hide the lettering to look at the clean art")
        self.show_letters.toggled.connect(self._on_show_letters_toggled)
        header = QHBoxLayout()
        header.setContentsMargins(8, 4, 8, 4)
        header.addWidget(self.back)
        header.addSpacing(8)
        header.addWidget(self.title, 1)
        header.addWidget(self.show_letters)
        header.addSpacing(8)
        header.addWidget(self.previous)
        header.addWidget(self.next)
        self.scene = QGraphicsScene(self)
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.art = QGraphicsPixmapItem()
        self.art.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.art.setZValue(-10)
        self.scene.addItem(self.art)
        self.view = LetterView(self.scene)
        self.view.key_action.connect(self._on_view_key_action)
        self.view.nudge.connect(self._on_view_nudge)
        self.controls = LetterControls()
        self.controls.setFixedWidth(210)
        self.controls.changed.connect(self._on_controls_changed)
        self.controls.add_requested.connect(self.add)
        self.controls.delete_requested.connect(self.delete_selected)
        self.controls.order_requested.connect(self.move_in_order)
        self.controls.reset_requested.connect(self.reset_to_automatic)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.view, 1)
        body.addWidget(self.controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addLayout(body, 1)

    # ----------------------------------------------------------------- public
    def set_session(self, session: Session | None) -> None:
        self._finish_text(commit=False)
        self._session = session
        self._where = None
        self._source = None
        self._set_items([])

    def where(self) -> tuple[int, int] | None:
        return self._where

    def panel(self) -> Panel | None:
        return self._source.panel if self._source else None

    def items(self) -> list[Lettering]:
        return list(self._items)

    def item_view(self, object_id: str) -> LetterItem:
        return self._views[object_id]

    def open_panel(self, page: int, index: int) -> bool:
        """Load a panel's art and lettering (automatic when never edited); False if gone."""
        if self._session is None:
            return False
        self._finish_text(commit=True)
        try:
            source = load_panel(self._session.project, page, index)
        except (ProjectError, ValueError, IndexError):
            return False
        self._where = (page, index)
        self._source = source
        fw, fh = source.frame
        self.scene.clearSelection()
        for view in self._views.values():
            self.scene.removeItem(view)
        self._views.clear()
        self.art.setPixmap(self._art_pixmap(source))
        margin = 0.06 * max(fw, fh)
        self.scene.setSceneRect(QRectF(-margin, -margin, fw + 2 * margin, fh + 2 * margin))
        self._set_items(source.items)
        self.title.setText(f"Lettering page {page + 1}, panel {index + 1}")
        self._update_steps()
        self.view.fit()
        self.panel_shown.emit(page, index)
        return True

    def reload(self) -> None:
        """Re-read the open panel (its art or text changed elsewhere)."""
        if self._where is not None and not self.open_panel(*self._where):
            self.back_requested.emit()

    def selected_ids(self) -> list[str]:
        chosen = {i.object_id for i in self.scene.selectedItems() if isinstance(i, LetterItem)}
        return [i.id for i in self._items if i.id in chosen]

    def select(self, ids: list[str]) -> None:
        self.scene.clearSelection()
        for oid in ids:
            if oid in self._views:
                self._views[oid].setSelected(True)

    def start_text_edit(self, object_id: str) -> InlineText | None:
        """Lay a text box over the object; Enter keeps the words, Esc drops them."""
        if self._source is None or object_id not in self._views or not self._letters_shown():
            return None
        self._finish_text(commit=True)
        view = self._views[object_id]
        item = view.lettering
        self.select([object_id])
        inline = InlineText(
            object_id, item.text, view.box_rect(), item.size * self._source.page_short
        )
        inline.finished.connect(self._on_inline_finished)
        view.setOpacity(0.35)  # the words being typed replace the drawn ones
        self.scene.addItem(inline)
        self._editing = inline
        self.view.setFocus()
        inline.start()
        return inline

    def editing(self) -> InlineText | None:
        return self._editing

    def add(self, what: str) -> None:
        if self._source is None or not self._letters_shown():
            return
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        fw, fh = self._source.frame
        near = (min(0.8, max(0.2, centre.x() / fw)), min(0.8, max(0.3, centre.y() / fh)))
        item = ops.new_item(what, near, self._items)
        label = {"balloon": "balloon", "caption": "caption", "sfx": "sound effect"}[what]
        self._commit([*self._items, item], f"Add {label}")
        self.select([item.id])
        self.start_text_edit(item.id)

    def delete_selected(self) -> None:
        ids = set(self.selected_ids())
        if ids:
            self._commit(ops.deleted(self._items, ids), "Delete lettering")

    def move_in_order(self, step: int) -> None:
        ids = self.selected_ids()
        if ids:
            self._commit(ops.reordered(self._items, set(ids), step), "Change reading order")
            self.select(ids)

    def reset_to_automatic(self) -> None:
        if self._source is None or self._session is None:
            return
        automatic = self._source.automatic(self._session.project)
        self._commit(automatic, "Reset lettering to automatic")

    # ---------------------------------------------------------------- editing
    def _commit(self, new: list[Lettering], text: str, merge_key: str = "") -> None:
        if self._session is None or self._source is None:
            return
        rows = to_rows(new)
        old: Rows = self._source.stored
        if old is not None and rows == old:
            return
        self._session.undo.push(
            LetterEdit(
                self._session.project,
                self.hub,
                self._source.panel.id,
                old,
                rows,
                text,
                merge_key=merge_key,
            )
        )

    def _on_item_committed(self, item: Lettering, what: str) -> None:
        label = "balloon" if item.kind != "caption" and item.kind != "sfx" else item.kind
        self._commit(ops.replaced(self._items, item), f"{what} {label}".replace("sfx", "SFX"))

    def _on_controls_changed(self, change: dict) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        field = next(iter(change))
        merge = f"{field}:{','.join(ids)}" if field in MERGING else ""
        self._commit(ops.updated(self._items, set(ids), **change), f"Change {field}", merge)
        self.select(ids)

    def _on_view_nudge(self, dx: float, dy: float) -> None:
        ids = self.selected_ids()
        if ids:
            moved = ops.nudged(self._items, set(ids), dx, dy)
            self._commit(moved, "Nudge lettering", f"nudge:{','.join(ids)}")

    def _on_view_key_action(self, action: str) -> None:
        ids = self.selected_ids()
        match action:
            case "delete":
                self.delete_selected()
            case "edit" if ids:
                self.start_text_edit(ids[0])
            case "next" | "previous" if self._items:
                order = [i.id for i in self._items]
                step = 1 if action == "next" else -1
                start = order.index(ids[0]) if ids else (-1 if step > 0 else 0)
                chosen = order[(start + step) % len(order)]
                self.select([chosen])
                self.view.ensureVisible(self._views[chosen].box_rect())
            case "escape" if ids:
                self.scene.clearSelection()
            case "escape":
                self.back_requested.emit()

    def _on_inline_finished(self, object_id: str, commit: bool) -> None:
        inline = self._editing
        if inline is None or inline.object_id != object_id:
            return
        self._editing = None
        text = inline.text()
        inline.hide()
        if object_id in self._views:
            self._views[object_id].setOpacity(1.0)
        QTimer.singleShot(0, lambda: self._drop_inline(inline))
        current = next((i for i in self._items if i.id == object_id), None)
        if commit and current is not None and text != current.text:
            self._commit(ops.replaced(self._items, current.edited(text=text)), "Edit text")
        self.view.setFocus()

    def _drop_inline(self, inline: InlineText) -> None:
        if inline.scene() is self.scene:
            self.scene.removeItem(inline)

    def _finish_text(self, commit: bool) -> None:
        if self._editing is not None:
            self._editing.finish(commit)

    # -------------------------------------------------------------- internals
    def _set_items(self, items: list[Lettering]) -> None:
        """Show ``items``: re-render what changed, keep the selection and item identities."""
        self._items = list(items)
        wanted = {i.id for i in items}
        for oid in [o for o in self._views if o not in wanted]:
            self.scene.removeItem(self._views.pop(oid))
        shown = self._letters_shown()
        for n, item in enumerate(items):
            view = self._views.get(item.id)
            if view is None:
                view = LetterItem(item, self._source.frame if self._source else (1, 1), self._draw)
                view.committed.connect(self._on_item_committed)
                view.edit_requested.connect(self.start_text_edit)
                self.scene.addItem(view)
                self._views[item.id] = view
            else:
                view.set_lettering(item)
            view.set_order(n + 1)
            view.setVisible(shown)
        self._on_scene_selection_changed()

    def _draw(self, item: Lettering) -> tuple[Image.Image, int, int]:
        assert self._source is not None
        return self._source.draw(item)

    def _art_pixmap(self, source: PanelLetters) -> QPixmap:
        fw, fh = source.frame
        if source.art is None:
            placeholder = QPixmap(fw, fh)
            placeholder.fill(QColor(200, 200, 204))
            return placeholder
        return to_pixmap(ImageOps.fit(source.art, (fw, fh), method=Image.Resampling.LANCZOS))

    def _on_hub_changed(self, panel_id: int) -> None:
        if self._source is None or self._session is None or panel_id != self._source.panel.id:
            return
        self._source = self._source.refreshed(self._session.project)
        self._set_items(self._source.items)

    def _on_scene_selection_changed(self) -> None:
        ids = set(self.selected_ids())
        for n, item in enumerate(self._items):  # the selected object and its handles on top
            view = self._views.get(item.id)
            if view is not None:
                # sound effects sit above balloons, as in the drawn page (draw_order)
                above = 100 if item.kind == "sfx" else 0
                view.setZValue(n + above + (1000 if item.id in ids else 0))
        self.controls.show_items([i for i in self._items if i.id in ids])
        self.controls.set_editable(self._letters_shown() and self._source is not None)

    def _on_show_letters_toggled(self, on: bool) -> None:
        if not on:
            self._finish_text(commit=True)
            self.scene.clearSelection()
        for view in self._views.values():
            view.setVisible(on)
        self._on_scene_selection_changed()

    def _letters_shown(self) -> bool:
        return self.show_letters.isChecked()

    def _on_step_clicked(self, step: int) -> None:
        target = self._neighbour(step)
        if target is not None:
            self.open_panel(*target)

    def _neighbour(self, step: int) -> tuple[int, int] | None:
        if self._session is None or self._where is None:
            return None
        spots = [(p.index, q.index) for p in self._session.project.pages() for q in p.panels]
        if self._where not in spots:
            return None
        n = spots.index(self._where) + step
        return spots[n] if 0 <= n < len(spots) else None

    def _update_steps(self) -> None:
        self.previous.setEnabled(self._neighbour(-1) is not None)
        self.next.setEnabled(self._neighbour(1) is not None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)
