"""UI budgets: start-up vs a bare window, UI-thread stalls under load, opening a 200-page book."""

from __future__ import annotations

import asyncio
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([]); w = QMainWindow(); w.resize(1400, 900); w.show()
QTimer.singleShot(0, lambda: (print(time.perf_counter() - t0), app.quit()))
app.exec()
"""
STUDIO = """
import time; t0 = time.perf_counter()
import asyncio, qasync
from PySide6.QtCore import QTimer
from studio.ui.main import make_app, create_window
from studio.ui.tasks import TaskRunner
app = make_app([])
async def main():
    w = create_window(TaskRunner(), open_last=False); w.show()
    fut = asyncio.get_running_loop().create_future()
    QTimer.singleShot(0, lambda: fut.set_result(time.perf_counter() - t0))
    print(await fut)
qasync.run(main())
"""


def startup(code: str, runs: int = 3) -> float:
    env = {**os.environ, "COMIC_STUDIO_CONFIG_DIR": tempfile.mkdtemp()}
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return min(times)


def make_book(path: Path, pages: int = 200) -> None:
    from PIL import Image

    from studio.core.models import ScriptPanel, Story
    from studio.storage import Project

    project = Project.create(path, Story(title="Big", prompt="A long story."), overwrite=True)
    with project.transaction():
        for p in range(pages):
            page = project.append_page([ScriptPanel(description=f"p{p}")] * 4)
            for panel in page.panels:
                buf = io.BytesIO()
                Image.new("RGB", (256, 256), (p % 255, panel.index * 60, 120)).save(buf, "PNG")
                project.add_version(panel.id, buf.getvalue(), provider="local")
    project.close()


class StallMeter:
    """A 1 ms QTimer; the gaps between its ticks are how long the UI thread was busy."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def report(self) -> tuple[float, float]:
        gaps = sorted(self.gaps)
        return gaps[-1], gaps[int(len(gaps) * 0.99)]


async def load_run(book: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from studio.ui.main import create_window
    from studio.ui.tasks import TaskRunner

    runner = TaskRunner()
    window = create_window(runner, open_last=False)
    window.show()
    t0 = time.perf_counter()
    window.open_project(book)
    while window.session is None:
        await asyncio.sleep(0.001)
    window.repaint()
    QApplication.processEvents()
    first_paint = time.perf_counter() - t0
    while len(window.workspace.thumbs) < 8:
        await asyncio.sleep(0.005)
    thumbs_ready = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"open 200-page book: first paint {first_paint * 1000:.0f} ms, "
          f"first thumbnails {thumbs_ready * 1000:.0f} ms, peak RSS {rss:.0f} MB")  # fmt: skip

    session = window.session
    meter = StallMeter()
    meter.timer.start()
    for page in range(20):  # 20 local redraw jobs
        session.redraw(page, 0, prompt=f"redraw {page}")
    grid = window.workspace.grid
    bar = grid.verticalScrollBar()
    start = time.perf_counter()
    while time.perf_counter() - start < 8 or session.manager.running():
        bar.setValue((bar.value() + 40) % max(1, bar.maximum()))
        await asyncio.sleep(0.016)
        if time.perf_counter() - start > 60:
            break
    meter.timer.stop()
    worst, p99 = meter.report()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    done = sum(j.state.value == "succeeded" for j in session.project.jobs())
    print(f"20 jobs + scrolling 800 panels: longest stall {worst:.1f} ms, p99 {p99:.1f} ms "
          f"({len(meter.gaps)} ticks, {done}/20 jobs done, cache {len(window.workspace.thumbs)}"
          f" pixmaps, peak RSS {rss:.0f} MB)")  # fmt: skip
    window._closing_confirmed = True
    window.close()
    await window.shutdown()
    await runner.cancel_all()


def main() -> None:
    bare = startup(BARE)
    studio = startup(STUDIO)
    print(f"start-up to a shown window: bare {bare * 1000:.0f} ms, studio {studio * 1000:.0f} ms, "
          f"ratio {studio / bare:.2f}x (budget 3x)")  # fmt: skip
    tmp = Path(tempfile.mkdtemp())
    os.environ["COMIC_STUDIO_CONFIG_DIR"] = str(tmp / "config")
    os.environ["COMIC_STUDIO_DATA_DIR"] = str(tmp / "data")
    book = tmp / "big.comic"
    make_book(book)
    import qasync

    from studio.ui.main import make_app

    make_app([])
    qasync.run(load_run(book))


if __name__ == "__main__":
    main()
