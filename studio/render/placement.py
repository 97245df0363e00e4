"""Where balloons go: reading order, clear of each other, the panel centre and the faces."""

from __future__ import annotations

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels

_STEPS = 48


def place_all(
    items: list[tuple[str, float, float]],
    targets: list[tuple[float, float] | None],
    size: tuple[int, int],
    *,
    rtl: bool = False,
) -> list[Box] | None:
    """Boxes for ``items`` (kind, width, height) in reading order, or None if they don't fit.

    The caption takes the top corner where reading starts; each balloon then goes as high
    as it can, after (lower, or level and further along) the one before it, near the x of
    its tail target, avoiding the panel's centre and the speakers' heads.
    """
    width, height = size
    margin = min(width, height) * 0.025
    gap = min(width, height) * 0.015
    placed: list[Box] = []
    heads = [t for t in targets if t is not None and t[1] < height * 0.999]
    previous: Box | None = None
    for (kind, w, h), target in zip(items, targets, strict=True):
        if w > width - 2 * margin or h > height - 2 * margin:
            return None
        if kind == "caption":
            x0 = width - margin - w if rtl else margin
            box = (x0, margin, x0 + w, margin + h)
            if any(_overlap(box, p, gap) for p in placed):
                return None
        else:
            found = _best(w, h, target, placed, previous, heads, size, margin, gap, rtl)
            if found is None:
                return None
            box = found
            previous = box
        placed.append(box)
    return placed


def _best(
    w: float,
    h: float,
    target: tuple[float, float] | None,
    placed: list[Box],
    previous: Box | None,
    heads: list[tuple[float, float]],
    size: tuple[int, int],
    margin: float,
    gap: float,
    rtl: bool,
) -> Box | None:
    width, height = size
    lo_x, hi_x = margin, width - margin - w
    xs = {lo_x, hi_x, (lo_x + hi_x) / 2, lo_x + (hi_x - lo_x) * 0.25, lo_x + (hi_x - lo_x) * 0.75}
    if target is not None:
        xs.add(min(hi_x, max(lo_x, target[0] - w / 2)))
    best: tuple[float, Box] | None = None
    span = max(0.0, height - 2 * margin - h)
    for step in range(_STEPS + 1):
        y0 = margin + span * step / _STEPS
        for x0 in sorted(xs):
            box = (x0, y0, x0 + w, y0 + h)
            if any(_overlap(box, p, gap) for p in placed):
                continue
            if previous is not None and not _after(box, previous, rtl):
                continue
            score = _score(box, target, heads, size)
            if target is not None and any(_crosses(box, target, p) for p in placed):
                score += 1.0  # the tail would run across another balloon
            if best is None or score < best[0]:
                best = (score, box)
    return None if best is None else best[1]


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
    score += 1.5 * _overlap_area(box, centre) / ((box[2] - box[0]) * (box[3] - box[1]))
    for hx, hy in heads:
        r = min(width, height) * 0.07
        if _overlap_area(box, (hx - r, hy - r, hx + r, hy + r)) > 0:
            score += 2.0
    return score


def _overlap(a: Box, b: Box, gap: float) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _overlap_area(a: Box, b: Box) -> float:
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
