"""The About box with the installed version."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6.QtWidgets import QMessageBox, QWidget


def studio_version() -> str:
    try:
        return version("comic-studio")
    except PackageNotFoundError:
        return "development"


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent,
        "About Comic Studio",
        f"<h3>Comic Studio {studio_version()}</h3>"
        "<p>A desktop studio for making comics with remote comic APIs or the built-in "
        "offline renderer.</p><p>Every change is saved in the project file as you make it.</p>",
    )
