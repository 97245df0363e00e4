"""Entry point of the window: QApplication + one qasync asyncio loop; orderly shutdown."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from studio.asyncloop import finalize_async_generators
from studio.settings import load_settings
from studio.ui.main_window import MainWindow
from studio.ui.smoke import APP_ID, Smoke, app_icon, close_on_signals
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


def create_window(
    runner: TaskRunner, *, open_last: bool = True, open_path: str | Path | None = None
) -> MainWindow:
    """The main window on ``open_path``, else on the last project (``open_last``), else on
    the welcome screen."""
    window = MainWindow(runner, make_session)
    if open_path is not None:
        window.open_project(Path(open_path).resolve())
    elif open_last:
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


async def main(
    app: QApplication, open_path: str | Path | None = None, smoke: Smoke | None = None
) -> int:
    """Show the window and wait until it closes or the app quits; then shut down."""
    finalize_async_generators()  # qasync's loop does not; see studio/asyncloop.py
    done = asyncio.Event()
    app.aboutToQuit.connect(done.set)
    runner = TaskRunner()
    window = create_window(runner, open_last=smoke is None, open_path=open_path)
    window.setWindowIcon(app.windowIcon())
    keep = close_on_signals(window)  # noqa: F841 - alive while the window is
    if smoke is not None:
        smoke.attach(window)
    window.closed.connect(done.set)
    window.show()
    QTimer.singleShot(0, lambda: after_first_paint(app))
    await done.wait()
    await window.shutdown()  # jobs stop waiting (resumable), HTTP clients and file close
    await runner.cancel_all()
    return 0


def run(argv: list[str] | None = None, open_path: str | Path | None = None) -> int:
    """`comic-studio [FILE.comic]`: the window on ``open_path`` (or the last project / the
    welcome screen) until it closes. ``COMIC_STUDIO_SMOKE`` drives the packaging smoke test."""
    import qasync  # after PySide6: qasync then binds to it without probing other Qt bindings

    app = make_app(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(app_icon())
    app.setDesktopFileName(APP_ID)
    smoke = Smoke.from_env()
    # asyncio.run(main(app), loop_factory=qasync.QEventLoop) on 3.12+, a policy on 3.11
    code = int(qasync.run(main(app, open_path, smoke)))
    return smoke.exit_code(code) if smoke is not None else code
