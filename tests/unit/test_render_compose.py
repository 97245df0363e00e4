"""Page composition, thumbnails and PNG encoding."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from studio.core.lettering import Lettering
from studio.core.models import DialogueLine, ScriptPanel
from studio.render import (
    compose_lettered_page,
    compose_page,
    encode_png,
    fit_anchors,
    layout_page,
    thumbnail_png,
)
from studio.render.layout import Rect


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def test_compose_cover_fits_borders_and_placeholders() -> None:
    rects = layout_page(3, 600, 900, template="3-grid")
    red = Image.new("RGB", (100, 400), (220, 30, 30))  # tall image into a wide rect: cropped
    blue = Image.new("RGB", (50, 50), (30, 30, 220))
    page = compose_page([red, blue, None], rects, (600, 900), border=4)
    assert page.size == (600, 900)
    for rect, colour in zip(rects[:2], [(220, 30, 30), (30, 30, 220)], strict=True):
        x0, y0 = round(rect.x), round(rect.y)
        x1, y1 = round(rect.x + rect.w) - 1, round(rect.y + rect.h) - 1
        assert page.getpixel((x0 + 1, y0 + 1)) == (0, 0, 0)  # border
        assert page.getpixel((x1 - 1, y1 - 1)) == (0, 0, 0)
        assert page.getpixel((x0 + 8, y0 + 8)) == colour  # covers corner to corner
        assert page.getpixel((x1 - 8, y1 - 8)) == colour
    grey = rects[2]
    centre = (round(grey.x + grey.w / 2), round(grey.y + grey.h / 2))
    r, g, b = page.getpixel(centre)
    assert 200 < r < 250 and abs(r - g) < 12
    assert page.getpixel((round(grey.x), round(grey.y + grey.h / 2))) != (r, g, b)  # outline
    assert page.getpixel((2, 2)) == (255, 255, 255)  # background


def test_compose_with_fewer_images_than_rects() -> None:
    page = compose_page([], [Rect(10, 10, 50, 50)], (100, 100), background=(0, 0, 0))
    assert page.getpixel((35, 35)) != (0, 0, 0)


def test_thumbnail_is_small_png() -> None:
    data = _png(Image.new("RGBA", (1200, 600), (10, 200, 10, 128)))
    thumb = Image.open(io.BytesIO(thumbnail_png(data, 128)))
    assert thumb.format == "PNG" and max(thumb.size) == 128 and thumb.size == (128, 64)
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 900), "red").save(jpeg, "JPEG")
    assert Image.open(io.BytesIO(thumbnail_png(jpeg.getvalue()))).size == (85, 256)


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n broken"])
def test_thumbnail_rejects_non_images(data: bytes) -> None:
    with pytest.raises(ValueError, match="image"):
        thumbnail_png(data)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_thumbnail_refuses_a_decompression_bomb() -> None:
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + _chunk(b"IEND", b"")
    )
    with pytest.raises(ValueError, match=r"too large|bomb"):
        thumbnail_png(bomb)


def test_encode_png_is_deterministic_and_lossless() -> None:
    image = Image.effect_mandelbrot((64, 48), (-2, -1, 1, 1), 50).convert("RGB")
    a, b = encode_png(image), encode_png(image.copy())
    assert a == b
    assert Image.open(io.BytesIO(a)).convert("RGB").tobytes() == image.tobytes()


def test_fit_anchors_follow_the_cover_crop() -> None:
    moved = fit_anchors({"A": (0.5, 0.5), "B": (0.1, 0.9)}, (100, 100), (50, 100))
    assert moved["A"] == pytest.approx((0.5, 0.5))
    assert moved["B"] == (0.0, pytest.approx(0.9))  # cropped off the side: clamped


def test_lettered_page_keeps_balloons_inside_their_panels() -> None:
    rects = layout_page(2, 400, 600, template="2-columns")
    art = Image.new("RGB", (300, 300), (40, 120, 60))
    script = ScriptPanel(dialogue=[DialogueLine("A", "Hello there, friend!")])
    page = compose_lettered_page(
        [art, None], [script, script], [{"A": (0.5, 0.6)}], rects, (400, 600)
    )
    left = rects[0]
    crop = page.crop((round(left.x), round(left.y), round(left.x + left.w), round(left.y + left.h)))
    assert (255, 255, 255) in {c for _, c in crop.getcolors(400 * 600) or []}  # a balloon


def test_lettered_page_uses_stored_objects_and_an_empty_list_letters_nothing() -> None:
    rects = layout_page(2, 400, 600, template="2-columns")
    art = Image.new("RGB", (300, 300), (40, 120, 60))
    script = ScriptPanel(dialogue=[DialogueLine("A", "Hello there, friend!")])
    clean = compose_page([art, art], rects, (400, 600))
    none = compose_lettered_page(
        [art, art], [script, script], [None, None], rects, (400, 600), lettering=[[], []]
    )
    assert none.tobytes() == clean.tobytes()
    auto = compose_lettered_page([art, art], [script, script], [None, None], rects, (400, 600))
    assert auto.tobytes() != clean.tobytes()
    box = Lettering(kind="caption", text="Hi", x=0.0, y=0.0, w=1.0, h=0.2, fill="#ff00ff")
    stored = compose_lettered_page(
        [art, art], [script, script], [None, None], rects, (400, 600), lettering=[[box], None]
    )
    left, right = rects
    assert stored.getpixel((round(left.x + left.w * 0.9), round(left.y + 10))) == (255, 0, 255)
    top_right = (round(right.x + right.w * 0.9), round(right.y + 10))
    assert stored.getpixel(top_right) == auto.getpixel(top_right)  # None: automatic
