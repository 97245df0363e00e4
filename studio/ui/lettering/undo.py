"""Undoable lettering edits: each command keeps a panel's stored rows before and after."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from studio.storage import Project

Rows = list[dict[str, Any]] | None
_MERGE_ID = 4711


class LetterHub(QObject):
    """Tells the window that a panel's stored lettering changed (editor, page view)."""

    changed = Signal(int)  # panel id


class LetterEdit(QUndoCommand):
    """Replace a panel's lettering rows; ``None`` rows mean "never lettered by hand".

    Commands with the same non-empty ``merge_key`` on the same panel merge into one step
    (arrow-key nudges); a mouse drag pushes one command when the button is released.
    """

    def __init__(
        self,
        project: Project,
        hub: LetterHub,
        panel_id: int,
        old: Rows,
        new: Rows,
        text: str,
        *,
        merge_key: str = "",
    ) -> None:
        super().__init__(text)
        self._project = project
        self._hub = hub
        self.panel_id = panel_id
        self._old = copy.deepcopy(old)
        self._new = copy.deepcopy(new)
        self.merge_key = merge_key

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, LetterEdit)
            and other.panel_id == self.panel_id
            and other.merge_key == self.merge_key
        ):
            return False
        self._new = copy.deepcopy(other._new)
        return True

    def redo(self) -> None:
        self._write(self._new)

    def undo(self) -> None:
        self._write(self._old)

    def _write(self, rows: Rows) -> None:
        self._project.set_lettering(self.panel_id, copy.deepcopy(rows))
        self._hub.changed.emit(self.panel_id)
