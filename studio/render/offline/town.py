"""Town settings: a city street and a rooftop over the city."""

from __future__ import annotations

from studio.render.canvas import INK, RGB, mix, shade
from studio.render.offline.sky import Scene, sky

_LAMP: RGB = (255, 236, 170)


def street(sc: Scene) -> RGB:
    hz, rng, cv, W = sc.horizon, sc.rng, sc.cv, sc.W
    sky(sc)
    night = sc.time == "night"
    kerb = min(hz + 0.1, 0.82)  # figures stand on the pavement at any eye level
    x = -0.04
    while x < W + 0.04:
        w = rng.uniform(0.16, 0.26)
        building(sc, x, hz - rng.uniform(0.2, 0.42), x + w - 0.015, kerb)
        x += w
    walk = sc.ground((196, 192, 186))
    cv.rect(-1, kerb, W + 1, kerb + 0.04, sc.c((150, 146, 142)))
    cv.rect(-1, kerb + 0.04, W + 1, 4, walk, outline=None)
    road = sc.ground((90, 92, 100))
    cv.rect(-1, max(0.96, kerb + 0.1), W + 1, 4, road, outline=None)
    for i in range(round(W * 5) + 1):
        cv.rect(i / 5 - 0.05, 1.02, i / 5 + 0.03, 1.035, (240, 240, 230), outline=None)
    for lx in (W * 0.12, W * 0.88):
        street_lamp(sc, lx, kerb + 0.06, 0.4, lit=night)
    return walk


def building(sc: Scene, x0: float, top: float, x1: float, base: float) -> None:
    cv, rng = sc.cv, sc.rng
    night = sc.time in ("night", "dusk")
    colour = sc.c(
        rng.choice(
            [(196, 120, 96), (150, 160, 186), (214, 190, 150), (120, 140, 150), (170, 130, 160)]
        )
    )
    cv.rect(x0, top, x1, base, colour)
    cv.rect(x0 - 0.008, top - 0.015, x1 + 0.008, top, shade(colour, 0.3))
    cols = max(2, round((x1 - x0) / 0.05))
    step = (x1 - x0) / cols
    day_window = sc.c(mix((170, 210, 236), colour, 0.2))
    y = top + 0.035
    while y < base - 0.1:
        for c in range(cols):
            wx = x0 + c * step + step * 0.25
            dark = mix(colour, (20, 24, 50), 0.55)
            fill = (_LAMP if rng.random() < 0.55 else dark) if night else day_window
            cv.rect(wx, y, wx + step * 0.5, y + 0.045, fill, width=cv.lw * 0.7)
        y += 0.075
    cv.rect((x0 + x1) / 2 - 0.025, base - 0.07, (x0 + x1) / 2 + 0.025, base, shade(colour, 0.45))


def street_lamp(sc: Scene, x: float, base: float, h: float, lit: bool = False) -> None:
    cv = sc.cv
    top = base - h
    cv.rect(x - 0.008, top, x + 0.008, base, (60, 64, 76))
    cv.poly(
        [(x - 0.035, top), (x + 0.035, top), (x + 0.02, top - 0.03), (x - 0.02, top - 0.03)],
        (60, 64, 76),
    )
    cv.ellipse(x, top + 0.01, 0.022, 0.015, _LAMP if lit else (236, 236, 220))


def rooftop(sc: Scene) -> RGB:
    hz, rng, cv, W = sc.horizon, sc.rng, sc.cv, sc.W
    sky(sc, hz + 0.2)
    far = sc.c((120, 130, 160))
    x = -0.05
    while x < W + 0.05:
        w = rng.uniform(0.05, 0.1)
        cv.rect(x, hz - rng.uniform(0.02, 0.25), x + w, hz + 0.2, far, outline=None)
        if sc.time in ("night", "dusk"):
            for _ in range(3):
                wx, wy = rng.uniform(x, x + w - 0.01), rng.uniform(hz - 0.02, hz + 0.15)
                cv.rect(wx, wy, wx + 0.01, wy + 0.012, _LAMP, outline=None)
        x += w
    roof = sc.ground((150, 140, 136))
    edge = min(hz + 0.06, 0.8)
    cv.rect(-1, edge + 0.06, W + 1, 4, roof, outline=None)
    cv.rect(-1, edge, W + 1, edge + 0.08, sc.c((176, 100, 80)))
    tx = W * 0.82
    cv.rect(tx - 0.06, hz - 0.12, tx + 0.06, hz + 0.06, sc.c((160, 110, 80)))
    for s in (-1, 1):
        cv.line([(tx + s * 0.05, hz + 0.06), (tx + s * 0.06, hz + 0.16)], INK, cv.lw * 2)
    cv.poly([(tx - 0.07, hz - 0.12), (tx, hz - 0.18), (tx + 0.07, hz - 0.12)], sc.c((120, 80, 60)))
    ax = W * 0.12
    cv.line([(ax, hz + 0.1), (ax, hz - 0.2)], INK, cv.lw * 1.5)
    for k in range(3):
        cv.line(
            [
                (ax - 0.04 + k * 0.01, hz - 0.16 + k * 0.03),
                (ax + 0.04 - k * 0.01, hz - 0.16 + k * 0.03),
            ],
            INK,
            cv.lw * 1.5,
        )
    return roof
