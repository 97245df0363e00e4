"""Built backgrounds for the offline renderer: library, office, room and city street."""

from __future__ import annotations

import random

from studio.render.canvas import INK, RGB, SKIES, Canvas, lit, mix, shade
from studio.render.scenes import stars

WALL_Y = 0.66  # where the back wall meets the floor
_BOOKS: list[RGB] = [
    (186, 62, 58),
    (60, 104, 170),
    (72, 138, 90),
    (222, 170, 60),
    (122, 80, 150),
    (200, 120, 70),
    (60, 130, 140),
    (230, 220, 200),
]
_LAMP_GLOW: RGB = (255, 236, 170)


def library(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    _wall_and_floor(cv, light, lit((232, 214, 178), light), lit((170, 116, 74), light))
    units = max(2, round(width / 0.3))
    unit_w = width / units
    window_at = units // 2
    for i in range(units):
        x0 = i * unit_w + 0.02
        if i == window_at:
            _window(cv, light, x0 + 0.03, 0.12, x0 + unit_w - 0.05, 0.46, rng)
        else:
            _bookcase(cv, light, x0, 0.06, x0 + unit_w - 0.04, WALL_Y, rng)
    return lit((170, 116, 74), light)


def office(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    floor = lit((150, 160, 176), light)
    _wall_and_floor(cv, light, lit((214, 226, 232), light), floor, planks=False)
    for i, x in enumerate((width * 0.2, width * 0.62)):
        _window(cv, light, x, 0.12, x + 0.26, 0.44, rng, city=i == 1)
    cab = lit((170, 176, 186), light)
    cv.rect(width * 0.06, 0.44, width * 0.06 + 0.1, WALL_Y + 0.02, cab)
    for k in range(3):
        y = 0.46 + k * 0.07
        cv.rect(width * 0.06 + 0.015, y, width * 0.06 + 0.085, y + 0.055, shade(cab, 0.1))
    _plant(cv, light, width * 0.92, WALL_Y + 0.03)
    desk = lit((150, 104, 70), light)
    cx = width * 0.55
    cv.rect(cx - 0.2, 0.7, cx + 0.2, 0.73, desk)
    cv.rect(cx - 0.19, 0.73, cx - 0.17, 0.86, shade(desk))
    cv.rect(cx + 0.17, 0.73, cx + 0.19, 0.86, shade(desk))
    cv.rect(cx - 0.02, 0.66, cx + 0.02, 0.7, (70, 70, 80))
    screen = (120, 190, 230) if light != "night" else (150, 210, 250)
    cv.rect(cx - 0.09, 0.56, cx + 0.09, 0.66, (50, 52, 60))
    cv.rect(cx - 0.08, 0.57, cx + 0.08, 0.65, screen, outline=None)
    return floor


def room(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    wall = lit(
        rng.choice([(238, 214, 196), (214, 228, 206), (222, 214, 236), (246, 226, 180)]), light
    )
    floor = lit((182, 128, 86), light)
    _wall_and_floor(cv, light, wall, floor)
    wx = width * rng.uniform(0.55, 0.7)
    _window(cv, light, wx, 0.12, wx + 0.26, 0.44, rng)
    curtain = lit(rng.choice(_BOOKS[:5]), light)
    for x0, x1 in ((wx - 0.05, wx + 0.02), (wx + 0.24, wx + 0.31)):
        cv.poly([(x0, 0.09), (x1, 0.09), (x1 - 0.01, 0.5), (x0 + 0.005, 0.52)], curtain)
    cv.rect(wx - 0.07, 0.08, wx + 0.33, 0.1, lit((120, 90, 60), light))
    fx = width * 0.18
    cv.rect(fx, 0.18, fx + 0.16, 0.34, lit((160, 110, 60), light))
    cv.gradient(SKIES["day"][0], (150, 200, 140), 0.2, 0.32, fx + 0.02, fx + 0.14)
    cv.poly(
        [
            (fx + 0.02, 0.32),
            (fx + 0.07, 0.25),
            (fx + 0.1, 0.29),
            (fx + 0.12, 0.26),
            (fx + 0.14, 0.32),
        ],
        (90, 150, 90),
        None,
    )
    _lamp(cv, light, width * 0.88, WALL_Y + 0.02)
    rug = lit(rng.choice([(196, 86, 80), (80, 120, 170), (200, 160, 80)]), light)
    cv.ellipse(width * 0.5, 0.9, width * 0.32, 0.06, rug)
    cv.ellipse(
        width * 0.5,
        0.9,
        width * 0.26,
        0.04,
        None,
        outline=mix(rug, (255, 255, 255), 0.4),
        width=cv.lw * 1.5,
    )
    return floor


def city(cv: Canvas, light: str, rng: random.Random) -> RGB:
    width = cv.cam.world_w
    night = light == "night"
    top, low = SKIES.get(light, SKIES["day"])
    cv.gradient(top, low, min(cv.view_top(), -0.1), 0.72)
    if night:
        stars(cv, rng, 0, width, -0.3, 0.3, 30)
        cv.ellipse(width * 0.82, 0.1, 0.045, 0.045, (246, 240, 210), outline=None)
    far = mix(low, top, 0.35) if night else mix(low, (140, 160, 190), 0.5)
    x = -0.05
    while x < width + 0.05:
        w = rng.uniform(0.06, 0.12)
        cv.rect(x, rng.uniform(0.18, 0.38), x + w, 0.75, far, outline=None)
        x += w
    x = -0.04
    while x < width + 0.04:
        w = rng.uniform(0.16, 0.26)
        _building(cv, x, rng.uniform(0.28, 0.5), x + w - 0.015, light, rng)
        x += w
    walk = lit((196, 192, 186), light)
    cv.rect(-1, 0.72, width + 1, 0.76, lit((150, 146, 142), light))
    cv.rect(-1, 0.76, width + 1, 2, walk)
    for i in range(round(width * 8) + 1):
        cv.line([(i / 8, 0.76), (i / 8 - 0.08, 1.1)], fill=shade(walk, 0.25), width=cv.lw * 0.7)
    for lx in (width * 0.12, width * 0.88):
        _street_lamp(cv, lx, 0.78, night)
    return walk


def _building(cv: Canvas, x0: float, top: float, x1: float, light: str, rng: random.Random) -> None:
    night = light == "night"
    base = rng.choice(
        [(196, 120, 96), (150, 160, 186), (214, 190, 150), (120, 140, 150), (170, 130, 160)]
    )
    colour = lit(base, light)
    cv.rect(x0, top, x1, 0.73, colour)
    cv.rect(x0 - 0.008, top - 0.015, x1 + 0.008, top, shade(colour, 0.3))
    cols = max(2, round((x1 - x0) / 0.05))
    step = (x1 - x0) / cols
    lit_window, dark_window = _LAMP_GLOW, mix(colour, (20, 24, 50), 0.55)
    day_window = mix((170, 210, 236), colour, 0.2)
    y = top + 0.035
    while y < 0.66:
        for c in range(cols):
            wx = x0 + c * step + step * 0.25
            fill = (lit_window if rng.random() < 0.55 else dark_window) if night else day_window
            cv.rect(wx, y, wx + step * 0.5, y + 0.045, fill, width=cv.lw * 0.7)
        y += 0.075
    cv.rect((x0 + x1) / 2 - 0.025, 0.66, (x0 + x1) / 2 + 0.025, 0.73, shade(colour, 0.45))


def _street_lamp(cv: Canvas, x: float, base: float, night: bool) -> None:
    if night:
        cv.ellipse(x, 0.41, 0.05, 0.05, mix(_LAMP_GLOW, (52, 64, 116), 0.3), outline=None)
    cv.rect(x - 0.008, 0.4, x + 0.008, base, (60, 64, 76))
    cv.poly([(x - 0.035, 0.4), (x + 0.035, 0.4), (x + 0.02, 0.37), (x - 0.02, 0.37)], (60, 64, 76))
    cv.ellipse(x, 0.41, 0.022, 0.015, _LAMP_GLOW if night else (236, 236, 220))


def _wall_and_floor(cv: Canvas, light: str, wall: RGB, floor: RGB, planks: bool = True) -> None:
    width = cv.cam.world_w
    cv.rect(-1, -5, width + 1, WALL_Y, wall, outline=None)
    cv.rect(-1, WALL_Y, width + 1, 2, floor, outline=None)
    cv.rect(-1, WALL_Y - 0.025, width + 1, WALL_Y, shade(wall, 0.3))
    if planks:
        for i in range(1, 5):
            y = WALL_Y + (1 - WALL_Y) * (i / 5) ** 1.3
            cv.line([(-1, y), (width + 1, y)], fill=shade(floor, 0.3), width=cv.lw * 0.7)


def _window(
    cv: Canvas,
    light: str,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    rng: random.Random,
    city: bool = False,
) -> None:
    frame = lit((236, 232, 222), light)
    cv.rect(x0 - 0.015, y0 - 0.015, x1 + 0.015, y1 + 0.02, frame)
    top, low = SKIES.get(light, SKIES["day"])
    cv.gradient(top, low, y0, y1, x0, x1)
    if light == "night":
        stars(cv, rng, x0 + 0.01, x1 - 0.01, y0 + 0.01, y1 - 0.12, 6)
    if city or light == "night":
        x = x0
        while x < x1 - 0.02:
            w = min(rng.uniform(0.03, 0.06), x1 - x)
            t = rng.uniform(y0 + 0.12, y1 - 0.06)
            cv.rect(x, t, x + w, y1, mix(low, INK, 0.45), outline=None)
            if light == "night":
                cv.rect(x + w * 0.3, t + 0.02, x + w * 0.6, t + 0.035, _LAMP_GLOW, outline=None)
            x += w
    else:
        cv.ellipse((x0 + x1) / 2, y1 + 0.04, (x1 - x0) * 0.7, 0.08, (150, 200, 130), outline=None)
    cv.rect(x0, y0, x1, y1, None)
    cv.line([((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)], fill=frame, width=cv.lw * 2)
    cv.line([(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)], fill=frame, width=cv.lw * 2)
    cv.rect(x0 - 0.025, y1 + 0.01, x1 + 0.025, y1 + 0.03, frame)


def _bookcase(
    cv: Canvas, light: str, x0: float, y0: float, x1: float, y1: float, rng: random.Random
) -> None:
    wood = lit((128, 84, 52), light)
    cv.rect(x0, y0, x1, y1, wood)
    inner = shade(wood, 0.45)
    shelves = 5
    step = (y1 - y0 - 0.03) / shelves
    for s in range(shelves):
        top = y0 + 0.015 + s * step
        bottom = top + step - 0.012
        cv.rect(x0 + 0.012, top, x1 - 0.012, bottom, inner, outline=None)
        x = x0 + 0.014
        while x < x1 - 0.03:
            w = rng.uniform(0.012, 0.022)
            h = (bottom - top) * rng.uniform(0.68, 0.92)
            colour = lit(rng.choice(_BOOKS), light)
            if rng.random() < 0.06:
                cv.poly(
                    [
                        (x, bottom),
                        (x + w, bottom),
                        (x + w + h * 0.45, bottom - h * 0.9),
                        (x + h * 0.45, bottom - h * 0.95),
                    ],
                    colour,
                    width=cv.lw * 0.6,
                )
                x += w + h * 0.45
            else:
                cv.rect(x, bottom - h, x + w, bottom, colour, width=cv.lw * 0.6)
                x += w
        cv.rect(
            x0 + 0.008,
            bottom,
            x1 - 0.008,
            bottom + 0.012,
            mix(wood, (255, 230, 200), 0.15),
            width=cv.lw * 0.6,
        )


def _table(cv: Canvas, light: str, cx: float, y: float, half: float) -> None:
    wood = lit((150, 100, 62), light)
    for lx in (cx - half * 0.85, cx + half * 0.85):
        cv.rect(lx - 0.012, y, lx + 0.012, y + 0.14, shade(wood, 0.3))
    cv.rect(cx - half, y - 0.025, cx + half, y + 0.01, wood)
    for i, bx in enumerate((cx - half * 0.6, cx - half * 0.6 + 0.06)):
        cv.rect(bx, y - 0.045 - i * 0.018, bx + 0.08, y - 0.025 - i * 0.018, _BOOKS[i + 1])
    _lamp(cv, light, cx + half * 0.6, y - 0.025, small=True)


def _lamp(cv: Canvas, light: str, x: float, base: float, small: bool = False) -> None:
    s = 0.45 if small else 1.0
    on = light in ("night", "sunset")
    if on:
        cv.ellipse(
            x,
            base - 0.3 * s,
            0.13 * s,
            0.13 * s,
            mix(_LAMP_GLOW, (70, 70, 110), 0.45),
            outline=None,
        )
    cv.rect(x - 0.006, base - 0.3 * s, x + 0.006, base, (70, 64, 60))
    cv.ellipse(x, base, 0.04 * s, 0.01, (70, 64, 60))
    shade_c = (246, 220, 140) if on else (90, 150, 110)
    cv.poly(
        [
            (x - 0.06 * s, base - 0.26 * s),
            (x + 0.06 * s, base - 0.26 * s),
            (x + 0.035 * s, base - 0.36 * s),
            (x - 0.035 * s, base - 0.36 * s),
        ],
        shade_c,
    )


def _plant(cv: Canvas, light: str, x: float, base: float) -> None:
    leaf = lit((70, 150, 86), light)
    for dx, h in ((-0.04, 0.14), (0.0, 0.2), (0.04, 0.15), (-0.02, 0.18), (0.025, 0.17)):
        cv.poly(
            [
                (x, base - 0.06),
                (x + dx - 0.015, base - 0.06 - h * 0.6),
                (x + dx * 1.5, base - 0.06 - h),
                (x + dx + 0.015, base - 0.06 - h * 0.6),
            ],
            leaf,
        )
    cv.poly(
        [(x - 0.045, base - 0.07), (x + 0.045, base - 0.07), (x + 0.035, base), (x - 0.035, base)],
        lit((196, 110, 80), light),
    )


__all__ = ["city", "library", "office", "room"]
