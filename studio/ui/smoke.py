"""Desktop-launch helpers of the window: the app icon, close on SIGTERM/SIGINT, and the
``COMIC_STUDIO_SMOKE`` hook of the packaging smoke test (packaging/smoke.sh).

``COMIC_STUDIO_SMOKE`` (undocumented for users):
    ``paint``  open the window, close it after its first paint;
    ``sample`` open the window, render the sample story offline in it, save a screenshot
               to ``$COMIC_STUDIO_SMOKE_SHOT`` (if set), close; exit 1 if the render failed.
Either prints ``smoke: ...`` lines with timings on stderr. ``COMIC_STUDIO_SMOKE_TIMEOUT``
(seconds, default 90) bounds the run.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QIcon

APP_ID = "io.github.comicstudio.ComicStudio"
_T0 = time.perf_counter()


def process_age() -> float:
    """Seconds since this process started (Linux /proc; else since this module loaded)."""
    try:
        start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _T0


def say(message: str) -> None:
    print(f"smoke: {message}", file=sys.stderr, flush=True)


def app_icon() -> QIcon:
    from studio import resources

    result = QIcon()
    for png in sorted(resources.path("icons", "hicolor").glob(f"*/apps/{APP_ID}.png")):
        result.addFile(str(png))
    return result


def _confirm_close(window: Any) -> None:
    if hasattr(window, "_closing_confirmed"):
        window._closing_confirmed = True  # jobs are resumable: no "quit while jobs run?"
    window.close()


def close_on_signals(window: Any) -> object:
    """SIGTERM/SIGINT close the window like the close button (Qt's loop runs in C, so the
    signal wakes it through a socket the loop watches). Keep the returned object alive."""
    rsock, wsock = socket.socketpair()
    rsock.setblocking(False)
    wsock.setblocking(False)
    try:
        signal.set_wakeup_fd(wsock.fileno(), warn_on_full_buffer=False)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda _s, _f: _confirm_close(window))
    except ValueError:  # not the main thread (tests): no signal handling
        return (rsock, wsock)
    notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read, window)

    def drain() -> None:
        try:
            while rsock.recv(64):
                pass
        except OSError:
            pass

    notifier.activated.connect(drain)
    return (rsock, wsock, notifier)


class _FirstPaint(QObject):
    def __init__(self, smoke: Smoke, parent: QObject) -> None:
        super().__init__(parent)
        self._smoke = smoke

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._smoke.painted:
            self._smoke.painted = True
            QTimer.singleShot(0, self._smoke.on_first_paint)
        return False


class Smoke:
    """Quit-after-paint / render-the-sample driver for the packaging smoke test."""

    def __init__(self, mode: str) -> None:
        self.mode = mode if mode in ("paint", "sample") else "paint"
        self.ok = self.mode == "paint"
        self.window: Any = None
        self.painted = False
        self.started = 0.0
        self.timeout = float(os.environ.get("COMIC_STUDIO_SMOKE_TIMEOUT", "90"))

    @classmethod
    def from_env(cls) -> Smoke | None:
        mode = os.environ.get("COMIC_STUDIO_SMOKE", "").strip().lower()
        return cls(mode) if mode else None

    def attach(self, window: Any) -> None:
        self.window = window
        self._filter = _FirstPaint(self, window)
        window.installEventFilter(self._filter)
        QTimer.singleShot(int(self.timeout * 1000), self.on_timeout)

    def exit_code(self, code: int) -> int:
        say(f"window closed, exit {0 if self.ok else 1} ({process_age():.2f}s after start)")
        return code or (0 if self.ok else 1)

    def on_first_paint(self) -> None:
        say(f"first paint {process_age():.2f}s after process start")
        if self.mode == "sample":
            self._render_sample()
        else:
            self._close_soon()

    def _close_soon(self) -> None:
        """Close once the project given on the command line (if any) has opened."""
        window = self.window
        if window.runner.pending() and window.session is None:
            QTimer.singleShot(50, self._close_soon)
            return
        if window.session is not None:
            say(f"project {window.session.project.path} open")
        self.close()

    def _render_sample(self) -> None:
        from studio.settings import data_dir

        target = data_dir() / "samples" / "The Lighthouse Keeper.comic"
        self.started = time.perf_counter()
        self.window.open_sample(target)
        self._poll = QTimer(self.window)
        self._poll.timeout.connect(self._check_sample)
        self._poll.start(100)

    def _check_sample(self) -> None:
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
        say(
            f"sample rendered in the window in {time.perf_counter() - self.started:.2f}s: "
            f"{len(jobs)} job(s), {len(failed)} failed, {panels} panel(s)"
        )
        for job in failed:
            say(f"job {job.id} {job.state.value}: {job.error or job.message}")
        self.ok = not failed and panels > 0
        shot = os.environ.get("COMIC_STUDIO_SMOKE_SHOT")
        if not shot:
            self.close()
            return

        def grab_and_close() -> None:
            saved = self.window.grab().save(shot)
            say(f"screenshot {'saved to ' + shot if saved else 'FAILED'}")
            self.ok = self.ok and saved
            self.close()

        QTimer.singleShot(500, grab_and_close)  # let the panel grid repaint

    def on_timeout(self) -> None:
        say(f"TIMEOUT after {self.timeout:.0f}s (mode {self.mode})")
        self.ok = False
        self.close()

    def close(self) -> None:
        _confirm_close(self.window)
