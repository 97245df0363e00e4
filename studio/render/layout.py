"""Page layout templates: where each panel of a page goes, in reading order."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

MIN_PANELS = 1
MAX_PANELS = 20

PAGE_SIZES: dict[str, tuple[int, int]] = {
    "comic": (1325, 2050),
    "a4": (1240, 1754),
    "square": (1600, 1600),
    "webtoon": (800, 2560),
}


@dataclass(frozen=True)
class Rect:
    """A panel's box on the page, in pixels (floats are fine)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


# A template is a list of tiers (top to bottom); each tier is (height weight, column weights).
Tier = tuple[float, tuple[float, ...]]


def page_size(name: str) -> tuple[int, int]:
    """The pixel size of a named page format ("comic", "a4", "square", "webtoon")."""
    try:
        return PAGE_SIZES[name.lower()]
    except KeyError:
        known = ", ".join(sorted(PAGE_SIZES))
        raise ValueError(f"unknown page size {name!r}; known sizes: {known}") from None


def templates_for(n: int) -> list[str]:
    """The template names for ``n`` panels, the default first."""
    _check_count(n)
    return [name for name, _ in _templates(n)]


def layout_page(
    n: int,
    width: int,
    height: int,
    *,
    template: str = "",
    margin: int | None = None,
    gutter: int | None = None,
    rtl: bool = False,
) -> list[Rect]:
    """Panel rects for ``n`` panels on a ``width`` × ``height`` page, in reading order.

    An unknown or empty ``template`` falls back to the default for ``n``. With ``rtl`` the
    page is mirrored horizontally, so panel 0 sits top-right.
    """
    _check_count(n)
    if width <= 0 or height <= 0:
        raise ValueError(f"page size must be positive, got {width}×{height}")
    tiers = dict(_templates(n)).get(template) or _templates(n)[0][1]
    short = min(width, height)
    m = float(round(short * 0.04) if margin is None else max(0, margin))
    g = float(round(short * 0.02) if gutter is None else max(0, gutter))
    m = min(m, short / 4)
    rows = len(tiers)
    cols = max(len(c) for _, c in tiers)
    g = min(g, (width - 2 * m) / (2 * cols), (height - 2 * m) / (2 * rows))
    rects = _place_tiers(tiers, m, m, width - 2 * m, height - 2 * m, g)
    if rtl:
        rects = [Rect(width - r.x - r.w, r.y, r.w, r.h) for r in rects]
    return rects


def _check_count(n: int) -> None:
    if not isinstance(n, int) or not MIN_PANELS <= n <= MAX_PANELS:
        raise ValueError(
            f"a page holds {MIN_PANELS} to {MAX_PANELS} panels; got {n!r} "
            "(split the panels over more pages)"
        )


def _place_tiers(
    tiers: list[Tier], x0: float, y0: float, w: float, h: float, gutter: float
) -> list[Rect]:
    usable_h = h - gutter * (len(tiers) - 1)
    total_hw = sum(hw for hw, _ in tiers)
    rects: list[Rect] = []
    y = y0
    for hw, cols in tiers:
        th = usable_h * hw / total_hw
        usable_w = w - gutter * (len(cols) - 1)
        total_cw = sum(cols)
        x = x0
        for cw in cols:
            tw = usable_w * cw / total_cw
            rects.append(Rect(x, y, tw, th))
            x += tw + gutter
        y += th + gutter
    return rects


def _split(n: int, rows: int, *, wide_first: bool = True) -> list[int]:
    """Distribute ``n`` panels over ``rows`` tiers as evenly as possible."""
    base, extra = divmod(n, rows)
    counts = [base] * rows
    order = range(rows - 1, rows - 1 - extra, -1) if wide_first else range(extra)
    for i in order:
        counts[i] += 1
    return counts


def _per_row(n: int) -> int:
    if n <= 2:
        return 1
    if n <= 8:
        return 2
    if n <= 15:
        return 3
    return 4


def _even(counts: list[int]) -> list[Tier]:
    return [(1.0, (1.0,) * c) for c in counts]


def _grid(n: int) -> list[Tier]:
    return _even(_split(n, math.ceil(n / _per_row(n))))


def _wide_top(n: int) -> list[Tier]:
    return [(1.25, (1.0,)), *_even(_rest_counts(n - 1, wide_first=True))]


def _wide_bottom(n: int) -> list[Tier]:
    return [*_even(_rest_counts(n - 1, wide_first=False)), (1.25, (1.0,))]


def _rest_counts(rest: int, *, wide_first: bool) -> list[int]:
    rows = 1 if rest <= 3 else math.ceil(rest / _per_row(rest + 1))
    return _split(rest, rows, wide_first=wide_first)


def _staggered(n: int) -> list[Tier]:
    """Tiers of different heights with unequal column widths, alternating."""
    per = _per_row(n)
    counts = _split(n, math.ceil(n / per), wide_first=False)
    tiers: list[Tier] = []
    for i, c in enumerate(counts):
        cols = tuple(1.6 if j == (i % c) else 1.0 for j in range(c)) if c > 1 else (1.0,)
        tiers.append((1.25 if i % 2 == 0 else 0.85, cols))
    return tiers


def _strip(n: int) -> list[Tier]:
    return [(1.0, (1.0,))] * n


def _templates(n: int) -> list[tuple[str, list[Tier]]]:
    if n == 1:
        return [("1-splash", [(1.0, (1.0,))])]
    if n == 2:
        return [("2-tiers", _strip(2)), ("2-columns", [(1.0, (1.0, 1.0))])]
    makers: list[tuple[str, Callable[[int], list[Tier]]]] = [
        ("grid", _grid),
        ("wide-top", _wide_top),
        ("staggered", _staggered),
        ("wide-bottom", _wide_bottom),
    ]
    out = [(f"{n}-{name}", make(n)) for name, make in makers]
    if n <= 6:
        out.append((f"{n}-strip", _strip(n)))
    return out
