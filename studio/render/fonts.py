"""Lettering fonts (bundled Comic Neue, system fallback for missing glyphs) and word wrapping."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from studio import resources

_COMIC_NEUE = {
    "regular": "ComicNeue-Regular.otf",
    "bold": "ComicNeue-Bold.otf",
    "italic": "ComicNeue-Italic.otf",
    "bolditalic": "ComicNeue-BoldItalic.otf",
}
_FALLBACK_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
_FALLBACK = {
    "regular": ("DejaVuSans.ttf",),
    "bold": ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf"),
    "italic": ("DejaVuSans-Oblique.ttf", "DejaVuSans.ttf"),
    "bolditalic": ("DejaVuSans-BoldOblique.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans.ttf"),
}
_EMPHASIS = re.compile(r"\*([^*\n]+)\*")

Word = tuple[str, bool]  # (text, emphasised)


@dataclass(frozen=True)
class FontSet:
    """The regular and emphasis faces at one size, plus the line metrics."""

    regular: ImageFont.FreeTypeFont
    emphasis: ImageFont.FreeTypeFont
    size: int
    ascent: int
    descent: int

    @property
    def line_height(self) -> float:
        return (self.ascent + self.descent) * 1.08

    def face(self, emphasised: bool) -> ImageFont.FreeTypeFont:
        return self.emphasis if emphasised else self.regular

    def width(self, words: list[Word]) -> float:
        space = self.regular.getlength(" ")
        total = sum(self.face(e).getlength(t) for t, e in words)
        return total + space * max(0, len(words) - 1)


@lru_cache(maxsize=8)
def _fallback_path(style: str) -> Path | None:
    for name in _FALLBACK[style]:
        for folder in _FALLBACK_DIRS:
            if (folder / name).is_file():
                return folder / name
    return None


@lru_cache(maxsize=256)
def load_font(style: str, size: int, fallback: bool = False) -> ImageFont.FreeTypeFont:
    """A cached font: Comic Neue ``style`` at ``size`` px, or the system fallback face."""
    path = _fallback_path(style) if fallback else None
    if path is None:
        path = resources.path("fonts", _COMIC_NEUE[style])
    return ImageFont.truetype(str(path), size)


def font_set(size: int, *, fallback: bool, emphasis_style: str = "bolditalic") -> FontSet:
    regular = load_font("regular", size, fallback)
    ascent, descent = regular.getmetrics()
    return FontSet(regular, load_font(emphasis_style, size, fallback), size, ascent, descent)


@lru_cache(maxsize=4096)
def _missing_glyph(ch: str) -> bool:
    font = load_font("regular", 24)
    mask = font.getmask(ch)
    notdef = font.getmask("\U000f0000")
    return mask.size == notdef.size and bytes(mask) == bytes(notdef)


def needs_fallback(text: str) -> bool:
    """True when Comic Neue lacks a glyph in ``text`` and a fallback font is installed."""
    if _fallback_path("regular") is None:
        return False
    return any(not ch.isspace() and ord(ch) > 0x7E and _missing_glyph(ch) for ch in text)


def parse_words(text: str) -> list[Word]:
    """Split ``text`` into words; ``*word*`` marks emphasis (the asterisks are dropped)."""
    words: list[Word] = []
    pos = 0
    for match in _EMPHASIS.finditer(text):
        words += [(w, False) for w in text[pos : match.start()].split()]
        words += [(w, True) for w in match.group(1).split()]
        pos = match.end()
    words += [(w, False) for w in text[pos:].split()]
    return words


def wrap(words: list[Word], fonts: FontSet, max_width: float) -> list[list[Word]]:
    """Greedy wrap to ``max_width``; words wider than a line are broken between characters."""
    lines: list[list[Word]] = []
    line: list[Word] = []
    for word in _split_long(words, fonts, max_width):
        if line and fonts.width([*line, word]) > max_width:
            lines.append(line)
            line = []
        line.append(word)
    if line:
        lines.append(line)
    return lines


def _split_long(words: list[Word], fonts: FontSet, max_width: float) -> list[Word]:
    out: list[Word] = []
    for text, emph in words:
        face = fonts.face(emph)
        if face.getlength(text) <= max_width:
            out.append((text, emph))
            continue
        chunk = ""
        for ch in text:
            if chunk and face.getlength(chunk + ch) > max_width:
                out.append((chunk, emph))
                chunk = ""
            chunk += ch
        if chunk:
            out.append((chunk, emph))
    return out
