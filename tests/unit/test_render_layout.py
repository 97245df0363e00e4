"""Page layout templates: counts, bounds, gutters, reading order and RTL mirroring."""

from __future__ import annotations

import itertools

import pytest

from studio.render.layout import PAGE_SIZES, Rect, layout_page, page_size, templates_for

EPS = 1e-6


def _overlaps(a: Rect, b: Rect) -> bool:
    return (
        a.x < b.x + b.w - EPS
        and b.x < a.x + a.w - EPS
        and a.y < b.y + b.h - EPS
        and b.y < a.y + a.h - EPS
    )


def test_every_count_has_templates_and_a_choice_from_three() -> None:
    for n in range(1, 21):
        names = templates_for(n)
        assert names and len(set(names)) == len(names)
        if n >= 3:
            assert len(names) >= 2
    assert templates_for(1) == ["1-splash"]
    assert "4-grid" in templates_for(4) and "4-wide-top" in templates_for(4)


@pytest.mark.parametrize("n", range(1, 21))
def test_layout_geometry(n: int) -> None:
    for template in templates_for(n):
        for page in ("comic", "webtoon", "square"):
            for rtl in (False, True):
                _check_geometry(n, template, page_size(page), rtl)


def _check_geometry(n: int, template: str, size: tuple[int, int], rtl: bool) -> None:
    width, height = size
    margin, gutter = 40, 16
    rects = layout_page(n, width, height, template=template, margin=margin, gutter=gutter, rtl=rtl)
    assert len(rects) == n
    for r in rects:
        assert r.w > 0 and r.h > 0
        assert r.x >= margin - EPS and r.y >= margin - EPS
        assert r.x + r.w <= width - margin + EPS and r.y + r.h <= height - margin + EPS
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not _overlaps(a, b)
            gap_x = max(b.x - (a.x + a.w), a.x - (b.x + b.w))
            gap_y = max(b.y - (a.y + a.h), a.y - (b.y + b.h))
            assert max(gap_x, gap_y) >= gutter - EPS  # a gutter between neighbours


@pytest.mark.parametrize("n", range(1, 21))
def test_reading_order_and_rtl_mirror(n: int) -> None:
    for template in templates_for(n):
        _check_order(n, template)


def _check_order(n: int, template: str) -> None:
    width, height = PAGE_SIZES["comic"]
    ltr = layout_page(n, width, height, template=template)
    rtl = layout_page(n, width, height, template=template, rtl=True)
    for a, b in zip(ltr, rtl, strict=True):
        assert b.x == pytest.approx(width - a.x - a.w)
        assert (b.y, b.w, b.h) == pytest.approx((a.y, a.w, a.h))
    first_ltr, first_rtl = ltr[0], rtl[0]
    assert first_ltr.y == pytest.approx(min(r.y for r in ltr))
    assert first_ltr.x == pytest.approx(min(r.x for r in ltr if r.y == first_ltr.y))
    assert first_rtl.x + first_rtl.w == pytest.approx(max(r.x + r.w for r in rtl))
    # each next panel starts lower, or on the same tier further along
    for a, b in itertools.pairwise(ltr):
        assert b.y > a.y + EPS or (b.y == pytest.approx(a.y) and b.x > a.x)


def test_splash_fills_the_page_inside_margins() -> None:
    (r,) = layout_page(1, 1000, 1500, margin=50)
    assert (r.x, r.y, r.w, r.h) == (50, 50, 900, 1400)


def test_templates_differ_and_unknown_falls_back_to_default() -> None:
    default = layout_page(5, 1325, 2050)
    assert layout_page(5, 1325, 2050, template="no-such") == default
    assert layout_page(5, 1325, 2050, template=templates_for(5)[0]) == default
    shapes = {tuple(layout_page(5, 1325, 2050, template=t)) for t in templates_for(5)}
    assert len(shapes) == len(templates_for(5))


def test_wide_top_opens_with_a_full_width_tier() -> None:
    rects = layout_page(4, 1325, 2050, template="4-wide-top")
    assert rects[0].w > 2 * rects[1].w
    heights = {round(r.h) for r in layout_page(6, 1325, 2050, template="6-staggered")}
    assert len(heights) > 1  # tiers of different heights


@pytest.mark.parametrize("n", [0, 21, -1, 100])
def test_out_of_range_count_is_a_clear_error(n: int) -> None:
    with pytest.raises(ValueError, match="1 to 20 panels"):
        layout_page(n, 1000, 1000)
    with pytest.raises(ValueError, match="1 to 20 panels"):
        templates_for(n)


def test_page_sizes() -> None:
    assert page_size("comic") == (1325, 2050)
    assert page_size("A4") == (1240, 1754)
    assert page_size("webtoon") == (800, 2560)
    with pytest.raises(ValueError, match="unknown page size"):
        page_size("letter")
