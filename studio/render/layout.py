"""Page layout templates: where each panel of a page goes, in reading order.

A template is a list of tiers (top to bottom), each a height weight and its column
weights. Template names do not include the panel count, so a page keeps its template
when panels move in or out of it; names stored by older versions ("4-grid",
"2-tiers") are still understood.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from studio.core.models import MAX_PANELS_PER_PAGE, BookFormat
from studio.render.page_format import geometry

MIN_PANELS = 1
MAX_PANELS = MAX_PANELS_PER_PAGE


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

_LABELS: dict[str, str] = {
    "splash": "Splash page",
    "grid": "Grid",
    "establishing": "Establishing shot",
    "wide-top": "Wide top",
    "wide-bottom": "Wide bottom",
    "big-top": "Big top panel",
    "staggered": "Staggered",
    "strip": "Stacked tiers",
    "columns": "Side by side",
}
_ALIASES = {"tiers": "strip"}  # names stored by earlier versions
_OLD_NAME = re.compile(r"\d+-([a-z][a-z-]*)")


def templates_for(n: int) -> list[str]:
    """The template names for ``n`` panels, the default first."""
    _check_count(n)
    return [name for name, _ in _templates(n)]


def template_label(name: str) -> str:
    """A name people understand: "Establishing shot", "Tiers 1-2-1"."""
    name = canonical_template(name)
    if name in _LABELS:
        return _LABELS[name]
    return f"Tiers {name}" if re.fullmatch(r"\d+(-\d+)+", name) else name


def canonical_template(name: str) -> str:
    """Today's name for ``name``: "4-wide-top" → "wide-top", "2-tiers" → "strip"."""
    name = name.strip().lower()
    old = _OLD_NAME.fullmatch(name)
    if old:
        name = old.group(1)
    return _ALIASES.get(name, name)


def resolve_template(n: int, name: str) -> str:
    """The template ``layout_page`` uses for ``n`` panels: ``name``, or the default."""
    names = templates_for(n)
    name = canonical_template(name)
    if name in names:
        return name
    return _catalogue(n)[1].get(name, names[0])


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
    tiers = dict(_templates(n))[resolve_template(n, template)]
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


def layout_for(n: int, fmt: BookFormat, *, template: str = "", rtl: bool = False) -> list[Rect]:
    """``layout_page`` on the trim of a book format, with its margin and gutter."""
    geo = geometry(fmt)
    return layout_page(
        n, geo.width, geo.height, template=template, margin=geo.margin, gutter=geo.gutter, rtl=rtl
    )


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
    """A full-width first tier as tall as the others."""
    return [(1.0, (1.0,)), *_even(_rest_counts(n - 1, wide_first=True))]


def _establishing(n: int) -> list[Tier]:
    """A tall full-width first tier (half the page once two or more tiers follow): the wide
    shot that sets the scene, clearly taller than "wide-top"."""
    rest = _rest_counts(n - 1, wide_first=True)
    return [(max(2.0, float(len(rest))), (1.0,)), *_even(rest)]


def _wide_bottom(n: int) -> list[Tier]:
    return [*_even(_rest_counts(n - 1, wide_first=False)), (1.25, (1.0,))]


def _big_top(n: int) -> list[Tier]:
    """A splash-like panel over most of the page, the others in a strip below (with one
    strip it is the establishing shot's near-twin, and so resolves to it)."""
    rest = _split(n - 1, 1 if n <= 5 else 2)
    return [(2.6 if len(rest) == 1 else 3.2, (1.0,)), *_even(rest)]


def _rest_counts(rest: int, *, wide_first: bool) -> list[int]:
    rows = 1 if rest <= 3 else math.ceil(rest / _per_row(rest + 1))
    return _split(rest, rows, wide_first=wide_first)


def _staggered(n: int) -> list[Tier]:
    """Tiers of different heights with unequal column widths, alternating."""
    per = _per_row(n)
    counts = _split(n, math.ceil(n / per), wide_first=False)
    tiers: list[Tier] = []
    for i, c in enumerate(counts):
        cols = tuple(2.0 if j == (i % c) else 1.0 for j in range(c)) if c > 1 else (1.0,)
        tiers.append((1.25 if i % 2 == 0 else 0.85, cols))
    return tiers


def _strip(n: int) -> list[Tier]:
    return [(1.0, (1.0,))] * n


def _columns(n: int) -> list[Tier]:
    return [(1.0, (1.0,) * n)]


def _alternating(n: int, first: int, second: int) -> list[int]:
    """Tier counts alternating ``first``, ``second``, …; the last tier takes what is left."""
    counts: list[int] = []
    left, turn = n, 0
    while left > 0:
        take = min(left, first if turn % 2 == 0 else second)
        counts.append(take)
        left -= take
        turn += 1
    return counts


_PATTERNS: dict[int, tuple[tuple[int, ...], ...]] = {
    3: ((2, 1),),
    4: ((1, 2, 1), (1, 3), (3, 1)),
    5: ((2, 1, 2), (3, 2), (2, 3), (1, 2, 2)),
    6: ((1, 2, 1, 2), (2, 1, 2, 1), (3, 3), (1, 3, 2)),
    7: ((2, 3, 2), (3, 1, 3), (1, 2, 2, 2)),
    8: ((3, 2, 3), (2, 3, 3), (1, 3, 1, 3)),
}
"""Irregular tier patterns for small pages; larger pages alternate tier sizes."""


def _irregular(n: int) -> list[tuple[int, ...]]:
    if n in _PATTERNS:
        return list(_PATTERNS[n])
    if n < 3:
        return []
    per = _per_row(n)
    pairs = ((per, per - 1), (per - 1, per), (per + 1, per))
    patterns = [tuple(_alternating(n, a, b)) for a, b in pairs]
    return [p for p in patterns if p[-1] >= 2]  # no lone sliver of a last tier


_SAME_AS_STRIP_FOR_TWO = frozenset({"wide-top", "staggered", "wide-bottom"})
NEAR = 0.15
"""Two templates with the same panels per tier whose panel edges all lie within this
fraction of the page of each other are one choice, not two."""


def _is_grid(n: int) -> bool:
    counts = {len(cols) for _, cols in _grid(n)}
    return len(counts) == 1 and min(counts) >= 2


def _near(a: list[Tier], b: list[Tier]) -> bool:
    """Same tier structure and no panel edge more than :data:`NEAR` of the page apart."""
    if [len(c) for _, c in a] != [len(c) for _, c in b]:
        return False
    ra, rb = _place_tiers(a, 0, 0, 1, 1, 0), _place_tiers(b, 0, 0, 1, 1, 0)
    edges = [
        abs(p - q)
        for x, y in zip(ra, rb, strict=True)
        for p, q in ((x.x, y.x), (x.y, y.y), (x.right, y.right), (x.bottom, y.bottom))
    ]
    return max(edges) < NEAR


def _templates(n: int) -> list[tuple[str, list[Tier]]]:
    """Every template for ``n`` panels, default first, no two alike (see :data:`NEAR`)."""
    return _catalogue(n)[0]


@functools.cache
def _catalogue(n: int) -> tuple[list[tuple[str, list[Tier]]], dict[str, str]]:
    """The distinct templates for ``n`` panels, and what each dropped near-twin maps to.

    "grid" is only offered when the panels make a real grid (every tier the same count);
    otherwise the same default is named by its tier counts and "grid", as stored by
    earlier versions, resolves to it, so a page keeps its layout.
    """
    if n == 1:
        return [("splash", [(1.0, (1.0,))])], {}
    makers: list[tuple[str, Callable[[int], list[Tier]]]] = []
    if n == 2:
        makers.append(("strip", _strip))
    elif _is_grid(n):
        makers.append(("grid", _grid))
    else:  # the default "grid" gave before, named by its tier counts ("Tiers 1-2-2")
        makers.append(("-".join(str(len(c)) for _, c in _grid(n)), _grid))
    makers += [
        ("wide-top", _wide_top),
        ("establishing", _establishing),
        ("big-top", _big_top),
        ("staggered", _staggered),
        ("wide-bottom", _wide_bottom),
    ]
    if n <= 6:
        makers.append(("strip", _strip))
    if n <= 4:
        makers.append(("columns", _columns))
    out: list[tuple[str, list[Tier]]] = []
    for name, make in makers:
        if (name == "big-top" and n > 8) or (n == 2 and name in _SAME_AS_STRIP_FOR_TWO):
            continue
        out.append((name, make(n)))
    out += [("-".join(map(str, counts)), _even(list(counts))) for counts in _irregular(n)]
    unique: list[tuple[str, list[Tier]]] = []
    aliases: dict[str, str] = {}
    for name, tiers in out:
        twin = next((u for u, kept in unique if u == name or _near(kept, tiers)), None)
        if twin is None:
            unique.append((name, tiers))
        elif twin != name:
            aliases.setdefault(name, twin)
    if n > 2 and not _is_grid(n):
        aliases.setdefault("grid", unique[0][0])
    names = {u for u, _ in unique}
    for name, target in list(aliases.items()):
        aliases[name] = target if target in names else unique[0][0]
    return unique, aliases
