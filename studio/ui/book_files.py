"""Where a book lives: "New comic" starts an untitled book at once in the studio's data folder
(every edit is a transaction, so it is always saved; it is listed in recent projects and
reopened after a crash); Save / Save As give it a name and a place; leaving an untitled book
asks Save / Discard / Cancel. The window is given as a Protocol, never imported."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QStatusBar, QWidget

from studio.settings import data_dir, load_settings, save_settings
from studio.storage.copy import copy_project, remove_project
from studio.ui.notify import show_error
from studio.ui.window_state import default_dir

if TYPE_CHECKING:
    from studio.ui.session import Session
    from studio.ui.tasks import TaskRunner

PROJECT_FILTER = "Comic projects (*.comic)"


class FilesHost(Protocol):
    session: Session | None
    runner: TaskRunner

    def statusBar(self) -> QStatusBar: ...
    def new_project(self, path: str | Path) -> None: ...
    def open_project(self, path: str | Path) -> None: ...
    def close_project(self) -> asyncio.Task[None] | None: ...


def untitled_dir() -> Path:
    return data_dir() / "untitled"


def is_untitled(path: str | Path) -> bool:
    return Path(path).resolve().parent == untitled_dir().resolve()


def next_untitled() -> Path:
    folder = untitled_dir()
    n = 1
    while (folder / f"Untitled {n}.comic").exists():
        n += 1
    return folder / f"Untitled {n}.comic"


def ask_untitled(parent: QWidget, verb: str) -> str:
    """ "save", "discard" or "cancel" for leaving an untitled book (tests replace this)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(f"{verb}: save the untitled comic?")
    box.setText("This comic has no name yet. Save it before you go?")
    box.setInformativeText(
        "Until it is saved it lives in the studio's data folder. "
        "Discard deletes it and every image in it."
    )
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"


def forget_recent(path: Path) -> None:
    settings = load_settings()
    resolved = str(path.resolve())
    settings.recent_files = [p for p in settings.recent_files if p != resolved]
    save_settings(settings)


class BookFiles(QObject):
    """New (untitled), Save, Save As and the question before an untitled book is left."""

    def __init__(self, window: FilesHost) -> None:
        super().__init__(window)  # type: ignore[arg-type]
        self._w = window

    # ------------------------------------------------------------------ verbs
    def current_path(self) -> Path | None:
        session = self._w.session
        return Path(session.project.path) if session is not None else None

    def untitled(self) -> bool:
        path = self.current_path()
        return path is not None and is_untitled(path)

    def new_untitled(self) -> Path:
        """Open a new untitled book at once (the caller has asked about the current one)."""
        path = next_untitled()
        self._w.close_project()
        self._w.new_project(path)
        self._w.statusBar().showMessage(
            "A new untitled comic: it is saved as you work. File ▸ Save As names it.", 6000
        )
        return path

    def save(self) -> None:
        path = self.current_path()
        if path is None:
            return
        if is_untitled(path):
            self.save_as()
            return
        self._w.statusBar().showMessage(
            f"Saved: every edit is written to {path.name} as you make it.", 4000
        )

    def save_as(self, then: Callable[[], None] | None = None) -> None:
        """Copy the book to a file the person names, then work on that file."""
        session, source = self._w.session, self.current_path()
        if session is None or source is None:
            return
        if session.active_jobs():
            QMessageBox.information(
                self._w,  # type: ignore[arg-type]
                "Save As",
                "Jobs are running for this comic. Wait until they finish (or cancel them), "
                "then save it under a new name.",
            )
            return
        start = default_dir() if is_untitled(source) else str(source.parent)
        suggested = str(Path(start) / f"{session.project.story.title or source.stem}.comic")
        target, _ = QFileDialog.getSaveFileName(
            self._w,  # type: ignore[arg-type]
            "Save comic as",
            suggested,
            PROJECT_FILTER,
        )
        if not target:
            return
        target_path = Path(target)
        if target_path.suffix != ".comic":
            target_path = target_path.with_suffix(".comic")
        self._w.statusBar().showMessage(f"Saving {target_path.name}…")
        self._w.runner.run_in_thread(
            copy_project,
            source,
            target_path,
            on_done=lambda saved: self._on_saved(source, saved, then),
            on_error=lambda exc: show_error(self._w, exc),  # type: ignore[arg-type]
            name="save-as",
        )

    def leave(self, verb: str, proceed: Callable[[], None]) -> None:
        """Run ``proceed`` once the current book may be left: an untitled one asks first."""
        path = self.current_path()
        if path is None or not is_untitled(path):
            proceed()
            return
        match ask_untitled(self._w, verb):  # type: ignore[arg-type]
            case "save":
                self.save_as(then=proceed)
            case "discard":
                self.discard(path)
                proceed()
            case _:
                pass

    def discard(self, path: Path) -> None:
        """Close the untitled book and delete its file once the project is closed."""
        forget_recent(path)
        task = self._w.close_project()
        if task is None:
            remove_project(path)
        else:
            task.add_done_callback(lambda _t: remove_project(path))

    # ------------------------------------------------------------- internals
    def _on_saved(self, source: Path, saved: Path, then: Callable[[], None] | None) -> None:
        """Work on the named file from now on (or, when leaving, just go on)."""
        self._w.statusBar().showMessage(f"Saved as {saved}", 6000)
        settings = load_settings()
        settings.add_recent(str(saved))
        save_settings(settings)
        if is_untitled(source):
            self.discard(source)  # the named copy replaces it
        else:
            self._w.close_project()
        if then is not None:
            then()
        else:
            self._w.open_project(saved)
