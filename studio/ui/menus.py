"""The window's actions, menus, toolbar and shortcuts, built in one place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar

from studio.ui.capability_gate import gates
from studio.ui.icons import icon

if TYPE_CHECKING:
    from studio.ui.session import Session
    from studio.ui.workspace import Workspace


class MenuHost(Protocol):
    """The window the actions act on: its slots, its menu bar and toolbars. The menus are
    built for it and never import it."""

    def on_new(self) -> None: ...
    def on_open(self) -> None: ...
    def on_save(self) -> None: ...
    def on_save_as(self) -> None: ...
    def on_shortcuts(self) -> None: ...
    def on_history(self) -> None: ...
    def on_sample(self) -> None: ...
    def on_close_project(self) -> None: ...
    def on_export(self) -> None: ...
    def on_undo(self) -> None: ...
    def on_redo(self) -> None: ...
    def on_settings(self) -> None: ...
    def on_generate(self) -> None: ...
    def on_redraw(self) -> None: ...
    def on_letter(self) -> None: ...
    def on_continue(self) -> None: ...
    def on_animate(self) -> None: ...
    def on_zoom_in(self) -> None: ...
    def on_zoom_out(self) -> None: ...
    def on_book_format(self) -> None: ...
    def on_about(self) -> None: ...
    def on_page_view(self, checked: bool) -> None: ...
    def on_toggle_jobs(self, checked: bool) -> None: ...
    def close(self) -> bool: ...
    def menuBar(self) -> QMenuBar: ...
    def addToolBar(self, toolbar: QToolBar) -> None: ...


@dataclass
class Actions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    sample: QAction
    close_project: QAction
    export: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    settings: QAction
    generate: QAction
    redraw: QAction
    letter: QAction
    continue_: QAction
    animate: QAction
    zoom_in: QAction
    zoom_out: QAction
    page_view: QAction
    book_format: QAction
    jobs: QAction
    history: QAction
    shortcuts: QAction
    about: QAction
    recent_menu: QMenu

    def project_actions(self) -> list[QAction]:
        return [
            self.close_project,
            self.save,
            self.save_as,
            self.export,
            self.generate,
            self.redraw,
            self.letter,
            self.continue_,
            self.zoom_in,
            self.zoom_out,
            self.page_view,
            self.book_format,
        ]

    def update(self, session: Session | None, workspace: Workspace | None) -> None:
        """Enable what the open project (read-only or not) and the selected panel allow."""
        has = session is not None
        for action in self.project_actions():
            action.setEnabled(has)
        self.undo.setEnabled(has and session.undo.canUndo())  # type: ignore[union-attr]
        self.redo.setEnabled(has and session.undo.canRedo())  # type: ignore[union-attr]
        if workspace is None:
            return
        self.apply_gates(session, workspace)

    def apply_gates(self, session: Session | None, workspace: Workspace) -> None:
        """Follow the selected provider's capabilities: what cannot act is disabled and
        its tooltip says why (the inspector's Redraw/Animate buttons too)."""
        inspector = workspace.inspector
        verbs = (self.generate, self.redraw, self.continue_, self.animate, self.letter)
        if session is None:
            for action in verbs:
                action.setEnabled(False)
            return
        project = session.project
        where = inspector.where()
        panel = None
        if where is not None:
            try:
                panel = project.panel_at(*where)
            except Exception:  # noqa: BLE001 - a removed page
                panel = None
        found = gates(
            project.story.provider,
            has_panels=project.panel_count() > 0,
            has_panel=panel is not None,
            has_image=panel is not None and panel.current_version is not None,
        )
        read_only = bool(getattr(project, "read_only", False))
        for key, action in zip(
            ("generate", "redraw", "continue", "animate", "letter"), verbs, strict=True
        ):
            gate = found[key]
            on = gate.enabled and not read_only
            action.setEnabled(on)
            _set_tip(action, gate.tip if not read_only else "The file is open read-only")
        for button, key in ((inspector.redraw, "redraw"), (inspector.animate, "animate")):
            button.setEnabled(found[key].enabled and not read_only)
            button.setToolTip(found[key].tip)
        if read_only:
            self.book_format.setEnabled(False)

    def set_recent(self, recent: list[str], open_recent: Callable[[str], None]) -> None:
        """Fill "Open recent" with ``recent``; choosing one calls ``open_recent(path)``."""
        menu = self.recent_menu
        menu.clear()
        for n, path in enumerate(recent, start=1):
            name = Path(path).name.replace("&", "&&")
            act = menu.addAction(f"&{n % 10} {name}" if n <= 10 else name)
            act.setToolTip(path)
            act.triggered.connect(lambda _c=False, p=path: open_recent(p))
        menu.setEnabled(bool(recent))


def _set_tip(action: QAction, tip: str) -> None:
    """Tooltip (with the shortcut) and status tip of ``action``."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.setStatusTip(tip)


def _action(
    w: MenuHost, text: str, slot: object, shortcut: QKeySequence | str | None = None,
    icon_name: str = "", tip: str = "",
) -> QAction:  # fmt: skip
    action = QAction(icon(icon_name), text, w) if icon_name else QAction(text, w)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        shortcut_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shortcut_text})" if shortcut_text else tip)
        action.setStatusTip(tip)
    action.triggered.connect(slot)  # type: ignore[arg-type]
    return action


def build(w: MenuHost) -> Actions:
    """Create every action, the menu bar and the toolbar of ``w``."""
    std = QKeySequence.StandardKey
    a = Actions(
        new=_action(w, "&New comic…", w.on_new, std.New, "new", "Start a new comic"),
        open=_action(w, "&Open…", w.on_open, std.Open, "open", "Open a project"),
        save=_action(w, "&Save", w.on_save, std.Save, "", "Save (an untitled comic gets a name)"),
        save_as=_action(
            w, "Save &As…", w.on_save_as, "Ctrl+Shift+S", "", "Save a copy under a new name"
        ),
        sample=_action(
            w, "Open the &sample story", w.on_sample, None, "", "A sample drawn offline"
        ),
        close_project=_action(w, "&Close project", w.on_close_project, std.Close),
        export=_action(w, "&Export…", w.on_export, "Ctrl+E", "export", "Export pages, PDF, CBZ"),
        quit=_action(w, "&Quit", w.close, std.Quit),
        undo=_action(w, "&Undo", w.on_undo, std.Undo, "undo", "Undo the last edit"),
        redo=_action(w, "&Redo", w.on_redo, std.Redo, "redo", "Redo"),
        settings=_action(
            w, "&Settings…", w.on_settings, "Ctrl+,", "settings", "Providers and keys"
        ),
        generate=_action(w, "&Generate", w.on_generate, "Ctrl+G", "generate", "Generate the comic"),
        redraw=_action(w, "&Redraw panel", w.on_redraw, "Ctrl+R", "redraw", "Redraw the panel"),
        letter=_action(
            w, "&Letter panel", w.on_letter, "Ctrl+L", "", "Edit the panel's balloons and captions"
        ),
        continue_=_action(
            w, "&Continue story…", w.on_continue, "Ctrl+Shift+C", "continue", "Add pages"
        ),
        animate=_action(
            w, "&Animate panel", w.on_animate, "Ctrl+Shift+A", "animate", "Video of a panel"
        ),
        zoom_in=_action(w, "Zoom &in", w.on_zoom_in, "Ctrl++", "zoom_in", "Bigger thumbnails"),
        zoom_out=_action(w, "Zoom &out", w.on_zoom_out, "Ctrl+-", "zoom_out", "Smaller ones"),
        page_view=_action(w, "&Page view", w.on_page_view, "Ctrl+P", "page", "Composed page"),
        book_format=_action(
            w, "&Book format…", w.on_book_format, "Ctrl+Shift+B", "", "Page size, margins, bleed"
        ),
        jobs=_action(w, "&Jobs", w.on_toggle_jobs, "Ctrl+J", "", "Show the job monitor"),
        history=_action(
            w, "Provider &history…", w.on_history, "Ctrl+H", "", "Jobs and images at the providers"
        ),
        shortcuts=_action(
            w, "&Keyboard shortcuts", w.on_shortcuts, "Ctrl+/", "", "Every key of the studio"
        ),
        about=_action(w, "&About Comic Studio", w.on_about, None, "about"),
        recent_menu=QMenu("Open &recent", w),
    )
    a.zoom_in.setShortcuts([QKeySequence("Ctrl++"), QKeySequence("Ctrl+=")])
    a.page_view.setCheckable(True)
    a.jobs.setCheckable(True)
    a.about.setMenuRole(QAction.MenuRole.AboutRole)
    a.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    for item in (a.new, a.open, a.recent_menu, a.sample, None, a.save, a.save_as, a.export, None,
                 a.close_project, a.quit):  # fmt: skip
        if item is None:
            file_menu.addSeparator()
        elif isinstance(item, QMenu):
            file_menu.addMenu(item)
        else:
            file_menu.addAction(item)
    edit = bar.addMenu("&Edit")
    edit.addActions([a.undo, a.redo])
    edit.addSeparator()
    edit.addAction(a.settings)
    comic = bar.addMenu("&Comic")
    comic.addActions([a.generate, a.redraw, a.letter, a.continue_, a.animate])
    comic.addSeparator()
    comic.addActions([a.book_format, a.history])
    view = bar.addMenu("&View")
    view.addActions([a.zoom_in, a.zoom_out, a.page_view])
    view.addSeparator()
    view.addAction(a.jobs)
    bar.addMenu("&Help").addActions([a.shortcuts, a.about])
    tb = QToolBar("Main", w)
    tb.setObjectName("mainToolbar")
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tb.setMovable(False)
    for item in (a.new, a.open, None, a.undo, a.redo, None, a.generate, a.redraw, a.letter,
                 a.continue_, None, a.zoom_out, a.zoom_in, None, a.export, a.settings):  # fmt: skip
        if item is None:
            tb.addSeparator()
        else:
            tb.addAction(item)
    for quiet in (a.new, a.open, a.undo, a.redo, a.zoom_in, a.zoom_out, a.settings):
        tb.widgetForAction(quiet).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    w.addToolBar(tb)
    return a
