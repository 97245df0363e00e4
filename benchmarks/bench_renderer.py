"""Offline renderer throughput: panels per second at 1024×1024 (render + PNG encode), one core."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

from studio.core.models import Character, DialogueLine, Location, ScriptPanel
from studio.render import render_panel

CAST = [
    Character("Mira", age="10", gender="girl", dress="orange wizard robe"),
    Character("Tom", age="40", gender="man", dress="blue suit and glasses"),
    Character("Ada", age="70", gender="woman", dress="purple dress, red cape"),
]
LOCATIONS = [
    Location("Old Library", "a dusty library"),
    Location("Whispering Woods", "a deep forest"),
    Location("Downtown", "a busy city street"),
    Location("Bay", "a sandy beach by the sea"),
    Location("Orbit", "outer space"),
]
MOODS = ["", "at night", "at sunset", "close-up", "wide shot", "at dawn"]


def _panels(n: int) -> list[ScriptPanel]:
    panels = []
    for i in range(n):
        loc = LOCATIONS[i % len(LOCATIONS)]
        who = [c.name for c in CAST[: 1 + i % len(CAST)]]
        panels.append(
            ScriptPanel(
                description=f"panel {i} {MOODS[i % len(MOODS)]}",
                characters=who,
                location=loc.name,
                dialogue=[DialogueLine(who[0], "Hello!")],
            )
        )
    return panels


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--panels", type=int, default=50)
    parser.add_argument("--size", type=int, default=1024)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    panels = _panels(args.panels)
    render_panel(panels[0], CAST, LOCATIONS, args.size, args.size)  # warm fonts and caches
    start = time.perf_counter()
    total_bytes = 0
    for i, panel in enumerate(panels):
        total_bytes += len(render_panel(panel, CAST, LOCATIONS, args.size, args.size, index=i).png)
    elapsed = time.perf_counter() - start
    print(f"panels:            {args.panels} at {args.size}x{args.size}")
    print(f"panels per second: {args.panels / elapsed:.1f}  (render + PNG encode, one core)")
    print(f"mean per panel:    {elapsed / args.panels * 1000:.1f} ms")
    print(f"mean PNG size:     {total_bytes / args.panels / 1024:.0f} KiB")
    print(f"peak RSS:          {_peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
