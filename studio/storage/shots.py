"""The shot of each panel in the project file: stored, kept when a person edited it, and
cleared (to be derived again by ``studio.story``) when the text it came from changes."""

from __future__ import annotations

import sqlite3
from typing import Any

from studio.core.models import ScriptPanel
from studio.core.shot import Shot
from studio.storage import codec


def save_panel_shot(c: sqlite3.Connection, panel_id: int, sp: ScriptPanel, old: Any = None) -> None:
    """Store ``sp.shot`` for a panel whose script text was just written.

    A shot a person edited sticks (the same rule as lettering): the stored one is kept.
    Otherwise the given shot is stored; when the text changed but the caller passed the old
    shot along, the shot is cleared so that it is derived again from the new text.
    """
    if old is not None and old["shot_edited"]:
        return
    shot = sp.shot
    changed = old is not None and shot is not None and _text_changed(old, sp)
    if changed and codec.shot_to_json(shot) == old["shot"]:
        shot = None
    c.execute(
        "UPDATE panels SET shot=?, shot_edited=? WHERE id=?",
        (codec.shot_to_json(shot), int(sp.shot_edited and shot is not None), panel_id),
    )


def _text_changed(old: Any, sp: ScriptPanel) -> bool:
    stored = codec.panel_script_from_row(old)
    return (stored.description, stored.characters, stored.location, stored.caption) != (
        sp.description,
        sp.characters,
        sp.location,
        sp.caption,
    ) or stored.dialogue != sp.dialogue


def panel_row(c: sqlite3.Connection, panel_id: int) -> Any:
    return c.execute("SELECT * FROM panels WHERE id=?", (panel_id,)).fetchone()


class ShotsMixin:
    """Mixed into Project: a person's shot edits and the derived shots of whole books."""

    transaction: Any
    _query: Any

    def set_panel_shot(self, panel_id: int, shot: Shot | None, *, edited: bool) -> None:
        """A person's edit (``edited=True``) or "Reset to the text" (``shot=None``, then
        derived again) of one panel's shot."""
        with self.transaction() as c:
            c.execute(
                "UPDATE panels SET shot=?, shot_edited=? WHERE id=?",
                (codec.shot_to_json(shot), int(edited and shot is not None), panel_id),
            )

    def set_panel_shots(self, shots: dict[int, Shot]) -> None:
        """Derived shots for panels no person edited (one transaction for a whole book)."""
        with self.transaction() as c:
            c.executemany(
                "UPDATE panels SET shot=? WHERE id=? AND shot_edited=0",
                [(codec.shot_to_json(s), pid) for pid, s in shots.items()],
            )

    def panels_without_shot(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM panels WHERE shot IS NULL")[0][0])
