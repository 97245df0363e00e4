"""The script as pages → panels: description, cast, location, caption, dialogue; editable."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import DialogueLine, ScriptPanel
from studio.ui.notify import show_error
from studio.ui.session import Session
from studio.ui.undo import PanelScriptEdit, ScriptReplace

COLUMNS = ("Panel", "Description", "Characters", "Location", "Caption", "Dialogue")
PanelIdRole = Qt.ItemDataRole.UserRole + 1


def dialogue_to_text(lines: list[DialogueLine]) -> str:
    return " | ".join(f"{d.speaker}: {d.text}" if d.speaker else d.text for d in lines)


def dialogue_from_text(text: str) -> list[DialogueLine]:
    out = []
    for part in text.split("|"):
        part = part.strip()
        if not part:
            continue
        speaker, sep, line = part.partition(":")
        out.append(DialogueLine(speaker.strip(), line.strip()) if sep else DialogueLine("", part))
    return out


def panel_from_row(item: QTreeWidgetItem, base: ScriptPanel) -> ScriptPanel:
    new = copy.deepcopy(base)
    new.description = item.text(1).strip()
    new.characters = [c.strip() for c in item.text(2).split(",") if c.strip()]
    new.location = item.text(3).strip() or None
    new.caption = item.text(4).strip()
    new.dialogue = dialogue_from_text(item.text(5))
    return new


class ScriptEditor(QWidget):
    panel_selected = Signal(int, int)  # page, panel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: Session | None = None
        self._scripts: dict[int, ScriptPanel] = {}
        self._items: dict[int, QTreeWidgetItem] = {}
        self._filling = False
        self._setup_ui()
        self.setEnabled(False)

    def _setup_ui(self) -> None:
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 80)
        header.resizeSection(1, 260)
        header.setStretchLastSection(True)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.derive = QPushButton("Derive from story")
        self.derive.setToolTip(
            "Fill the script from the story prompt (Page/Panel directions, else sentences)"
        )
        self.derive.clicked.connect(self._on_derive_clicked)
        self.write_with = QToolButton()
        self.write_with.setText("Write with…")
        self.write_with.setToolTip("Write the script from the story as a job (Jobs shows it)")
        self.write_with.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.write_with)
        menu.setToolTipsVisible(True)
        self.write_offline = menu.addAction("Offline")
        self.write_offline.setToolTip("Written on this computer; nothing is sent anywhere")
        self.write_llm = menu.addAction("Language model")
        menu.aboutToShow.connect(self.refresh_writers)
        self.write_offline.triggered.connect(lambda: self._on_write_triggered(False))
        self.write_llm.triggered.connect(lambda: self._on_write_triggered(True))
        self.write_with.setMenu(menu)
        self.state = QLabel()
        self.state.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.derive)
        row.addWidget(self.write_with)
        row.addWidget(self.state, 1)
        hint = QLabel("Double-click a cell to edit. Dialogue: “Speaker: line | Speaker: line”.")
        hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)

    def set_session(self, session: Session | None) -> None:
        self._session = session
        self.setEnabled(session is not None)
        self.refresh_writers()
        self.tree.clear()
        if session is not None:
            session.script_changed.connect(self.reload)
            session.panel_texts_changed.connect(self.update_panels)
            self.reload()

    def refresh_writers(self) -> None:
        """Enable "Language model" only when one is configured, saying why otherwise."""
        from studio.settings import load_settings
        from studio.story.llm import resolve_config

        config = resolve_config(settings=load_settings(), with_key=False)
        self.write_llm.setEnabled(config is not None)
        self.write_llm.setToolTip(
            f"Ask {config.model} at {config.base_url} to write the script"
            if config
            else "No language model is configured: set its base URL and model in "
            "Settings → Script writer."
        )

    def reload(self) -> None:
        if self._session is None:
            return
        project = self._session.project
        expanded = {
            i
            for i in range(self.tree.topLevelItemCount())
            if self.tree.topLevelItem(i).isExpanded()
        }
        self._filling = True
        self.tree.setUpdatesEnabled(False)
        try:
            self.tree.clear()
            self._scripts.clear()
            self._items.clear()
            pages = project.pages()
            for page in pages:
                top = QTreeWidgetItem([f"Page {page.index + 1}", f"{len(page.panels)} panels"])
                top.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                font = top.font(0)
                font.setBold(True)
                top.setFont(0, font)
                for panel in page.panels:
                    sp = panel.script
                    self._scripts[panel.id] = sp
                    child = QTreeWidgetItem(
                        [
                            f"Panel {panel.index + 1}",
                            sp.description,
                            ", ".join(sp.characters),
                            sp.location or "",
                            sp.caption,
                            dialogue_to_text(sp.dialogue),
                        ]
                    )
                    child.setData(0, PanelIdRole, panel.id)
                    self._items[panel.id] = child
                    child.setToolTip(1, sp.description)
                    child.setFlags(child.flags() | Qt.ItemFlag.ItemIsEditable)
                    top.addChild(child)
                self.tree.addTopLevelItem(top)
                top.setExpanded(not expanded or page.index in expanded or len(pages) <= 20)
            edited = project.script_edited
            count = sum(len(p.panels) for p in pages)
            how = "edited by hand" if edited else "derived from the story"
            if edited and project.meta("script_writer") == "llm":
                how = "written by a language model"
            self.state.setText(
                f"{count} panels · {how}"
                if count
                else "No script yet: derive it from the story, or generate."
            )
        finally:
            self.tree.setUpdatesEnabled(True)
            self._filling = False

    def update_panels(self, panel_ids: list[int]) -> None:
        """Refresh only these rows (a redraw changed their text), not the whole tree."""
        if self._session is None:
            return
        self._filling = True
        try:
            for pid in panel_ids:
                item = self._items.get(pid)
                if item is None:
                    continue
                sp = self._session.project.panel(pid).script
                self._scripts[pid] = sp
                texts = (sp.description, ", ".join(sp.characters), sp.location or "",
                         sp.caption, dialogue_to_text(sp.dialogue))  # fmt: skip
                for col, text in enumerate(texts, start=1):
                    item.setText(col, text)
        finally:
            self._filling = False

    def _on_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or self._session is None:
            return
        panel_id = item.data(0, PanelIdRole)
        if panel_id is None:
            return
        old = self._scripts[panel_id]
        new = panel_from_row(item, old)
        if new == old:
            return
        self._session.undo.push(
            PanelScriptEdit(self._session, panel_id, old, new, COLUMNS[column].lower())
        )

    def _on_tree_current_changed(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        if current is None or current.parent() is None:
            return
        page = self.tree.indexOfTopLevelItem(current.parent())
        self.panel_selected.emit(page, current.parent().indexOfChild(current))

    def _on_write_triggered(self, with_llm: bool) -> None:
        if self._session is None:
            return
        session = self._session

        def apply(written: Any) -> None:  # the written script is one undo step
            how = "with a language model" if written.writer == "llm" else "offline"
            session.project.set_meta("script_writer", written.writer)
            edited = written.writer == "llm"
            session.undo.push(
                ScriptReplace(session, written.script, edited=edited, text=f"Write script {how}")
            )

        try:
            session.write_script(with_llm, apply)
        except ValueError as exc:
            show_error(self, exc)
            return
        how = "The language model is" if with_llm else "The offline writer is"
        self.state.setText(f"{how} writing the script (see Jobs)…")

    def _on_derive_clicked(self) -> None:
        if self._session is None:
            return
        project = self._session.project
        try:
            from studio.story import add_automatic_cast, write_script

            result = write_script(project.story, project.characters(), project.locations())
            script = result.script
        except (ImportError, ValueError) as exc:
            show_error(self, exc)
            return
        self._session.undo.push(
            ScriptReplace(self._session, script, edited=False, text="Derive script from story")
        )
        if add_automatic_cast(project, result.cast):
            self._session.notify_cast()
        self._session.notice.emit(result.notice)
