"""Page formats in pixels and in print: trim sizes, print resolution, margins, gutters, bleed."""

from __future__ import annotations

from dataclasses import dataclass

from studio.core.models import BookFormat

PAGE_SIZES: dict[str, tuple[int, int]] = {
    "comic": (1325, 2050),
    "a4": (1240, 1754),
    "square": (1600, 1600),
    "webtoon": (800, 2560),
}
"""Trim size in pixels of each page size."""

PAGE_DPI: dict[str, float] = {"comic": 200.0, "a4": 150.0, "square": 160.0, "webtoon": 160.0}
"""Print resolution: comic 6.625 × 10.25 in, A4 210 × 297 mm; web sizes get a nominal one."""

_MM = 72.0 / 25.4
PAGE_TRIM_PT: dict[str, tuple[float, float]] = {
    "comic": (6.625 * 72, 10.25 * 72),
    "a4": (210 * _MM, 297 * _MM),
    "square": (10.0 * 72, 10.0 * 72),
    "webtoon": (5.0 * 72, 16.0 * 72),
}
"""Printed trim size in points (1/72 in) of each page size: what a PDF page measures.

Comic book 6.625 × 10.25 in (477 × 738 pt), A4 210 × 297 mm (595.28 × 841.89 pt). The web
sizes have no paper of their own: their pixels at the nominal `PAGE_DPI`, square
10 × 10 in and webtoon 5 × 16 in. A4's pixels at 150 dpi are 0.1 pt off the paper, so the
PDF takes the size from here, never from pixels ÷ dpi.
"""

PAGE_LABELS: dict[str, str] = {
    "comic": "Comic book (6.625 × 10.25 in)",
    "a4": "A4 (210 × 297 mm)",
    "square": "Square (web)",
    "webtoon": "Webtoon (vertical strip)",
}


@dataclass(frozen=True)
class PageGeometry:
    """A book format in pixels: trim size, margin, gutter and print bleed per side."""

    width: int
    height: int
    margin: int
    gutter: int
    bleed: int
    dpi: float
    trim_pt: tuple[float, float]
    """The printed trim size in points (`PAGE_TRIM_PT`)."""
    bleed_pt: float
    """The bleed per side in points, as the user asked (the pixel bleed is rounded)."""


def page_size(name: str) -> tuple[int, int]:
    """The pixel size of a named page format ("comic", "a4", "square", "webtoon")."""
    try:
        return PAGE_SIZES[name.lower()]
    except KeyError:
        known = ", ".join(sorted(PAGE_SIZES))
        raise ValueError(f"unknown page size {name!r}; known sizes: {known}") from None


def geometry(fmt: BookFormat) -> PageGeometry:
    """The pixel geometry of a book format (margin and gutter scale with the short side)."""
    fmt = fmt.clamped()
    width, height = page_size(fmt.page_size)
    dpi = PAGE_DPI[fmt.page_size]
    short = min(width, height)
    return PageGeometry(
        width=width,
        height=height,
        margin=round(short * fmt.margin),
        gutter=round(short * fmt.gutter),
        bleed=round(fmt.bleed * dpi),
        dpi=dpi,
        trim_pt=PAGE_TRIM_PT[fmt.page_size],
        bleed_pt=fmt.bleed * 72.0,
    )
