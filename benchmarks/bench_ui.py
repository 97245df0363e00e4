"""UI budgets: opening a 200-page book, and UI-thread stalls while 20 jobs run and the grid scrolls.

Run: python benchmarks/bench_ui.py [--trace]        (start-up: benchmarks/bench_startup.py)

One process: it builds a 200-page (800-panel) book of real PNGs, opens it in the real
MainWindow offscreen (first paint, first thumbnails, peak RSS), then submits 20 local
redraw jobs, one per event-loop turn 16 ms apart as clicks would come, and scrolls the panel
grid 40 px every 16 ms until every job is done (at least 8 s). A 1 ms precise QTimer
measures the UI thread: a gap between its ticks is time the thread could not run it.
Separately it times 20 submits made in one slot (a burst, as a "redraw all" would do).
--trace prints the asyncio callbacks that ran longer than 20 ms (debug mode: slower).
"""

from __future__ import annotations

import asyncio
import faulthandler
import io
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
        self.start = self._last = time.perf_counter()
        self.worst: list[tuple[float, float]] = []  # (gap ms, seconds since start)
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self.gaps.append(gap)
        if gap > 16:
            self.worst.append((gap, now - self.start))
        self._last = now

    def report(self) -> tuple[float, float]:
        gaps = sorted(self.gaps)
        return gaps[-1], gaps[int(len(gaps) * 0.99)]


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    print(
        f"open 200-page book: first paint {first_paint * 1000:.0f} ms, "
        f"first thumbnails {thumbs_ready * 1000:.0f} ms, peak RSS {_peak_mb():.0f} MB"
    )

    session = window.session
    meter = StallMeter()
    meter.timer.start()
    grid = window.workspace.grid
    bar = grid.verticalScrollBar()
    start = time.perf_counter()
    submitted = 0
    while time.perf_counter() - start < 8 or submitted < 20 or session.manager.running():
        if submitted < 20:  # one redraw per turn of the loop, as clicks would come
            session.redraw(submitted, 0, prompt=f"redraw {submitted}")
            submitted += 1
        bar.setValue((bar.value() + 40) % max(1, bar.maximum()))
        await asyncio.sleep(0.016)
        if time.perf_counter() - start > 90:
            break
    meter.timer.stop()
    worst, p99 = meter.report()
    done = sum(j.state.value == "succeeded" for j in session.project.jobs())
    print(
        f"20 jobs + scrolling 800 panels: longest stall {worst:.1f} ms, p99 {p99:.1f} ms "
        f"({len(meter.gaps)} ticks over {time.perf_counter() - start:.1f} s, {done}/20 jobs "
        f"done, cache {len(window.workspace.thumbs)} pixmaps, peak RSS {_peak_mb():.0f} MB)"
    )
    top = sorted(meter.worst, reverse=True)[:5]
    print(
        "  worst gaps (ms @ s after the first submit): "
        + ", ".join(f"{gap:.0f} @ {at:.2f}" for gap, at in top)
    )

    # a burst: 20 submits in one slot, the UI thread busy for all of them
    burst = time.perf_counter()
    for page in range(20, 40):
        session.redraw(page, 1, prompt=f"burst {page}")
    took = (time.perf_counter() - burst) * 1000
    print(
        f"20 redraw submits in one slot: {took:.0f} ms on the UI thread "
        f"({took / 20:.1f} ms each, 200-page book)"
    )
    await session.manager.wait()
    window._closing_confirmed = True
    window.close()
    await window.shutdown()
    await runner.cancel_all()


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--timeout", type=float, default=300, help="dump stacks and exit after")
    args = parser.parse_args()
    faulthandler.dump_traceback_later(args.timeout, exit=True)  # a hang shows where it is
    tmp = Path(tempfile.mkdtemp())
    os.environ["COMIC_STUDIO_CONFIG_DIR"] = str(tmp / "config")
    os.environ["COMIC_STUDIO_DATA_DIR"] = str(tmp / "data")
    book = tmp / "big.comic"
    make_book(book)
    import qasync

    from studio.ui.main import make_app

    make_app([])

    async def run() -> None:
        if args.trace:
            import logging

            logging.basicConfig(level=logging.WARNING, format="%(relativeCreated)7.0f %(message)s")
            loop = asyncio.get_running_loop()
            loop.set_debug(True)
            loop.slow_callback_duration = 0.02
        await load_run(book)

    qasync.run(run())
    load = os.getloadavg()
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
