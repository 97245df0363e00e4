"""Offline renderer throughput: panels per second at 1024×1024 (render + PNG encode), one core."""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time

from studio.core.models import Character, DialogueLine, Location, ScriptPanel
from studio.core.shot import (
    ACTIONS,
    ANGLES,
    EXPRESSIONS,
    FACINGS,
    FRAMINGS,
    TIMES,
    WEATHERS,
    Figure,
    Shot,
)
from studio.render import render_panel
from studio.render.offline.catalogue import PROPS
from studio.render.offline.settings import NAMES

CAST = [
    Character("Mira", age="10", gender="girl", dress="orange wizard robe"),
    Character("Tom", age="40", gender="man", dress="blue suit and glasses"),
    Character("Ada", age="70", gender="woman", dress="purple dress, red cape"),
]
LOCATIONS = [
    Location("Old Library", "a dusty library"),
    Location("Whispering Woods", "a deep forest"),
]
STYLES = ("flat", "flat", "storyboard", "manga")


def _panels(n: int) -> list[ScriptPanel]:
    """Varied shots: every setting, framing, angle, time, weather, action, expression, prop."""
    rng = random.Random(14)
    props = sorted(PROPS)
    panels = []
    for i in range(n):
        who = CAST[: 1 + i % len(CAST)]
        figures = [
            Figure(
                c.name,
                rng.choice(ACTIONS),
                rng.choice(EXPRESSIONS),
                rng.choice(FACINGS),
                [rng.choice(props)] if rng.random() < 0.4 else [],
            )
            for c in who
        ]
        shot = Shot(
            framing=FRAMINGS[i % len(FRAMINGS)],
            angle=ANGLES[i % len(ANGLES)] if i % 3 == 0 else "eye-level",
            setting=NAMES[i % len(NAMES)],
            time=TIMES[i % len(TIMES)],
            weather=WEATHERS[(i // 2) % len(WEATHERS)],
            figures=figures,
            props=rng.sample(props, rng.randint(0, 2)),
        )
        panels.append(
            ScriptPanel(
                description=f"panel {i}",
                characters=[c.name for c in who],
                dialogue=[DialogueLine(who[0].name, "Hello!")],
                shot=shot,
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
    rss_at_100 = 0.0
    for i, panel in enumerate(panels):
        png = render_panel(
            panel, CAST, LOCATIONS, args.size, args.size, index=i, style=STYLES[i % len(STYLES)]
        ).png
        total_bytes += len(png)
        if i == 99:
            rss_at_100 = _peak_rss_mb()
    elapsed = time.perf_counter() - start
    print(f"panels:            {args.panels} at {args.size}x{args.size}")
    print(f"panels per second: {args.panels / elapsed:.1f}  (render + PNG encode, one core)")
    print(f"mean per panel:    {elapsed / args.panels * 1000:.1f} ms")
    print(f"mean PNG size:     {total_bytes / args.panels / 1024:.0f} KiB")
    print(f"peak RSS:          {_peak_rss_mb():.0f} MB (after 100 panels: {rss_at_100:.0f} MB)")


if __name__ == "__main__":
    main()
