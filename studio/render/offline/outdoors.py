"""Exterior settings: each a recognisable place that looks the same in every panel."""

from __future__ import annotations

import math

from studio.render.canvas import INK, RGB, mix, shade
from studio.render.offline.sky import Scene, sky, wavy
from studio.render.offline.town import street_lamp


def _land(sc: Scene, colour: RGB, at: float | None = None) -> RGB:
    g = sc.ground(colour)
    sc.cv.rect(-1, sc.horizon if at is None else at, sc.W + 1, 4, g, outline=None)
    return g


def _hills(sc: Scene, colour: RGB, base: float, amp: float, freq: float = 4.0) -> None:
    rng = sc.rng
    phase = rng.uniform(0, 6.28)
    pts = [(-0.1, 4.0)]
    for i in range(41):
        x = -0.1 + (sc.W + 0.2) * i / 40
        pts.append((x, base - amp * (0.6 + 0.4 * math.sin(phase + x * freq))))
    pts.append((sc.W + 0.1, 4.0))
    sc.cv.poly(pts, sc.ground(colour), outline=None)


def pine(sc: Scene, x: float, base: float, size: float, colour: RGB, ink: bool = True) -> None:
    cv = sc.cv
    out = INK if ink else None
    cv.rect(x - size * 0.05, base - size * 0.3, x + size * 0.05, base, sc.c((110, 74, 50)), out)
    for i in range(3):
        y = base - size * (0.25 + i * 0.35)
        w = size * (0.42 - i * 0.1)
        cv.poly([(x - w, y), (x + w, y), (x, y - size * 0.6)], colour, out)
        if sc.weather == "snow":
            cv.poly(
                [
                    (x - w * 0.35, y - size * 0.4),
                    (x + w * 0.35, y - size * 0.4),
                    (x, y - size * 0.6),
                ],
                sc.c((250, 252, 255)),
                None,
            )


def round_tree(sc: Scene, x: float, base: float, size: float) -> None:
    cv = sc.cv
    cv.poly(
        [
            (x - size * 0.09, base),
            (x + size * 0.09, base),
            (x + size * 0.06, base - size * 0.9),
            (x - size * 0.06, base - size * 0.9),
        ],
        sc.c((126, 86, 56)),
    )
    leaf = sc.c(sc.rng.choice([(88, 168, 86), (70, 150, 80), (110, 178, 90)]))
    if sc.weather == "snow":
        leaf = sc.c((230, 236, 244))
    for dx, dy, rr in ((-0.28, -0.95, 0.36), (0.28, -0.98, 0.36), (0.0, -1.25, 0.42)):
        cv.ellipse(x + dx * size, base + dy * size, rr * size, rr * size * 0.9, leaf)


def _grass(sc: Scene, ground: RGB, y0: float) -> None:
    if sc.weather == "snow":
        return
    dark = mix(ground, (20, 60, 30), 0.45)
    for _ in range(round(sc.W * 18)):
        x, y = sc.rng.uniform(0, sc.W), sc.rng.uniform(y0, 1.0)
        s = 0.01 + (y - y0) * 0.025
        sc.cv.line([(x - s, y - s * 1.6), (x, y), (x + s * 0.3, y - s * 2.0)], dark, sc.cv.lw * 0.7)


def forest(sc: Scene) -> RGB:
    sky(sc)
    hz, rng = sc.horizon, sc.rng
    far = sc.c((150, 190, 170) if sc.weather != "snow" else (200, 214, 226))
    for i in range(round(sc.W * 14)):
        pine(
            sc,
            (i + rng.uniform(-0.3, 0.3)) / 14,
            hz + 0.04,
            rng.uniform(0.16, 0.24),
            far,
            ink=False,
        )
    g = _land(sc, (110, 160, 86), hz + 0.03)
    mid = sc.c((54, 120, 76))
    for i in range(round(sc.W * 6)):
        x = (i + 0.5 + rng.uniform(-0.25, 0.25)) / 6
        if rng.random() < 0.6:
            pine(sc, x, hz + 0.12, rng.uniform(0.34, 0.46), mid)
        else:
            round_tree(sc, x, hz + 0.12, rng.uniform(0.22, 0.3))
    _grass(sc, g, hz + 0.12)
    return g


def park(sc: Scene) -> RGB:
    sky(sc)
    hz, rng, cv = sc.horizon, sc.rng, sc.cv
    _hills(sc, (150, 200, 130), hz, 0.06)
    g = _land(sc, (132, 190, 100), hz + 0.02)
    cv.poly(
        [(sc.W * 0.44, hz + 0.02), (sc.W * 0.52, hz + 0.02), (sc.W * 0.95, 3), (sc.W * 0.05, 3)],
        sc.ground((226, 206, 160)),
        None,
    )
    for i in range(max(2, round(sc.W * 3))):
        round_tree(sc, (i + 0.5) / 3 + rng.uniform(-0.06, 0.06), hz + 0.1, rng.uniform(0.2, 0.26))
    for lx in (sc.W * 0.08, sc.W * 0.92):
        street_lamp(sc, lx, hz + 0.2, 0.32)
    _grass(sc, g, hz + 0.12)
    return g


def garden(sc: Scene) -> RGB:
    sky(sc)
    hz, rng, cv = sc.horizon, sc.rng, sc.cv
    hedge = sc.ground((60, 130, 70))
    cv.rect(-1, hz - 0.12, sc.W + 1, hz + 0.04, hedge)
    for i in range(round(sc.W * 12)):
        cv.ellipse(i / 12, hz - 0.12, 0.05, 0.035, hedge, outline=None)
    g = _land(sc, (120, 186, 96), hz + 0.04)
    cv.rect(-1, hz + 0.02, sc.W + 1, hz + 0.14, sc.c((250, 250, 246)), outline=None)
    for i in range(round(sc.W * 20) + 1):
        x = i / 20
        cv.poly(
            [
                (x - 0.012, hz + 0.14),
                (x - 0.012, hz + 0.03),
                (x, hz + 0.01),
                (x + 0.012, hz + 0.03),
                (x + 0.012, hz + 0.14),
            ],
            sc.c((250, 250, 246)),
        )
    soil = sc.c((120, 84, 60))
    for bx in (sc.W * 0.18, sc.W * 0.82):
        cv.ellipse(bx, hz + 0.2, 0.16, 0.04, soil)
        for k in range(7):
            fx = bx - 0.12 + k * 0.04
            c = sc.c(rng.choice([(236, 90, 130), (250, 210, 60), (240, 120, 60), (170, 110, 220)]))
            cv.line([(fx, hz + 0.2), (fx, hz + 0.13)], sc.c((60, 140, 60)), cv.lw * 1.5)
            cv.ellipse(fx, hz + 0.12, 0.018, 0.018, c)
    return g


def beach(sc: Scene) -> RGB:
    hz, rng, cv, W = sc.horizon, sc.rng, sc.cv, sc.W
    sky(sc, hz - 0.08)
    cv.gradient(sc.c((70, 150, 200)), sc.c((40, 110, 170)), hz - 0.08, hz + 0.16)
    foam = sc.c((236, 246, 250))
    for _ in range(24):
        x, y = rng.uniform(0, W), rng.uniform(hz - 0.06, hz + 0.12)
        w = 0.015 + (y - hz + 0.08) * 0.12
        cv.line([(x - w, y), (x, y - w * 0.15), (x + w, y)], foam, cv.lw * 0.8)
    sand = sc.ground((236, 212, 160))
    shore = min(hz + 0.15, 0.84)  # figures stand on the sand at any eye level
    pts = [(-0.1, 4.0), *wavy(-0.1, W + 0.1, shore, 0.01), (W + 0.1, 4.0)]
    cv.poly(pts, foam, outline=None)
    cv.poly([(x, y + 0.018) for x, y in pts], sand)
    px = W * 0.1
    cv.limb(
        [(px, hz + 0.3), (px + 0.03, hz - 0.05), (px + 0.07, hz - 0.25)],
        sc.c((150, 110, 70)),
        0.025,
    )
    for a in range(5):
        ang = math.radians(200 + a * 35)
        cv.limb(
            [
                (px + 0.07, hz - 0.25),
                (px + 0.07 + 0.14 * math.cos(ang), hz - 0.25 - 0.1 * math.sin(ang) * -1),
            ],
            sc.c((60, 150, 70)),
            0.02,
        )
    return sand


def mountains(sc: Scene) -> RGB:
    sky(sc)
    hz, rng, cv, W = sc.horizon, sc.rng, sc.cv, sc.W
    for layer, (colour, h) in enumerate((((150, 160, 196), 0.42), ((110, 124, 160), 0.3))):
        x = -0.2 + rng.uniform(0, 0.1)
        while x < W + 0.2:
            w = rng.uniform(0.22, 0.36)
            peak = (x + w / 2, hz - h * rng.uniform(0.75, 1.0) + layer * 0.08)
            cv.poly([(x, hz + 0.02), peak, (x + w, hz + 0.02)], sc.c(colour))
            t = 0.3
            cv.poly(
                [
                    peak,
                    (peak[0] - w / 2 * t, peak[1] + (hz - peak[1]) * t),
                    (peak[0], peak[1] + (hz - peak[1]) * t * 0.7),
                    (peak[0] + w / 2 * t, peak[1] + (hz - peak[1]) * t),
                ],
                sc.c((250, 250, 255)),
            )
            x += w * 0.7
    g = _land(sc, (120, 150, 100), hz + 0.02)
    for i in range(round(W * 8)):
        pine(sc, (i + 0.5) / 8, hz + 0.1, rng.uniform(0.12, 0.18), sc.c((50, 100, 70)))
    return g


def desert(sc: Scene) -> RGB:
    hz, rng, cv, W = sc.horizon, sc.rng, sc.cv, sc.W
    sky(sc)
    _hills(sc, (232, 190, 130), hz + 0.02, 0.06, 6.0)
    g = sc.c((242, 210, 150))
    pts = [(-0.1, 4.0), *wavy(-0.1, W + 0.1, hz + 0.08, 0.015), (W + 0.1, 4.0)]
    cv.poly(pts, g)
    for cx in (W * 0.15, W * 0.86):
        green = sc.c((80, 150, 90))
        h = rng.uniform(0.22, 0.28)
        cv.limb([(cx, hz + 0.18), (cx, hz + 0.18 - h)], green, 0.04)
        cv.limb(
            [(cx - 0.015, hz + 0.1), (cx - 0.06, hz + 0.09), (cx - 0.06, hz + 0.02)], green, 0.025
        )
        cv.limb(
            [(cx + 0.015, hz + 0.06), (cx + 0.055, hz + 0.05), (cx + 0.055, hz - 0.03)],
            green,
            0.025,
        )
    return g


def snowfield(sc: Scene) -> RGB:
    sky(sc)
    hz, rng = sc.horizon, sc.rng
    _hills(sc, (226, 232, 244), hz, 0.1, 3.0)
    g = sc.c((240, 244, 252))
    sc.cv.rect(-1, hz + 0.04, sc.W + 1, 4, g, outline=None)
    sc.cv.line([(-1, hz + 0.04), (sc.W + 1, hz + 0.04)], sc.c((190, 200, 220)), sc.cv.lw)
    for i in range(round(sc.W * 5)):
        x = (i + 0.5 + rng.uniform(-0.3, 0.3)) / 5
        pine(sc, x, hz + 0.08, rng.uniform(0.14, 0.22), sc.c((70, 110, 100)))
        sc.cv.poly([(x - 0.06, hz + 0.08), (x + 0.06, hz + 0.08), (x, hz + 0.04)], g, None)
    return g


def road(sc: Scene) -> RGB:
    hz, rng, cv, W = sc.horizon, sc.rng, sc.cv, sc.W
    sky(sc)
    _hills(sc, (150, 190, 120), hz, 0.07, 3.0)
    g = _land(sc, (170, 196, 110), hz + 0.02)
    for k in range(4):
        y = hz + 0.04 + k * 0.05
        cv.line([(-1, y), (W + 1, y + 0.01)], shade(g, 0.12), cv.lw)
    cx = W * 0.5
    cv.poly(
        [(cx - 0.02, hz + 0.02), (cx + 0.02, hz + 0.02), (cx + W * 0.42, 3), (cx - W * 0.42, 3)],
        sc.ground((120, 116, 110)),
        None,
    )
    for k in range(5):
        t0, t1 = 0.06 + k * 0.2, 0.14 + k * 0.2
        y0, y1 = hz + 0.02 + t0**1.5 * 0.5, hz + 0.02 + t1**1.5 * 0.5
        cv.poly(
            [
                (cx - 0.002 - t0 * 0.01, y0),
                (cx + 0.002 + t0 * 0.01, y0),
                (cx + 0.002 + t1 * 0.012, y1),
                (cx - 0.002 - t1 * 0.012, y1),
            ],
            sc.c((240, 230, 190)),
            None,
        )
    for side in (-1, 1):
        for k in range(6):
            x = cx + side * (0.08 + k * 0.09 * sc.W / 1.5)
            y = hz + 0.06 + k * 0.035
            cv.line([(x, y), (x, y - 0.05 - k * 0.01)], sc.c((130, 90, 60)), cv.lw * 2)
            if k:
                px = cx + side * (0.08 + (k - 1) * 0.09 * sc.W / 1.5)
                py = hz + 0.06 + (k - 1) * 0.035
                cv.line([(px, py - 0.03), (x, y - 0.035)], sc.c((130, 90, 60)), cv.lw * 1.5)
    round_tree(sc, W * 0.1, hz + 0.08, rng.uniform(0.16, 0.2))
    return g


def lighthouse(sc: Scene) -> RGB:
    hz, cv, W = sc.horizon, sc.cv, sc.W
    g = beach(sc)
    x, base, h = W * 0.78, hz + 0.12, 0.55
    cv.poly(
        [
            (x - 0.16, base + 0.03),
            (x - 0.1, base - 0.04),
            (x + 0.12, base - 0.05),
            (x + 0.2, base + 0.03),
        ],
        sc.c((130, 120, 110)),
    )
    for k in range(4):
        y0, y1 = base - h * k / 4, base - h * (k + 1) / 4
        w0, w1 = 0.06 - 0.02 * k / 4, 0.06 - 0.02 * (k + 1) / 4
        colour = (220, 60, 60) if k % 2 == 0 else (250, 250, 246)
        cv.poly([(x - w0, y0), (x + w0, y0), (x + w1, y1), (x - w1, y1)], sc.c(colour))
    top = base - h
    beam = sc.time in ("night", "dusk") or sc.weather in ("fog", "storm")
    if beam:
        cv.poly(
            [(x, top - 0.04), (x - 0.8, top - 0.2), (x - 0.8, top + 0.08)],
            mix(sc.c((255, 246, 200)), (255, 250, 220), 0.6),
            None,
        )
    cv.rect(
        x - 0.045, top - 0.07, x + 0.045, top, (255, 236, 150) if beam else sc.c((190, 220, 240))
    )
    cv.poly([(x - 0.06, top - 0.07), (x, top - 0.12), (x + 0.06, top - 0.07)], sc.c((60, 60, 70)))
    cv.rect(x - 0.065, top - 0.005, x + 0.065, top + 0.01, sc.c((60, 60, 70)))
    return g
