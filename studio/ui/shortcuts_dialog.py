"""Help ▸ Keyboard shortcuts: a table generated from the window's menus, so it never drifts
from what the keys really do."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def accelerator(text: str) -> str:
    """The Alt+letter a menu text gives (``&Open`` → ``O``), or ""."""
    i = text.replace("&&", "").find("&")
    clean = text.replace("&&", "")
    return clean[i + 1].upper() if 0 <= i < len(clean) - 1 else ""


def plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def menu_rows(bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu path, action, keys) for every action of every menu, in menu order."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str, prefix: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            sub = action.menu()
            if isinstance(sub, QMenu):
                if action.text() and sub.actions():
                    letter = accelerator(action.text())
                    walk(sub, f"{path} ▸ {plain(action.text())}", f"{prefix}, {letter}")
                continue
            rows.append((path, plain(action.text()), keys_of(action, prefix)))

    for top in bar.actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, plain(top.text()), f"Alt+{accelerator(top.text())}")
    return rows


def keys_of(action: QAction, prefix: str = "Alt") -> str:
    """Its shortcuts, then the menu accelerator path (``Alt+F, O``)."""
    keys = [
        k.toString(QKeySequence.SequenceFormat.NativeText)
        for k in action.shortcuts()
        if not k.isEmpty()
    ]
    letter = accelerator(action.text())
    if letter:
        keys.append(f"{prefix}, {letter}")
    return " · ".join(keys)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None, bar: QMenuBar) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 520)
        rows = menu_rows(bar)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
