"""Undoable edits. Each command writes through the Project API in redo() and undo()."""

from __future__ import annotations

import copy

from PySide6.QtGui import QUndoCommand

from studio.core.models import BookFormat, PanelMove, ReadingDirection, Script, ScriptPanel, Story
from studio.ui.session import Session

_STORY_ID = 1001


class StoryEdit(QUndoCommand):
    """Change story fields; consecutive edits of the same field merge into one step."""

    def __init__(self, session: Session, old: Story, new: Story, field: str) -> None:
        super().__init__(f"Edit {field}")
        self._session = session
        self._old = copy.deepcopy(old)
        self._new = copy.deepcopy(new)
        self.field = field

    def id(self) -> int:
        return _STORY_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, StoryEdit) or other.field != self.field:
            return False
        self._new = copy.deepcopy(other._new)
        return True

    def redo(self) -> None:
        self._session.project.set_story(self._new)
        self._session.notify_story()

    def undo(self) -> None:
        self._session.project.set_story(self._old)
        self._session.notify_story()


class PanelScriptEdit(QUndoCommand):
    def __init__(
        self, session: Session, panel_id: int, old: ScriptPanel, new: ScriptPanel, what: str
    ) -> None:
        super().__init__(f"Edit panel {what}")
        self._session = session
        self._panel_id = panel_id
        self._old = copy.deepcopy(old)
        self._new = copy.deepcopy(new)
        self._was_edited = session.project.script_edited

    def redo(self) -> None:
        self._session.project.update_panel_script(self._panel_id, self._new)
        self._session.project.set_script_edited(True)
        self._session.notify_script([self._panel_id])

    def undo(self) -> None:
        self._session.project.update_panel_script(self._panel_id, self._old)
        self._session.project.set_script_edited(self._was_edited)
        self._session.notify_script([self._panel_id])


class ScriptReplace(QUndoCommand):
    """Replace the whole script (e.g. "Derive from story"); panels with versions are kept."""

    def __init__(self, session: Session, new: Script, *, edited: bool, text: str) -> None:
        super().__init__(text)
        self._session = session
        self._old = session.project.script()
        self._old_edited = session.project.script_edited
        self._new = copy.deepcopy(new)
        self._edited = edited

    def redo(self) -> None:
        self._session.project.set_script(self._new)
        self._session.project.set_script_edited(self._edited)
        self._session.notify_script()

    def undo(self) -> None:
        self._session.project.set_script(self._old)
        self._session.project.set_script_edited(self._old_edited)
        self._session.notify_script()


class CurrentVersion(QUndoCommand):
    def __init__(self, session: Session, panel_id: int, old: int | None, new: int) -> None:
        super().__init__("Change panel version")
        self._session = session
        self._panel_id = panel_id
        self._old = old
        self._new = new

    def redo(self) -> None:
        self._session.project.set_current_version(self._panel_id, self._new)
        self._session.notify_panels([self._panel_id])

    def undo(self) -> None:
        if self._old is not None:
            self._session.project.set_current_version(self._panel_id, self._old)
            self._session.notify_panels([self._panel_id])


class CastReplace(QUndoCommand):
    """Replace the character list (used when the cast editor is not installed)."""

    def __init__(self, session: Session, new: list, text: str = "Edit cast") -> None:
        super().__init__(text)
        self._session = session
        self._old = session.project.characters()
        self._new = copy.deepcopy(new)

    def redo(self) -> None:
        self._session.project.set_characters(copy.deepcopy(self._new))
        self._session.notify_cast()

    def undo(self) -> None:
        self._session.project.set_characters(copy.deepcopy(self._old))
        self._session.notify_cast()


class MovePanel(QUndoCommand):
    """Move a panel within or across pages; undo puts it back (and its page, if removed)."""

    def __init__(self, session: Session, panel_id: int, to_page: int, to_index: int) -> None:
        super().__init__("Move panel")
        self._session = session
        self._panel_id = panel_id
        self._to = (to_page, to_index)
        self.move: PanelMove | None = None

    def redo(self) -> None:
        self.move = move = self._session.project.move_panel(self._panel_id, *self._to)
        pages = {move.to_page} if move.removed_page else {move.from_page, move.to_page}
        project = self._session.project
        self._session.notify_script([p.id for i in pages for p in project.page(i).panels])

    def undo(self) -> None:
        if self.move is not None:
            self._session.project.undo_move_panel(self.move)
            self._session.notify_script()


class SetPageTemplate(QUndoCommand):
    def __init__(self, session: Session, page: int, old: str, new: str, label: str) -> None:
        super().__init__(f"Page layout: {label}")
        self._session = session
        self._page = page
        self._old = old
        self._new = new

    def redo(self) -> None:
        self._session.project.set_page_template(self._page, self._new)
        self._session.notify_script(self._panel_ids())

    def undo(self) -> None:
        self._session.project.set_page_template(self._page, self._old)
        self._session.notify_script(self._panel_ids())

    def _panel_ids(self) -> list[int]:
        return [p.id for p in self._session.project.page(self._page).panels]


class SetBookFormat(QUndoCommand):
    """Change the book's page size, margins, gutters, bleed and reading direction."""

    def __init__(self, session: Session, fmt: BookFormat, direction: ReadingDirection) -> None:
        super().__init__("Change book format")
        self._session = session
        story = session.project.story
        self._old = (copy.deepcopy(story.book_format), story.direction)
        self._new = (copy.deepcopy(fmt), direction)

    def redo(self) -> None:
        self._apply(*self._new)

    def undo(self) -> None:
        self._apply(*self._old)

    def _apply(self, fmt: BookFormat, direction: ReadingDirection) -> None:
        story = self._session.project.story
        story.book_format = copy.deepcopy(fmt)
        story.direction = direction
        self._session.project.set_story(story)
        self._session.notify_story()
        self._session.notify_script()  # every page re-flows
