"""The project workspace: story/script/cast tabs, the book in the centre, the inspector."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from studio.ui.book_view import BookView
from studio.ui.inspector import Inspector
from studio.ui.lettering.editor import LetterEditor
from studio.ui.panel_grid import PanelGridModel
from studio.ui.script_editor import ScriptEditor
from studio.ui.session import Session
from studio.ui.story_editor import StoryEditor
from studio.ui.tasks import TaskRunner
from studio.ui.thumbs import ThumbnailCache

log = logging.getLogger("studio.ui")


def _load_cast_editors() -> tuple[type | None, type | None]:
    """The other team's cast/locations editors, when this build has them."""
    try:
        from studio.ui.dialogs.cast_editor import CastEditor, LocationsEditor
    except ImportError as exc:
        log.warning("cast editor unavailable: %s", exc)
        return None, None
    return CastEditor, LocationsEditor


class Workspace(QSplitter):
    focus_changed = Signal(bool)  # the lettering editor took (True) or gave back the room

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self._runner = runner
        self._session: Session | None = None
        self._sizes_before_letters: list[int] | None = None
        self.thumbs = ThumbnailCache(runner, lambda _sha: b"", parent=self)
        self.model = PanelGridModel(self.thumbs, self)
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setObjectName("workspace")
        self.setChildrenCollapsible(False)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.story_editor = StoryEditor()
        self.script_editor = ScriptEditor()
        self.tabs.addTab(self.story_editor, "Story")
        self.tabs.addTab(self.script_editor, "Script")
        cast_cls, loc_cls = _load_cast_editors()
        self.cast_editor = cast_cls(self) if cast_cls else None
        self.locations_editor = loc_cls(self) if loc_cls else None
        self.tabs.addTab(_scrolled(self.cast_editor) or _missing("cast editor"), "Cast")
        self.tabs.addTab(
            _scrolled(self.locations_editor) or _missing("locations editor"), "Locations"
        )
        for editor in (self.cast_editor, self.locations_editor):
            if editor is not None:
                editor.changed.connect(self._on_editor_changed)
        self.book = BookView(self.model, self._runner)
        self.inspector = Inspector(self.thumbs)
        self.book.panel_activated.connect(self._on_book_panel_activated)
        self.letters = LetterEditor()
        self.letters.back_requested.connect(self.close_letters)
        self.letters.panel_shown.connect(self._on_letters_panel_shown)
        self.letters.hub.changed.connect(self._on_lettering_changed)
        self.book.letter_requested.connect(self.open_letters)
        self.script_editor.panel_selected.connect(self._on_script_panel_selected)
        self.addWidget(self.tabs)
        self.addWidget(self.book)
        self.addWidget(self.inspector)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setStretchFactor(2, 0)
        self._sized = False

    def apply_proportions(self) -> None:
        """First project shown (no saved layout): editors ¼, book ½, inspector ¼."""
        if self._sized or self.property("restored"):
            return
        self._sized = True
        total = max(900, self.width())
        side = max(300, total // 4)
        self.setSizes([side - 10, total - 2 * side, side + 10])

    # ----------------------------------------------------------------- public
    @property
    def grid(self):  # type: ignore[no-untyped-def]
        return self.book.grid

    def set_session(self, session: Session | None) -> None:
        self._session = session
        if session is not None:
            project = session.project
            self.thumbs.set_loader(project.thumbnail)
            session.book_changed.connect(self.reload_book)
            session.panels_changed.connect(self._on_session_panels_changed)
            session.story_changed.connect(self.book.refresh_header)
            session.script_changed.connect(self._on_session_script_changed)
            session.bridge.result_stored.connect(self._on_session_result_stored)
        else:
            self.thumbs.set_loader(lambda _sha: b"")
        self.story_editor.set_session(session)
        self.script_editor.set_session(session)
        self.inspector.set_session(session)
        self.close_letters()
        self.letters.set_session(session)
        self.book.set_project(session.project if session else None)
        for editor in (self.cast_editor, self.locations_editor):
            if editor is not None:
                editor.set_project(
                    session.project if session else None, session.undo if session else None
                )
        self.reload_book()
        if session is not None:
            if self.cast_editor is not None:  # the automatic cast added by Generate/Derive
                session.cast_changed.connect(lambda: self.cast_editor.reload())
            QTimer.singleShot(0, self.apply_proportions)

    def reload_book(self) -> None:
        if self._session is None:
            self.model.set_book([], {})
            self.book.refresh_header()
            return
        project = self._session.project
        where = self.inspector.where()
        current = {pid: v.asset for pid, v in project.current_versions().items()}
        self.model.set_book(project.pages(), current)
        self.book.refresh_header()
        if where is not None and self.model.panel(*where) is not None:
            self.grid.select_panel(*where)
        elif self.model.rowCount():
            self.grid.select_panel(0, 0)
        self.book.refresh_page()
        self._on_session_script_changed()

    def select_panel(self, page: int, panel: int) -> None:
        self.grid.select_panel(page, panel)

    def open_letters(self, page: int | None = None, panel: int | None = None) -> bool:
        """Show the lettering editor on a panel (the selected one by default)."""
        if page is None or panel is None:
            where = self.inspector.where()
            if where is None:
                return False
            page, panel = where
        if not self.letters.open_panel(page, panel):
            return False
        to = "page" if self.book.page_toggle.isChecked() else "grid"
        self.letters.back.setToolTip(f"Back to the {to} view (Esc)")
        if not self.book.editor_shown():
            self._give_room_to_letters()
        self.book.show_editor(self.letters)
        self.letters.view.setFocus()
        self.letters.view.fit()
        return True

    def close_letters(self) -> None:
        if self.book.editor_shown():
            self.book.leave_editor()
            self._take_room_back()

    def _give_room_to_letters(self) -> None:
        """Lettering needs the whole window: fold the side columns away (Back restores)."""
        self._sizes_before_letters = self.sizes()
        self.tabs.hide()
        self.inspector.hide()
        self.focus_changed.emit(True)

    def _take_room_back(self) -> None:
        self.tabs.show()
        self.inspector.show()
        if self._sizes_before_letters is not None:
            self.setSizes(self._sizes_before_letters)
            self._sizes_before_letters = None
        self.focus_changed.emit(False)

    # ------------------------------------------------------------- internals
    def _on_book_panel_activated(self, page: int, panel: int) -> None:
        self.inspector.show_panel((page, panel))
        self.book.show_page(page)

    def _on_letters_panel_shown(self, page: int, panel: int) -> None:
        if self.inspector.where() != (page, panel):
            self.grid.select_panel(page, panel)
        self.book.show_page(page)

    def _on_session_script_changed(self) -> None:
        if self.book.editor_shown():
            self.letters.reload()

    def _on_lettering_changed(self, _panel_id: int) -> None:
        self.book.refresh_page()

    def _on_script_panel_selected(self, page: int, panel: int) -> None:
        self.grid.select_panel(page, panel)

    def _on_session_panels_changed(self, panel_ids: list[int]) -> None:
        if self._session is None:
            return
        current = self._session.project.current_versions(panel_ids)
        for pid in panel_ids:
            version = current.get(pid)
            self.model.update_current(pid, version.asset if version else None)
        self.book.refresh_page()
        panel = self.letters.panel()
        if self.book.editor_shown() and panel is not None and panel.id in panel_ids:
            self.letters.reload()

    def _on_editor_changed(self) -> None:
        if self._session is not None:
            self._session.notify_cast()

    def _on_session_result_stored(self, *_args: object) -> None:
        for editor in (self.cast_editor, self.locations_editor):
            if editor is not None:
                editor.reload()


def _scrolled(editor: QWidget | None) -> QScrollArea | None:
    """The cast editors are wide; scrolling keeps the left column narrow."""
    if editor is None:
        return None
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(editor)
    return area


def _missing(what: str) -> QWidget:
    box = QWidget()
    label = QLabel(f"The {what} is not part of this build.")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setEnabled(False)
    QVBoxLayout(box).addWidget(label)
    return box
