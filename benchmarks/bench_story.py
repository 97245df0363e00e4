"""Time to derive the shots of a 200-page (800-panel) book, and to write its script.

Budget (issue 13): deriving shots for 200 pages under 1 s. Run:
``PYTHONPATH=. python benchmarks/bench_story.py``
"""

from __future__ import annotations

import time

from studio.core.models import Character, Layout, Location, Story
from studio.story import derive_shots, write_script

BEATS = (
    "Mira walks into the old library at night, holding a lantern.",
    'Leo whispers "Is anyone here?" and looks at the shelves.',
    "She finds a key on the table by the window.",
    "Next morning, they run through the forest in the rain.",
    "Close-up: He laughs and points at a map.",
    "The storm breaks over the harbor; Mira climbs onto the boat.",
    "Bird's-eye view of the city street at dusk.",
    "They sit on a bench and read a letter.",
)


def book(pages: int = 200, per_page: int = 4) -> str:
    parts = []
    for page in range(pages):
        parts.append(f"Page {page + 1}")
        for panel in range(per_page):
            parts.append(f"Panel {panel + 1}: {BEATS[(page * per_page + panel) % len(BEATS)]}")
    return "\n".join(parts)


def main() -> None:
    cast = [Character("Mira", gender="female"), Character("Leo", gender="male")]
    places = [Location("City Library", "an old library"), Location("Harbor")]
    story = Story(prompt=book(), layout=Layout(1, 4))
    start = time.perf_counter()
    result = write_script(story, cast, places)
    written = time.perf_counter() - start
    script = result.script
    runs = []
    for _ in range(5):
        for page in script.pages:
            for panel in page.panels:
                panel.shot = None
        start = time.perf_counter()
        derive_shots(script, cast, places)
        runs.append(time.perf_counter() - start)
    print(f"pages: {len(script.pages)}, panels: {script.panel_count}")
    print(f"write_script (parse + cast + shots): {written * 1000:.0f} ms")
    print(f"derive_shots, best of 5: {min(runs) * 1000:.0f} ms (budget 1000 ms)")


if __name__ == "__main__":
    main()
