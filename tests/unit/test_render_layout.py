"""Page layout templates: counts, bounds, gutters, reading order and RTL mirroring."""

from __future__ import annotations

import itertools
import re

import pytest

from studio.core.models import BookFormat
from studio.render.layout import (
    Rect,
    canonical_template,
    layout_for,
    layout_page,
    resolve_template,
    template_label,
    templates_for,
)
from studio.render.page_format import PAGE_SIZES, geometry, page_size

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
            assert len(names) >= 5
            tiers = {round(r.y) for r in layout_page(n, 1325, 2050)}
            even = n % len(tiers) == 0 and n // len(tiers) >= 2
            # the default is "grid" only when it is one; else it is named by its tiers
            assert names[0] == "grid" if even else re.fullmatch(r"\d+(-\d+)+", names[0])
            assert any(len(name.split("-")) >= 2 and name[0].isdigit() for name in names)
    assert templates_for(1) == ["splash"]
    assert {"grid", "wide-top", "establishing", "1-2-1"} <= set(templates_for(4))
    assert "big-top" in templates_for(6)
    assert {"2-1-2", "3-2", "establishing"} <= set(templates_for(5))
    assert templates_for(3)[:2] == ["1-2", "establishing"]


def _shape(n: int, template: str) -> list[tuple[float, float, float, float]]:
    return [
        (r.x / 1325, r.y / 2050, r.right / 1325, r.bottom / 2050)
        for r in layout_page(n, 1325, 2050, template=template, margin=0, gutter=0)
    ]


@pytest.mark.parametrize("n", range(2, 21))
def test_no_two_choices_are_near_twins(n: int) -> None:
    names = templates_for(n)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            sa, sb = _shape(n, a), _shape(n, b)
            if _tier_counts(sa) != _tier_counts(sb):
                continue  # a different structure is a different choice
            far = max(
                abs(p - q)
                for ra, rb in zip(sa, sb, strict=True)
                for p, q in zip(ra, rb, strict=True)
            )
            assert far >= 0.15, (n, a, b, far)


def _tier_counts(shape: list[tuple[float, float, float, float]]) -> list[int]:
    tops = [round(r[1], 4) for r in shape]
    return [tops.count(y) for y in sorted(set(tops))]


def test_near_twins_and_old_names_resolve_to_the_choice_that_looks_like_them() -> None:
    assert resolve_template(3, "wide-top") == "1-2"
    assert resolve_template(3, "2-1") == "wide-bottom"
    assert resolve_template(4, "1-3") == "wide-top"
    assert templates_for(3)[:2] == ["1-2", "establishing"]  # top tier 1/2, 2/3 of the page
    assert resolve_template(3, "big-top") == "establishing"  # 0.72 of the page: a near-twin
    assert resolve_template(5, "grid") == "1-2-2"
    # a page stored as "grid" keeps exactly the layout it had: equal tiers 1, 2, 2
    heights = {round(r.h) for r in layout_page(5, 1325, 2050, template="grid")}
    assert len(heights) == 1


@pytest.mark.parametrize("n", range(1, 21))
def test_layout_geometry(n: int) -> None:
    for template in templates_for(n):
        for page in PAGE_SIZES:
            for rtl in (False, True):
                _check_geometry(n, template, page_size(page), rtl)


@pytest.mark.parametrize("n", range(1, 21))
def test_book_format_margins_and_gutters_are_respected(n: int) -> None:
    for page in PAGE_SIZES:
        fmt = BookFormat(page_size=page, margin=0.06, gutter=0.03)
        geo = geometry(fmt)
        for template in templates_for(n):
            for rtl in (False, True):
                rects = layout_for(n, fmt, template=template, rtl=rtl)
                assert rects == layout_page(
                    n, geo.width, geo.height, template=template,
                    margin=geo.margin, gutter=geo.gutter, rtl=rtl,
                )  # fmt: skip
                _check_rects(rects, (geo.width, geo.height), geo.margin, geo.gutter)


def _check_geometry(n: int, template: str, size: tuple[int, int], rtl: bool) -> None:
    width, height = size
    margin, gutter = 40, 16
    rects = layout_page(n, width, height, template=template, margin=margin, gutter=gutter, rtl=rtl)
    assert len(rects) == n
    _check_rects(rects, size, margin, gutter)


def _check_rects(rects: list[Rect], size: tuple[int, int], margin: float, gutter: float) -> None:
    width, height = size
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
    for width, height in PAGE_SIZES.values():
        _check_order_on(n, template, width, height)


def _check_order_on(n: int, template: str, width: int, height: int) -> None:
    ltr = layout_page(n, width, height, template=template)
    rtl = layout_page(n, width, height, template=template, rtl=True)
    for a, b in zip(ltr, rtl, strict=True):
        assert b.x == pytest.approx(width - a.x - a.w)
        assert (b.y, b.w, b.h) == pytest.approx((a.y, a.w, a.h))
    first_ltr, first_rtl = ltr[0], rtl[0]
    assert first_ltr.y == pytest.approx(min(r.y for r in ltr))
    assert first_ltr.x == pytest.approx(min(r.x for r in ltr if r.y == first_ltr.y))
    assert first_rtl.x + first_rtl.w == pytest.approx(max(r.x + r.w for r in rtl))
    # each next panel starts lower, or on the same tier further along (leftwards in RTL)
    for a, b in itertools.pairwise(ltr):
        assert b.y > a.y + EPS or (b.y == pytest.approx(a.y) and b.x > a.x)
    for a, b in itertools.pairwise(rtl):
        assert b.y > a.y + EPS or (b.y == pytest.approx(a.y) and b.right < a.right)


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
    rects = layout_page(4, 1325, 2050, template="wide-top")
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


@pytest.mark.parametrize("n", range(2, 21))
def test_establishing_is_a_full_width_first_tier_taller_than_the_rest(n: int) -> None:
    width, height = PAGE_SIZES["comic"]
    rects = layout_page(n, width, height, template="establishing", margin=50)
    first, rest = rects[0], rects[1:]
    assert first.w == pytest.approx(width - 100)
    assert all(r.y >= first.bottom for r in rest)
    assert first.h > max(r.h for r in rest)


def test_splash_and_big_top() -> None:
    (splash,) = layout_page(1, 1325, 2050, template="splash", margin=0)
    assert (splash.w, splash.h) == (1325, 2050)
    big = layout_page(6, 1325, 2050, template="big-top")
    assert big[0].h > 3 * big[1].h and big[0].w > 2 * big[-1].w
    # with one strip below, a big top panel is the establishing shot's near-twin
    four = layout_page(4, 1325, 2050, template="big-top")
    assert four == layout_page(4, 1325, 2050, template="establishing")
    assert four[0].h == pytest.approx(2 * four[1].h)


def test_tier_patterns_place_the_named_counts() -> None:
    rects = layout_page(4, 1325, 2050, template="1-2-1")
    tiers = sorted({round(r.y) for r in rects})
    assert [sum(1 for r in rects if round(r.y) == y) for y in tiers] == [1, 2, 1]
    rects = layout_page(5, 1325, 2050, template="2-1-2")
    tiers = sorted({round(r.y) for r in rects})
    assert [sum(1 for r in rects if round(r.y) == y) for y in tiers] == [2, 1, 2]


def test_names_of_earlier_versions_still_resolve() -> None:
    assert canonical_template("4-wide-top") == "wide-top"
    assert canonical_template("1-splash") == "splash"
    assert canonical_template("2-tiers") == "strip"
    assert resolve_template(4, "4-grid") == "grid"
    assert resolve_template(3, "3-grid") == "1-2"  # three panels make no grid
    assert resolve_template(5, "columns") == "1-2-2"  # no side-by-side five: the default
    assert layout_page(4, 1325, 2050, template="4-wide-top") == layout_page(
        4, 1325, 2050, template="wide-top"
    )


def test_labels_people_understand() -> None:
    assert template_label("establishing") == "Establishing shot"
    assert template_label("1-splash") == "Splash page"
    assert template_label("2-1-2") == "Tiers 2-1-2"


def test_geometry_of_book_formats() -> None:
    comic = geometry(BookFormat())
    assert (comic.width, comic.height, comic.dpi) == (1325, 2050, 200)
    assert (comic.margin, comic.gutter, comic.bleed) == (53, 26, 0)
    assert comic.width / comic.dpi == pytest.approx(6.625)
    assert comic.height / comic.dpi == pytest.approx(10.25)
    a4 = geometry(BookFormat(page_size="a4", bleed=0.125))
    assert a4.width / a4.dpi * 25.4 == pytest.approx(210, abs=0.5)
    assert a4.bleed == round(0.125 * 150)
    silly = geometry(BookFormat(page_size="poster", margin=5, gutter=-1, bleed=9))
    assert (silly.width, silly.height) == PAGE_SIZES["comic"]
    assert silly.margin == round(1325 * 0.2) and silly.gutter == 0 and silly.bleed == 100
