"""Skeletons for the actions of a shot: joint positions of a figure one unit tall.

Units: the figure is 1 tall, its feet at (0, 0), y grows downwards and +x is the way it
faces. Arms are (elbow, hand) relative to the shoulder, legs (knee, foot) relative to
the hip joint. ``turn`` tilts the whole body (degrees, about the hips), ``lift`` raises it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

P = tuple[float, float]


@dataclass(frozen=True)
class Skeleton:
    neck: P = (0.0, -0.74)
    hip: P = (0.0, -0.46)
    arm_near: tuple[P, P] = ((0.02, 0.15), (0.03, 0.3))
    arm_far: tuple[P, P] = ((-0.02, 0.15), (-0.03, 0.3))
    leg_near: tuple[P, P] = ((0.0, 0.22), (0.0, 0.46))
    leg_far: tuple[P, P] = ((0.0, 0.22), (0.0, 0.46))
    head_tilt: float = 0.0  # degrees, + looks up
    turn: float = 0.0
    lift: float = 0.0
    sideways: bool = False  # must be seen from the side (walk, run, point...)
    open_hand: bool = False  # the near hand is open (wave, talk)


_STAND = Skeleton()
_POSES: dict[str, Skeleton] = {
    "stand": _STAND,
    "walk": replace(
        _STAND,
        arm_near=((-0.05, 0.14), (-0.08, 0.27)),
        arm_far=((0.05, 0.14), (0.1, 0.26)),
        leg_near=((0.07, 0.22), (0.13, 0.45)),
        leg_far=((-0.04, 0.23), (-0.12, 0.44)),
        sideways=True,
    ),
    "run": replace(
        _STAND,
        neck=(0.08, -0.73),
        hip=(0.0, -0.5),
        arm_near=((0.1, 0.1), (0.18, 0.0)),
        arm_far=((-0.1, 0.1), (-0.15, 0.2)),
        leg_near=((0.17, 0.13), (0.13, 0.36)),
        leg_far=((-0.06, 0.22), (-0.22, 0.38)),
        lift=0.04,
        sideways=True,
    ),
    "sit": replace(
        _STAND,
        neck=(-0.02, -0.55),
        hip=(0.0, -0.27),
        arm_near=((0.05, 0.14), (0.16, 0.2)),
        arm_far=((0.04, 0.14), (0.14, 0.2)),
        leg_near=((0.21, 0.0), (0.21, 0.27)),
        leg_far=((0.19, 0.01), (0.18, 0.27)),
        sideways=True,
    ),
    "lie": replace(_STAND, turn=-90.0, arm_near=((0.0, 0.15), (0.02, 0.3))),
    "point": replace(_STAND, arm_near=((0.15, -0.01), (0.31, -0.03)), head_tilt=0.0, sideways=True),
    "wave": replace(_STAND, arm_near=((0.13, -0.07), (0.15, -0.24)), open_hand=True),
    "hold": replace(_STAND, arm_near=((0.04, 0.14), (0.15, 0.13))),
    "reach": replace(
        _STAND,
        neck=(0.05, -0.75),
        arm_near=((0.14, -0.12), (0.27, -0.25)),
        arm_far=((0.11, -0.06), (0.22, -0.15)),
        leg_far=((-0.03, 0.22), (-0.07, 0.45)),
        head_tilt=20.0,
        open_hand=True,
        sideways=True,
    ),
    "hug": replace(
        _STAND,
        neck=(0.03, -0.74),
        arm_near=((0.14, 0.08), (0.2, 0.0)),
        arm_far=((0.13, 0.09), (0.2, 0.03)),
        sideways=True,
    ),
    "fight": replace(
        _STAND,
        neck=(0.03, -0.72),
        hip=(0.0, -0.44),
        arm_near=((0.16, 0.02), (0.32, -0.01)),
        arm_far=((0.07, 0.12), (0.12, -0.01)),
        leg_near=((0.1, 0.2), (0.17, 0.44)),
        leg_far=((-0.09, 0.2), (-0.17, 0.44)),
        sideways=True,
    ),
    "fall": replace(
        _STAND,
        arm_near=((0.1, -0.1), (0.2, -0.2)),
        arm_far=((-0.12, -0.08), (-0.2, -0.2)),
        leg_near=((0.1, 0.18), (0.12, 0.42)),
        leg_far=((-0.04, 0.2), (0.02, 0.44)),
        turn=-40.0,
        lift=0.08,
        sideways=True,
    ),
    "jump": replace(
        _STAND,
        arm_near=((0.08, -0.12), (0.13, -0.27)),
        arm_far=((-0.06, -0.12), (-0.1, -0.27)),
        leg_near=((0.1, 0.14), (0.02, 0.3)),
        leg_far=((0.06, 0.16), (-0.04, 0.3)),
        lift=0.2,
        open_hand=True,
    ),
    "climb": replace(
        _STAND,
        arm_near=((0.07, -0.12), (0.12, -0.25)),
        arm_far=((0.07, 0.0), (0.12, -0.06)),
        leg_near=((0.12, 0.12), (0.1, 0.3)),
        leg_far=((0.04, 0.22), (0.1, 0.45)),
        lift=0.18,
        sideways=True,
    ),
    "read": replace(
        _STAND,
        arm_near=((0.05, 0.15), (0.14, 0.06)),
        arm_far=((0.05, 0.15), (0.13, 0.08)),
        head_tilt=-20.0,
    ),
    "talk": replace(_STAND, arm_near=((0.1, 0.11), (0.2, 0.05)), open_hand=True),
    "look-up": replace(_STAND, arm_near=((0.1, 0.02), (0.06, -0.13)), head_tilt=28.0),
    "look-down": replace(_STAND, head_tilt=-28.0),
    "look-aside": replace(_STAND, sideways=True),
    "think": replace(_STAND, arm_near=((0.06, 0.14), (-0.05, -0.03))),
}
_POSES["sleep"] = _POSES["lie"]
_POSES["look"] = _POSES["look-aside"]


def skeleton(action: str) -> Skeleton:
    """The skeleton of ``action`` (``stand`` for anything unknown)."""
    return _POSES.get(action, _STAND)


def rotate(p: P, about: P, degrees: float) -> P:
    a = math.radians(degrees)
    dx, dy = p[0] - about[0], p[1] - about[1]
    return (
        about[0] + dx * math.cos(a) - dy * math.sin(a),
        about[1] + dx * math.sin(a) + dy * math.cos(a),
    )
