"""What the window remembers between runs: geometry, docks, splitter and zoom (QSettings in
the studio's config dir), and the folder its file dialogs start in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from studio.settings import config_dir, load_settings

if TYPE_CHECKING:
    from studio.ui.workspace import Workspace


def window_settings() -> QSettings:
    """QSettings in the studio's config dir (COMIC_STUDIO_CONFIG_DIR in tests)."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def save_layout(window: QMainWindow, workspace: Workspace | None) -> None:
    qs = window_settings()
    qs.setValue("geometry", window.saveGeometry())
    qs.setValue("state", window.saveState())
    if workspace is not None:
        qs.setValue("splitter", workspace.saveState())
        qs.setValue("zoom", workspace.grid.zoom())
    qs.sync()


def restore_layout(window: QMainWindow) -> None:
    qs = window_settings()
    for key, restore in (("geometry", window.restoreGeometry), ("state", window.restoreState)):
        value = qs.value(key)
        if isinstance(value, QByteArray | bytes):
            restore(QByteArray(value))


def default_dir() -> str:
    """Where the file dialogs open: the folder of the last project, else home."""
    recent = load_settings().recent_files
    return str(Path(recent[0]).parent) if recent else str(Path.home())
