"""Staging: where each figure and prop stands, and the camera that frames the shot."""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.shot import Figure
from studio.render.canvas import Camera
from studio.render.looks import Look
from studio.render.offline.pose import skeleton
from studio.render.offline.props import Prop
from studio.render.offline.sky import GROUND_Y

_FACE_EACH_OTHER = {"stand", "talk", "hug", "fight", "point", "wave", "hold", "reach", "look"}
_TOGETHER = {"walk", "run"}
HORIZONS = {  # (outdoors, indoors) eye level by camera angle
    "eye-level": (0.62, 0.66),
    "low": (0.8, 0.76),
    "high": (0.36, 0.44),
    "birds-eye": (-0.4, 0.2),
}
FORESHORTEN = {"low": (0.8, 1.2), "high": (1.2, 0.82), "birds-eye": (1.35, 0.62)}


@dataclass
class Actor:
    figure: Figure
    look: Look
    action: str
    x: float
    y: float
    size: float
    facing: int
    back: bool
    seat: str = ""


@dataclass
class Item:
    name: str
    prop: Prop
    x: float
    base: float
    h: float


def figure_scale(framing: str) -> float:
    return {"establishing": 0.62, "wide": 0.9}.get(framing, 1.0)


def stage(
    figures: list[tuple[Figure, Look, str]], W: float, scale: float, framing: str, jitter: float
) -> list[Actor]:
    """Place figures on the ground: one centred, two facing each other (or side by side when
    they walk together), a group standing together."""
    n = len(figures)
    if not n:
        return []
    y = GROUND_Y - (0.05 if framing == "establishing" else 0.0)
    H = 0.5 * scale
    actions = [a for _, _, a in figures]
    together = n > 1 and all(a in _TOGETHER for a in actions)
    if n == 2 and not together:
        gap = H * (0.3 if "hug" in actions else 0.78 if "fight" in actions else 0.62)
    else:
        gap = H * (0.5 if together else 0.52)
    gap = min(gap, W * 0.9 / max(1, n - 1))
    span = gap * (n - 1)
    x0 = min(max(W / 2 - span / 2 + jitter, 0.3 * H), W - span - 0.3 * H)
    actors = []
    for i, (fig, look, action) in enumerate(figures):
        sideways = skeleton(action).sideways
        facing = {"left": -1, "right": 1}.get(fig.facing, 0)
        back = fig.facing == "back"
        if facing == 0 and not back:
            if together:
                facing = 1
            elif n == 2 and action in _FACE_EACH_OTHER | {"sit"}:
                facing = 1 if i == 0 else -1
            elif sideways or action == "sit":
                facing = 1 if (n == 1 or x0 + i * gap < W / 2) else -1
        size = look.height * scale
        actors.append(Actor(fig, look, action, x0 + i * gap, y, size, facing, back))
    return actors


def place(
    items: list[tuple[str, Prop]], actors: list[Actor], W: float, scale: float, wall_y: float
) -> list[Item]:
    """Lay unheld props out beside the figures: big ones behind at the sides, small ones at
    their feet, tabletop things on a table."""
    H = 0.5 * scale
    if actors:
        left = min(a.x for a in actors) - 0.22 * H
        right = max(a.x for a in actors) + 0.22 * H
    else:
        left = right = W / 2
    cursors = {1: right, -1: left}
    side = 1
    out: list[Item] = []
    table: Item | None = None
    first = not actors
    for name, prop in items:
        h = prop.size * H * (0.7 if prop.place == "big" else 1.0)
        w = h * prop.aspect
        if prop.place == "table" and table is not None:
            out.append(Item(name, prop, 0.0, table.base - table.h, h))
            continue
        if first:
            x = W / 2
            cursors = {1: W / 2 + w / 2 + 0.03, -1: W / 2 - w / 2 - 0.03}
            first = False
        else:
            gap = 0.03 + (0.05 if prop.place == "big" else 0.0)
            x = cursors[side] + side * (w / 2 + gap)
            x = min(max(x, w / 2), W - w / 2) if w < W else W / 2
            cursors[side] = x + side * w / 2
            side = -side
        base = {
            "big": GROUND_Y - 0.12 * scale,
            "ground": GROUND_Y + 0.02,
            "wall": wall_y - 0.12,
            "air": GROUND_Y - 1.15 * H,
        }.get(prop.place, GROUND_Y - 0.005)
        item = Item(name, prop, x, base, h)
        out.append(item)
        if prop.place == "table":  # the first tabletop thing brought its own table
            from studio.render.offline.catalogue import PROPS

            t = PROPS["table"]
            table = Item("table", t, x, GROUND_Y - 0.005, t.size * H)
            item.base = table.base - table.h
            out.append(table)
        elif name == "table":
            table = item
    _spread_on_tables(out)
    return out


def _spread_on_tables(items: list[Item]) -> None:
    tables = [i for i in items if i.name == "table"]
    for t in tables:
        top = [i for i in items if i.prop.place == "table" and abs(i.base - (t.base - t.h)) < 1e-9]
        width = t.h * t.prop.aspect * 0.8
        for k, it in enumerate(top):
            it.x = t.x - width / 2 + width * (k + 0.5) / len(top)


def camera(
    width: int,
    height: int,
    framing: str,
    angle: str,
    actors: list[Actor],
    items: list[Item],
    focus: int,
) -> Camera:
    """Frame the shot: a world box by framing, fitted to the panel, tilted by the angle."""
    base = Camera(width, height)
    W = base.world_w
    if actors:
        a = actors[min(focus, len(actors) - 1)]
        hx, top, H = a.x, a.y - a.size, a.size
        x0 = min(b.x for b in actors) - 0.3 * H
        x1 = max(b.x for b in actors) + 0.3 * H
        if framing in ("medium", "wide", "over-the-shoulder"):
            for it in items:
                if it.prop.place != "big" or framing == "wide":
                    w = it.h * it.prop.aspect / 2
                    x0, x1 = min(x0, it.x - w - 0.02), max(x1, it.x + w + 0.02)
    elif items:
        it = items[0]
        w = it.h * it.prop.aspect
        hx, top, H = it.x, it.base - it.h, it.h
        x0, x1 = it.x - w / 2, it.x + w / 2
    else:
        hx, top, H, x0, x1 = W / 2, GROUND_Y - 0.5, 0.5, W / 2 - 0.25, W / 2 + 0.25
    ground = GROUND_Y
    match framing:
        case "establishing":
            box = (0.0, -0.05, W, 1.05)
        case "wide":
            half = max((x1 - x0) / 2 + 0.5 * H, 0.45)
            mid = (x0 + x1) / 2
            box = (mid - half, ground - 0.72, mid + half, ground + 0.12)
        case "close-up" if actors:
            box = (hx - 0.27 * H, top - 0.04 * H, hx + 0.27 * H, top + 0.46 * H)
        case "extreme-close-up" if actors:
            r = 0.13 * H
            box = (hx - 1.3 * r, top + 0.12 * H - 1.25 * r, hx + 1.3 * r, top + 0.12 * H + 1.35 * r)
        case "close-up" | "extreme-close-up":
            pad = 0.12 if framing == "extreme-close-up" else 0.5
            box = (x0 - pad * H, top - pad * H, x1 + pad * H, top + H * (1 + pad))
        case "over-the-shoulder":
            box = (x0 - 0.45 * H, top - 0.2 * H, x1 + 0.25 * H, ground + 0.1 * H)
        case _:  # medium: knees up
            box = (x0 - 0.25 * H, top - 0.12 * H, x1 + 0.25 * H, ground - 0.25 * H)
    if angle == "low" and actors and framing in ("wide", "medium", "establishing"):
        box = (x0 - 0.3 * H, top - 0.45 * H, x1 + 0.3 * H, ground + 0.04 * H)  # they tower
    bw, bh = box[2] - box[0], box[3] - box[1]
    scale = min(width / bw, height / bh)
    zoom = max(1.0, scale / min(width, height))
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    cam = Camera(width, height, zoom, cx, cy)
    half_w, half_h = cam.half_view
    if angle == "low" and framing in ("wide", "establishing", "medium"):
        cy = ground + 0.04 * H - half_h
    elif angle in ("high", "birds-eye") and framing in ("wide", "establishing"):
        cy = ground - half_h * 0.3
    cx = W / 2 if half_w * 2 >= W else min(max(cx, half_w), W - half_w)
    cy = min(cy, 1.3 - half_h) if framing in ("wide", "establishing") else cy
    return Camera(width, height, zoom, cx, cy)
