"""Interior settings: rooms built from a wall, a floor and what furnishes them."""

from __future__ import annotations

from studio.render.canvas import INK, RGB, SKIES, mix, shade
from studio.render.offline import props
from studio.render.offline import props_more as pm
from studio.render.offline.sky import Scene, stars

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


def _room(sc: Scene, wall: RGB, floor: RGB, planks: bool = True) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    cv.rect(-1, -5, W + 1, y, sc.c(wall), outline=None)
    f = sc.c(floor)
    cv.rect(-1, y, W + 1, 5, f, outline=None)
    cv.rect(-1, y - 0.025, W + 1, y, shade(sc.c(wall), 0.3))
    if planks:
        for i in range(1, 6):
            yy = y + (1.1 - y) * (i / 6) ** 1.3
            cv.line([(-1, yy), (W + 1, yy)], shade(f, 0.25), cv.lw * 0.7)
    return f


def window(
    sc: Scene,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    curtains: RGB | None = None,
    round_: bool = False,
) -> None:
    cv = sc.cv
    frame = sc.c((236, 232, 222))
    top, low = SKIES[sc.time]
    if sc.weather in ("rain", "storm", "fog", "snow"):
        top, low = mix(top, (150, 156, 170), 0.6), mix(low, (170, 176, 190), 0.6)
    if round_:
        cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2
        cv.ellipse(cx, cy, r * 1.15, r * 1.15, sc.c((150, 156, 170)))
        cv.ellipse(cx, cy, r, r, (10, 10, 30))
        stars(cv, sc.rng, cx - r * 0.7, cx + r * 0.7, cy - r * 0.7, cy + r * 0.7, 10)
        cv.chord(cx + r * 0.3, cy + r * 0.5, r * 0.5, r * 0.5, 180, 360, (80, 140, 210))
        return
    cv.rect(x0 - 0.015, y0 - 0.015, x1 + 0.015, y1 + 0.02, frame)
    cv.gradient(top, low, y0, y1, x0, x1)
    if sc.time == "night":
        stars(cv, sc.rng, x0 + 0.01, x1 - 0.01, y0 + 0.01, y1 - 0.05, 5)
    cv.poly(
        [(x0, y1), (x0, y1 - 0.06), (x0 + (x1 - x0) * 0.4, y1 - 0.1), (x1, y1 - 0.05), (x1, y1)],
        mix(low, (60, 120, 80), 0.5),
        None,
    )
    cv.rect(x0, y0, x1, y1, None)
    cv.line([((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)], frame, cv.lw * 2)
    cv.line([(x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)], frame, cv.lw * 2)
    if curtains:
        c = sc.c(curtains)
        for a, b in ((x0 - 0.05, x0 + 0.02), (x1 - 0.02, x1 + 0.05)):
            cv.poly(
                [(a, y0 - 0.03), (b, y0 - 0.03), (b - 0.01, y1 + 0.04), (a + 0.005, y1 + 0.05)], c
            )


def _shelves(sc: Scene, x0: float, y0: float, x1: float, y1: float, goods: bool = False) -> None:
    cv, rng = sc.cv, sc.rng
    wood = sc.c((128, 84, 52))
    cv.rect(x0, y0, x1, y1, wood)
    inner = shade(wood, 0.45)
    n = 5
    step = (y1 - y0 - 0.03) / n
    for s in range(n):
        top = y0 + 0.015 + s * step
        bottom = top + step - 0.012
        cv.rect(x0 + 0.012, top, x1 - 0.012, bottom, inner, outline=None)
        x = x0 + 0.014
        while x < x1 - 0.035:
            if goods and rng.random() < 0.5:
                r = (bottom - top) * 0.22
                c = sc.c(rng.choice([(230, 60, 50), (250, 170, 40), (120, 190, 60)]))
                for k in range(3):
                    cv.ellipse(x + r * (1 + 2 * k), bottom - r, r, r, c, width=cv.lw * 0.6)
                cv.ellipse(x + r * 2, bottom - r * 2.6, r, r, c, width=cv.lw * 0.6)
                x += r * 6 + 0.006
            elif goods:
                w = (bottom - top) * 0.35
                h = (bottom - top) * 0.7
                c = sc.c(rng.choice(_BOOKS))
                cv.rect(
                    x, bottom - h, x + w, bottom, mix(c, (255, 255, 255), 0.35), width=cv.lw * 0.6
                )
                cv.rect(
                    x - 0.002,
                    bottom - h - h * 0.15,
                    x + w + 0.002,
                    bottom - h,
                    shade(c, 0.3),
                    width=cv.lw * 0.6,
                )
                cv.rect(
                    x + w * 0.15,
                    bottom - h * 0.6,
                    x + w * 0.85,
                    bottom - h * 0.3,
                    (250, 250, 240),
                    outline=None,
                )
                x += w + 0.008
            else:
                w = rng.uniform(0.012, 0.022)
                h = (bottom - top) * rng.uniform(0.68, 0.92)
                cv.rect(x, bottom - h, x + w, bottom, sc.c(rng.choice(_BOOKS)), width=cv.lw * 0.6)
                x += w
        cv.rect(
            x0 + 0.008,
            bottom,
            x1 - 0.008,
            bottom + 0.012,
            mix(wood, (255, 230, 200), 0.15),
            width=cv.lw * 0.6,
        )


def library(sc: Scene) -> RGB:
    f = _room(sc, (232, 214, 178), (170, 116, 74))
    units = max(2, round(sc.W / 0.3))
    uw = sc.W / units
    for i in range(units):
        x0 = i * uw + 0.02
        if i == units // 2:
            window(sc, x0 + 0.03, sc.horizon - 0.54, x0 + uw - 0.05, sc.horizon - 0.2)
        else:
            _shelves(sc, x0, sc.horizon - 0.6, x0 + uw - 0.04, sc.horizon)
    return f


def bedroom(sc: Scene) -> RGB:
    y = sc.horizon
    f = _room(sc, (214, 200, 236), (182, 128, 86))
    for i in range(round(sc.W * 14)):
        sc.cv.line([(i / 14, -5), (i / 14, y - 0.03)], sc.c((204, 188, 228)), sc.cv.lw * 2)
    window(sc, sc.W * 0.62, y - 0.54, sc.W * 0.62 + 0.24, y - 0.24, curtains=(90, 130, 200))
    pm.bed(sc.cv, sc.W * 0.24, y + 0.06, 0.2)
    pm.table(sc.cv, sc.W * 0.46, y + 0.04, 0.12)
    props.lamp(sc.cv, sc.W * 0.46, y - 0.068, 0.1)
    sc.cv.ellipse(sc.W * 0.5, y + 0.26, sc.W * 0.3, 0.05, sc.c((196, 86, 80)))
    return f


def kitchen(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (240, 240, 230), (200, 190, 170), planks=False)
    for i in range(round(W * 25) + 1):
        cv.line([(i / 25, y - 0.3), (i / 25, y - 0.1)], sc.c((200, 210, 220)), cv.lw * 0.7)
    for k in range(5):
        cv.line(
            [(-1, y - 0.3 + k * 0.05), (W + 1, y - 0.3 + k * 0.05)],
            sc.c((200, 210, 220)),
            cv.lw * 0.7,
        )
    cab = sc.c((120, 170, 160))
    cv.rect(-0.1, y - 0.62, W + 0.1, y - 0.42, cab)
    for i in range(round(W * 6)):
        cv.rect(i / 6 + 0.01, y - 0.6, (i + 1) / 6 - 0.01, y - 0.44, shade(cab, 0.1))
    cv.rect(-0.1, y - 0.12, W + 0.1, y + 0.06, cab)
    cv.rect(-0.1, y - 0.14, W + 0.1, y - 0.1, sc.c((230, 226, 220)))
    sx = W * 0.7
    cv.rect(sx, y - 0.1, sx + 0.2, y + 0.06, sc.c((70, 72, 80)))
    cv.rect(sx + 0.03, y - 0.06, sx + 0.17, y + 0.03, sc.c((40, 40, 48)))
    cv.rect(sx + 0.06, y - 0.2, sx + 0.14, y - 0.14, sc.c((190, 70, 60)))
    cv.rect(sx + 0.05, y - 0.14, sx + 0.15, y - 0.135, sc.c((60, 60, 60)))
    window(sc, W * 0.25, y - 0.4, W * 0.25 + 0.22, y - 0.18)
    return f


def classroom(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (236, 222, 190), (176, 140, 100))
    cv.rect(W * 0.2, y - 0.56, W * 0.8, y - 0.22, (140, 100, 60))
    cv.rect(W * 0.2 + 0.015, y - 0.545, W * 0.8 - 0.015, y - 0.235, sc.c((48, 90, 70)))
    chalk = (236, 240, 230)
    bx = W * 0.2 + 0.05
    for k in range(3):
        cv.line(
            [(bx, y - 0.49 + k * 0.07), (bx + 0.1 + k * 0.05, y - 0.49 + k * 0.07)], chalk, cv.lw
        )
    cv.line([(W * 0.6, y - 0.45), (W * 0.65, y - 0.4), (W * 0.7, y - 0.47)], chalk, cv.lw)
    props.clock(cv, W * 0.9, y - 0.45, 0.1)
    for row, yy in enumerate((y + 0.05, y + 0.16)):
        for i in range(max(2, round(W * 3))):
            dx = (i + 0.5) / max(2, round(W * 3)) * W
            pm.table(cv, dx, yy, 0.1 + row * 0.03)
    return f


def office(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (214, 226, 232), (150, 160, 176), planks=False)
    for x in (W * 0.2, W * 0.62):
        window(sc, x, y - 0.54, x + 0.26, y - 0.22)
    cab = sc.c((170, 176, 186))
    cv.rect(W * 0.05, y - 0.22, W * 0.05 + 0.1, y + 0.02, cab)
    for k in range(3):
        cv.rect(
            W * 0.05 + 0.015,
            y - 0.2 + k * 0.07,
            W * 0.05 + 0.085,
            y - 0.15 + k * 0.07,
            shade(cab, 0.1),
        )
    pm.table(cv, W * 0.52, y + 0.04, 0.15)
    pm.computer(cv, W * 0.52, y - 0.085, 0.08)
    return f


def shop(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (250, 226, 200), (200, 170, 130), planks=False)
    for k in range(round(W * 8)):
        cv.rect(k / 8, y, k / 8 + 1 / 16, 1.2, shade(f, 0.06), outline=None)
    for i in range(3):
        x0 = W * (0.05 + i * 0.32)
        _shelves(sc, x0, y - 0.55, x0 + W * 0.26, y - 0.05, goods=True)
    aw = sc.c((220, 70, 70))
    for i in range(round(W * 10)):
        cv.poly(
            [
                (i / 10, -0.2),
                ((i + 1) / 10, -0.2),
                ((i + 1) / 10, y - 0.62),
                (i / 10 + 0.05, y - 0.6),
                (i / 10, y - 0.62),
            ],
            aw if i % 2 else (250, 250, 240),
        )
    cv.rect(W * 0.62, y + 0.02, W * 0.95, y + 0.17, sc.c((150, 100, 62)))
    cv.rect(W * 0.8, y - 0.04, W * 0.9, y + 0.02, sc.c((80, 80, 90)))
    return f


def cabin(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (160, 104, 60), (130, 90, 60))
    for k in range(1, 14):
        yy = y - k * 0.05
        cv.line([(-1, yy), (W + 1, yy)], sc.c((110, 70, 40)), cv.lw * 1.5)
    fx = W * 0.22
    cv.rect(fx - 0.14, y - 0.34, fx + 0.14, y + 0.02, sc.c((150, 146, 140)))
    cv.rect(fx - 0.17, y - 0.38, fx + 0.17, y - 0.34, sc.c((110, 70, 40)))
    cv.chord(fx, y + 0.02, 0.09, 0.22, 180, 360, (30, 24, 24))
    pm.campfire(cv, fx, y + 0.01, 0.1)
    window(sc, W * 0.62, y - 0.5, W * 0.62 + 0.22, y - 0.24, curtains=(190, 60, 50))
    cv.ellipse(W * 0.5, y + 0.26, W * 0.3, 0.05, sc.c((190, 60, 50)))
    return f


def castle(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (160, 156, 150), (120, 116, 112), planks=False)
    stone = sc.c((140, 136, 130))
    for row in range(14):
        yy = y - 0.05 * row
        cv.line([(-1, yy), (W + 1, yy)], shade(stone, 0.3), cv.lw)
        for i in range(round(W * 10) + 1):
            x = i / 10 + (0.05 if row % 2 else 0)
            cv.line([(x, yy), (x, yy - 0.05)], shade(stone, 0.3), cv.lw)
    for i, x in enumerate((W * 0.3, W * 0.7)):
        cv.rect(x - 0.06, y - 0.5, x + 0.06, y - 0.26, (20, 20, 40))
        cv.chord(x, y - 0.5, 0.06, 0.06, 180, 360, (20, 20, 40))
        bx = x + (0.17 if i == 0 else -0.17)
        cv.poly(
            [
                (bx - 0.05, y - 0.6),
                (bx + 0.05, y - 0.6),
                (bx + 0.05, y - 0.25),
                (bx, y - 0.3),
                (bx - 0.05, y - 0.25),
            ],
            sc.c((170, 40, 50)),
        )
        cv.ellipse(bx, y - 0.45, 0.02, 0.02, (236, 190, 60))
    for px in (0.04, W - 0.04):
        cv.rect(px - 0.04, -1, px + 0.04, y + 0.05, sc.c((176, 170, 164)))
    cv.poly([(W * 0.42, y), (W * 0.58, y), (W * 0.75, 5), (W * 0.25, 5)], sc.c((170, 40, 50)), None)
    return f


def cave(sc: Scene) -> RGB:
    cv, W, y, rng = sc.cv, sc.W, sc.horizon, sc.rng
    rockc = sc.c((90, 80, 76))
    cv.rect(-1, -5, W + 1, 5, shade(rockc, 0.5), outline=None)
    cv.ellipse(W / 2, y - 0.1, W * 0.55, 0.55, sc.c((70, 62, 60)), outline=None)
    f = sc.c((110, 100, 90))
    cv.rect(-1, y, W + 1, 5, f, outline=None)
    for i in range(round(W * 9)):
        x = (i + rng.uniform(0.2, 0.8)) / 9
        h = rng.uniform(0.08, 0.2)
        cv.poly([(x - 0.03, -0.2), (x + 0.03, -0.2), (x, -0.02 + h)], rockc)
    for x in (W * 0.15, W * 0.85):
        cv.poly([(x - 0.05, y + 0.02), (x, y - 0.12), (x + 0.05, y + 0.02)], rockc)
    for side in (-1, 1):
        x = 0 if side < 0 else W
        cv.poly([(x, -1), (x - side * 0.16, 0.2), (x - side * 0.1, y), (x, y + 0.1)], rockc, None)
    return f


def spaceship(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (196, 204, 216), (120, 128, 144), planks=False)
    for i in range(round(W * 6) + 1):
        cv.line([(i / 6, -5), (i / 6, y - 0.03)], sc.c((160, 168, 184)), cv.lw * 2)
    for cx in (W * 0.3, W * 0.7):
        window(sc, cx - 0.11, y - 0.55, cx + 0.11, y - 0.33, round_=True)
    cv.rect(W * 0.08, y - 0.2, W * 0.92, y + 0.02, sc.c((90, 96, 110)))
    rng = sc.rng
    for i in range(round(W * 14)):
        c = rng.choice([(80, 220, 120), (250, 80, 80), (250, 210, 60), (90, 170, 250)])
        cv.rect(W * 0.1 + i * 0.06, y - 0.16, W * 0.1 + i * 0.06 + 0.03, y - 0.13, c)
    cv.rect(W * 0.4, y - 0.12, W * 0.6, y - 0.02, (30, 60, 90))
    cv.line(
        [(W * 0.42, y - 0.05), (W * 0.47, y - 0.09), (W * 0.52, y - 0.06), (W * 0.58, y - 0.1)],
        (90, 250, 160),
        cv.lw,
    )
    return f


def train(sc: Scene) -> RGB:
    cv, W, y = sc.cv, sc.W, sc.horizon
    f = _room(sc, (200, 180, 150), (110, 100, 96), planks=False)
    cv.rect(-1, y - 0.68, W + 1, y - 0.6, sc.c((150, 110, 80)))
    n = max(2, round(W * 3))
    for i in range(n):
        x0 = (i + 0.12) / n * W
        x1 = (i + 0.88) / n * W
        cv.rect(x0, y - 0.5, x1, y - 0.22, sc.c((200, 200, 204)))
        window(sc, x0 + 0.015, y - 0.485, x1 - 0.015, y - 0.235)
        for k in range(3):
            yy = y - 0.3 - k * 0.05
            cv.line([(x0 + 0.02, yy), (x1 - 0.02, yy - 0.01)], (250, 250, 250), cv.lw * 0.6)
    seat = sc.c((60, 100, 160))
    for i in range(n + 1):
        x = i / n * W
        cv.rect(x - 0.06, y - 0.22, x + 0.06, y + 0.06, seat)
        cv.rect(x - 0.07, y - 0.24, x + 0.07, y - 0.2, shade(seat, 0.2))
    for i in range(round(W * 8)):
        cv.line([(i / 8, y - 0.66), (i / 8 + 0.06, y - 0.62)], INK, cv.lw)
    return f
