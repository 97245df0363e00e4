"""The window's dialogs, opened on demand (their modules load only when first used)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenuBar, QWidget

from studio.ui.notify import show_error

if TYPE_CHECKING:
    from studio.ui.session import Session
    from studio.ui.tasks import TaskRunner


def open_export(parent: QWidget, session: Session | None, runner: TaskRunner) -> None:
    if session is None:
        return
    try:
        from studio.ui.dialogs.export_dialog import ExportDialog
    except ImportError as exc:
        show_error(parent, exc)
        return
    ExportDialog(parent, session.project, runner).exec()


def open_settings(parent: QWidget, runner: TaskRunner) -> bool:
    """Settings ▸ …; True when they were opened (the caller reloads what shows them)."""
    try:
        from studio.ui.dialogs.settings_dialog import SettingsDialog
    except ImportError as exc:
        show_error(parent, exc)
        return False
    SettingsDialog(parent, runner).exec()
    return True


def open_shortcuts(parent: QWidget, bar: QMenuBar) -> None:
    from studio.ui.shortcuts_dialog import ShortcutsDialog

    ShortcutsDialog(parent, bar).exec()


def open_history(parent: QWidget, session: Session | None, runner: TaskRunner) -> None:
    from studio.ui.history_dialog import HistoryDialog

    HistoryDialog(parent, session, runner).exec()
