"""Lettering over a panel: a caption box and speech balloons with tails, sized to never cut text."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PIL import Image, ImageDraw

from studio.core.models import ScriptPanel
from studio.render.fonts import FontSet, Word, font_set, needs_fallback, parse_words, wrap
from studio.render.placement import Box, place_all

INK = (20, 20, 24)
BALLOON = (255, 255, 255)
CAPTION = (255, 246, 196)
_SHRINK = 0.9


@dataclass(frozen=True)
class Placed:
    """One lettered element: its shape, its text lines and where each line sits."""

    kind: str  # "caption" | "balloon"
    speaker: str
    lines: tuple[tuple[Word, ...], ...]
    font_size: int
    fallback: bool
    shape: Box  # caption rectangle or the balloon ellipse's bounding box
    text_boxes: tuple[Box, ...]
    tail: tuple[float, float] | None = None  # the tail's tip, pixels
    target: tuple[float, float] | None = None  # the point the tail aims at, pixels

    @property
    def text(self) -> list[str]:
        return [" ".join(t for t, _ in line) for line in self.lines]

    def contains(self, box: Box) -> bool:
        """True if ``box`` lies inside this element's shape (ellipse for balloons)."""
        x0, y0, x1, y1 = self.shape
        if self.kind == "caption":
            return x0 <= box[0] and y0 <= box[1] and box[2] <= x1 and box[3] <= y1
        cx, cy, a, b = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        corners = ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3]))
        return all(((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1.0 + 1e-9 for x, y in corners)


@dataclass(frozen=True)
class _Block:
    """Wrapped text and the size of the shape around it, before placement."""

    kind: str
    speaker: str
    lines: list[list[Word]]
    fonts: FontSet
    fallback: bool
    widths: list[float]
    w: float
    h: float


def layout_lettering(
    size: tuple[int, int],
    panel: ScriptPanel,
    anchors: dict[str, tuple[float, float]] | None = None,
    scale: float = 1.0,
    *,
    rtl: bool = False,
    font_px: float | None = None,
) -> list[Placed]:
    """Size, wrap and place the caption and balloons of ``panel`` on a ``size`` image.

    The starting font size is ``font_px`` (pass one size for every panel of a page so the
    lettering matches), else 3.6 % of the shorter side; either is multiplied by ``scale``.
    Text that does not fit shrinks to 60 % of that, then balloons widen, then it shrinks on.
    """
    width, height = size
    entries = [("caption", "", panel.caption)] if panel.caption.strip() else []
    entries += [("balloon", d.speaker, d.text) for d in panel.dialogue if d.text.strip()]
    if not entries:
        return []
    lookup = {k.strip().lower(): v for k, v in (anchors or {}).items()}
    targets = [_target(e[1], i, entries, lookup, size) for i, e in enumerate(entries)]
    base = max(9.0, (font_px or min(width, height) * 0.036) * scale)
    minimum = max(8.0, base * 0.6)
    size_px, widen = base, 1.0
    while True:
        blocks = [
            _block(kind, who, text, round(size_px), width * widen) for kind, who, text in entries
        ]
        boxes = place_all([(b.kind, b.w, b.h) for b in blocks], [t for t in targets], size, rtl=rtl)
        last = size_px <= 6
        if boxes is not None or last:
            boxes = boxes or _fallback_boxes(blocks, size)
            return [
                _finish(b, box, t, size) for b, box, t in zip(blocks, boxes, targets, strict=True)
            ]
        if size_px > minimum:
            size_px = max(minimum, size_px * _SHRINK)
        elif widen < 1.5:
            widen += 0.25
        else:
            size_px = max(6.0, size_px * _SHRINK)


def letter_panel(
    image: Image.Image,
    panel: ScriptPanel,
    anchors: dict[str, tuple[float, float]] | None = None,
    *,
    scale: float = 1.0,
    rtl: bool = False,
    font_px: float | None = None,
) -> Image.Image:
    """Return a new image: ``image`` with the caption and balloons of ``panel`` drawn on it."""
    out = image.convert("RGB")
    placed = layout_lettering(out.size, panel, anchors, scale, rtl=rtl, font_px=font_px)
    if not placed:
        return out
    line = max(1.5, min(out.size) * 0.0028 * scale)
    _draw_shapes(out, placed, line)
    draw = ImageDraw.Draw(out)
    for item in placed:
        fonts = font_set(item.font_size, fallback=item.fallback)
        for words, box in zip(item.lines, item.text_boxes, strict=True):
            x = box[0]
            space = fonts.regular.getlength(" ")
            for text, emph in words:
                face = fonts.face(emph)
                draw.text((x, box[1]), text, font=face, fill=INK, anchor="la")
                x += face.getlength(text) + space
    return out


def _target(
    speaker: str,
    index: int,
    entries: list[tuple[str, str, str]],
    anchors: dict[str, tuple[float, float]],
    size: tuple[int, int],
) -> tuple[float, float] | None:
    if entries[index][0] == "caption":
        return None
    anchor = anchors.get(speaker.strip().lower())
    if anchor is not None:
        return (anchor[0] * size[0], anchor[1] * size[1])
    balloons = [i for i, e in enumerate(entries) if e[0] == "balloon"]
    order = balloons.index(index)
    return (size[0] * (order + 1) / (len(balloons) + 1), float(size[1]))


def _block(kind: str, speaker: str, text: str, px: int, width: float) -> _Block:
    fallback = needs_fallback(text)
    fonts = font_set(px, fallback=fallback)
    words = parse_words(text)
    total = fonts.width(words)
    lh = fonts.line_height
    ratio = 4.0 if kind == "caption" else 2.2
    limit = width * (0.55 if kind == "caption" else 0.4)
    n = max(1, round(math.sqrt(total / (ratio * lh))))
    longest = max((fonts.face(e).getlength(t) for t, e in words), default=1.0)
    target = min(limit, max(total / n * 1.12, min(longest, limit), px * 4.0))
    lines = wrap(words, fonts, target)
    widths = [fonts.width(line) for line in lines]
    pad = px * 0.55
    block_w, block_h = max(widths), lh * len(lines) - (lh - fonts.ascent - fonts.descent)
    if kind == "caption":
        return _Block(
            kind, speaker, lines, fonts, fallback, widths, block_w + 2 * pad, block_h + 1.4 * pad
        )
    a, b = _ellipse_axes(widths, lh, fonts.ascent + fonts.descent, block_w, block_h)
    return _Block(kind, speaker, lines, fonts, fallback, widths, 2 * (a + pad), 2 * (b + pad * 0.8))


def _ellipse_axes(
    widths: list[float], lh: float, glyph_h: float, block_w: float, block_h: float
) -> tuple[float, float]:
    """The smallest ellipse of the block's proportions holding every line's box."""
    rho = max(0.35, min(1.2, block_h / max(1.0, block_w)))
    top = -block_h / 2
    a = 0.0
    for i, w in enumerate(widths):
        y0, y1 = top + i * lh, top + i * lh + glyph_h
        y = max(abs(y0), abs(y1))
        a = max(a, math.hypot(w / 2, y / rho))
    return a, a * rho


def _finish(
    block: _Block, box: Box, target: tuple[float, float] | None, size: tuple[int, int]
) -> Placed:
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    lh = block.fonts.line_height
    glyph_h = block.fonts.ascent + block.fonts.descent
    top = cy - (lh * len(block.lines) - (lh - glyph_h)) / 2
    text_boxes = tuple(
        (cx - w / 2, top + i * lh, cx + w / 2, top + i * lh + glyph_h)
        for i, w in enumerate(block.widths)
    )
    tail = _tail_tip(box, target, size) if block.kind == "balloon" and target else None
    return Placed(
        kind=block.kind,
        speaker=block.speaker,
        lines=tuple(tuple(line) for line in block.lines),
        font_size=block.fonts.size,
        fallback=block.fallback,
        shape=box,
        text_boxes=text_boxes,
        tail=tail,
        target=target,
    )


def _tail_tip(box: Box, target: tuple[float, float], size: tuple[int, int]) -> tuple[float, float]:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    a, b = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    dx, dy = target[0] - cx, target[1] - cy
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    edge = 1.0 / math.sqrt((ux / a) ** 2 + (uy / b) ** 2)
    short = min(size)
    free = dist - edge - short * 0.09  # stop short of the speaker's face
    length = max(short * 0.04, min(free, short * 0.16))
    return (cx + ux * (edge + length), cy + uy * (edge + length))


def _fallback_boxes(blocks: list[_Block], size: tuple[int, int]) -> list[Box]:
    """Last resort: stack everything from the top, clamped inside the panel."""
    boxes: list[Box] = []
    y = 0.0
    for b in blocks:
        w, h = min(b.w, size[0]), min(b.h, size[1])
        y = min(y, size[1] - h)
        boxes.append(((size[0] - w) / 2, y, (size[0] + w) / 2, y + h))
        y += h
    return boxes


def _draw_shapes(out: Image.Image, placed: list[Placed], line: float) -> None:
    """Outlines and fills at 2× on masks, reduced for smooth edges, then painted."""
    ss = 2
    size = (out.width * ss, out.height * ss)
    ink, white, yellow = (Image.new("L", size, 0) for _ in range(3))
    di, dw, dy = ImageDraw.Draw(ink), ImageDraw.Draw(white), ImageDraw.Draw(yellow)
    lw = line * ss
    for item in placed:
        x0, y0, x1, y1 = (v * ss for v in item.shape)
        if item.kind == "caption":
            di.rectangle((x0 - lw, y0 - lw, x1 + lw, y1 + lw), fill=255)
            dy.rectangle((x0, y0, x1, y1), fill=255)
            continue
        di.ellipse((x0 - lw, y0 - lw, x1 + lw, y1 + lw), fill=255)
        dw.ellipse((x0, y0, x1, y1), fill=255)
        if item.tail:
            tail = _tail_polygon(item, ss)
            di.line([*tail, tail[0]], fill=255, width=round(lw * 2), joint="curve")
            dw.polygon(tail, fill=255)
    for mask, colour in ((ink, INK), (white, BALLOON), (yellow, CAPTION)):
        out.paste(colour, (0, 0), mask.reduce(ss))


def _tail_polygon(item: Placed, ss: int) -> list[tuple[float, float]]:
    assert item.tail is not None
    x0, y0, x1, y1 = item.shape
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    a, b = (x1 - x0) / 2, (y1 - y0) / 2
    tx, ty = item.tail
    dist = math.hypot(tx - cx, ty - cy) or 1.0
    ux, uy = (tx - cx) / dist, (ty - cy) / dist
    edge = 1.0 / math.sqrt((ux / a) ** 2 + (uy / b) ** 2)
    half = min(a, b) * 0.28
    bx, by = cx + ux * edge * 0.75, cy + uy * edge * 0.75
    px, py = -uy * half, ux * half
    # a slight bend makes the tail read as drawn rather than ruled
    mx, my = (bx + tx) / 2 + px * 0.35, (by + ty) / 2 + py * 0.35
    pts = [(bx + px, by + py), (mx + px * 0.3, my + py * 0.3), (tx, ty), (bx - px, by - py)]
    return [(x * ss, y * ss) for x, y in pts]
