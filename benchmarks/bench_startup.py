"""Start-up to a shown window: the studio against a bare PySide6 window on the same machine.

Run: python benchmarks/bench_startup.py [--runs 7]

Each launch is its own process. Two figures per launch:
* in-process: from the first line of the script to the first event-loop turn after show();
* from launch: from just before the process is spawned (so the interpreter start counts)
  to that same moment (time.monotonic is system-wide on Linux).
Both sides get a bytecode cache in a temporary PYTHONPYCACHEPREFIX, warmed by one discarded
launch, as an installed app has (this sandbox sets PYTHONDONTWRITEBYTECODE, which otherwise
makes every start compile the studio's sources: about +100 ms). Best of --runs, the runs of
the two sides interleaved. The studio opens with an empty config dir (the welcome screen),
through studio.ui.main exactly as `comic-studio` does, minus the final wait for closing.
Budget (DESIGN.md): at most 3x the bare window.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

BARE = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([]); w = QMainWindow(); w.resize(1400, 900); w.show()
def shown():
    print(time.perf_counter() - t0, time.monotonic()); app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""
STUDIO = """
import time; t0 = time.perf_counter()
from studio.ui import main as m
import asyncio, qasync
from PySide6.QtCore import QTimer
app = m.make_app([])
async def run():
    window = m.create_window(m.TaskRunner())
    window.show()
    shown = asyncio.get_running_loop().create_future()
    QTimer.singleShot(0, lambda: shown.set_result((time.perf_counter() - t0, time.monotonic())))
    inside, at = await shown
    print(inside, at)
qasync.run(run())
"""


def launch(code: str, env: dict[str, str]) -> tuple[float, float]:
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    inside, at = map(float, out.stdout.strip().splitlines()[-1].split())
    return inside, at - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "COMIC_STUDIO_CONFIG_DIR": tempfile.mkdtemp(prefix="bench-start-config-"),
        "COMIC_STUDIO_DATA_DIR": tempfile.mkdtemp(prefix="bench-start-data-"),
        "PYTHONPYCACHEPREFIX": tempfile.mkdtemp(prefix="bench-start-pyc-"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    launch(BARE, env)  # warm the bytecode cache and the OS file cache
    launch(STUDIO, env)
    bare: list[tuple[float, float]] = []
    studio: list[tuple[float, float]] = []
    for _ in range(args.runs):
        bare.append(launch(BARE, env))
        studio.append(launch(STUDIO, env))
    for label, index in (("in-process", 0), ("from launch", 1)):
        b = min(run[index] for run in bare)
        s = min(run[index] for run in studio)
        print(
            f"start-up to a shown window ({label}, best of {args.runs}): bare {b * 1000:.0f} ms, "
            f"studio {s * 1000:.0f} ms, ratio {s / b:.2f}x (budget 3x)"
        )
    load = os.getloadavg()
    print(f"load average during the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
