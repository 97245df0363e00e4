"""The main window: welcome screen or a project workspace, menus, jobs dock, lifecycle."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QStackedWidget,
)

from studio.core.models import BookFormat, Story
from studio.settings import load_settings, save_settings
from studio.storage import Project
from studio.ui import menus, window_dialogs
from studio.ui.book_files import PROJECT_FILTER, BookFiles
from studio.ui.job_actions import JobActions, confirm_jobs_stop
from studio.ui.job_monitor import JobMonitor
from studio.ui.jobs_dock import JobsDock
from studio.ui.notify import Toast, read_only_notice, show_error
from studio.ui.page_layout import PageLayoutActions
from studio.ui.session import Session
from studio.ui.tasks import TaskRunner
from studio.ui.welcome import WelcomeScreen, create_sample
from studio.ui.window_state import default_dir, restore_layout, save_layout, window_settings
from studio.ui.workspace import Workspace

__all__ = ["MainWindow", "window_settings"]

log = logging.getLogger("studio.ui")
SessionFactory = Callable[[Project, TaskRunner], Session]


class MainWindow(QMainWindow):
    session_opened = Signal(object)  # Session
    closed = Signal()

    def __init__(self, runner: TaskRunner, make_session: SessionFactory) -> None:
        super().__init__()
        self.runner = runner
        self._make_session = make_session
        self.session: Session | None = None
        self._closing_confirmed = False
        self._closing: list[asyncio.Task[None]] = []  # projects being closed
        self._setup_ui()
        self._restore_layout()
        self._show_welcome()

    # ------------------------------------------------------------------ setup
    def _setup_ui(self) -> None:
        self.setWindowTitle("Comic Studio")
        self.resize(1400, 900)
        self.welcome = WelcomeScreen()
        self.welcome.new_requested.connect(self.on_new)
        self.welcome.open_requested.connect(self.on_open)
        self.welcome.sample_requested.connect(self.on_sample)
        self.welcome.recent_requested.connect(self.open_project)
        self._workspace: Workspace | None = None  # built after the first paint, or on demand
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self.jobs = JobMonitor()
        self.jobs_dock = JobsDock(self.jobs, self)
        self.toast = Toast(self)
        self.toast.dock_in(self.statusBar())  # notices never cover the controls
        self.job_actions = JobActions(self)
        self.files = BookFiles(self)
        self._gates_timer = QTimer(self, singleShot=True, interval=100)
        self._gates_timer.timeout.connect(self._update_actions)
        self.actions_ = menus.build(self)
        self.jobs_dock.visibilityChanged.connect(self.actions_.jobs.setChecked)
        self.jobs.cancel_requested.connect(self.job_actions.cancel)
        self.jobs.retry_requested.connect(self.job_actions.retry)
        self.jobs.show_panels_requested.connect(self.job_actions.show_panels)
        self.statusBar().showMessage("Ready", 2000)
        self._refresh_recent()

    def showEvent(self, event: QShowEvent) -> None:
        """The welcome screen paints first; the project workspace (~100 ms of widgets) is
        built two turns of the event loop later, or at once when something needs it."""
        super().showEvent(event)
        if self._workspace is None:
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._build_workspace))

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._build_workspace()
        assert self._workspace is not None
        return self._workspace

    def _build_workspace(self) -> None:
        if self._workspace is not None:
            return
        ws = self._workspace = Workspace(self.runner)
        self.stack.addWidget(ws)
        self.page_layout = PageLayoutActions(self, ws.model, ws.grid, self.statusBar().showMessage)
        ws.book.template_chosen.connect(self.page_layout.set_template)
        ws.story_editor.generate_requested.connect(self.on_generate)
        ws.inspector.redraw_requested.connect(self.job_actions.redraw)
        ws.inspector.animate_requested.connect(self.job_actions.animate)
        ws.book.page_toggle.toggled.connect(self.actions_.page_view.setChecked)
        ws.grid.panel_activated.connect(lambda *_a: self._update_actions())
        ws.focus_changed.connect(self.jobs_dock.set_letters_focus)
        qs = window_settings()
        splitter = qs.value("splitter")
        if isinstance(splitter, QByteArray | bytes) and ws.restoreState(QByteArray(splitter)):
            ws.setProperty("restored", True)
        zoom = qs.value("zoom")
        if zoom is not None:
            ws.grid.set_zoom(int(zoom))
        self._update_actions()

    # ---------------------------------------------------------- project life
    def new_project(self, path: str | Path, story: Story | None = None) -> None:
        """Create a project file and open it (creation is quick: one small SQLite file)."""
        path = Path(path)
        if path.suffix != ".comic":
            path = path.with_suffix(".comic")
        story = story or Story(
            title=path.stem.replace("_", " ").strip() or "Untitled comic",
            book_format=BookFormat(page_size=load_settings().page_size).clamped(),
        )
        try:
            project = Project.create(path, story, overwrite=path.exists())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._attach(project)

    def open_project(self, path: str | Path) -> None:
        """Open (check + migrate) off the UI thread, then show it."""
        self.statusBar().showMessage(f"Opening {Path(path).name}…")
        self.runner.run_in_thread(
            Project.open,
            Path(path),
            on_done=self._attach,
            on_error=lambda exc: self._on_open_failed(exc),
            name="open-project",
        )

    def open_sample(self, path: str | Path | None = None) -> None:
        from studio.settings import data_dir

        target = Path(path) if path else data_dir() / "samples" / "The Lighthouse Keeper.comic"
        try:
            project = create_sample(target)
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self._attach(project)
        self.job_actions.generate()

    def close_project(self) -> asyncio.Task[None] | None:
        """Detach the current project; its jobs stop waiting and resume next time. Returns
        the task that closes the file (None when nothing was open)."""
        session = self.session
        if session is None:
            return None
        self.session = None
        self.workspace.set_session(None)
        self.job_actions.set_session(None)
        self.page_layout.set_session(None)
        self.jobs.model.set_jobs([])
        self.toast.hide()  # a notice about this project ends with it
        task = self.runner.spawn(session.close(), name="close-project")
        self._closing.append(task)
        task.add_done_callback(self._closing.remove)
        self._show_welcome()
        return task

    async def shutdown(self) -> None:
        """Called once by main() after the window closed."""
        if self.session is not None:
            session, self.session = self.session, None
            await session.close()
        if self._closing:  # a project closed on the way out (e.g. a discarded untitled one)
            await asyncio.gather(*list(self._closing), return_exceptions=True)

    # ----------------------------------------------------------- menu slots
    def on_new(self) -> None:
        """A new untitled book at once: no file dialog before anything is written."""
        self.files.leave("New comic", self.files.new_untitled)

    def on_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open comic", default_dir(), PROJECT_FILTER)
        if path:
            self.files.leave("Open", lambda: self._switch_to(path))

    def on_save(self) -> None:
        self.files.save()

    def on_save_as(self) -> None:
        self.files.save_as()

    def on_sample(self) -> None:
        self.files.leave("Open the sample", lambda: (self.close_project(), self.open_sample()))

    def on_close_project(self) -> None:
        if self._confirm_jobs_stop("Close the project"):
            self.files.leave("Close", self.close_project)

    def on_export(self) -> None:
        window_dialogs.open_export(self, self.session, self.runner)

    def on_settings(self) -> None:
        if window_dialogs.open_settings(self, self.runner):
            self.workspace.story_editor.reload()

    def on_shortcuts(self) -> None:
        window_dialogs.open_shortcuts(self, self.menuBar())

    def on_history(self) -> None:
        window_dialogs.open_history(self, self.session, self.runner)

    def on_undo(self) -> None:
        if self.session is not None and self.session.undo.canUndo():
            text = self.session.undo.undoText()
            self.session.undo.undo()
            self.statusBar().showMessage(f"Undid: {text}" if text else "Undid the last edit", 4000)

    def on_redo(self) -> None:
        if self.session is not None and self.session.undo.canRedo():
            text = self.session.undo.redoText()
            self.session.undo.redo()
            self.statusBar().showMessage(f"Redid: {text}" if text else "Redid the edit", 4000)

    def on_generate(self) -> None:
        self.job_actions.generate()

    def on_redraw(self) -> None:
        self.workspace.inspector.request_redraw()

    def on_letter(self) -> None:
        if self.session is not None and not self.workspace.open_letters():
            self.statusBar().showMessage("Select a panel in the grid first, then letter it.", 4000)

    def on_book_format(self) -> None:
        self.page_layout.edit_book_format()

    def on_continue(self) -> None:
        self.job_actions.continue_story()

    def on_animate(self) -> None:
        where = self.workspace.inspector.where()
        if where is not None:
            self.job_actions.animate(*where)

    def on_zoom_in(self) -> None:
        self.workspace.grid.zoom_in()

    def on_zoom_out(self) -> None:
        self.workspace.grid.zoom_out()

    def on_page_view(self, checked: bool) -> None:
        self.workspace.book.page_toggle.setChecked(checked)

    def on_toggle_jobs(self, checked: bool) -> None:
        self.jobs_dock.toggle(checked)

    def show_jobs(self) -> None:
        """Jobs exist: show the dock, unless the person closed it (View ▸ Jobs)."""
        if not self.jobs_dock.show_for_jobs():
            self.statusBar().showMessage("Jobs run: View ▸ Jobs (Ctrl+J) shows them.", 5000)

    def on_jobs_idle(self) -> None:
        """The last job finished: the dock stays, showing how the jobs ended."""

    def on_about(self) -> None:
        from studio.ui.about import show_about

        show_about(self)

    def welcome_recent(self) -> list[str]:
        return load_settings().recent_files

    # --------------------------------------------------------------- closing
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing_confirmed and not self._confirm_jobs_stop("Quit"):
            event.ignore()
            return
        if not self._closing_confirmed and self.files.untitled():
            event.ignore()  # asks Save / Discard / Cancel; quits after Save or Discard
            self.files.leave("Quit", lambda: QTimer.singleShot(0, self._quit_confirmed))
            return
        self._closing_confirmed = True
        if self._workspace is not None:
            self._workspace.close_letters()  # save the columns, not the editor's full width
        self._save_layout()
        event.accept()
        self.closed.emit()

    def _quit_confirmed(self) -> None:
        self._closing_confirmed = True
        self.close()

    def _confirm_jobs_stop(self, verb: str) -> bool:
        running = self.session.active_jobs() if self.session else []
        return not running or confirm_jobs_stop(self, verb, len(running))

    # ------------------------------------------------------------- internals
    def _attach(self, project: Project) -> None:
        if self.session is not None:  # a second open finished: keep the newest
            self.close_project()
        session = self._make_session(project, self.runner)
        self.session = session
        self.workspace.set_session(session)
        self.job_actions.set_session(session)
        self.page_layout.set_session(session)
        self.jobs.model.set_jobs(project.jobs())
        session.story_changed.connect(self._on_session_changed)  # the provider: at once
        for signal in (session.book_changed, session.panels_changed, session.script_changed):
            signal.connect(self._gates_timer.start)  # bursts (jobs storing) coalesce
        session.undo.canUndoChanged.connect(self.actions_.undo.setEnabled)
        session.undo.canRedoChanged.connect(self.actions_.redo.setEnabled)
        session.undo.undoTextChanged.connect(self._on_undo_text_changed)
        session.undo.redoTextChanged.connect(self._on_redo_text_changed)
        session.notice.connect(lambda text: self.toast.show_message(text, msec=12000))
        settings = load_settings()
        settings.add_recent(str(project.path))
        save_settings(settings)
        self._refresh_recent()
        self.stack.setCurrentWidget(self.workspace)
        self.jobs_dock.hide()  # shown while the project has jobs (resumed, old or new)
        self.setWindowTitle(f"{session.name} — Comic Studio")
        if getattr(project, "read_only", False):
            self._open_read_only(project)
            return
        self.workspace.tabs.setEnabled(True)
        resumed = session.start()
        if project.jobs():
            self.show_jobs()
        if resumed:
            self.statusBar().showMessage(f"Resumed {len(resumed)} unfinished job(s).", 6000)
        else:
            self.statusBar().showMessage(f"Opened {project.path.name}", 4000)
        self._update_actions()
        self.session_opened.emit(session)

    def _open_read_only(self, project: Project) -> None:
        """A damaged or write-protected file: show what is there, change nothing."""
        notices = list(getattr(project, "notices", ())) or ["The file cannot be changed."]
        self.setWindowTitle(f"{self.windowTitle()} (read-only)")
        self._update_actions()
        self.workspace.tabs.setEnabled(False)  # story, script and cast stay readable
        self.statusBar().showMessage(f"Opened read-only: {notices[0]}")
        box = read_only_notice(self, project.path.name, notices)
        self.read_only_notice = box
        self.session_opened.emit(self.session)

    def _on_session_changed(self, *_args: object) -> None:
        self._update_actions()

    def _on_undo_text_changed(self, text: str) -> None:
        self.actions_.undo.setText(f"&Undo {text}" if text else "&Undo")

    def _on_redo_text_changed(self, text: str) -> None:
        self.actions_.redo.setText(f"&Redo {text}" if text else "&Redo")

    def _on_open_failed(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        show_error(self, exc)

    def _show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.jobs_dock.hide()
        self.setWindowTitle("Comic Studio")
        self._refresh_recent()
        self._update_actions()

    def _update_actions(self) -> None:
        self.actions_.update(self.session, self._workspace)

    def _refresh_recent(self) -> None:
        recent = load_settings().recent_files
        self.welcome.set_recent(recent)
        if hasattr(self, "actions_"):
            self.actions_.set_recent(recent, self._on_recent_triggered)

    def _on_recent_triggered(self, path: str) -> None:
        self.files.leave("Open", lambda: self._switch_to(path))

    def _switch_to(self, path: str | Path) -> None:
        self.close_project()
        self.open_project(path)

    def _save_layout(self) -> None:
        save_layout(self, self._workspace)

    def _restore_layout(self) -> None:
        restore_layout(self)
