"""Print bleed: a page image grown on every side by mirroring its edges."""

from __future__ import annotations

import io

from PIL import Image

_FLIP_X = Image.Transpose.FLIP_LEFT_RIGHT
_FLIP_Y = Image.Transpose.FLIP_TOP_BOTTOM


def add_bleed(data: bytes, bleed: int) -> bytes:
    """``data`` (a page image) with ``bleed`` pixels added on each side, as PNG.

    The added strips mirror the page's own edges, so a background colour or art that
    touches the trim carries on past it and a slightly off cut shows no white line.
    PNG keeps the pixels exactly (a JPEG page is decoded once, never re-compressed).
    """
    with Image.open(io.BytesIO(data)) as source:
        page = source.convert("RGB")
    grown = extend_edges(page, bleed)
    buffer = io.BytesIO()
    grown.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def extend_edges(page: Image.Image, bleed: int) -> Image.Image:
    """A new image ``bleed`` pixels larger on each side, the border mirrored from ``page``."""
    if bleed <= 0:
        return page.copy()
    width, height = page.size
    out = Image.new(page.mode, (width + 2 * bleed, height + 2 * bleed))
    out.paste(page, (bleed, bleed))
    side = min(bleed, width)
    left = page.crop((0, 0, side, height)).transpose(_FLIP_X).resize((bleed, height))
    right = page.crop((width - side, 0, width, height)).transpose(_FLIP_X).resize((bleed, height))
    out.paste(left, (0, bleed))
    out.paste(right, (bleed + width, bleed))
    full = width + 2 * bleed
    side = min(bleed, height)
    top = out.crop((0, bleed, full, bleed + side)).transpose(_FLIP_Y).resize((full, bleed))
    bottom_box = (0, bleed + height - side, full, bleed + height)
    bottom = out.crop(bottom_box).transpose(_FLIP_Y).resize((full, bleed))
    out.paste(top, (0, 0))
    out.paste(bottom, (0, bleed + height))
    return out
