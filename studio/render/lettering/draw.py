"""Drawing lettering objects: one antialiased RGBA sprite per object, pasted in list order
except that sound effects go on top of balloons and captions (reading order is unchanged).

Kinds: speech (oval, curved tail to the tail point), thought (scalloped cloud, bubbles
trailing to the point), whisper (dashed outline and tail), shout (jagged burst, kinked tail),
caption (rectangle in the object's fill) and SFX (display letters in the fill colour, or the
text colour when no fill is set, with a thick outline, rotated; no shape). The tail ends
exactly at ``Lettering.tail``; a tail point inside the shape draws no tail.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageColor

from studio.core.lettering import Lettering
from studio.render.lettering.auto import auto_lettering
from studio.render.lettering.fit import Box, Fitted, fit
from studio.render.lettering.shapes import extent, masks, tail_base

__all__ = ["Sprite", "auto_lettering", "draw_lettering", "draw_order", "render_item"]

_SS = 3  # supersampling of shape masks


@dataclass(frozen=True)
class Sprite:
    """One drawn object: its pixels, where they go in the frame, and its fitted geometry."""

    image: Image.Image  # RGBA, the object's bounding area (incl. tail and outline)
    left: int  # pixel offset in the frame
    top: int
    box: tuple[float, float, float, float]  # fitted shape box, frame fractions, after growth
    tail_tip: tuple[float, float] | None  # fractions
    text_boxes: tuple[Box, ...] = ()  # each line's glyph box, frame pixels
    font_px: int = 0  # the size the text was set at
    grown: bool = False  # the shape had to grow to hold the text
    shrunk: bool = False  # the text is smaller than the object's size


def line_width(page_short: float) -> float:
    return max(1.2, page_short * 0.0022)


def render_item(item: Lettering, frame: tuple[int, int], page_short: float) -> Sprite:
    """Draw ``item`` for a ``frame`` (panel size in pixels) on a page of ``page_short``."""
    fw, fh = max(1, frame[0]), max(1, frame[1])
    box = (item.x * fw, item.y * fh, (item.x + item.w) * fw, (item.y + item.h) * fh)
    fitted = fit(item, box, (fw, fh), page_short)
    line = line_width(page_short)
    if item.kind == "sfx":
        return _sfx_sprite(item, fitted, (fw, fh), line)
    tip = (item.tail[0] * fw, item.tail[1] * fh) if item.has_tail and item.tail else None
    if tip is not None and tail_base(fitted.box, tip) is None:
        tip = None
    x0, y0, x1, y1 = extent(item.kind, fitted.box, tip, line)
    left, top = max(0, math.floor(x0)), max(0, math.floor(y0))
    right, bottom = min(fw, math.ceil(x1)), min(fh, math.ceil(y1))
    size = (max(1, right - left), max(1, bottom - top))
    local = _shift(fitted.box, left, top)
    local_tip = (tip[0] - left, tip[1] - top) if tip is not None else None
    ink, fill = masks(item.kind, local, local_tip, line, size, _SS, item.id)
    sprite = Image.new("RGBA", size, (0, 0, 0, 0))
    _layer(sprite, item.outline, ink.reduce(_SS))
    _layer(sprite, item.fill_colour or "#ffffff", fill.reduce(_SS))
    text = Image.new("L", size, 0)
    fitted.draw_text(text, (left, top))
    _layer(sprite, item.color, text)
    return _sprite(sprite, left, top, fitted, (fw, fh), tip)


def draw_lettering(image: Image.Image, items: list[Lettering], page_short: float) -> Image.Image:
    """A new RGB image: ``image`` with ``items`` drawn over it in :func:`draw_order`."""
    out = image.convert("RGBA")
    for item in draw_order(items):
        sprite = render_item(item, out.size, page_short)
        out.alpha_composite(sprite.image, (sprite.left, sprite.top))
    return out.convert("RGB")


def draw_order(items: list[Lettering]) -> list[Lettering]:
    """``items`` in painting order: list order, sound effects last (on top of balloons)."""
    return sorted(items, key=lambda item: item.kind == "sfx")


def _sfx_sprite(item: Lettering, fitted: Fitted, frame: tuple[int, int], line: float) -> Sprite:
    """Letters only: a thick outline, then the face, rotated about the box centre."""
    x0, y0, x1, y1 = fitted.box
    stroke = max(2, round(fitted.font_px * 0.09 + line))
    pad = stroke + 2
    w, h = math.ceil(x1 - x0) + 2 * pad, math.ceil(y1 - y0) + 2 * pad
    origin = (x0 - pad, y0 - pad)
    face = Image.new("L", (w, h), 0)
    fitted.draw_text(face, origin)
    outline = Image.new("L", (w, h), 0)
    fitted.draw_text(outline, origin, stroke)
    if item.rotation:
        outline = outline.rotate(-item.rotation, Image.Resampling.BICUBIC, expand=True)
        face = face.rotate(-item.rotation, Image.Resampling.BICUBIC, expand=True)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left, top = round(cx - face.width / 2), round(cy - face.height / 2)
    sprite = Image.new("RGBA", face.size, (0, 0, 0, 0))
    _layer(sprite, item.outline, outline)
    # letters the colour of their own outline would read as a blob: use the SFX yellow
    same = item.color.lower() == item.outline.lower()
    _layer(sprite, item.fill or ("#ffd21f" if same else item.color), face)
    # clip to the frame so the offset is never negative
    cl, ct = max(0, -left), max(0, -top)
    cr = min(sprite.width, frame[0] - left)
    cb = min(sprite.height, frame[1] - top)
    if cr <= cl or cb <= ct:
        sprite, cl, ct = Image.new("RGBA", (1, 1), (0, 0, 0, 0)), 0, 0
        left, top = min(max(0, left), frame[0] - 1), min(max(0, top), frame[1] - 1)
    else:
        sprite = sprite.crop((cl, ct, cr, cb))
    return _sprite(sprite, left + cl, top + ct, fitted, frame, None)


def _sprite(
    image: Image.Image,
    left: int,
    top: int,
    fitted: Fitted,
    frame: tuple[int, int],
    tip: tuple[float, float] | None,
) -> Sprite:
    fw, fh = frame
    b = fitted.box
    return Sprite(
        image=image,
        left=left,
        top=top,
        box=(b[0] / fw, b[1] / fh, b[2] / fw, b[3] / fh),
        tail_tip=(tip[0] / fw, tip[1] / fh) if tip is not None else None,
        text_boxes=fitted.line_boxes,
        font_px=fitted.font_px,
        grown=fitted.grown,
        shrunk=fitted.shrunk,
    )


def _shift(box: Box, left: int, top: int) -> Box:
    return (box[0] - left, box[1] - top, box[2] - left, box[3] - top)


def _layer(sprite: Image.Image, colour: str, mask: Image.Image) -> None:
    """Paint ``colour`` through ``mask`` over ``sprite`` (true alpha compositing)."""
    rgb = ImageColor.getrgb(colour)[:3]
    layer = Image.new("RGBA", sprite.size, (*rgb, 0))
    layer.putalpha(mask)
    sprite.alpha_composite(layer)
