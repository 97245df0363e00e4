"""Heads and faces: hair, hats and the ten expressions, bold enough for a thumbnail."""

from __future__ import annotations

from studio.render.canvas import INK, RGB, Canvas, mix, shade
from studio.render.looks import Look

_MOUTH: RGB = (150, 40, 50)
_TEAR: RGB = (110, 180, 240)
_WHITE: RGB = (255, 255, 255)
_BLUSH: RGB = (244, 150, 150)


def draw_head(
    cv: Canvas,
    look: Look,
    centre: tuple[float, float],
    r: float,
    f: int,
    expression: str,
    back: bool,
    talking: bool,
    tilt: float,
) -> None:
    """Draw the head at ``centre`` (radius ``r``); ``f`` turns the face (-1, 0, +1)."""
    x, y = centre
    skin = look.skin
    if expression == "scared":
        skin = mix(skin, (220, 230, 255), 0.35)
    cv.ellipse(x, y, r, r * 1.02, skin)
    if back:
        cv.ellipse(x, y - r * 0.05, r * 1.02, r * 0.98, look.hair)
        _hat(cv, look, x, y, r, 0)
        return
    if look.beard:
        cv.chord(x, y + r * 0.25, r * 0.9, r * 0.75, 0, 180, look.hair)
    if look.hat != "pointy":
        cv.chord(x, y - r * 0.25, r * 1.04, r * 0.85, 180, 360, look.hair)
        if f:
            cv.poly(
                [
                    (x + f * r * 0.1, y - r * 0.5),
                    (x + f * r * 0.9, y - r * 0.3),
                    (x + f * r * 0.95, y - r * 0.6),
                ],
                look.hair,
                outline=None,
            )
    _face(cv, look, x + f * r * 0.3, y - tilt / 90 * r * 0.5, r, f, expression, talking)
    _hat(cv, look, x, y, r, f)


def _face(
    cv: Canvas,
    look: Look,
    ex: float,
    y: float,
    r: float,
    f: int,
    expression: str,
    talking: bool,
) -> None:
    lw = max(cv.lw, r * cv.cam.scale * 0.1)
    gap = r * (0.3 if f else 0.36)
    eye_y = y + r * 0.05
    mouth_y = y + r * (0.62 if look.beard else 0.5)
    eyes = [ex - gap, ex + gap]
    match expression:
        case "laughing" | "crying" | "sleeping":
            start, end = (200, 340) if expression == "laughing" else (20, 160)
            for e in eyes:
                cv.arc(
                    e,
                    eye_y + (r * 0.1 if expression == "laughing" else -r * 0.08),
                    r * 0.14,
                    start,
                    end,
                    lw,
                    ry=r * 0.12,
                )
        case "surprised" | "scared":
            pupil = 0.05 if expression == "scared" else 0.09
            for e in eyes:
                cv.ellipse(e, eye_y, r * 0.17, r * 0.2, _WHITE, width=lw * 0.7)
                cv.ellipse(e, eye_y, r * pupil, r * pupil, INK, outline=None)
        case "thinking":
            for e in eyes:
                cv.ellipse(e + r * 0.05, eye_y - r * 0.05, r * 0.09, r * 0.13, INK, outline=None)
        case _:
            for e in eyes:
                cv.ellipse(e, eye_y, r * 0.09, r * 0.14, INK, outline=None)
    if look.glasses and expression not in ("surprised", "scared"):
        for e in eyes:
            cv.ellipse(e, eye_y, r * 0.25, r * 0.22, None, width=max(cv.lw * 0.7, lw * 0.35))
    _brows(cv, expression, eyes, eye_y, r, lw)
    if expression in ("happy", "laughing", "angry") or look.child:
        tone = (220, 80, 70) if expression == "angry" else _BLUSH
        for e in eyes:
            cv.ellipse(e + (e - ex) * 0.5, y + r * 0.38, r * 0.14, r * 0.08, tone, outline=None)
    _mouth(cv, expression, talking, ex, mouth_y, r, lw)
    _extras(cv, expression, ex, eyes, eye_y, y, r, f, lw)


def _brows(
    cv: Canvas, expression: str, eyes: list[float], eye_y: float, r: float, lw: float
) -> None:
    by = eye_y - r * 0.28
    for i, e in enumerate(eyes):
        out = -1 if i == 0 else 1  # the outer side of this eye
        match expression:
            case "angry":
                cv.line(
                    [(e + out * r * 0.2, by - r * 0.1), (e - out * r * 0.12, by + r * 0.1)],
                    INK,
                    lw * 1.3,
                )
            case "sad" | "crying" | "scared":
                cv.line(
                    [(e + out * r * 0.18, by + r * 0.06), (e - out * r * 0.12, by - r * 0.1)],
                    INK,
                    lw,
                )
            case "surprised":
                cv.arc(e, by - r * 0.04, r * 0.16, 200, 340, lw)
            case "thinking":
                lift = r * 0.1 if i == 1 else 0.0
                cv.line([(e - r * 0.15, by - lift), (e + r * 0.15, by - lift - r * 0.04)], INK, lw)


def _mouth(
    cv: Canvas, expression: str, talking: bool, ex: float, my: float, r: float, lw: float
) -> None:
    match expression:
        case "happy":
            if talking:
                cv.chord(ex, my - r * 0.08, r * 0.26, r * 0.2, 0, 180, _MOUTH)
            else:
                cv.arc(ex, my - r * 0.14, r * 0.3, 25, 155, lw, ry=r * 0.2)
        case "laughing":
            cv.chord(ex, my - r * 0.1, r * 0.32, r * 0.3, 0, 180, _MOUTH)
        case "sad":
            cv.arc(ex, my + r * 0.12, r * 0.24, 205, 335, lw, ry=r * 0.15)
        case "crying":
            cv.chord(ex, my + r * 0.12, r * 0.24, r * 0.2, 180, 360, _MOUTH)
        case "angry":
            cv.rect(
                ex - r * 0.24, my - r * 0.06, ex + r * 0.24, my + r * 0.1, _WHITE, width=lw * 0.7
            )
            cv.line([(ex - r * 0.24, my + r * 0.02), (ex + r * 0.24, my + r * 0.02)], INK, lw * 0.5)
        case "surprised":
            cv.ellipse(ex, my + r * 0.04, r * 0.12, r * 0.16, _MOUTH, width=lw * 0.7)
        case "scared":
            w = r * 0.26
            pts = [(ex - w + i * w / 3, my + (r * 0.05 if i % 2 else -r * 0.03)) for i in range(7)]
            cv.line(pts, INK, lw * 0.8)
        case "thinking":
            cv.line([(ex - r * 0.02, my), (ex + r * 0.2, my - r * 0.04)], INK, lw)
        case "sleeping":
            cv.ellipse(ex, my, r * 0.06, r * 0.05, _MOUTH, outline=None)
        case _:
            if talking:
                cv.ellipse(ex, my, r * 0.15, r * 0.12, _MOUTH, width=lw * 0.7)
            else:
                cv.line([(ex - r * 0.14, my), (ex + r * 0.14, my)], INK, lw * 0.9)


def _extras(
    cv: Canvas,
    expression: str,
    ex: float,
    eyes: list[float],
    eye_y: float,
    y: float,
    r: float,
    f: int,
    lw: float,
) -> None:
    side = f or 1
    match expression:
        case "crying":
            for e in eyes:
                cv.limb(
                    [(e, eye_y + r * 0.1), (e + (e - ex) * 0.2, y + r * 0.75)],
                    _TEAR,
                    r * 0.12,
                    outline=None,
                )
                cv.ellipse(
                    e + (e - ex) * 0.25, y + r * 0.9, r * 0.08, r * 0.12, _TEAR, width=lw * 0.5
                )
        case "scared":
            sx, sy = ex + side * r * 0.95, y - r * 0.45
            cv.poly([(sx, sy - r * 0.28), (sx + r * 0.12, sy), (sx - r * 0.12, sy)], _TEAR, None)
            cv.ellipse(sx, sy + r * 0.02, r * 0.12, r * 0.12, _TEAR, outline=None)
            for k in (-1, 1):
                cv.line(
                    [(ex + k * r * 1.35, y - r * 0.3), (ex + k * r * 1.5, y + r * 0.1)],
                    INK,
                    lw * 0.6,
                )
        case "angry":
            vx, vy = ex + side * r * 0.55, y - r * 0.62
            for a, b in (
                ((-1, -1), (-0.3, -0.3)),
                ((1, -1), (0.3, -0.3)),
                ((-1, 1), (-0.3, 0.3)),
                ((1, 1), (0.3, 0.3)),
            ):
                cv.line(
                    [
                        (vx + a[0] * r * 0.18, vy + a[1] * r * 0.18),
                        (vx + b[0] * r * 0.18, vy + b[1] * r * 0.18),
                    ],
                    (200, 40, 40),
                    lw,
                )
        case "thinking":
            bx, by = ex + side * r * 1.3, y - r * 1.1
            for k, s in enumerate((0.1, 0.15, 0.24)):
                cv.ellipse(
                    bx + side * k * r * 0.35, by - k * r * 0.4, r * s, r * s, _WHITE, width=lw * 0.6
                )
        case "sleeping":
            zx, zy = ex + side * r * 1.1, y - r * 0.9
            for k, s in enumerate((0.18, 0.26)):
                x0, y0 = zx + side * k * r * 0.45, zy - k * r * 0.55
                cv.line(
                    [(x0, y0), (x0 + s * r, y0), (x0, y0 + s * r), (x0 + s * r, y0 + s * r)],
                    INK,
                    lw * 0.8,
                )
        case "surprised":
            for k in (-1, 0, 1):
                cv.line(
                    [(ex + k * r * 0.45, y - r * 1.25), (ex + k * r * 0.6, y - r * 1.5)],
                    INK,
                    lw * 0.7,
                )


def _hat(cv: Canvas, look: Look, x: float, y: float, r: float, f: int) -> None:
    c = look.hat_colour
    if look.hat == "pointy":
        cv.chord(x, y - r * 0.2, r * 1.04, r * 0.9, 180, 360, look.hair)
        tip = (x - (f or 1) * r * 0.9, y - r * 3.0)
        cv.poly(
            [
                (x - r * 0.95, y - r * 0.6),
                (x + r * 0.95, y - r * 0.6),
                (x - (f or 1) * r * 0.2, y - r * 1.9),
                tip,
            ],
            c,
        )
        cv.ellipse(x, y - r * 0.6, r * 1.7, r * 0.28, c)
    elif look.hat == "brim":
        cv.rect(x - r * 0.8, y - r * 1.65, x + r * 0.8, y - r * 0.6, c)
        cv.rect(x - r * 0.8, y - r * 0.9, x + r * 0.8, y - r * 0.65, shade(c, 0.45))
        cv.ellipse(x, y - r * 0.62, r * 1.5, r * 0.22, c)
    elif look.hat == "cap":
        cv.chord(x, y - r * 0.3, r * 1.06, r * 0.95, 180, 360, c)
        if f:
            cv.ellipse(x + f * r * 0.9, y - r * 0.32, r * 0.65, r * 0.14, shade(c))
    elif look.hat == "crown":
        base = y - r * 0.75
        pts = [(x - r * 0.75, base), (x + r * 0.75, base)]
        for i, px in enumerate((0.75, 0.45, 0.15, -0.15, -0.45, -0.75)):
            pts.append((x + px * r, base - r * (0.75 if i % 2 == 0 else 0.35)))
        cv.poly(pts, (240, 196, 48))
