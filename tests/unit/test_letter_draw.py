"""Drawing lettering objects: text kept inside its shape, fitting, every kind, all caps."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from PIL import Image

from studio.core.lettering import KINDS, Lettering
from studio.render.fonts import parse_words
from studio.render.lettering.draw import Sprite, draw_lettering, render_item
from studio.render.lettering.fit import MIN_RATIO, Setter, fit, setter_for

FRAME = (600, 450)
SHORT = 1000.0  # page's shorter side: default size 0.024 → 24 px text
LONG = (
    "I told you a hundred times that the red book does not belong on the top shelf, "
    "because the top shelf is where the dragon sleeps, and a dragon that wakes up under "
    "a heavy book is a dragon that remembers, and believe me, it always remembers!"
)
TEXTS = {
    "short": "Hi!",
    "long": LONG,
    "emphasis": "That is *not* what I *meant* at all, *friend*!",
    "japanese": "こんにちは、図書館へようこそ。今日は何を探していますか？",
    "arabic": "مرحبا بك في المكتبة، ماذا تبحث اليوم؟",
    "cyrillic": "Привет! Ты видел красную книгу? Она исчезла на прошлой неделе.",
    "unbroken": "A" * 90,
}
RED = "#e00000"


def _item(kind: str, text: str, **extra: object) -> Lettering:
    base = Lettering(kind=kind, text=text, x=0.3, y=0.1, w=0.4, h=0.3, tail=(0.5, 0.9))
    return replace(base, color=RED, **extra)  # type: ignore[arg-type]


def _red_pixels(sprite: Sprite) -> list[tuple[int, int]]:
    """Frame coordinates of pixels that are mostly text colour (red over white)."""
    img = sprite.image
    px = img.load()
    out = []
    for y in range(img.height):
        for x in range(img.width):
            r, g, b, a = px[x, y]  # type: ignore[misc]
            if a > 200 and r - g > 90 and r - b > 90:
                out.append((x + sprite.left, y + sprite.top))
    return out


def _inside_shape(kind: str, box: tuple[float, ...], x: float, y: float, tol: float) -> bool:
    x0, y0, x1, y1 = box[0] * FRAME[0], box[1] * FRAME[1], box[2] * FRAME[0], box[3] * FRAME[1]
    if kind == "caption":
        return x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol
    cx, cy, a, b = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 + tol, (y1 - y0) / 2 + tol
    return ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1.0


@pytest.mark.parametrize("text", sorted(TEXTS))
@pytest.mark.parametrize("kind", ["speech", "thought", "whisper", "shout", "caption"])
def test_text_ink_stays_inside_the_shape(kind: str, text: str) -> None:
    sprite = render_item(_item(kind, TEXTS[text]), FRAME, SHORT)
    red = _red_pixels(sprite)
    assert len(red) > 20, "the text was drawn"
    outside = [p for p in red if not _inside_shape(kind, sprite.box, p[0], p[1], 1.5)]
    assert not outside, (kind, text, outside[:5], sprite.box)
    for tb in sprite.text_boxes:  # the reported line boxes are inside the shape too
        for x, y in ((tb[0], tb[1]), (tb[2], tb[1]), (tb[0], tb[3]), (tb[2], tb[3])):
            assert _inside_shape(kind, sprite.box, x, y, 0.5)
    x0, y0, x1, y1 = sprite.box
    assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1  # grown, but never past the frame


@pytest.mark.parametrize("text", ["long", "cyrillic", "japanese", "emphasis", "unbroken"])
def test_wrapping_loses_nothing(text: str) -> None:
    item = _item("speech", TEXTS[text])
    fitted = fit(item, (180.0, 45.0, 420.0, 180.0), FRAME, SHORT)
    set_words = "".join(w for line in fitted.lines for w, _ in line)
    assert set_words == "".join(w for w, _ in parse_words(TEXTS[text]))


def test_long_text_shrinks_to_the_minimum_then_grows_the_shape() -> None:
    small = Lettering(kind="speech", text=LONG, x=0.4, y=0.4, w=0.2, h=0.15)
    sprite = render_item(small, FRAME, SHORT)
    assert sprite.shrunk and sprite.grown
    assert sprite.font_px == round(round(small.size * SHORT) * MIN_RATIO)
    x0, y0, x1, y1 = sprite.box
    assert x1 - x0 > small.w and y1 - y0 > small.h
    assert x0 < 0.5 < x1 and y0 < 0.475 < y1  # grown around its centre

    mid = replace(small, text="A few words that need a little less room.", w=0.25, h=0.16)
    shrunk = render_item(mid, FRAME, SHORT)
    assert shrunk.shrunk and not shrunk.grown
    assert round(small.size * SHORT * MIN_RATIO) <= shrunk.font_px < round(small.size * SHORT)
    assert shrunk.box == pytest.approx(mid.box)

    roomy = render_item(replace(small, text="Hi!", w=0.3, h=0.2), FRAME, SHORT)
    assert not roomy.shrunk and not roomy.grown
    assert roomy.font_px == round(small.size * SHORT)


def test_every_kind_draws_differently() -> None:
    frame = Image.new("RGB", FRAME, (90, 140, 200))
    images = {}
    for kind in KINDS:
        item = Lettering(kind=kind, text="Same words here", x=0.3, y=0.2, w=0.4, h=0.3)
        item = replace(item, tail=(0.5, 0.9))
        images[kind] = draw_lettering(frame, [item], SHORT).tobytes()
    assert len(set(images.values())) == len(KINDS)
    assert frame.tobytes() not in images.values()


def _outline_coverage(kind: str) -> float:
    """Share of points just outside the oval that are dark (the outline)."""
    item = Lettering(kind=kind, text="Sh", x=0.25, y=0.2, w=0.5, h=0.5)
    out = draw_lettering(Image.new("RGB", FRAME, "white"), [item], SHORT).convert("L")
    cx, cy, a, b = 300.0, 0.45 * 450, 150.0, 0.25 * 450
    dark = 0
    for i in range(360):
        t = 2 * math.pi * i / 360
        values = [
            out.getpixel((round(cx + (a + d) * math.cos(t)), round(cy + (b + d) * math.sin(t))))
            for d in (0.2, 1.0, 1.8)
        ]
        dark += min(values) < 128  # type: ignore[type-var, operator]
    return dark / 360


def test_whisper_outline_is_dashed_and_speech_solid() -> None:
    assert _outline_coverage("speech") > 0.97
    assert 0.3 < _outline_coverage("whisper") < 0.85


def test_tail_reaches_its_point_and_inside_points_draw_no_tail() -> None:
    item = Lettering(kind="speech", text="Hello", x=0.1, y=0.1, w=0.3, h=0.2, tail=(0.3, 0.8))
    sprite = render_item(item, FRAME, SHORT)
    assert sprite.tail_tip == pytest.approx((0.3, 0.8))
    out = draw_lettering(Image.new("RGB", FRAME, "white"), [item], SHORT)
    near_tip = out.crop((0.3 * 600 - 6, 0.8 * 450 - 10, 0.3 * 600 + 6, 0.8 * 450)).convert("L")
    assert near_tip.getextrema()[0] < 100  # ink right up to the point
    inside = render_item(replace(item, tail=(0.25, 0.2)), FRAME, SHORT)
    assert inside.tail_tip is None
    assert inside.image.height < sprite.image.height


def test_caption_is_filled_with_its_colour_and_sfx_has_no_shape() -> None:
    cap = Lettering(kind="caption", text="Later.", x=0.05, y=0.05, w=0.4, h=0.2, fill="#d8ecff")
    out = draw_lettering(Image.new("RGB", FRAME, (0, 0, 0)), [cap], SHORT)
    assert out.getpixel((round(0.05 * 600) + 6, round(0.05 * 450) + 6)) == (216, 236, 255)

    sfx = Lettering(kind="sfx", text="BOOM!", x=0.3, y=0.3, w=0.4, h=0.3, fill="#ffd21f")
    plain = render_item(sfx, FRAME, SHORT)
    turned = render_item(replace(sfx, rotation=-25.0), FRAME, SHORT)
    assert turned.image.size != plain.image.size  # rotated letters need a wider box
    colours = {c for _, c in plain.image.getcolors(1 << 20) or []}
    assert (255, 210, 31, 255) in colours  # the letters' face
    assert (20, 20, 24, 255) in colours  # their thick outline
    assert (255, 255, 255, 255) not in colours  # no balloon behind them
    assert plain.font_px > round(sfx.size * SHORT)  # display lettering fills its box
    assert setter_for(sfx, 40).fonts.regular.getname()[0] == "Bebas Neue"


def test_all_caps_keeps_the_crossbar_i_only_for_the_pronoun() -> None:
    setter = setter_for(Lettering(text="x", all_caps=True), 40)
    assert setter.plain_i
    assert setter.pieces(("I", False)) == ["I"]
    assert setter.pieces(("I'M", False)) == ["I'M"]
    assert setter.pieces(("I'LL,", False)) == ["I'LL,"]
    assert setter.pieces(("IN", False)) == [None, "N"]
    assert setter.pieces(("LIMIT", False)) == ["L", None, "M", None, "T"]
    assert setter.pieces(("ILL", False)) == [None, "LL"]
    mixed = Setter(setter.fonts, plain_i=False)
    assert mixed.pieces(("IN", False)) == ["IN"]

    def ink(item: Lettering) -> int:
        img = draw_lettering(Image.new("RGB", (400, 200), "white"), [item], 1000)
        hist = img.convert("L").histogram()
        return sum((255 - v) * n for v, n in enumerate(hist))

    caps = Lettering(kind="caption", text="ill", x=0.1, y=0.1, w=0.8, h=0.6, all_caps=True)
    typed = replace(caps, text="ILL", all_caps=False)  # same letters, crossbar I
    assert ink(caps) < ink(typed)  # the plain stroke has no crossbars
    pronoun = replace(caps, text="i")
    assert ink(pronoun) == ink(replace(caps, text="I", all_caps=False))


def test_all_caps_uppercases_and_display_font_keeps_its_own_i() -> None:
    item = Lettering(kind="speech", text="quiet, i'm in", all_caps=True, x=0.1, w=0.8, h=0.5)
    fitted = fit(item, (60.0, 20.0, 540.0, 250.0), FRAME, SHORT)
    assert [w for line in fitted.lines for w, _ in line] == ["QUIET,", "I'M", "IN"]
    assert not setter_for(replace(item, font="display"), 30).plain_i
    assert not setter_for(replace(item, text="привет и"), 30).plain_i  # fallback face


def test_draw_lettering_returns_a_new_image_and_nothing_for_no_objects() -> None:
    base = Image.new("RGB", FRAME, (10, 20, 30))
    out = draw_lettering(base, [], SHORT)
    assert out is not base and out.mode == "RGB" and out.tobytes() == base.tobytes()
    lettered = draw_lettering(base, [Lettering(text="Hi")], SHORT)
    assert lettered.tobytes() != base.tobytes()
    assert base.getpixel((5, 5)) == (10, 20, 30)


def test_objects_draw_in_list_order() -> None:
    a = Lettering(kind="caption", text="A", x=0.1, y=0.1, w=0.4, h=0.3, fill="#ff0000")
    b = replace(a, fill="#0000ff", x=0.2, y=0.2)
    base = Image.new("RGB", FRAME, "white")
    point = (round(0.3 * 600), round(0.38 * 450))  # inside both boxes, away from the text
    assert draw_lettering(base, [a, b], SHORT).getpixel(point) == (0, 0, 255)
    assert draw_lettering(base, [b, a], SHORT).getpixel(point) == (255, 0, 0)


def test_sound_effects_draw_over_balloons_whatever_their_reading_order() -> None:
    sfx = Lettering(kind="sfx", text="BOOM", x=0.2, y=0.2, w=0.6, h=0.5, fill="#ffd21f")
    balloon = Lettering(kind="caption", text=".", x=0.0, y=0.0, w=1.0, h=1.0, fill="#0000ff")
    base = Image.new("RGB", FRAME, "white")
    sprite = render_item(sfx, FRAME, SHORT)
    alpha = sprite.image.getchannel("A")
    yellow = next(  # a fully opaque face pixel of the SFX, in frame coordinates
        (x + sprite.left, y + sprite.top)
        for y in range(alpha.height)
        for x in range(alpha.width)
        if sprite.image.getpixel((x, y)) == (255, 210, 31, 255)
    )
    for items in ([sfx, balloon], [balloon, sfx]):
        assert draw_lettering(base, items, SHORT).getpixel(yellow) == (255, 210, 31)
