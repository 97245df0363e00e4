"""Dialogs and editors: settings, export, continue, cast and locations (with a shared library).
Part of `studio.ui`: they receive what they edit and never import the main window."""

from studio.ui.dialogs.cast_editor import CastEditor, LocationsEditor
from studio.ui.dialogs.continue_dialog import ContinueDialog
from studio.ui.dialogs.export_dialog import ExportDialog
from studio.ui.dialogs.settings_dialog import SettingsDialog

__all__ = ["CastEditor", "ContinueDialog", "ExportDialog", "LocationsEditor", "SettingsDialog"]
