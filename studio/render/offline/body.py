"""A figure drawn from a look and a skeleton: limbs, torso, garment, head and face."""

from __future__ import annotations

from dataclasses import dataclass

from studio.render.canvas import INK, RGB, Canvas, Point, mix, shade
from studio.render.looks import Look
from studio.render.offline.face import draw_head
from studio.render.offline.pose import P, Skeleton, rotate

_SHOE: RGB = (58, 44, 40)
_WHITE: RGB = (250, 250, 246)


@dataclass(frozen=True)
class Placement:
    """Where and how big a figure stands: feet at (x, y), ``size`` tall, facing."""

    x: float
    y: float
    size: float
    facing: int  # +1 right, -1 left, 0 front
    back: bool = False  # seen from behind
    head_scale: float = 1.0  # camera angle foreshortening
    leg_scale: float = 1.0


@dataclass(frozen=True)
class Drawn:
    """What later drawing needs: the head centre and radius and the hands (world units)."""

    head: Point
    r: float
    hand_near: Point
    hand_far: Point
    top: float


def draw_figure(
    cv: Canvas,
    look: Look,
    sk: Skeleton,
    at: Placement,
    expression: str,
    ground: RGB,
    *,
    talking: bool = False,
    shadow: bool = True,
) -> Drawn:
    """Draw ``look`` in the pose ``sk`` at ``at``; return head and hand positions."""
    front = at.facing == 0 or at.back
    f = at.facing if at.facing else 1
    H = at.size
    r_unit = (0.15 if look.child else 0.12) * at.head_scale
    lifted = sk.lift + (0.0 if abs(sk.turn) < 60 else -0.37)

    def w(p: P) -> Point:
        q = rotate(p, sk.hip, sk.turn) if sk.turn else p
        return (at.x + f * q[0] * H, at.y + (q[1] - lifted) * H)

    ls = at.leg_scale
    hip_u = (sk.hip[0], sk.hip[1] * ls if ls != 1 else sk.hip[1])
    neck_u = (sk.neck[0], sk.neck[1] + hip_u[1] - sk.hip[1])
    spread = 0.09 if front else 0.015
    legs = []
    for side, (knee, foot) in ((1, sk.leg_near), (-1, sk.leg_far)):
        hx = hip_u[0] + side * (0.045 if front else 0.0)
        mirror = -1 if (front and side < 0 and not sk.sideways) else 1
        legs.append(
            [
                w((hx, hip_u[1])),
                w((hx + mirror * knee[0], hip_u[1] + knee[1] * ls)),
                w((hx + mirror * foot[0], hip_u[1] + foot[1] * ls)),
            ]
        )
    arms = []
    for side, (elbow, hand) in ((1, sk.arm_near), (-1, sk.arm_far)):
        sx = neck_u[0] + side * spread
        sy = neck_u[1] + 0.03
        mirror = -1 if (front and side < 0) else 1
        arms.append(
            [
                w((sx, sy)),
                w((sx + mirror * elbow[0], sy + elbow[1])),
                w((sx + mirror * hand[0], sy + hand[1])),
            ]
        )
    r = r_unit * H
    head_u = (neck_u[0], neck_u[1] - r_unit - 0.01)
    head = w(head_u)
    if shadow and abs(sk.turn) < 60:
        sw = H * (0.16 if sk.lift < 0.1 else 0.1)
        cv.ellipse(at.x, at.y, sw, sw * 0.2, shade(ground, 0.3), outline=None)
    if look.cape and not front:
        _cape(cv, look, w(neck_u), w(hip_u), H, -f)
    far_tone = 0.25 if not front else 0.0
    sleeve, leg_c = look.top, (look.skin if look.garment == "dress" else look.bottom)
    _leg(cv, legs[1], shade(leg_c, far_tone), H, f)
    _arm(cv, arms[1], shade(sleeve, far_tone), look.skin, H, False)
    if look.long_hair and not at.back:
        cv.ellipse(head[0] - f * r * 0.15, head[1] + r * 0.5, r * 1.05, r * 0.95, look.hair)
    if look.cape and front:
        _cape(cv, look, w(neck_u), w(hip_u), H, 0)
    _leg(cv, legs[0], leg_c, H, f)
    _torso(cv, look, w(neck_u), w(hip_u), legs, H, front)
    draw_head(cv, look, head, r, 0 if front else f, expression, at.back, talking, sk.head_tilt)
    if not at.back:
        _arm(cv, arms[0], sleeve, look.skin, H, sk.open_hand)
    else:
        _arm(cv, arms[0], sleeve, look.skin, H, False)
    top = min(head[1] - r * 1.2, arms[0][2][1], arms[1][2][1])
    return Drawn(head=head, r=r, hand_near=arms[0][2], hand_far=arms[1][2], top=top)


def _leg(cv: Canvas, pts: list[Point], colour: RGB, H: float, f: int) -> None:
    cv.limb(pts, colour, 0.085 * H)
    x, y = pts[2]
    cv.ellipse(x + f * 0.03 * H, y - 0.01 * H, 0.06 * H, 0.028 * H, _SHOE)


def _arm(cv: Canvas, pts: list[Point], sleeve: RGB, skin: RGB, H: float, open_: bool) -> None:
    cv.limb(pts, sleeve, 0.07 * H)
    x, y = pts[2]
    rr = 0.045 * H if open_ else 0.038 * H
    cv.ellipse(x, y, rr, rr, skin)
    if open_:
        for dx in (-0.6, 0.0, 0.6):
            cv.line([(x + dx * rr, y - rr * 0.6), (x + dx * rr * 1.4, y - rr * 1.6)], INK, None)


def _torso(
    cv: Canvas,
    look: Look,
    neck: Point,
    hip: Point,
    legs: list[list[Point]],
    H: float,
    front: bool,
) -> None:
    ws, wh = (0.1, 0.085) if front else (0.068, 0.062)
    px, py = _perp(neck, hip)
    body = [
        (neck[0] - px * ws * H, neck[1] - py * ws * H),
        (neck[0] + px * ws * H, neck[1] + py * ws * H),
        (hip[0] + px * wh * H, hip[1] + py * wh * H),
        (hip[0] - px * wh * H, hip[1] - py * wh * H),
    ]
    if look.garment in ("dress", "robe"):
        knee = ((legs[0][1][0] + legs[1][1][0]) / 2, (legs[0][1][1] + legs[1][1][1]) / 2)
        foot = ((legs[0][2][0] + legs[1][2][0]) / 2, (legs[0][2][1] + legs[1][2][1]) / 2)
        hem = knee if look.garment == "dress" else mix_pt(knee, foot, 0.8)
        qx, qy = _perp(hip, hem)
        flare = (0.16 if front else 0.12) * H
        cv.poly(
            [
                (hip[0] - qx * wh * H, hip[1] - qy * wh * H),
                (hip[0] + qx * wh * H, hip[1] + qy * wh * H),
                (hem[0] + qx * flare, hem[1] + qy * flare),
                (hem[0] - qx * flare, hem[1] - qy * flare),
            ],
            shade(look.top, 0.08),
        )
    cv.poly(body, look.top)
    if look.garment == "suit":
        mid = mix_pt(neck, hip, 0.45)
        cv.poly([body[0], body[1], mid], _WHITE)
        cv.line([neck, mix_pt(neck, hip, 0.4)], (176, 40, 48), 0.018 * H * cv.cam.scale)
    elif look.garment == "shirt":
        cv.line([body[3], body[2]], mix(look.bottom, INK, 0.3), 0.02 * H * cv.cam.scale)


def _cape(cv: Canvas, look: Look, neck: Point, hip: Point, H: float, back: int) -> None:
    assert look.cape is not None
    y1 = hip[1] + 0.36 * H
    cv.poly(
        [
            (neck[0] - 0.09 * H, neck[1]),
            (neck[0] + 0.09 * H, neck[1]),
            (hip[0] + 0.17 * H + back * 0.05 * H, y1),
            (hip[0] - 0.17 * H + back * 0.05 * H, y1),
        ],
        look.cape,
    )


def _perp(a: Point, b: Point) -> Point:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = (dx * dx + dy * dy) ** 0.5 or 1.0
    return (dy / n, -dx / n)


def mix_pt(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
