"""The shapes lettering sits in, as outline ("ink") and fill masks.

Every shape is drawn on supersampled "L" masks: the ink mask holds the shape widened by the
line width, the fill mask the shape itself, so painting ink then fill leaves a clean outline
around a single merged body (balloon and tail read as one shape).
"""

from __future__ import annotations

import itertools
import math
import zlib

from PIL import Image, ImageDraw

from studio.render.lettering.fit import Box, rim

Point = tuple[float, float]


def extent(kind: str, box: Box, tip: Point | None, line: float) -> Box:
    """Frame-pixel bounds of everything the shape draws."""
    x0, y0, x1, y1 = box[0] - line, box[1] - line, box[2] + line, box[3] + line
    if tip is not None:
        x0, y0 = min(x0, tip[0] - 2 * line), min(y0, tip[1] - 2 * line)
        x1, y1 = max(x1, tip[0] + 2 * line), max(y1, tip[1] + 2 * line)
    return (x0, y0, x1, y1)


def tail_base(box: Box, tip: Point) -> tuple[float, float, float, float] | None:
    """Unit direction and edge distance from the box centre to ``tip``, or None inside."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    a, b = max(1.0, (box[2] - box[0]) / 2), max(1.0, (box[3] - box[1]) / 2)
    dx, dy = tip[0] - cx, tip[1] - cy
    dist = math.hypot(dx, dy)
    if dist < 1e-6:
        return None
    ux, uy = dx / dist, dy / dist
    edge = 1.0 / math.sqrt((ux / a) ** 2 + (uy / b) ** 2)
    if dist <= edge * 1.02:
        return None
    return ux, uy, edge, dist


def masks(
    kind: str,
    box: Box,
    tip: Point | None,
    line: float,
    size: tuple[int, int],
    ss: int,
    seed: str,
) -> tuple[Image.Image, Image.Image]:
    """(ink, fill) masks at ``ss``× for a shape whose coordinates are already local."""
    big = (size[0] * ss, size[1] * ss)
    ink, fill = Image.new("L", big, 0), Image.new("L", big, 0)
    di, df = ImageDraw.Draw(ink), ImageDraw.Draw(fill)
    lw = line * ss
    s = _scale(box, ss)
    t = (tip[0] * ss, tip[1] * ss) if tip is not None else None
    if kind == "caption":
        di.rectangle((s[0] - lw, s[1] - lw, s[2] + lw, s[3] + lw), fill=255)
        df.rectangle(s, fill=255)
        return ink, fill
    if kind == "thought":
        _cloud(di, df, s, lw)
        if t is not None:
            _bubbles(di, df, s, t, lw)
        return ink, fill
    body = _burst(s, seed) if kind == "shout" else _ellipse(s)
    tail = _tail(s, t, kind == "shout") if t is not None else None
    if kind == "whisper":
        _dashed(di, [body, *([tail] if tail else [])], s, lw)
    else:
        for poly in (body, tail):
            if poly:
                di.polygon(poly, fill=255)
                di.line([*poly, poly[0]], fill=255, width=max(1, round(lw * 2)), joint="curve")
    for poly in (body, tail):
        if poly:
            df.polygon(poly, fill=255)
    return ink, fill


def _scale(box: Box, ss: int) -> Box:
    return (box[0] * ss, box[1] * ss, box[2] * ss, box[3] * ss)


def _ellipse(s: Box, steps: int = 96) -> list[Point]:
    cx, cy, a, b = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2, (s[2] - s[0]) / 2, (s[3] - s[1]) / 2
    return [
        (cx + a * math.cos(2 * math.pi * i / steps), cy + b * math.sin(2 * math.pi * i / steps))
        for i in range(steps)
    ]


def _burst(s: Box, seed: str) -> list[Point]:
    """A jagged outline: spikes between the box's ellipse and one inset by the rim."""
    cx, cy, a, b = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2, (s[2] - s[0]) / 2, (s[3] - s[1]) / 2
    depth = rim(a, b) * 1.1
    perimeter = math.pi * (a + b)
    count = max(10, min(28, round(perimeter / max(8.0, depth * 2.2))))
    rng = zlib.crc32(seed.encode())
    pts: list[Point] = []
    for i in range(count * 2):
        rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
        wobble = (rng % 1000) / 1000.0
        angle = math.pi * i / count + (wobble - 0.5) * math.pi / count * 0.5
        if i % 2 == 0:
            ra, rb = a, b
        else:
            k = 1 - 0.7 - 0.25 * wobble
            ra, rb = a - depth * (1 - k), b - depth * (1 - k)
        pts.append((cx + ra * math.cos(angle), cy + rb * math.sin(angle)))
    return pts


def _tail(s: Box, tip: Point, jagged: bool) -> list[Point] | None:
    found = tail_base(s, tip)
    if found is None:
        return None
    ux, uy, edge, _ = found
    cx, cy = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    a, b = (s[2] - s[0]) / 2, (s[3] - s[1]) / 2
    half = min(a, b) * 0.26
    bx, by = cx + ux * edge * 0.7, cy + uy * edge * 0.7
    px, py = -uy * half, ux * half
    tx, ty = tip
    if jagged:  # a lightning-bolt kink
        mx, my = (bx + tx) / 2, (by + ty) / 2
        return [
            (bx + px, by + py),
            (mx + px * 0.9, my + py * 0.9),
            (mx + px * 0.1, my + py * 0.1),
            (tx, ty),
            (mx - px * 0.5, my - py * 0.5),
            (mx - px * 0.1, my - py * 0.1),
            (bx - px, by - py),
        ]
    # a curved wedge: both sides bow the same way, so the tail reads as drawn, not ruled
    out: list[Point] = []
    for side in (1.0, -1.0):
        sx, sy = bx + px * side, by + py * side
        ctrl = ((sx + tx) / 2 + px * 0.55, (sy + ty) / 2 + py * 0.55)
        curve = [_quad((sx, sy), ctrl, (tx, ty), k / 12) for k in range(13)]
        out += curve if side > 0 else curve[::-1][1:]
    return out


def _quad(p0: Point, p1: Point, p2: Point, t: float) -> Point:
    u = 1 - t
    return (
        u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
        u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1],
    )


def _cloud(di: ImageDraw.ImageDraw, df: ImageDraw.ImageDraw, s: Box, lw: float) -> None:
    """Scallops: circles on an inset ellipse, their union outlined."""
    cx, cy, a, b = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2, (s[2] - s[0]) / 2, (s[3] - s[1]) / 2
    r = rim(a, b)
    ia, ib = a - r, b - r
    perimeter = math.pi * (3 * (ia + ib) - math.sqrt((3 * ia + ib) * (ia + 3 * ib)))
    count = max(7, round(perimeter / (r * 1.45)))
    centres = _even_points(cx, cy, ia, ib, count)
    for x, y in centres:
        di.ellipse((x - r - lw, y - r - lw, x + r + lw, y + r + lw), fill=255)
    for x, y in centres:
        df.ellipse((x - r, y - r, x + r, y + r), fill=255)
    df.ellipse((cx - ia, cy - ib, cx + ia, cy + ib), fill=255)


def _even_points(cx: float, cy: float, a: float, b: float, count: int) -> list[Point]:
    """``count`` points spaced evenly by arc length around an ellipse."""
    fine = [
        (cx + a * math.cos(2 * math.pi * i / 720), cy + b * math.sin(2 * math.pi * i / 720))
        for i in range(721)
    ]
    lengths = [0.0]
    for p, q in itertools.pairwise(fine):
        lengths.append(lengths[-1] + math.hypot(q[0] - p[0], q[1] - p[1]))
    total = lengths[-1] or 1.0
    out: list[Point] = []
    j = 0
    for k in range(count):
        want = total * k / count
        while j < len(lengths) - 1 and lengths[j + 1] < want:
            j += 1
        out.append(fine[j])
    return out


def _bubbles(
    di: ImageDraw.ImageDraw, df: ImageDraw.ImageDraw, s: Box, tip: Point, lw: float
) -> None:
    """Three shrinking bubbles trailing from the cloud towards ``tip``."""
    found = tail_base(s, tip)
    if found is None:
        return
    ux, uy, edge, dist = found
    cx, cy = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    a, b = (s[2] - s[0]) / 2, (s[3] - s[1]) / 2
    big = max(lw * 2.5, min(a, b) * 0.16)
    room = dist - edge
    for share, k in ((0.22, 1.0), (0.58, 0.68), (0.9, 0.42)):
        r = min(big * k, room * 0.22)
        d = edge + room * share
        x, y = cx + ux * d, cy + uy * d
        di.ellipse((x - r - lw, y - r - lw, x + r + lw, y + r + lw), fill=255)
        df.ellipse((x - r, y - r, x + r, y + r), fill=255)


def _dashed(di: ImageDraw.ImageDraw, polys: list[list[Point]], s: Box, lw: float) -> None:
    """Dash the outline of the union of ``polys`` (parts inside another polygon are skipped)."""
    dash, gap = lw * 4.0, lw * 2.6
    width = max(1, round(lw * 2))
    for i, poly in enumerate(polys):
        others = [p for j, p in enumerate(polys) if j != i]
        run: list[Point] = []
        walked = 0.0
        closed = [*poly, poly[0]]
        for p, q in itertools.pairwise(closed):
            seg = math.hypot(q[0] - p[0], q[1] - p[1])
            steps = max(1, math.ceil(seg / max(1.0, lw * 0.5)))
            for k in range(steps):
                t = k / steps
                pt = (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
                on = (walked + seg * t) % (dash + gap) < dash
                if on and not any(_inside(pt, o) for o in others):
                    run.append(pt)
                elif run:
                    _stroke(di, run, width)
                    run = []
            walked += seg
        if run:
            _stroke(di, run, width)


def _stroke(di: ImageDraw.ImageDraw, run: list[Point], width: int) -> None:
    if len(run) == 1:
        x, y = run[0]
        di.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=255)
    else:
        di.line(run, fill=255, width=width, joint="curve")


def _inside(pt: Point, poly: list[Point]) -> bool:
    x, y = pt
    inside = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / ((yj - yi) or 1e-12) + xi:
            inside = not inside
        j = i
    return inside
