"""Lettering fonts and word wrapping.

Bundled open-licence faces (licence files beside them in ``studio/resources/fonts``): Comic
Neue (four styles) for balloons and captions, Bebas Neue Bold ("display") for sound effects
and titles. A system face (DejaVu Sans) stands in when the text has glyphs they lack.
"""

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
_DISPLAY = "BebasNeue-Bold.otf"
FACES: tuple[str, ...] = ("comic", "display")
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
# faces for scripts DejaVu lacks (Chinese, Japanese, Korean), wherever the system keeps them
_WIDE_FALLBACKS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/YuGothM.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/malgun.ttf",
)
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
def load_font(
    style: str, size: int, fallback: bool | str = False, face: str = "comic"
) -> ImageFont.FreeTypeFont:
    """A cached font at ``size`` px: Comic Neue ``style``, Bebas Neue (``face="display"``,
    one bold style), the system fallback face (``fallback=True``; bold for display) or a
    given font file (``fallback`` a path, from :func:`fallback_font`)."""
    if isinstance(fallback, str):
        return ImageFont.truetype(fallback, max(1, size))
    if face == "display":
        style = "bold"
    path = _fallback_path(style) if fallback else None
    if path is None:
        name = _DISPLAY if face == "display" else _COMIC_NEUE[style]
        path = resources.path("fonts", name)
    return ImageFont.truetype(str(path), max(1, size))


def font_set(
    size: int, *, fallback: bool | str, emphasis_style: str = "bolditalic", face: str = "comic"
) -> FontSet:
    """Regular and emphasis faces; for ``display`` both are Bebas Neue (it has one style)."""
    regular = load_font("regular", size, fallback, face)
    ascent, descent = regular.getmetrics()
    emphasis = load_font(emphasis_style, size, fallback, face)
    return FontSet(regular, emphasis, size, ascent, descent)


@lru_cache(maxsize=4096)
def _missing_glyph(ch: str, face: str = "comic") -> bool:
    font = load_font("regular", 24, False, face)
    mask = font.getmask(ch)
    notdef = font.getmask("\U000f0000")
    return mask.size == notdef.size and bytes(mask) == bytes(notdef)


@lru_cache(maxsize=8192)
def _covers(path: str, ch: str) -> bool:
    font = ImageFont.truetype(path, 24)
    mask, notdef = font.getmask(ch), font.getmask("\U000f0000")
    return not (mask.size == notdef.size and bytes(mask) == bytes(notdef))


def fallback_font(text: str, face: str = "comic") -> bool | str:
    """The face for ``text``: False for the bundled one, True for the system fallback
    (DejaVu Sans), or the path of an installed face that has the glyphs both lack."""
    missing = {ch for ch in text if not ch.isspace() and ord(ch) > 0x7E}
    missing = {ch for ch in missing if _missing_glyph(ch, face)}
    if not missing:
        return False
    dejavu = _fallback_path("regular")
    if dejavu is not None and all(_covers(str(dejavu), ch) for ch in missing):
        return True
    for candidate in _WIDE_FALLBACKS:
        if Path(candidate).is_file() and all(_covers(candidate, ch) for ch in missing):
            return candidate
    return dejavu is not None


def needs_fallback(text: str, face: str = "comic") -> bool:
    """True when the bundled ``face`` lacks a glyph in ``text`` and a fallback is installed."""
    if _fallback_path("regular") is None:
        return False
    return any(not ch.isspace() and ord(ch) > 0x7E and _missing_glyph(ch, face) for ch in text)


def parse_words(text: str) -> list[Word]:
    """Split ``text`` into words; ``*word*`` marks emphasis (the asterisks are dropped).

    Punctuation touching the markup stays with its word: ``*now*!`` is one word, "now!".
    """
    words: list[Word] = []
    pos = 0
    glue = False  # the next piece continues the previous word
    for match in _EMPHASIS.finditer(text):
        before = text[pos : match.start()]
        _add(words, before, False, glue)
        glue = (bool(before) and not before[-1].isspace()) or (not before and glue)
        _add(words, match.group(1), True, glue)
        pos = match.end()
        glue = True
    _add(words, text[pos:], False, glue)
    return words


def _add(words: list[Word], piece: str, emph: bool, glue: bool) -> None:
    parts = piece.split()
    if not parts:
        return
    if glue and words and not piece[0].isspace():
        text, was = words[-1]
        words[-1] = (text + parts[0], was or emph)
        parts = parts[1:]
    words += [(w, emph) for w in parts]


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
