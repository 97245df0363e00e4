"""More prop drawers (furniture, animals, vehicles, buildings) and the prop catalogue."""

from __future__ import annotations

from studio.render.canvas import INK, RGB, Canvas, shade
from studio.render.offline.props import GOLD, METAL, WOOD, Glow


def computer(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.7
    cv.poly(
        [
            (x - w, base),
            (x + w, base),
            (x + w * 0.85, base - h * 0.12),
            (x - w * 0.85, base - h * 0.12),
        ],
        METAL,
    )
    cv.rect(x - w * 0.8, base - h, x + w * 0.8, base - h * 0.12, (60, 62, 72))
    cv.rect(
        x - w * 0.68, base - h * 0.9, x + w * 0.68, base - h * 0.2, (120, 200, 240), outline=None
    )
    for k in range(3):
        y = base - h * (0.75 - k * 0.16)
        cv.line([(x - w * 0.5, y), (x + w * (0.3 - k * 0.15), y)], (250, 250, 255), cv.lw)
    return []


def table(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.8
    for lx in (x - w * 0.85, x + w * 0.85):
        cv.rect(lx - h * 0.04, base - h * 0.9, lx + h * 0.04, base, shade(WOOD, 0.3))
    cv.rect(x - w, base - h, x + w, base - h * 0.88, WOOD)
    return []


def chair(cv: Canvas, x: float, base: float, h: float, f: int = 1) -> list[Glow]:
    w = h * 0.28
    seat = base - h * 0.5
    bx = x - f * w
    cv.rect(bx - h * 0.03, base - h, bx + h * 0.03, base, shade(WOOD, 0.2))
    cv.rect(x + f * w - h * 0.03, seat, x + f * w + h * 0.03, base, shade(WOOD, 0.3))
    cv.rect(x - w - h * 0.04, seat - h * 0.05, x + w + h * 0.04, seat + h * 0.02, WOOD)
    cv.rect(bx - h * 0.05, base - h, bx + h * 0.05, base - h * 0.72, WOOD)
    return []


def bed(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 1.4
    top = base - h * 0.45
    cv.rect(x - w, base - h, x - w + h * 0.1, base, WOOD)
    cv.rect(x + w - h * 0.1, base - h * 0.6, x + w, base, WOOD)
    cv.rect(x - w + h * 0.1, top, x + w - h * 0.1, base - h * 0.15, (240, 240, 236))
    cv.ellipse(x - w + h * 0.35, top - h * 0.05, h * 0.24, h * 0.1, (252, 252, 250))
    cv.rect(x - w + h * 0.6, top - h * 0.02, x + w - h * 0.1, base - h * 0.15, (90, 130, 200))
    return []


def window(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.4
    cv.rect(
        x - w - h * 0.05, base - h - h * 0.05, x + w + h * 0.05, base + h * 0.05, (236, 232, 222)
    )
    cv.gradient((110, 170, 226), (206, 232, 246), base - h, base, x - w, x + w)
    cv.rect(x - w, base - h, x + w, base, None)
    cv.line([(x, base - h), (x, base)], (236, 232, 222), cv.lw * 3)
    cv.line([(x - w, base - h / 2), (x + w, base - h / 2)], (236, 232, 222), cv.lw * 3)
    return []


def flower(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    cv.limb([(x, base), (x, base - h * 0.7)], (70, 150, 70), h * 0.05)
    cv.ellipse(x + h * 0.1, base - h * 0.35, h * 0.1, h * 0.05, (90, 170, 80))
    cy, r = base - h * 0.8, h * 0.1
    for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0), (0.7, 0.7), (-0.7, -0.7)):
        cv.ellipse(x + dx * r * 1.1, cy + dy * r * 1.1, r * 0.8, r * 0.8, (236, 90, 130))
    cv.ellipse(x, cy, r * 0.75, r * 0.75, (250, 210, 60))
    return []


def ball(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    r = h / 2
    cv.ellipse(x, base - r, r, r, (230, 60, 60))
    cv.chord(x, base - r, r, r, 20, 160, (250, 250, 250))
    cv.ellipse(x, base - r, r, r, None)
    return []


def cat(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    c: RGB = (236, 150, 70)
    cv.arc(x + h * 0.35, base - h * 0.25, h * 0.25, 270, 90, cv.lw * 3)
    cv.ellipse(x + h * 0.05, base - h * 0.3, h * 0.32, h * 0.3, c)
    hx, hy = x - h * 0.15, base - h * 0.7
    for s in (-1, 1):
        cv.poly(
            [
                (hx + s * h * 0.2, hy - h * 0.05),
                (hx + s * h * 0.22, hy - h * 0.32),
                (hx + s * h * 0.03, hy - h * 0.15),
            ],
            c,
        )
    cv.ellipse(hx, hy, h * 0.22, h * 0.19, c)
    for s in (-1, 1):
        cv.ellipse(hx + s * h * 0.08, hy - h * 0.02, h * 0.03, h * 0.05, INK, outline=None)
    return []


def dog(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    c: RGB = (196, 150, 100)
    cv.limb([(x + h * 0.45, base - h * 0.55), (x + h * 0.6, base - h * 0.8)], c, h * 0.07)
    for lx in (-0.3, -0.15, 0.25, 0.4):
        cv.limb([(x + lx * h, base - h * 0.4), (x + lx * h, base - h * 0.03)], c, h * 0.09)
    cv.ellipse(x + h * 0.05, base - h * 0.5, h * 0.45, h * 0.2, c)
    hx, hy = x - h * 0.4, base - h * 0.78
    cv.ellipse(hx - h * 0.14, hy + h * 0.06, h * 0.16, h * 0.1, c)
    cv.ellipse(hx, hy, h * 0.2, h * 0.18, c)
    cv.ellipse(hx + h * 0.1, hy + h * 0.02, h * 0.08, h * 0.17, shade(c, 0.4))
    cv.ellipse(hx - h * 0.3, hy + h * 0.04, h * 0.05, h * 0.04, INK, outline=None)
    cv.ellipse(hx - h * 0.06, hy - h * 0.04, h * 0.03, h * 0.04, INK, outline=None)
    return []


def bird(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    c: RGB = (70, 130, 210)
    cy = base - h * 0.5
    cv.poly([(x + h * 0.3, cy), (x + h * 0.6, cy - h * 0.25), (x + h * 0.55, cy + h * 0.1)], c)
    cv.ellipse(x, cy, h * 0.4, h * 0.28, c)
    cv.ellipse(x - h * 0.3, cy - h * 0.22, h * 0.2, h * 0.2, c)
    cv.poly(
        [
            (x - h * 0.48, cy - h * 0.26),
            (x - h * 0.7, cy - h * 0.18),
            (x - h * 0.48, cy - h * 0.12),
        ],
        GOLD,
    )
    cv.ellipse(x - h * 0.34, cy - h * 0.26, h * 0.04, h * 0.04, INK, outline=None)
    cv.poly(
        [(x - h * 0.1, cy - h * 0.05), (x + h * 0.2, cy - h * 0.5), (x + h * 0.25, cy - h * 0.05)],
        shade(c, 0.2),
    )
    return []


def car(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 1.1
    body: RGB = (60, 120, 200)
    cv.poly(
        [
            (x - w * 0.55, base - h * 0.5),
            (x - w * 0.35, base - h * 0.95),
            (x + w * 0.3, base - h * 0.95),
            (x + w * 0.55, base - h * 0.5),
        ],
        body,
    )
    cv.poly(
        [
            (x - w * 0.45, base - h * 0.52),
            (x - w * 0.3, base - h * 0.86),
            (x - w * 0.02, base - h * 0.86),
            (x - w * 0.02, base - h * 0.52),
        ],
        (190, 226, 246),
    )
    cv.poly(
        [
            (x + w * 0.04, base - h * 0.52),
            (x + w * 0.04, base - h * 0.86),
            (x + w * 0.26, base - h * 0.86),
            (x + w * 0.45, base - h * 0.52),
        ],
        (190, 226, 246),
    )
    cv.rect(x - w, base - h * 0.52, x + w, base - h * 0.15, body)
    cv.rect(x + w * 0.88, base - h * 0.45, x + w, base - h * 0.35, (255, 236, 150))
    for wx in (-0.6, 0.6):
        cv.ellipse(x + wx * w, base - h * 0.17, h * 0.17, h * 0.17, (40, 40, 46))
        cv.ellipse(x + wx * w, base - h * 0.17, h * 0.07, h * 0.07, METAL)
    return []


def bicycle(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    r = h * 0.32
    a, b = (x - h * 0.45, base - r), (x + h * 0.45, base - r)
    for cx, cy in (a, b):
        cv.ellipse(cx, cy, r, r, None, width=cv.lw * 2)
        cv.ellipse(cx, cy, r * 0.1, r * 0.1, INK)
    frame: RGB = (220, 60, 60)
    seat, bar, pedal = (
        (x - h * 0.15, base - h * 0.75),
        (x + h * 0.3, base - h * 0.82),
        (x, base - r),
    )
    for u, v in (
        (a, seat),
        (seat, pedal),
        (pedal, a),
        (seat, (x + h * 0.35, base - h * 0.7)),
        ((x + h * 0.35, base - h * 0.7), pedal),
        (b, bar),
    ):
        cv.limb([u, v], frame, h * 0.04)
    cv.line([(bar[0] - h * 0.08, bar[1]), (bar[0] + h * 0.06, bar[1] - h * 0.03)], INK, cv.lw * 2.5)
    cv.ellipse(seat[0], seat[1] - h * 0.03, h * 0.09, h * 0.035, INK)
    return []


def boat(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.9
    cv.line([(x, base - h * 0.35), (x, base - h)], INK, cv.lw * 2.5)
    cv.poly(
        [
            (x + h * 0.03, base - h * 0.98),
            (x + w * 0.75, base - h * 0.42),
            (x + h * 0.03, base - h * 0.42),
        ],
        (250, 248, 240),
    )
    cv.poly(
        [
            (x - h * 0.03, base - h * 0.85),
            (x - w * 0.55, base - h * 0.42),
            (x - h * 0.03, base - h * 0.42),
        ],
        (240, 120, 90),
    )
    cv.poly(
        [
            (x - w, base - h * 0.38),
            (x + w, base - h * 0.38),
            (x + w * 0.7, base),
            (x - w * 0.7, base),
        ],
        (170, 90, 60),
    )
    cv.line([(x - w * 0.9, base - h * 0.28), (x + w * 0.9, base - h * 0.28)], GOLD, cv.lw * 2)
    return []


def house(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.62
    logs: RGB = (150, 96, 56)
    wall_top = base - h * 0.55
    cv.rect(x + w * 0.35, base - h * 1.0, x + w * 0.6, base - h * 0.7, (130, 110, 100))
    cv.rect(x - w, wall_top, x + w, base, logs)
    for k in range(1, 5):
        y = wall_top + k * (base - wall_top) / 5
        cv.line([(x - w, y), (x + w, y)], shade(logs, 0.35), cv.lw)
    cv.poly(
        [
            (x - w * 1.15, wall_top + h * 0.02),
            (x, base - h * 0.95),
            (x + w * 1.15, wall_top + h * 0.02),
        ],
        (120, 60, 50),
    )
    cv.rect(x - w * 0.2, base - h * 0.36, x + w * 0.15, base, (100, 60, 36))
    cv.rect(x + w * 0.38, base - h * 0.4, x + w * 0.8, base - h * 0.18, (255, 220, 130))
    cv.line([(x + w * 0.59, base - h * 0.4), (x + w * 0.59, base - h * 0.18)], INK)
    cv.rect(x - w * 0.8, base - h * 0.4, x - w * 0.4, base - h * 0.18, (255, 220, 130))
    return [(x + w * 0.59, base - h * 0.29, h * 0.35), (x - w * 0.6, base - h * 0.29, h * 0.35)]


def tree(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    trunk: RGB = (126, 86, 56)
    cv.poly(
        [
            (x - h * 0.07, base),
            (x + h * 0.07, base),
            (x + h * 0.05, base - h * 0.5),
            (x - h * 0.05, base - h * 0.5),
        ],
        trunk,
    )
    leaf: RGB = (80, 160, 84)
    for dx, dy, rr in ((-0.17, -0.55, 0.22), (0.17, -0.57, 0.22), (0.0, -0.78, 0.26)):
        cv.ellipse(x + dx * h, base + dy * h, rr * h, rr * h * 0.9, leaf)
    return []


def ladder(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.14
    for s in (-1, 1):
        cv.limb([(x + s * w, base), (x + s * w, base - h)], WOOD, h * 0.03)
    for k in range(1, 8):
        y = base - h * k / 8
        cv.line([(x - w, y), (x + w, y)], shade(WOOD, 0.2), cv.lw * 2.5)
    return []


def rock(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 0.9
    cv.poly(
        [
            (x - w, base),
            (x - w * 0.8, base - h * 0.6),
            (x - w * 0.2, base - h),
            (x + w * 0.5, base - h * 0.85),
            (x + w, base),
        ],
        (150, 146, 140),
    )
    return []


def campfire(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    cv.poly(
        [(x - h * 0.5, base), (x, base - h * 0.9), (x + h * 0.5, base)],
        (250, 150, 50),
        (220, 80, 30),
    )
    cv.poly(
        [(x - h * 0.25, base), (x, base - h * 0.5), (x + h * 0.25, base)], (255, 230, 120), None
    )
    for s in (-1, 1):
        cv.limb([(x - s * h * 0.55, base), (x + s * h * 0.4, base - h * 0.15)], WOOD, h * 0.1)
    return [(x, base - h * 0.4, h * 3)]


def bench(cv: Canvas, x: float, base: float, h: float) -> list[Glow]:
    w = h * 1.2
    for lx in (-0.85, 0.85):
        cv.rect(
            x + lx * w - h * 0.05, base - h * 0.5, x + lx * w + h * 0.05, base, shade(WOOD, 0.3)
        )
    cv.rect(x - w, base - h * 0.6, x + w, base - h * 0.45, WOOD)
    return []
