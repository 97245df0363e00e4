"""Stylised ink-and-flat-colour character figures drawn from a :class:`Look`."""

from __future__ import annotations

from dataclasses import dataclass

from studio.render.canvas import INK, RGB, Canvas, Point, mix, shade
from studio.render.looks import Look

_SHOE: RGB = (58, 44, 40)
_WHITE: RGB = (250, 250, 246)


@dataclass(frozen=True)
class Pose:
    x: float  # feet centre, world units
    y: float  # ground line under the feet
    facing: int  # +1 looks right, -1 looks left
    gesture: str = "idle"  # "idle" | "talk" | "wave"
    talking: bool = False


@dataclass(frozen=True)
class _Body:
    r: float  # head radius
    hx: float  # head centre
    hy: float
    sy: float  # shoulder line
    hip: float
    sw: float  # shoulder half width


def draw_figure(cv: Canvas, look: Look, pose: Pose, ground: RGB) -> Point:
    """Draw ``look`` standing at ``pose``; return the head centre in world units."""
    b = _body(look, pose)
    cv.ellipse(pose.x, pose.y, b.r * 2.0, b.r * 0.38, shade(ground, 0.3), outline=None)
    if look.cape:
        _cape(cv, look, pose, b)
    if look.long_hair:
        cv.poly(_hair_back(b), look.hair)
    _legs(cv, look, pose, b)
    _arms(cv, look, pose, b)
    _torso(cv, look, pose, b)
    _head(cv, look, pose, b)
    return (b.hx, b.hy)


def _body(look: Look, pose: Pose) -> _Body:
    h = look.height
    r = h * (0.15 if look.child else 0.115)
    hy = pose.y - h + r
    return _Body(r=r, hx=pose.x, hy=hy, sy=hy + r * 1.05, hip=pose.y - h * 0.42, sw=r * 1.2)


def _hair_back(b: _Body) -> list[Point]:
    r = b.r
    return [
        (b.hx - r * 1.1, b.hy - r * 0.2),
        (b.hx + r * 1.1, b.hy - r * 0.2),
        (b.hx + r * 1.25, b.sy + r * 0.6),
        (b.hx - r * 1.25, b.sy + r * 0.6),
    ]


def _cape(cv: Canvas, look: Look, pose: Pose, b: _Body) -> None:
    assert look.cape is not None
    r = b.r
    back = -pose.facing * r * 0.5
    cv.poly(
        [
            (b.hx - b.sw, b.sy),
            (b.hx + b.sw, b.sy),
            (b.hx + r * 2.0 + back, pose.y - r * 0.3),
            (b.hx - r * 2.0 + back, pose.y - r * 0.3),
        ],
        look.cape,
    )


def _legs(cv: Canvas, look: Look, pose: Pose, b: _Body) -> None:
    r = b.r
    leg = look.skin if look.garment == "dress" else look.bottom
    lw = r * (0.32 if look.garment == "dress" else 0.45)
    for side in (-1, 1):
        x = b.hx + side * r * 0.48
        cv.rect(x - lw, b.hip - r * 0.2, x + lw, pose.y - r * 0.2, leg)
        cv.ellipse(x + pose.facing * r * 0.22, pose.y - r * 0.18, r * 0.55, r * 0.24, _SHOE)


def _arms(cv: Canvas, look: Look, pose: Pose, b: _Body) -> None:
    r = b.r
    f = pose.facing
    sleeve = look.top
    width = r * 0.55 * cv.cam.scale
    for side in (-1, 1):
        sx = b.hx + side * b.sw * 0.8
        sy = b.sy + r * 0.35
        if side == f and pose.gesture == "talk":
            hand = (sx + f * r * 1.7, sy + r * 0.2)
        elif side == f and pose.gesture == "wave":
            hand = (sx + f * r * 1.0, sy - r * 1.5)
        else:
            hand = (sx + side * r * 0.55, b.hip + r * 0.45)
        cv.line([(sx, sy), hand], fill=INK, width=width + 2 * cv.lw)
        cv.line([(sx, sy), hand], fill=sleeve, width=width)
        cv.ellipse(hand[0], hand[1], r * 0.3, r * 0.3, look.skin)


def _torso(cv: Canvas, look: Look, pose: Pose, b: _Body) -> None:
    r = b.r
    if look.garment == "robe":
        bottom, flare = pose.y - r * 0.25, r * 1.75
    elif look.garment == "dress":
        bottom, flare = b.hip + (pose.y - b.hip) * 0.5, r * 1.7
    else:
        bottom, flare = b.hip + r * 0.25, b.sw * 0.95
    pts = [(b.hx - b.sw, b.sy), (b.hx + b.sw, b.sy), (b.hx + flare, bottom), (b.hx - flare, bottom)]
    cv.poly(pts, look.top, outline=None)
    # cel shading on the side away from the light (top-left)
    cv.poly(
        [(b.hx + b.sw * 0.35, b.sy), pts[1], pts[2], (b.hx + flare * 0.3, bottom)],
        shade(look.top),
        outline=None,
    )
    if look.garment == "suit":
        cv.poly([(b.hx - r * 0.45, b.sy), (b.hx + r * 0.45, b.sy), (b.hx, b.sy + r * 1.3)], _WHITE)
        cv.poly(
            [
                (b.hx, b.sy + r * 0.1),
                (b.hx + r * 0.12, b.sy + r * 0.9),
                (b.hx - r * 0.12, b.sy + r * 0.9),
            ],
            (176, 40, 48),
        )
    elif look.garment == "shirt":
        cv.rect(
            b.hx - flare,
            b.hip - r * 0.05,
            b.hx + flare,
            b.hip + r * 0.25,
            mix(look.bottom, INK, 0.3),
        )
    cv.poly(pts, None)


def _head(cv: Canvas, look: Look, pose: Pose, b: _Body) -> None:
    r, f, x, y = b.r, pose.facing, b.hx, b.hy
    cv.ellipse(x, y, r, r * 1.02, look.skin)
    if look.beard:
        cv.chord(x, y + r * 0.25, r * 0.9, r * 0.75, 0, 180, look.hair)
    if look.hat != "pointy":
        cv.chord(x, y - r * 0.25, r * 1.04, r * 0.85, 180, 360, look.hair)
        cv.poly(
            [
                (x + f * r * 0.1, y - r * 0.5),
                (x + f * r * 0.9, y - r * 0.3),
                (x + f * r * 0.95, y - r * 0.6),
            ],
            look.hair,
            outline=None,
        )
    ex = x + f * r * 0.28
    for dx in (-0.33, 0.33):
        cv.ellipse(ex + dx * r, y + r * 0.08, r * 0.09, r * 0.14, INK, outline=None)
    if look.glasses:
        for dx in (-0.33, 0.33):
            cv.ellipse(ex + dx * r, y + r * 0.08, r * 0.24, r * 0.22, None)
        cv.line([(ex - r * 0.1, y + r * 0.05), (ex + r * 0.1, y + r * 0.05)])
    if look.child:
        for dx in (-0.55, 0.55):
            cv.ellipse(ex + dx * r, y + r * 0.38, r * 0.14, r * 0.09, (244, 150, 150), outline=None)
    mouth_y = y + r * (0.62 if look.beard else 0.52)
    if pose.talking:
        cv.ellipse(ex, mouth_y, r * 0.16, r * 0.13, (150, 40, 50))
    elif not look.beard:
        cv.arc(ex, mouth_y - r * 0.2, r * 0.22, 30, 150)
    _hat(cv, look, pose, b)


def _hat(cv: Canvas, look: Look, pose: Pose, b: _Body) -> None:
    r, f, x, y = b.r, pose.facing, b.hx, b.hy
    c = look.hat_colour
    if look.hat == "pointy":
        cv.chord(x, y - r * 0.2, r * 1.04, r * 0.9, 180, 360, look.hair)
        tip = (x - f * r * 0.9, y - r * 3.0)
        cv.poly(
            [
                (x - r * 0.95, y - r * 0.6),
                (x + r * 0.95, y - r * 0.6),
                (x - f * r * 0.2, y - r * 1.9),
                tip,
            ],
            c,
        )
        cv.poly(
            [
                (x - r * 0.9, y - r * 0.72),
                (x + r * 0.9, y - r * 0.72),
                (x + r * 0.7, y - r * 1.0),
                (x - r * 0.7, y - r * 1.0),
            ],
            shade(c, 0.4),
        )
        cv.ellipse(x, y - r * 0.6, r * 1.7, r * 0.28, c)
    elif look.hat == "brim":
        cv.rect(x - r * 0.8, y - r * 1.65, x + r * 0.8, y - r * 0.6, c)
        cv.rect(x - r * 0.8, y - r * 0.9, x + r * 0.8, y - r * 0.65, shade(c, 0.45))
        cv.ellipse(x, y - r * 0.62, r * 1.5, r * 0.22, c)
    elif look.hat == "cap":
        cv.chord(x, y - r * 0.3, r * 1.06, r * 0.95, 180, 360, c)
        cv.ellipse(x + f * r * 0.9, y - r * 0.32, r * 0.65, r * 0.14, shade(c))
    elif look.hat == "crown":
        gold = (240, 196, 48)
        base = y - r * 0.75
        pts = [(x - r * 0.75, base), (x + r * 0.75, base)]
        for i, px in enumerate((0.75, 0.45, 0.15, -0.15, -0.45, -0.75)):
            pts.append((x + px * r, base - r * (0.75 if i % 2 == 0 else 0.35)))
        cv.poly(pts, gold)
