"""The shared editor for cast and locations: list + form + reference image, all undoable."""

from __future__ import annotations

import copy
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Character, Location
from studio.core.validation import ValidationError
from studio.storage import Project, ProjectError
from studio.ui.dialogs.common import ImageLoader, StatusLabel, describe_error
from studio.ui.dialogs.library import Library, LibraryPicker
from studio.ui.dialogs.ref_image import PREVIEW_SIDE, RefImageBox, read_reference_image

Item = Character | Location
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp)"


class TextBox(QPlainTextEdit):
    """A short multi-line field with ``editingFinished`` like QLineEdit's."""

    editingFinished = Signal()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editingFinished.emit()


class ListEditCommand(QUndoCommand):
    """Replaces the whole list in the project; undo writes the previous list back."""

    def __init__(
        self, editor: EntityEditor, project: Project, before: list[Item], after: list[Item],
        text: str, row: int,
    ) -> None:  # fmt: skip
        super().__init__(text)
        self._editor, self._project = editor, project
        self._before, self._after = copy.deepcopy(before), copy.deepcopy(after)
        self._row_before, self._row_after = editor.current_row(), row

    def redo(self) -> None:
        self._editor.write_list(self._project, copy.deepcopy(self._after), self._row_after)

    def undo(self) -> None:
        self._editor.write_list(self._project, copy.deepcopy(self._before), self._row_before)


class EntityEditor(QWidget):
    """Subclasses set the kind, the form fields and how items are read, written, checked."""

    changed = Signal()
    KIND = "characters"  # library kind
    NOUN = "character"
    FIELDS: tuple[tuple[str, str, bool], ...] = ()  # (attribute, label, multi-line)

    def __init__(self, parent: QWidget | None = None, *, library: Library | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self.undo_stack: QUndoStack | None = None
        self.library = library or Library()
        self.items: list[Item] = []
        self.editors: dict[str, QLineEdit | TextBox] = {}
        self._loader = ImageLoader(self)
        self._loader.loaded.connect(self._on_preview_loaded)
        self._setup_ui()
        self.set_project(None, None)

    # -------------------------------------------------------- subclass hooks
    def read_items(self, project: Project) -> list[Item]:
        raise NotImplementedError

    def write_items(self, project: Project, items: list[Item]) -> None:
        raise NotImplementedError

    def validate(self, items: list[Item]) -> None:
        raise NotImplementedError

    def new_item(self, name: str) -> Item:
        raise NotImplementedError

    # ----------------------------------------------------------------- public
    def set_project(self, project: Project | None, undo: QUndoStack | None) -> None:
        self.project, self.undo_stack = project, undo
        self.setEnabled(project is not None)
        self.status.clear_message()
        self.reload()

    def reload(self, row: int | None = None) -> None:
        """Re-read the list from the project (e.g. after a job stored new references)."""
        keep = self.current_row() if row is None else row
        self.items = self.read_items(self.project) if self.project else []
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([self.item_label(item) for item in self.items])
        self.list.blockSignals(False)
        if self.items:
            self.list.setCurrentRow(min(max(keep, 0), len(self.items) - 1))
        self._show_current()

    def item_label(self, item: Item) -> str:
        """The text of an item in the list (subclasses may mark items)."""
        return item.name

    def current_row(self) -> int:
        return self.list.currentRow()

    def current(self) -> Item | None:
        row = self.current_row()
        return self.items[row] if 0 <= row < len(self.items) else None

    def write_list(self, project: Project, items: list[Item], row: int) -> None:
        """Used by undo commands: write ``items`` and, if it is still ours, refresh."""
        self.write_items(project, items)
        if project is self.project:
            self.reload(row)
            self.changed.emit()

    def add(self, name: str = "") -> bool:
        base = name or f"New {self.NOUN}"
        taken = {i.name.casefold() for i in self.items}
        candidate, n = base, 2
        while not name and candidate.casefold() in taken:
            candidate, n = f"{base} {n}", n + 1
        items = [*self._copy(), self.new_item(candidate)]
        return self._push(items, f"Add {self.NOUN} {candidate}", len(items) - 1)

    def remove_current(self) -> bool:
        row, item = self.current_row(), self.current()
        if item is None:
            return False
        items = self._copy()
        del items[row]
        return self._push(items, f"Remove {self.NOUN} {item.name}", min(row, len(items) - 1))

    def edit_current(self, **changes: Any) -> bool:
        """Change fields of the selected item (one undo step); False when refused."""
        row, item = self.current_row(), self.current()
        if item is None:
            return False
        if all(getattr(item, k) == v for k, v in changes.items()):
            return True
        items = self._copy()
        items[row] = replace(items[row], **changes)
        what = "Rename" if "name" in changes else "Edit"
        return self._push(items, f"{what} {self.NOUN} {items[row].name}", row)

    def set_image_file(self, path: str | Path) -> bool:
        """Use an image file as the selected item's reference; False (with a message) if not."""
        if self.project is None or self.current() is None:
            return False
        try:
            data = read_reference_image(path)
            sha = self.project.put_asset(data)
        except (ValidationError, ProjectError) as exc:
            self.status.show_message(describe_error(exc), "error")
            return False
        return self.edit_current(image_asset=sha)

    def save_current_to_library(self) -> bool:
        item = self.current()
        if item is None or self.project is None:
            return False
        entry = {f.name: getattr(item, f.name) for f in fields(item)}
        for key in ("id", "image_asset", "image_url", "provider_refs"):
            entry.pop(key, None)
        try:
            image = self.project.asset(item.image_asset) if item.image_asset else None
            self.library.save(self.KIND, entry, image)
        except (OSError, ProjectError) as exc:
            self.status.show_message(f"Not saved to the library: {describe_error(exc)}", "error")
            return False
        self.status.show_message(f"Saved {item.name!r} to the library.", "ok")
        return True

    def insert_entries(self, entries: list[dict[str, Any]]) -> bool:
        """Add library entries (with their reference images) to the project, one undo step."""
        if self.project is None or not entries:
            return False
        items = self._copy()
        try:
            for entry in entries:
                known = {f.name for f in fields(self.new_item("x"))} - {"id", "image_asset"}
                values = {k: v for k, v in entry.items() if k in known and isinstance(v, str)}
                item = self.new_item(values.pop("name", ""))
                item = replace(item, **values)
                image = self.library.image(entry)
                if image:
                    item.image_asset = self.project.put_asset(image)
                items.append(item)
        except ProjectError as exc:
            self.status.show_message(describe_error(exc), "error")
            return False
        names = ", ".join(e["name"] for e in entries)
        return self._push(items, f"Insert {names} from the library", len(items) - 1)

    # --------------------------------------------------------------------- UI
    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        row = QHBoxLayout()
        left = QVBoxLayout()
        self.list = QListWidget()
        self.list.setMinimumWidth(170)
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        self.save_library_button = QPushButton("Save to library")
        self.insert_library_button = QPushButton("Insert from library…")
        left.addWidget(self.save_library_button)
        left.addWidget(self.insert_library_button)
        row.addLayout(left)

        right = QVBoxLayout()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for attr, label, multiline in self.FIELDS:
            editor: QLineEdit | TextBox = TextBox() if multiline else QLineEdit()
            if isinstance(editor, TextBox):
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(72)
            editor.editingFinished.connect(lambda a=attr: self._on_field_edited(a))
            self.editors[attr] = editor
            self.form.addRow(f"{label}:", editor)
        self.image_box = RefImageBox()
        image_buttons = QVBoxLayout()
        self.choose_image_button = QPushButton("Choose image…")
        self.clear_image_button = QPushButton("Remove image")
        image_buttons.addWidget(self.choose_image_button)
        image_buttons.addWidget(self.clear_image_button)
        image_buttons.addStretch(1)
        image_row = QHBoxLayout()
        image_row.addWidget(self.image_box)
        image_row.addLayout(image_buttons)
        image_row.addStretch(1)
        self.form.addRow("Reference:", image_row)
        right.addLayout(self.form)
        right.addStretch(1)
        row.addLayout(right, 1)
        outer.addLayout(row, 1)
        self.status = StatusLabel()
        outer.addWidget(self.status)

        self.list.currentRowChanged.connect(self._on_list_row_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.save_library_button.clicked.connect(self._on_save_library_clicked)
        self.insert_library_button.clicked.connect(self._on_insert_library_clicked)
        self.choose_image_button.clicked.connect(self._on_choose_image_clicked)
        self.clear_image_button.clicked.connect(self._on_clear_image_clicked)
        self.image_box.file_dropped.connect(self._on_image_dropped)

    def _show_current(self) -> None:
        item = self.current()
        for attr, editor in self.editors.items():
            editor.blockSignals(True)
            editor.setText(str(getattr(item, attr)) if item is not None else "")
            editor.setEnabled(item is not None)
            editor.blockSignals(False)
        for widget in (
            self.remove_button, self.save_library_button, self.choose_image_button, self.image_box,
        ):  # fmt: skip
            widget.setEnabled(item is not None)
        self.clear_image_button.setEnabled(item is not None and bool(item.image_asset))
        sha = item.image_asset if item is not None else None
        if sha and self.project is not None:
            self.image_box.show_empty("Loading…")
            project = self.project
            self._loader.load(sha, lambda: project.thumbnail(sha, 320), PREVIEW_SIDE)
        elif item is not None and item.image_url:
            self.image_box.show_empty(f"Remote reference:\n{item.image_url}")
        else:
            self.image_box.show_empty()

    def _copy(self) -> list[Item]:
        return copy.deepcopy(self.items)

    def _push(self, items: list[Item], text: str, row: int) -> bool:
        if self.project is None:
            return False
        try:
            self.validate(copy.deepcopy(items))
        except ValidationError as exc:
            self.status.show_message(str(exc), "error")
            self._show_current()  # put the refused value back
            return False
        self.status.clear_message()
        command = ListEditCommand(self, self.project, self.items, items, text, row)
        try:
            if self.undo_stack is not None:
                self.undo_stack.push(command)
            else:
                command.redo()
        except ProjectError as exc:
            self.status.show_message(describe_error(exc), "error")
            self.reload()
            return False
        return True

    # ------------------------------------------------------------------ slots
    def _on_list_row_changed(self, _row: int) -> None:
        self._show_current()

    def _on_field_edited(self, attr: str) -> None:
        if self.current() is not None:
            self.edit_current(**{attr: self.editors[attr].text().strip()})

    def _on_add_clicked(self) -> None:
        if self.add():
            self.editors["name"].setFocus()
            self.editors["name"].selectAll()

    def _on_remove_clicked(self) -> None:
        self.remove_current()

    def _on_choose_image_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Reference image", "", IMAGE_FILTER)
        if path:
            self.set_image_file(path)

    def _on_image_dropped(self, path: str) -> None:
        self.set_image_file(path)

    def _on_clear_image_clicked(self) -> None:
        self.edit_current(image_asset=None)

    def _on_save_library_clicked(self) -> None:
        self.save_current_to_library()

    def _on_insert_library_clicked(self) -> None:
        picker = LibraryPicker(self, self.library, self.KIND)
        if picker.exec() == LibraryPicker.DialogCode.Accepted:
            self.insert_entries(picker.selected_entries())

    def _on_preview_loaded(self, sha: object, image: object) -> None:
        item = self.current()
        if item is None or item.image_asset != sha:
            return
        if image is None:
            self.image_box.show_empty("The reference image cannot be shown.")
        else:
            self.image_box.show_image(image)
