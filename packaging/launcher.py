"""Entry script of the packaged app (PyInstaller): `comic-studio` = studio.cli.main, plus
the few things a desktop launch needs that the package itself does not (yet) do.

* ``comic-studio FILE.comic`` opens that project in the window (what the .desktop file's
  ``Exec=comic-studio %f`` and the file manager's "Open with" pass). Subcommand names never
  end in ``.comic``, so every headless command line still goes to studio.cli.main as is.
* The window gets the application icon and the desktop file name (Wayland app id), and it
  closes in order on SIGTERM/SIGINT (logout, `kill`): jobs stop waiting and resume next time.
* ``COMIC_STUDIO_SMOKE`` (packaging smoke test only, undocumented for users):
    ``paint``  open the window, close it after its first paint;
    ``sample`` open the window, render the sample story offline in it, save a screenshot
               to ``$COMIC_STUDIO_SMOKE_SHOT`` (if set), close; exit 1 if the render failed.
  Either prints ``smoke: ...`` lines with timings on stderr. ``COMIC_STUDIO_SMOKE_TIMEOUT``
  (seconds, default 90) bounds the run.

The hooks wrap studio.ui.main.create_window instead of changing studio/: once studio.ui.main
grows an ``open`` argument and a smoke/quit-after-paint switch this file shrinks to a call.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from pathlib import Path

APP_ID = "io.github.comicstudio.ComicStudio"
_T0 = time.perf_counter()


def _process_age() -> float:
    """Seconds since this process started (Linux /proc; else since this module ran)."""
    try:
        start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _T0


def _say(message: str) -> None:
    print(f"smoke: {message}", file=sys.stderr, flush=True)


def _app_icon():  # -> QIcon
    from PySide6.QtGui import QIcon

    from studio import resources

    icon = QIcon()
    for png in sorted(resources.path("icons", "hicolor").glob(f"*/apps/{APP_ID}.png")):
        icon.addFile(str(png))
    return icon


def _close_on_signals(window) -> object:
    """SIGTERM/SIGINT close the window like the close button (Qt's loop runs in C, so the
    signal is woken up through a socket the loop watches)."""
    from PySide6.QtCore import QSocketNotifier

    rsock, wsock = socket.socketpair()
    rsock.setblocking(False)
    wsock.setblocking(False)
    signal.set_wakeup_fd(wsock.fileno(), warn_on_full_buffer=False)

    def on_signal(signum: int, _frame: object) -> None:
        # Jobs are resumable: a signal does not ask "quit while jobs run?".
        if hasattr(window, "_closing_confirmed"):
            window._closing_confirmed = True
        window.close()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read, window)

    def drain() -> None:
        try:
            while rsock.recv(64):
                pass
        except OSError:
            pass

    notifier.activated.connect(drain)
    return (rsock, wsock, notifier)  # kept alive by the caller


class _Smoke:
    """Quit-after-paint / render-the-sample driver for the packaging smoke test."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.ok = mode == "paint"
        self.window = None
        self.painted = False
        self.started = 0.0
        self.timeout = float(os.environ.get("COMIC_STUDIO_SMOKE_TIMEOUT", "90"))

    def attach(self, window) -> None:
        from PySide6.QtCore import QObject, QTimer

        self.window = window
        smoke = self

        class FirstPaint(QObject):
            def eventFilter(self, obj, event):
                from PySide6.QtCore import QEvent

                if event.type() == QEvent.Type.Paint and not smoke.painted:
                    smoke.painted = True
                    QTimer.singleShot(0, smoke.on_first_paint)
                return False

        self._filter = FirstPaint(window)
        window.installEventFilter(self._filter)
        QTimer.singleShot(int(self.timeout * 1000), self.on_timeout)

    def on_first_paint(self) -> None:
        _say(f"first paint {_process_age():.2f}s after process start")
        if self.mode == "sample":
            self.render_sample()
        else:
            self.close()

    def render_sample(self) -> None:
        from PySide6.QtCore import QTimer

        from studio.settings import data_dir

        target = data_dir() / "samples" / "The Lighthouse Keeper.comic"
        self.started = time.perf_counter()
        self.window.open_sample(target)
        self._poll = QTimer(self.window)
        self._poll.timeout.connect(self.check_sample)
        self._poll.start(100)

    def check_sample(self) -> None:
        from studio.core.models import JobState

        session = self.window.session
        if session is None or session.active_jobs():
            return
        jobs = session.project.jobs()
        if not jobs or any(j.state.active for j in jobs):
            return
        self._poll.stop()
        failed = [j for j in jobs if j.state is not JobState.succeeded]
        panels = session.project.panel_count()
        _say(
            f"sample rendered in the window in {time.perf_counter() - self.started:.2f}s: "
            f"{len(jobs)} job(s), {len(failed)} failed, {panels} panel(s)"
        )
        for job in failed:
            _say(f"job {job.id} {job.state.value}: {job.error or job.message}")
        self.ok = not failed and panels > 0
        shot = os.environ.get("COMIC_STUDIO_SMOKE_SHOT")
        if shot:
            from PySide6.QtCore import QTimer

            def grab_and_close() -> None:
                saved = self.window.grab().save(shot)
                _say(f"screenshot {'saved to ' + shot if saved else 'FAILED'}")
                self.ok = self.ok and saved
                self.close()

            QTimer.singleShot(500, grab_and_close)  # let the panel grid repaint
        else:
            self.close()

    def on_timeout(self) -> None:
        _say(f"TIMEOUT after {self.timeout:.0f}s (mode {self.mode})")
        self.ok = False
        self.close()

    def close(self) -> None:
        if hasattr(self.window, "_closing_confirmed"):
            self.window._closing_confirmed = True
        self.window.close()


def run_window(open_path: str | None = None) -> int:
    try:
        from studio.ui import main as ui_main
    except ImportError as exc:
        print(f"comic-studio: the desktop studio cannot start: {exc}", file=sys.stderr)
        return 1

    smoke_mode = os.environ.get("COMIC_STUDIO_SMOKE", "").strip().lower()
    smoke = None
    if smoke_mode:
        smoke = _Smoke(smoke_mode if smoke_mode in ("paint", "sample") else "paint")
    keep: list[object] = []
    original = ui_main.create_window

    def create_window(runner, *, open_last: bool = True):
        window = original(runner, open_last=open_last and open_path is None and smoke is None)
        window.setWindowIcon(_app_icon())
        if open_path is not None:
            window.open_project(str(Path(open_path).resolve()))
        keep.append(_close_on_signals(window))
        if smoke is not None:
            smoke.attach(window)
        return window

    ui_main.create_window = create_window
    app = ui_main.make_app(sys.argv[:1])
    app.setWindowIcon(_app_icon())
    app.setDesktopFileName(APP_ID)
    code = ui_main.run(sys.argv[:1])
    if smoke is not None:
        _say(f"window closed, exit {0 if smoke.ok else 1} ({_process_age():.2f}s after start)")
        return code or (0 if smoke.ok else 1)
    return code


def main() -> int:
    argv = sys.argv[1:]
    if len(argv) == 1 and argv[0].lower().endswith(".comic") and not argv[0].startswith("-"):
        return run_window(open_path=argv[0])
    if not argv:
        return run_window()
    from studio.cli.commands import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
