"""Backgrounds for the offline renderer: scene kind and light from words, skies, nature scenes."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable

from studio.render.canvas import INK, RGB, SKIES, Canvas, lit, mix

GROUND_Y = 0.9  # where figures stand, in world units
HORIZON_Y = 0.62

_KINDS: list[tuple[str, set[str]]] = [
    ("space", {"space", "spaceship", "planet", "galaxy", "asteroid", "orbit", "cosmos", "stars"}),
    ("library", {"library", "bookshop", "bookstore", "archive", "books", "study"}),
    ("office", {"office", "desk", "workplace", "cubicle", "lab", "laboratory"}),
    ("room", {"room", "bedroom", "kitchen", "house", "home", "classroom", "inside", "indoor"}),
    ("room", {"apartment", "cafe", "café", "shop", "hall", "castle", "tavern", "flat"}),
    ("sea", {"sea", "beach", "ocean", "coast", "shore", "harbor", "harbour", "island", "lake"}),
    ("forest", {"forest", "woods", "wood", "jungle", "trees", "tree", "grove"}),
    ("park", {"park", "garden", "meadow", "field", "countryside", "village", "farm"}),
    ("city", {"city", "street", "town", "road", "alley", "downtown", "rooftop", "market"}),
    ("city", {"avenue", "skyscraper", "buildings", "metropolis", "station", "square"}),
]
_LIGHTS: list[tuple[str, set[str]]] = [
    ("night", {"night", "midnight", "moonlight", "moonlit", "dark", "nighttime", "stars"}),
    ("sunset", {"sunset", "dusk", "evening", "twilight"}),
    ("sunrise", {"sunrise", "dawn", "daybreak"}),
    ("day", {"day", "noon", "morning", "afternoon", "sunny", "daylight"}),
]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-zà-ÿ]+", text.lower()))


def scene_kind(*texts: str) -> str:
    """The scene kind named by the first text that names one (location first), else "default"."""
    for text in texts:
        words = _words(text)
        for kind, keys in _KINDS:
            if words & keys:
                return kind
    return "default"


def light_of(*texts: str) -> str:
    """ "day", "night", "sunrise" or "sunset" from the words of ``texts`` (panel first)."""
    for text in texts:
        words = _words(text)
        for light, keys in _LIGHTS:
            if words & keys:
                return light
    return "day"


def draw_scene(cv: Canvas, kind: str, light: str, rng: random.Random) -> RGB:
    """Draw the background for ``kind`` under ``light``; return the ground colour."""
    from studio.render import scenes_built

    painters: dict[str, Callable[[Canvas, str, random.Random], RGB]] = {
        "library": scenes_built.library,
        "office": scenes_built.office,
        "room": scenes_built.room,
        "city": scenes_built.city,
        "forest": forest,
        "park": park,
        "sea": sea,
        "space": space,
    }
    return painters.get(kind, default)(cv, light, rng)


def sky(cv: Canvas, light: str, rng: random.Random, bottom: float = HORIZON_Y) -> None:
    top, low = SKIES.get(light, SKIES["day"])
    cv.gradient(top, low, min(cv.view_top(), -0.1), bottom + 0.01)
    width = cv.cam.world_w
    if light == "night":
        stars(cv, rng, 0, width, -0.3, bottom - 0.05, 40)
        cv.ellipse(width * 0.78, 0.14, 0.055, 0.055, (246, 240, 210), outline=None)
        cv.ellipse(width * 0.78 + 0.022, 0.13, 0.045, 0.045, top, outline=None)
    elif light in ("sunset", "sunrise"):
        cv.ellipse(width * 0.25, bottom - 0.03, 0.08, 0.08, (255, 226, 150), outline=None)
    else:
        clouds(cv, rng, width, bottom)


def stars(
    cv: Canvas, rng: random.Random, x0: float, x1: float, y0: float, y1: float, count: int
) -> None:
    for _ in range(count):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        s = rng.choice((0.0025, 0.0035, 0.005))
        cv.ellipse(x, y, s, s, (250, 246, 220), outline=None)
    for _ in range(count // 10):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        s = 0.012
        cv.poly(
            [(x - s, y), (x, y - s * 0.25), (x + s, y), (x, y + s * 0.25)], (255, 250, 230), None
        )
        cv.poly(
            [(x, y - s), (x + s * 0.25, y), (x, y + s), (x - s * 0.25, y)], (255, 250, 230), None
        )


def clouds(cv: Canvas, rng: random.Random, width: float, bottom: float) -> None:
    for _ in range(max(2, round(width * 2.5))):
        x, y = rng.uniform(0, width), rng.uniform(0.05, bottom - 0.2)
        w = rng.uniform(0.08, 0.14)
        colour = (252, 252, 255)
        cv.ellipse(x, y, w, w * 0.3, colour, outline=None)
        cv.ellipse(x - w * 0.35, y - w * 0.12, w * 0.45, w * 0.32, colour, outline=None)
        cv.ellipse(x + w * 0.3, y - w * 0.18, w * 0.5, w * 0.38, colour, outline=None)


def hills(cv: Canvas, rng: random.Random, colour: RGB, base: float, amp: float) -> None:
    width = cv.cam.world_w
    pts = [(-0.1, 1.5)]
    phase, freq = rng.uniform(0, 6.28), rng.uniform(3.0, 5.0)
    for i in range(41):
        x = -0.1 + (width + 0.2) * i / 40
        pts.append((x, base - amp * (0.6 + 0.4 * math.sin(phase + x * freq))))
    pts.append((width + 0.1, 1.5))
    cv.poly(pts, colour, outline=None)


def round_tree(
    cv: Canvas, x: float, base: float, size: float, light: str, rng: random.Random
) -> None:
    trunk = lit((126, 86, 56), light)
    cv.poly(
        [
            (x - size * 0.09, base),
            (x + size * 0.09, base),
            (x + size * 0.06, base - size * 0.9),
            (x - size * 0.06, base - size * 0.9),
        ],
        trunk,
    )
    leaf = lit(rng.choice([(88, 168, 86), (70, 150, 80), (110, 178, 90)]), light)
    for dx, dy, rr in ((-0.28, -0.95, 0.36), (0.28, -0.98, 0.36), (0.0, -1.25, 0.42)):
        cv.ellipse(x + dx * size, base + dy * size, rr * size, rr * size * 0.9, leaf)
    cv.ellipse(
        x + 0.15 * size,
        base - 1.05 * size,
        0.18 * size,
        0.14 * size,
        mix(leaf, (255, 255, 220), 0.18),
        outline=None,
    )


def pine(
    cv: Canvas, x: float, base: float, size: float, colour: RGB, outline: RGB | None = INK
) -> None:
    cv.rect(
        x - size * 0.05,
        base - size * 0.3,
        x + size * 0.05,
        base,
        mix(colour, (90, 60, 40), 0.6),
        outline,
    )
    for i in range(3):
        y = base - size * (0.25 + i * 0.35)
        w = size * (0.42 - i * 0.1)
        cv.poly([(x - w, y), (x + w, y), (x, y - size * 0.6)], colour, outline)


def forest(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    sky(cv, light, rng)
    far = lit((150, 190, 170), light)
    for i in range(round(width * 14)):
        x = (i + rng.uniform(-0.3, 0.3)) / 14
        pine(cv, x, HORIZON_Y + 0.04, rng.uniform(0.16, 0.24), far, outline=None)
    ground = lit((118, 176, 92), light)
    cv.rect(-1, HORIZON_Y + 0.03, width + 1, 2, ground, outline=None)
    mid = lit((64, 132, 84), light)
    for i in range(round(width * 6)):
        x = (i + 0.5 + rng.uniform(-0.25, 0.25)) / 6
        if rng.random() < 0.5:
            pine(cv, x, HORIZON_Y + 0.12, rng.uniform(0.3, 0.42), mid)
        else:
            round_tree(cv, x, HORIZON_Y + 0.12, rng.uniform(0.22, 0.3), light, rng)
    _grass(cv, rng, ground, width)
    return ground


def park(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    sky(cv, light, rng)
    hills(cv, rng, lit((150, 200, 130), light), HORIZON_Y, 0.08)
    ground = lit((132, 190, 100), light)
    cv.rect(-1, HORIZON_Y + 0.02, width + 1, 2, ground, outline=None)
    path = lit((226, 206, 160), light)
    cv.poly(
        [
            (width * 0.42, HORIZON_Y + 0.02),
            (width * 0.52, HORIZON_Y + 0.02),
            (width * 0.9, 1.2),
            (width * 0.1, 1.2),
        ],
        path,
        None,
    )
    for i in range(max(2, round(width * 3))):
        x = (i + 0.5) / 3 + rng.uniform(-0.08, 0.08)
        round_tree(cv, x, HORIZON_Y + 0.1, rng.uniform(0.2, 0.27), light, rng)
    _grass(cv, rng, ground, width)
    return ground


def _grass(cv: Canvas, rng: random.Random, ground: RGB, width: float) -> None:
    dark = mix(ground, (20, 60, 30), 0.45)
    for _ in range(round(width * 18)):
        x, y = rng.uniform(0, width), rng.uniform(HORIZON_Y + 0.12, 1.0)
        s = 0.012 + (y - HORIZON_Y) * 0.03
        cv.line(
            [(x - s, y - s * 1.6), (x, y), (x + s * 0.3, y - s * 2.0)], fill=dark, width=cv.lw * 0.7
        )


def sea(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    horizon = HORIZON_Y - 0.08
    sky(cv, light, rng, horizon)
    water_top, water_low = lit((70, 150, 200), light), lit((40, 110, 170), light)
    cv.gradient(water_top, water_low, horizon, 0.78)
    foam = lit((236, 246, 250), light)
    for _ in range(30):
        x, y = rng.uniform(0, width), rng.uniform(horizon + 0.02, 0.74)
        w = 0.015 + (y - horizon) * 0.12
        cv.line(
            [(x - w, y), (x - w * 0.3, y - w * 0.12), (x + w * 0.3, y), (x + w, y - w * 0.12)],
            fill=foam,
            width=cv.lw * (0.6 + (y - horizon) * 4),
        )
    sand = lit((236, 212, 160), light)
    pts = [(-0.1, 1.5), (-0.1, 0.78)]
    pts += [(x / 20 * (width + 0.2) - 0.1, 0.76 + 0.012 * math.sin(x * 1.7)) for x in range(21)]
    pts.append((width + 0.1, 1.5))
    cv.poly(pts, foam, outline=None)
    cv.poly([(x, y + 0.018) for x, y in pts], sand)
    for _ in range(12):
        x, y = rng.uniform(0, width), rng.uniform(0.84, 1.0)
        cv.ellipse(x, y, 0.012, 0.004, mix(sand, (150, 110, 70), 0.3), outline=None)
    return sand


def space(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    cv.gradient((8, 6, 26), (44, 26, 78), min(cv.view_top(), -0.1), 0.8)
    stars(cv, rng, -0.1, width + 0.1, -0.3, 0.75, 90)
    px, py, pr = width * rng.uniform(0.65, 0.8), 0.22, 0.12
    cv.ellipse(px, py, pr * 2.1, pr * 0.45, None, outline=(230, 200, 150), width=cv.lw * 2.5)
    cv.ellipse(px, py, pr, pr, (226, 126, 92))
    cv.chord(px, py, pr, pr, 200, 330, (246, 170, 120))
    cv.line(
        [(px - pr * 2.1, py), (px - pr * 0.98, py + pr * 0.2)],
        fill=(230, 200, 150),
        width=cv.lw * 2.5,
    )
    ground = (150, 146, 170)
    hills(cv, rng, ground, 0.76, 0.04)
    for _ in range(7):
        x, y = rng.uniform(0, width), rng.uniform(0.82, 1.0)
        r = rng.uniform(0.02, 0.05)
        cv.ellipse(x, y, r, r * 0.35, mix(ground, (60, 50, 90), 0.35))
    return ground


def default(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    sky(cv, light, rng)
    hills(cv, rng, lit((176, 206, 190), light), HORIZON_Y - 0.02, 0.1)
    hills(cv, rng, lit((150, 196, 150), light), HORIZON_Y + 0.04, 0.06)
    ground = lit((196, 214, 160), light)
    cv.rect(-1, HORIZON_Y + 0.06, width + 1, 2, ground, outline=None)
    cv.line([(-1, HORIZON_Y + 0.06), (width + 1, HORIZON_Y + 0.06)])
    _grass(cv, rng, ground, width)
    return ground
