"""Typesetting a lettering object: wrap its text inside its shape, never cutting it off.

Fitting order: the object's font size; smaller steps down to 60 % of it; then the shape grows
around its centre (clamped to the frame) at that minimum size; only when the whole frame is
not enough are over-long words broken and the size reduced further.

All-caps lettering keeps Comic Neue's crossbar "I" only for the pronoun (I, I'M, I'LL, I'D,
I'VE). The font has no plain alternate (no ``salt``/``ssNN`` feature changes "I"), so any
other capital I is drawn as the font's own lower-case "l" stroke cut to cap height, which
keeps the face's weight, slant and rounded ends. Bebas Neue and the fallback face have a
plain "I" already, so nothing is substituted there.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from studio.core.lettering import Lettering
from studio.render.fonts import FontSet, Word, fallback_font, font_set, parse_words

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in frame pixels

SHORT_WORDS = 4  # balloons of this many words or fewer are set on one or two lines
MIN_RATIO = 0.6  # shrink to this share of the object's size before growing the shape
_GROW = 1.1
_PRONOUN = frozenset({"I", "I'M", "I'LL", "I'D", "I'VE", "I’M", "I’LL", "I’D", "I’VE"})
_TRIM = "\"'“”‘’«»()[]{}.,!?;:…-–—¡¿*"


@dataclass(frozen=True)
class Setter:
    """Measures and draws words in one font set, with the plain-I rule when it applies."""

    fonts: FontSet
    plain_i: bool

    @property
    def space(self) -> float:
        return self.fonts.regular.getlength(" ")

    def pieces(self, word: Word) -> list[str | None]:
        """The word as text pieces; None stands for a plain-stroke capital I."""
        text, _ = word
        if not self.plain_i or "I" not in text:
            return [text]
        keep = 0
        core = text.strip(_TRIM)
        if core in _PRONOUN:
            keep = text.index("I") + 1  # the pronoun's own I keeps its crossbars
        out: list[str | None] = []
        chunk = text[:keep]
        for ch in text[keep:]:
            if ch == "I":
                if chunk:
                    out.append(chunk)
                out.append(None)
                chunk = ""
            else:
                chunk += ch
        if chunk:
            out.append(chunk)
        return out

    def word_width(self, word: Word) -> float:
        face = self.fonts.face(word[1])
        return sum(_plain_i(face)[1] if p is None else face.getlength(p) for p in self.pieces(word))

    def line_width(self, line: list[Word]) -> float:
        if _is_rtl(line):
            return self.fonts.regular.getlength(" ".join(t for t, _ in line))
        return sum(self.word_width(w) for w in line) + self.space * max(0, len(line) - 1)

    def draw_line(
        self, mask: Image.Image, x: float, baseline: float, line: list[Word], stroke: int = 0
    ) -> None:
        """Draw ``line`` (white on an "L" mask) from ``x`` on ``baseline``, ``stroke`` px bolder."""
        draw = ImageDraw.Draw(mask)
        ink = {"fill": 255, "anchor": "ls", "stroke_width": stroke, "stroke_fill": 255}
        if _is_rtl(line):  # one run, so the shaping engine orders the words right to left
            text = " ".join(t for t, _ in line)
            draw.text((x, baseline), text, font=self.fonts.regular, **ink)  # type: ignore[arg-type]
            return
        for word in line:
            face = self.fonts.face(word[1])
            for piece in self.pieces(word):
                if piece is None:
                    glyph, advance, dx, top = _plain_i(face)
                    at = (round(x + dx), round(baseline + top))
                    if stroke:
                        box = (at[0] - stroke, at[1] - stroke, at[0] + glyph.width + stroke)
                        draw.rounded_rectangle(
                            (*box, at[1] + glyph.height + stroke), radius=stroke, fill=255
                        )
                    mask.paste(255, at, glyph)
                    x += advance
                    continue
                draw.text((x, baseline), piece, font=face, **ink)  # type: ignore[arg-type]
                x += face.getlength(piece)
            x += self.space


@dataclass(frozen=True)
class Fitted:
    """Where an object's text goes: the (possibly grown) shape box and each line."""

    box: Box
    font_px: int
    lines: tuple[tuple[Word, ...], ...]
    line_boxes: tuple[Box, ...]  # each line's glyph box (ascent to descent), frame pixels
    setter: Setter
    shrunk: bool
    grown: bool

    def draw_text(
        self, mask: Image.Image, origin: tuple[float, float] = (0.0, 0.0), stroke: int = 0
    ) -> None:
        for line, box in zip(self.lines, self.line_boxes, strict=True):
            baseline = box[1] + self.setter.fonts.ascent - origin[1]
            self.setter.draw_line(mask, box[0] - origin[0], baseline, list(line), stroke)


def prepared_text(item: Lettering) -> str:
    return item.text.upper() if item.all_caps else item.text


def setter_for(item: Lettering, px: int) -> Setter:
    text = prepared_text(item)
    fallback = fallback_font(text, item.face)
    fonts = font_set(px, fallback=fallback, face=item.face)
    return Setter(fonts, plain_i=item.all_caps and item.face == "comic" and fallback is False)


def pad_for(kind: str, px: float) -> float:
    return px * (0.15 if kind == "sfx" else 0.5)


def rim(a: float, b: float) -> float:
    """How far a cloud's scallops or a burst's spikes reach into the box (pixels)."""
    return 0.12 * min(a, b) + 0.05 * max(a, b)


def region(kind: str, box: Box, px: float) -> tuple[str, float, float, float, float]:
    """The area text may use: ("rect"|"ellipse", cx, cy, half-width, half-height)."""
    x0, y0, x1, y1 = box
    cx, cy, a, b = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    pad = pad_for(kind, px)
    if kind in ("caption", "sfx"):
        return ("rect", cx, cy, max(0.0, a - pad), max(0.0, b - pad * 0.7))
    if kind in ("thought", "shout"):
        inset = rim(a, b) * (1.0 if kind == "thought" else 1.1)
        a, b = a - inset, b - inset
    return ("ellipse", cx, cy, max(0.0, a - pad * 0.6), max(0.0, b - pad * 0.45))


def fit(item: Lettering, box: Box, frame: tuple[int, int], page_short: float) -> Fitted:
    """Fit ``item``'s text into ``box`` (frame pixels), shrinking then growing as needed."""
    words = parse_words(prepared_text(item))
    start = max(4, round(item.size * page_short))
    floor = max(4, round(start * MIN_RATIO))
    sizes = _steps(start, floor)
    if item.kind == "sfx":  # display lettering fills its box: resizing the box sizes it
        sizes = [*_steps(max(start, round(box[3] - box[1])), start + 1), *sizes]
    for px in sizes:
        done = _try(item, words, box, px, breaking=False)
        if done is not None:
            return _mark(done, shrunk=px < start, grown=False)
    current = box
    while True:
        bigger = _grow(current, frame)
        if bigger == current:
            break
        current = bigger
        done = _try(item, words, current, floor, breaking=False)
        if done is not None:
            return _mark(done, shrunk=floor < start, grown=True)
    for px in [floor, *_steps(floor - 1, 3)]:
        done = _try(item, words, current, px, breaking=True)
        if done is not None:
            return _mark(done, shrunk=True, grown=current != box)
    done = _try(item, words, current, 3, breaking=True, force=True)
    assert done is not None
    return _mark(done, shrunk=True, grown=current != box)


def natural_box(item: Lettering, page_short: float, frame: tuple[int, int]) -> Box:
    """A shape box (around the origin) that holds ``item``'s text at its own size."""
    setter = setter_for(item, max(4, round(item.size * page_short)))
    fonts = setter.fonts
    words = parse_words(prepared_text(item))
    if not words:
        words = [(" ", False)]
    widths = [setter.word_width(w) for w in words]
    total = sum(widths) + setter.space * (len(words) - 1)
    lh = fonts.line_height
    ratio = {"caption": 4.5, "sfx": 99.0}.get(item.kind, 2.4)
    limit = frame[0] * (0.55 if item.kind == "caption" else 0.4)
    n = max(1, round(math.sqrt(total / (ratio * lh))))
    if len(words) <= SHORT_WORDS and item.kind not in ("caption", "sfx"):
        # a short line reads as one wide line (two at most), never a cramped stack
        limit = max(limit, min(frame[0] * 0.6, total * 1.05))
        n = 1 if total <= limit else min(n, 2)
    target = min(limit, max(total / n * 1.1, min(max(widths), limit), fonts.size * 4.0))
    slots = sum(max(1, len(t)) for t, _ in words)
    lines = _greedy(words, widths, setter.space, [target] * slots, False, setter) or [words]
    while len(lines) > n and target < limit:  # word breaks ran over: widen to ``n`` lines
        target = min(limit, target * 1.08)
        lines = _greedy(words, widths, setter.space, [target] * slots, False, setter) or lines
    block_w = max(setter.line_width(line) for line in lines)
    block_h = lh * (len(lines) - 1) + fonts.ascent + fonts.descent
    pad = pad_for(item.kind, fonts.size)
    if item.kind in ("caption", "sfx"):
        w, h = block_w + 2 * pad + 2, block_h + 1.4 * pad + 2
    else:
        rho = max(0.45, min(1.0, block_h / max(1.0, block_w)))
        half = block_h / 2
        a = max(
            math.hypot(
                setter.line_width(line) / 2,
                max(abs(-half + i * lh), abs(-half + i * lh + fonts.ascent + fonts.descent)) / rho,
            )
            for i, line in enumerate(lines)
        )
        w, h = 2 * (a + pad * 0.6), 2 * (a * rho + pad * 0.45)
        if item.kind in ("thought", "shout"):
            w, h = w * 1.25, h * 1.3
    w, h = min(w, frame[0]), min(h, frame[1])
    box = ((frame[0] - w) / 2, (frame[1] - h) / 2, (frame[0] + w) / 2, (frame[1] + h) / 2)
    for _ in range(40):  # the estimate is close; nudge it until the fitter agrees
        done = _try(item, words, box, setter.fonts.size, breaking=False)
        if done is not None and len(done.lines) <= len(lines):  # on the lines planned
            break
        bigger = _grow(box, frame, 1.05)
        if bigger == box:
            break
        box = bigger
    return (0.0, 0.0, box[2] - box[0], box[3] - box[1])


def _mark(done: Fitted, *, shrunk: bool, grown: bool) -> Fitted:
    return Fitted(done.box, done.font_px, done.lines, done.line_boxes, done.setter, shrunk, grown)


def _steps(start: int, floor: int) -> list[int]:
    out: list[int] = []
    px = float(start)
    while round(px) >= floor:
        if not out or round(px) != out[-1]:
            out.append(round(px))
        px *= 0.92
    if floor <= start and (not out or out[-1] != floor):
        out.append(floor)
    return out


def _grow(box: Box, frame: tuple[int, int], factor: float = _GROW) -> Box:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    w = min(float(frame[0]), (box[2] - box[0]) * factor)
    h = min(float(frame[1]), (box[3] - box[1]) * factor)
    x0 = min(frame[0] - w, max(0.0, cx - w / 2))
    y0 = min(frame[1] - h, max(0.0, cy - h / 2))
    grown = (x0, y0, x0 + w, y0 + h)
    same = all(abs(p - q) < 0.5 for p, q in zip(grown, box, strict=True))
    return box if same else grown


def _try(
    item: Lettering,
    words: list[Word],
    box: Box,
    px: int,
    *,
    breaking: bool,
    force: bool = False,
) -> Fitted | None:
    setter = setter_for(item, px)
    fonts = setter.fonts
    shape, cx, cy, ha, hb = region(item.kind, box, px)
    lh = fonts.line_height
    glyph = fonts.ascent + fonts.descent
    slack = 1.0 + px * 0.06  # italic overhang and shaping differences
    if not words:
        return Fitted(box, px, (), (), setter, False, False)
    widths = [setter.word_width(w) for w in words]
    max_lines = max(1, int((2 * hb - glyph) / lh) + 1) if 2 * hb >= glyph else 0
    tries: list[int | None] = list(range(1, max_lines + 1))
    if force:  # the frame is too small for any size: one word a line, overflowing
        tries = [None]
    for n in tries:
        if n is None:
            lines: list[list[Word]] | None = [[w] for w in words]
        else:
            allowed = _allowed(shape, ha, hb, n, lh, glyph, slack)
            if min(allowed) <= 0:
                continue
            lines = _greedy(words, widths, setter.space, allowed, breaking, setter)
        if lines is None:
            continue
        count = len(lines)
        allowed = _allowed(shape, ha, hb, count, lh, glyph, slack)
        actual = [setter.line_width(line) for line in lines]
        if not force and any(w > a for w, a in zip(actual, allowed, strict=True)):
            continue
        top = cy - (lh * (count - 1) + glyph) / 2
        boxes = tuple(
            (cx - w / 2, top + i * lh, cx + w / 2, top + i * lh + glyph)
            for i, w in enumerate(actual)
        )
        return Fitted(box, px, tuple(tuple(ln) for ln in lines), boxes, setter, False, False)
    return None


def _allowed(
    shape: str, ha: float, hb: float, n: int, lh: float, glyph: float, slack: float
) -> list[float]:
    """The width each of ``n`` centred lines may take inside the region."""
    if shape == "rect":
        fits = lh * (n - 1) + glyph <= 2 * hb + 1e-6
        return [2 * ha - slack if fits else 0.0] * n
    top = -(lh * (n - 1) + glyph) / 2
    out = []
    for i in range(n):
        y = max(abs(top + i * lh), abs(top + i * lh + glyph))
        out.append(2 * ha * math.sqrt(1 - (y / hb) ** 2) - slack if y < hb else 0.0)
    return out


def _greedy(
    words: list[Word],
    widths: list[float],
    space: float,
    allowed: list[float],
    breaking: bool,
    setter: Setter | None = None,
) -> list[list[Word]] | None:
    """Fill lines in order, each up to its allowed width; None if the words do not fit."""
    queue = list(zip(words, widths, strict=True))
    lines: list[list[Word]] = []
    for limit in allowed:
        line: list[Word] = []
        used = 0.0
        while queue:
            word, width = queue[0]
            extra = width + (space if line else 0.0)
            if used + extra <= limit:
                line.append(word)
                used += extra
                queue.pop(0)
                continue
            if setter is not None and ((breaking and not line) or breakable(word)):
                room = limit - used - (space if line else 0.0)
                head, tail = _break(word, setter, room)
                if head is not None:
                    line.append(head)
                    queue[0] = (tail, setter.word_width(tail))
            break
        if line:
            lines.append(line)
        if not queue:
            return lines
    return None


def breakable(word: Word) -> bool:
    """Words that may break anywhere: scripts written without spaces, and very long runs."""
    text = word[0]
    return len(text) > 20 or any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def _break(word: Word, setter: Setter, limit: float) -> tuple[Word | None, Word]:
    text, emph = word
    cut = 0
    for i in range(1, len(text)):
        if setter.word_width((text[:i], emph)) > limit:
            break
        cut = i
    if cut == 0 or limit <= 0:
        return None, word
    return (text[:cut], emph), (text[cut:], emph)


def _is_rtl(line: list[Word]) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for text, _ in line for ch in text)


@lru_cache(maxsize=64)
def _plain_i(face: ImageFont.FreeTypeFont) -> tuple[Image.Image, float, float, float]:
    """A plain capital-I stroke for ``face``: (mask, advance, x offset, top from baseline)."""
    x0, y0, x1, y1 = (math.floor(v) for v in face.getbbox("l", anchor="ls"))
    cap_top = face.getbbox("H", anchor="ls")[1]
    img = Image.new("L", (x1 - x0 + 2, y1 - y0 + 2), 0)
    ImageDraw.Draw(img).text((1 - x0, 1 - y0), "l", font=face, fill=255, anchor="ls")
    height = max(1, y1 - cap_top)
    stroke = img.resize((img.width, height + 2), Image.Resampling.LANCZOS)
    return stroke, face.getlength("l"), x0 - 1, cap_top - 1
