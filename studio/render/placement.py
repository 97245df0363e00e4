"""Where balloons go: reading order, clear of each other, the panel centre and the faces."""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels

HEAD_ZONE = 0.16
"""Radius, as a fraction of the frame's shorter side, of the no-go zone around a speaker's
anchor (the face): the head and hair. Balloons keep out of it, tails end at its edge."""


def head_radius(size: tuple[int, int]) -> float:
    return min(size) * HEAD_ZONE


def covers_head(box: Box, head: tuple[float, float], r: float) -> bool:
    """Does ``box`` reach into the circle of radius ``r`` around ``head``?"""
    nx = min(max(head[0], box[0]), box[2])
    ny = min(max(head[1], box[1]), box[3])
    return (nx - head[0]) ** 2 + (ny - head[1]) ** 2 < r * r


_STEPS = 48
_BRANCH = 3  # alternatives tried for each of the first ``_DEPTH`` items
_DEPTH = 3
_ALTERNATIVES = 6  # spots tried for an item when the best ones lead to a dead end
_BUDGET = 300  # placements tried per layout, at most


@dataclass(frozen=True)
class _Ctx:
    items: list[tuple[str, float, float]]
    targets: list[tuple[float, float] | None]
    size: tuple[int, int]
    heads: list[tuple[float, float]]
    margin: float
    gap: float
    rtl: bool
    budget: list[int]  # placements left to try (shared, counts down)


def place_all(
    items: list[tuple[str, float, float]],
    targets: list[tuple[float, float] | None],
    size: tuple[int, int],
    *,
    rtl: bool = False,
) -> list[Box] | None:
    """Boxes for ``items`` (kind, width, height) in reading order, or None if they don't fit.

    An opening caption takes the top corner where reading starts; each other item goes as high
    as it can, after (lower, or level and further along) the one before it, near the x of
    its tail target, avoiding the panel's centre, the speakers' heads and earlier tails. The
    first few items try a handful of spots each and the layout with the best total wins,
    so an early balloon does not take the only room a later one had.
    """
    width, height = size
    short = min(width, height)
    ctx = _Ctx(
        items,
        targets,
        size,
        [t for t in targets if t is not None and t[1] < height * 0.999],
        short * 0.025,
        short * 0.015,
        rtl,
        [_BUDGET],
    )
    if any(w > width - 2 * ctx.margin or h > height - 2 * ctx.margin for _, w, h in items):
        return None
    found = _search(ctx, 0, [], None)
    return None if found is None else found[1]


def awkward(
    boxes: list[Box], targets: list[tuple[float, float] | None], size: tuple[int, int]
) -> int:
    """How many boxes sit below their own speaker's head or cover any speaker's head."""
    height = size[1]
    heads = [t for t in targets if t is not None and t[1] < height * 0.999]
    r = head_radius(size)
    count = 0
    for box, target in zip(boxes, targets, strict=True):
        below = target is not None and target in heads and box[3] > target[1]
        covers = any(covers_head(box, head, r) for head in heads)
        count += below or covers
    return count


def _search(
    ctx: _Ctx, index: int, placed: list[Box], previous: Box | None
) -> tuple[float, list[Box]] | None:
    if index == len(ctx.items):
        return (0.0, [])
    kind, w, h = ctx.items[index]
    if kind == "caption" and not placed:  # the opening caption takes the first corner
        x0 = ctx.size[0] - ctx.margin - w if ctx.rtl else ctx.margin
        box = (x0, ctx.margin, x0 + w, ctx.margin + h)
        rest = _search(ctx, index + 1, [box], previous)
        return None if rest is None else (rest[0], [box, *rest[1]])
    tails = [(p, t) for p, t in zip(placed, ctx.targets, strict=False) if t is not None]
    branch = _BRANCH if index < _DEPTH else 1
    best: tuple[float, list[Box]] | None = None
    options = _candidates(ctx, w, h, ctx.targets[index], placed, previous, tails, _ALTERNATIVES)
    for tried, (score, box) in enumerate(options):
        if (tried >= branch and best is not None) or ctx.budget[0] <= 0:
            break  # explored enough here; later options only rescue a dead end
        ctx.budget[0] -= 1
        rest = _search(ctx, index + 1, [*placed, box], box)
        if rest is not None and (best is None or score + rest[0] < best[0]):
            best = (score + rest[0], [box, *rest[1]])
    return best


def _candidates(
    ctx: _Ctx,
    w: float,
    h: float,
    target: tuple[float, float] | None,
    placed: list[Box],
    previous: Box | None,
    tails: list[tuple[Box, tuple[float, float]]],
    count: int,
) -> list[tuple[float, Box]]:
    """The ``count`` best spots for one item, kept apart so they are real alternatives."""
    width, height = ctx.size
    margin, gap = ctx.margin, ctx.gap
    lo_x, hi_x = margin, width - margin - w
    xs = {lo_x, hi_x, (lo_x + hi_x) / 2, lo_x + (hi_x - lo_x) * 0.25, lo_x + (hi_x - lo_x) * 0.75}
    if target is not None:
        xs.add(min(hi_x, max(lo_x, target[0] - w / 2)))
    scored: list[tuple[float, Box]] = []
    span = max(0.0, height - 2 * margin - h)
    for step in range(_STEPS + 1):
        y0 = margin + span * step / _STEPS
        for x0 in sorted(xs):
            box = (x0, y0, x0 + w, y0 + h)
            if any(_overlap(box, p, gap) for p in placed):
                continue
            if previous is not None and not _after(box, previous, ctx.rtl):
                continue
            score = _score(box, target, ctx.heads, ctx.size)
            if target is not None and any(_crosses(box, target, p) for p in placed):
                score += 1.0  # the tail would run across another balloon
            if any(_crosses(p, t, box) for p, t in tails):
                score += 1.0  # it would cover an earlier balloon's tail
            scored.append((score, box))
    scored.sort(key=lambda item: item[0])
    chosen: list[tuple[float, Box]] = []
    for score, box in scored:
        if all(_far(box, other) for _, other in chosen):
            chosen.append((score, box))
            if len(chosen) == count:
                break
    return chosen


def _far(a: Box, b: Box) -> bool:
    return abs(a[0] - b[0]) > (a[2] - a[0]) * 0.3 or abs(a[1] - b[1]) > (a[3] - a[1]) * 0.5


def _after(box: Box, previous: Box, rtl: bool) -> bool:
    """Reading order: wholly below the previous balloon, or not above it and further along."""
    if box[1] >= previous[3]:
        return True
    if box[1] < previous[1] - 1e-6:
        return False
    return box[2] <= previous[0] + 1e-6 if rtl else box[0] >= previous[2] - 1e-6


def _score(
    box: Box,
    target: tuple[float, float] | None,
    heads: list[tuple[float, float]],
    size: tuple[int, int],
) -> float:
    width, height = size
    cx = (box[0] + box[2]) / 2
    score = box[1] / height  # as high as possible
    if target is not None:
        score += 1.0 * abs(cx - target[0]) / width
        if box[3] > target[1]:
            score += 0.8  # a balloon below its speaker's head reads badly
    centre = (width * 0.3, height * 0.35, width * 0.7, height * 0.7)
    score += 1.5 * overlap_area(box, centre) / ((box[2] - box[0]) * (box[3] - box[1]))
    r = head_radius(size)
    score += sum(4.0 for head in heads if covers_head(box, head, r))
    room = r + min(size) * 0.06  # and room for a tail between the balloon and the head
    score += sum(0.6 for head in heads if covers_head(box, head, room))
    return score


def _overlap(a: Box, b: Box, gap: float) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def overlap_area(a: Box, b: Box) -> float:
    """The area two (x0, y0, x1, y1) boxes share."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, w) * max(0.0, h)


def _crosses(box: Box, target: tuple[float, float], other: Box) -> bool:
    """Does the segment from ``box``'s centre to ``target`` pass through ``other``?"""
    x0, y0 = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x1, y1 = target
    for i in range(1, 17):
        t = i / 16
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        if other[0] <= x <= other[2] and other[1] <= y <= other[3]:
            return True
    return False
