"""Entry point of the window: QApplication + one qasync asyncio loop; orderly shutdown."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from studio.settings import load_settings
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskRunner
from studio.ui.theme import apply_theme
from studio.ui.wiring import make_session


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Comic Studio")
    app.setOrganizationName("comic-studio")
    app.setQuitOnLastWindowClosed(False)  # main() decides when the loop ends
    apply_theme(app)
    return app


def create_window(runner: TaskRunner, *, open_last: bool = True) -> MainWindow:
    window = MainWindow(runner, make_session)
    if open_last:
        recent = load_settings().recent_files
        if recent and Path(recent[0]).exists():
            window.open_project(recent[0])
    return window


def after_first_paint(app: QApplication) -> None:
    """Work nobody sees in the first frame, done once the window is up.

    The version string needs importlib.metadata (about 20 ms of imports), so it is set here
    rather than in make_app; nothing reads it before the first paint.
    """
    from studio.ui.about import studio_version

    app.setApplicationVersion(studio_version())


async def main(app: QApplication) -> int:
    """Show the window and wait until it closes or the app quits; then shut down."""
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    runner = TaskRunner()
    window = create_window(runner)
    window.closed.connect(done.set)
    window.show()
    QTimer.singleShot(0, lambda: after_first_paint(app))
    await done.wait()
    await window.shutdown()  # jobs stop waiting (resumable), HTTP clients and file close
    await runner.cancel_all()
    return 0


def run(argv: list[str] | None = None) -> int:
    import qasync  # after PySide6: qasync then binds to it without probing other Qt bindings

    app = make_app(argv)
    # asyncio.run(main(app), loop_factory=qasync.QEventLoop) on 3.12+, a policy on 3.11
    return int(qasync.run(main(app)))
