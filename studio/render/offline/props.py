"""Props the renderer knows: how each is drawn, how big it is and where it goes.

A drawer paints the prop with its bottom centre at ``(x, base)`` and ``h`` world units tall
and returns the points that glow (lanterns, lamps, candles). ``place`` says where an
unheld prop goes: ``big`` (background), ``floor`` (beside the figures), ``table`` (on a
table), ``ground`` (at their feet), ``wall`` or ``air``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from studio.render.canvas import INK, RGB, Canvas, mix, shade
from studio.render.fonts import load_font

Glow = tuple[float, float, float]  # x, y, radius
Drawer = Callable[[Canvas, float, float, float], list[Glow]]

GOLD: RGB = (236, 190, 60)
WOOD: RGB = (150, 100, 62)
METAL: RGB = (186, 192, 204)
FLAME: RGB = (255, 200, 80)
PAPER: RGB = (246, 240, 222)


@dataclass(frozen=True)
class Prop:
    draw: Drawer
    size: float  # height as a fraction of an adult figure
    aspect: float  # width / height
    place: str
    grip: float = 0.5  # where a hand holds it, from the bottom (fraction of its height)


def key(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    r = h * 0.2
    cv.limb([(x, base - h + r * 2), (x, base - h * 0.05)], GOLD, h * 0.1)
    for y in (base - h * 0.05, base - h * 0.22):
        cv.limb([(x, y), (x + h * 0.16, y)], GOLD, h * 0.08)
    cv.ellipse(x, base - h + r, r, r, GOLD, width=cv.lw)
    cv.ellipse(x, base - h + r, r * 0.45, r * 0.45, mix(GOLD, (60, 40, 20), 0.5))
    return []


def door(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.23
    cv.rect(x - w - h * 0.03, base - h - h * 0.03, x + w + h * 0.03, base, shade(WOOD, 0.3))
    cv.rect(x - w, base - h, x + w, base, WOOD)
    for y0, y1 in ((0.08, 0.45), (0.55, 0.92)):
        cv.rect(
            x - w * 0.7, base - h * (1 - y0), x + w * 0.7, base - h * (1 - y1), shade(WOOD, 0.15)
        )
    cv.ellipse(x + w * 0.72, base - h * 0.5, h * 0.025, h * 0.025, GOLD)
    return []


def book(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.38
    cv.rect(x - w, base - h, x + w, base, PAPER)
    cv.rect(x - w, base - h, x + w - h * 0.08, base - h * 0.04, (176, 50, 56))
    cv.rect(x - w, base - h, x - w + h * 0.12, base - h * 0.04, shade((176, 50, 56), 0.3))
    cv.rect(x - w * 0.3, base - h * 0.8, x + w * 0.6, base - h * 0.65, GOLD, outline=None)
    return []


def open_book(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.7
    cv.poly(
        [
            (x - w, base - h * 0.9),
            (x, base - h * 0.75),
            (x + w, base - h * 0.9),
            (x + w, base - h * 0.1),
            (x, base),
            (x - w, base - h * 0.1),
        ],
        (60, 90, 160),
    )
    for s in (-1, 1):
        cv.poly(
            [
                (x, base - h * 0.8),
                (x + s * w * 0.92, base - h),
                (x + s * w * 0.92, base - h * 0.2),
                (x, base - h * 0.08),
            ],
            PAPER,
        )
        for k in range(3):
            y = base - h * (0.75 - k * 0.18)
            cv.line(
                [(x + s * w * 0.2, y), (x + s * w * 0.75, y - h * 0.08)],
                (150, 150, 160),
                cv.lw * 0.6,
            )
    return []


def lantern(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.28
    cv.arc(x, base - h * 0.86, w * 0.6, 180, 360, cv.lw * 1.5)
    cv.poly(
        [
            (x - w * 0.9, base - h * 0.7),
            (x + w * 0.9, base - h * 0.7),
            (x + w * 0.5, base - h * 0.86),
            (x - w * 0.5, base - h * 0.86),
        ],
        (60, 60, 70),
    )
    cv.rect(x - w * 0.75, base - h * 0.7, x + w * 0.75, base - h * 0.14, (255, 226, 130))
    cv.ellipse(x, base - h * 0.4, w * 0.28, h * 0.16, FLAME, outline=(240, 120, 40))
    for dx in (-0.75, 0.0, 0.75):
        cv.line([(x + dx * w, base - h * 0.7), (x + dx * w, base - h * 0.14)], (60, 60, 70))
    cv.rect(x - w * 0.95, base - h * 0.14, x + w * 0.95, base, (60, 60, 70))
    return [(x, base - h * 0.42, h * 2.6)]


def lamp(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    cv.ellipse(x, base - h * 0.04, h * 0.2, h * 0.05, (80, 74, 70))
    cv.rect(x - h * 0.025, base - h * 0.7, x + h * 0.025, base - h * 0.04, (80, 74, 70))
    cv.poly(
        [
            (x - h * 0.32, base - h * 0.58),
            (x + h * 0.32, base - h * 0.58),
            (x + h * 0.18, base - h),
            (x - h * 0.18, base - h),
        ],
        (250, 226, 150),
    )
    return [(x, base - h * 0.6, h * 2.2)]


def candle(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    cv.ellipse(x, base - h * 0.05, h * 0.3, h * 0.06, (200, 170, 80))
    cv.rect(x - h * 0.1, base - h * 0.7, x + h * 0.1, base - h * 0.06, (250, 246, 236))
    cv.line([(x, base - h * 0.7), (x, base - h * 0.78)], INK)
    cv.poly(
        [
            (x, base - h),
            (x + h * 0.08, base - h * 0.8),
            (x, base - h * 0.74),
            (x - h * 0.08, base - h * 0.8),
        ],
        FLAME,
        (240, 120, 40),
    )
    return [(x, base - h * 0.82, h * 2.4)]


def letter(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.75
    cv.rect(x - w, base - h, x + w, base, (252, 250, 244))
    cv.line([(x - w, base - h), (x, base - h * 0.45), (x + w, base - h)])
    cv.ellipse(x, base - h * 0.45, h * 0.12, h * 0.12, (200, 40, 50))
    return []


def phone(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.28
    cv.rect(x - w, base - h, x + w, base, (40, 40, 50))
    cv.rect(
        x - w * 0.75, base - h * 0.9, x + w * 0.75, base - h * 0.14, (110, 190, 240), outline=None
    )
    cv.ellipse(x, base - h * 0.07, w * 0.2, w * 0.2, (90, 90, 100), outline=None)
    return []


def cup(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.4
    cv.ellipse(x + w, base - h * 0.5, w * 0.45, h * 0.22, None, width=cv.lw * 2)
    cv.poly(
        [
            (x - w, base - h * 0.85),
            (x + w, base - h * 0.85),
            (x + w * 0.85, base),
            (x - w * 0.85, base),
        ],
        (236, 110, 90),
    )
    cv.ellipse(x, base - h * 0.85, w, h * 0.1, (120, 70, 40))
    for dx in (-0.3, 0.3):
        cv.line(
            [
                (x + dx * w, base - h * 1.0),
                (x + dx * w + h * 0.06, base - h * 1.15),
                (x + dx * w, base - h * 1.3),
            ],
            (170, 170, 180),
            cv.lw,
        )
    return []


def umbrella(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.62
    top = base - h
    cv.line([(x, top + h * 0.3), (x, base - h * 0.04)], INK, cv.lw * 2)
    cv.arc(x - h * 0.06, base - h * 0.05, h * 0.06, 0, 180, cv.lw * 2)
    cv.chord(x, top + h * 0.36, w, h * 0.36, 180, 360, (200, 50, 70))
    for k in range(4):
        cx = x - w + w / 4 + k * w / 2
        cv.chord(cx, top + h * 0.36, w / 4, h * 0.06, 0, 180, (200, 50, 70))
    cv.line([(x, top), (x, top - h * 0.06)], INK, cv.lw * 2)
    return []


def bag(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.55
    cv.arc(x, base - h * 0.62, w * 0.55, 180, 360, cv.lw * 2.5)
    cv.rect(x - w, base - h * 0.62, x + w, base, (160, 96, 50))
    cv.poly(
        [
            (x - w, base - h * 0.62),
            (x + w, base - h * 0.62),
            (x + w, base - h * 0.35),
            (x - w, base - h * 0.35),
        ],
        (130, 76, 40),
    )
    cv.rect(x - w * 0.12, base - h * 0.4, x + w * 0.12, base - h * 0.28, GOLD)
    return []


def map_(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.7
    cv.poly(
        [
            (x - w, base - h),
            (x - w * 0.33, base - h * 0.92),
            (x + w * 0.33, base - h),
            (x + w, base - h * 0.92),
            (x + w, base),
            (x + w * 0.33, base - h * 0.08),
            (x - w * 0.33, base),
            (x - w, base - h * 0.08),
        ],
        (238, 220, 170),
    )
    cv.poly(
        [
            (x - w * 0.7, base - h * 0.6),
            (x - w * 0.3, base - h * 0.8),
            (x - w * 0.1, base - h * 0.5),
            (x - w * 0.5, base - h * 0.3),
        ],
        (150, 196, 120),
        outline=None,
    )
    pts = [
        (x - w * 0.6, base - h * 0.25),
        (x - w * 0.1, base - h * 0.35),
        (x + w * 0.2, base - h * 0.6),
        (x + w * 0.5, base - h * 0.5),
    ]
    for a, b in itertools.pairwise(pts):
        cv.line([a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)], (190, 60, 50), cv.lw * 1.2)
    ex, ey, s = x + w * 0.55, base - h * 0.55, h * 0.09
    cv.line([(ex - s, ey - s), (ex + s, ey + s)], (190, 60, 50), cv.lw * 2)
    cv.line([(ex - s, ey + s), (ex + s, ey - s)], (190, 60, 50), cv.lw * 2)
    return []


def sword(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    cv.poly(
        [
            (x - h * 0.035, base - h * 0.22),
            (x + h * 0.035, base - h * 0.22),
            (x + h * 0.035, base - h * 0.92),
            (x, base - h),
            (x - h * 0.035, base - h * 0.92),
        ],
        (220, 226, 236),
    )
    cv.rect(x - h * 0.13, base - h * 0.24, x + h * 0.13, base - h * 0.2, GOLD)
    cv.rect(x - h * 0.025, base - h * 0.2, x + h * 0.025, base - h * 0.04, (110, 60, 40))
    cv.ellipse(x, base - h * 0.03, h * 0.04, h * 0.04, GOLD)
    return []


def shield(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.42
    pts = [
        (x - w, base - h),
        (x + w, base - h),
        (x + w, base - h * 0.45),
        (x, base),
        (x - w, base - h * 0.45),
    ]
    cv.poly(pts, (60, 90, 170), width=cv.lw * 1.5)
    cv.rect(x - w * 0.15, base - h * 0.92, x + w * 0.15, base - h * 0.12, GOLD, outline=None)
    cv.rect(x - w * 0.8, base - h * 0.68, x + w * 0.8, base - h * 0.56, GOLD, outline=None)
    cv.poly(pts, None, width=cv.lw * 1.5)
    return []


def crown(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.7
    pts = [(x - w, base), (x + w, base)]
    for i, px in enumerate((1.0, 0.6, 0.3, 0.0, -0.3, -0.6, -1.0)):
        pts.append((x + px * w, base - h * (1.0 if i % 2 == 0 else 0.5)))
    cv.poly(pts, GOLD)
    cv.rect(x - w, base - h * 0.22, x + w, base, mix(GOLD, (160, 100, 20), 0.3))
    for dx, c in ((-0.5, (200, 40, 60)), (0.0, (60, 120, 210)), (0.5, (60, 170, 90))):
        cv.ellipse(x + dx * w, base - h * 0.11, h * 0.07, h * 0.07, c, outline=None)
    return []


def chest(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.7
    cv.ellipse(x, base - h * 0.6, w * 0.9, h * 0.25, GOLD, outline=None)
    for k in range(5):
        cv.ellipse(x - w * 0.6 + k * w * 0.3, base - h * 0.78, h * 0.09, h * 0.06, GOLD)
    cv.rect(x - w, base - h * 0.6, x + w, base, WOOD)
    cv.chord(x, base - h * 0.6, w, h * 0.4, 180, 360, shade(WOOD, 0.15))
    cv.poly(
        [
            (x + w * 0.1, base - h),
            (x + w * 0.9, base - h * 1.25),
            (x + w, base - h * 0.6),
            (x + w * 0.2, base - h * 0.6),
        ],
        None,
    )
    for dx in (-0.75, 0.75):
        cv.rect(x + dx * w - h * 0.05, base - h * 0.95, x + dx * w + h * 0.05, base, GOLD)
    cv.rect(x - h * 0.08, base - h * 0.62, x + h * 0.08, base - h * 0.42, GOLD)
    return [(x, base - h * 0.75, h * 1.2)]


def clock(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    r = h * 0.4
    cy = base - h * 0.48
    for s in (-1, 1):
        cv.ellipse(x + s * r * 0.7, cy - r * 0.9, r * 0.3, r * 0.22, (200, 60, 60))
        cv.line([(x + s * r * 0.6, cy + r * 0.8), (x + s * r * 0.8, base)], INK, cv.lw * 2)
    cv.ellipse(x, cy, r, r, (200, 60, 60))
    cv.ellipse(x, cy, r * 0.8, r * 0.8, (252, 250, 240))
    cv.line([(x, cy), (x, cy - r * 0.6)], INK, cv.lw * 1.5)
    cv.line([(x, cy), (x + r * 0.42, cy + r * 0.1)], INK, cv.lw * 1.5)
    return []


def generic(word: str) -> Drawer:
    """An unknown noun: a crate with a tag that names it."""

    def draw(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
        w = h * 0.5
        cv.rect(x - w, base - h * 0.8, x + w, base, (206, 170, 116))
        cv.line([(x - w, base - h * 0.8), (x + w, base)], shade((206, 170, 116), 0.3))
        tag = load_font("bold", max(8, round(h * 0.22 * cv.cam.scale)))
        text = word[:14]
        tx, ty = cv.cam.pt(x, base - h * 0.98)
        box = cv.draw.textbbox((tx, ty), text, font=tag, anchor="mm")
        pad = tag.size * 0.3
        cv.draw.rectangle(
            (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad),
            fill=(255, 255, 236),
            outline=INK,
            width=cv.lw,
        )
        cv.draw.text((tx, ty), text, font=tag, fill=INK, anchor="mm")
        return []

    return draw
