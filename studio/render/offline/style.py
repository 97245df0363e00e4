"""Drawing styles applied to the finished colour picture: storyboard, flat colour, manga."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageOps

STYLES: tuple[str, ...] = ("storyboard", "flat", "manga")
_ALIASES = {
    "storyboard": "storyboard",
    "sketch": "storyboard",
    "pencil": "storyboard",
    "rough": "storyboard",
    "manga": "manga",
    "japanese_manga": "manga",
    "black and white": "manga",
    "bw": "manga",
    "noir": "manga",
}


def style_of(name: str) -> str:
    """The renderer style for a story's style preset (anything else draws in flat colour)."""
    key = (name or "").strip().lower()
    return _ALIASES.get(key, "flat")


_BOARD = [round(70 + v * 0.72) if v > 60 else round(v * 1.1 + 20) for v in range(256)]


def apply(image: Image.Image, style: str) -> Image.Image:
    """``image`` in ``style``: storyboard is greyscale ("L"), manga pure black and white ("1")."""
    if style == "storyboard":
        # grey tones only: lift the fills toward paper, keep the ink lines dark
        return image.convert("L").point(_BOARD)
    if style == "manga":
        grey = ImageOps.autocontrast(image.convert("L"), cutoff=1)  # night stays readable
        dense, light = _tones(image.size)
        mid = grey.point(lambda v: 255 if 50 <= v < 125 else 0)
        pale = grey.point(lambda v: 255 if 125 <= v < 195 else 0)
        out = grey.point(lambda v: 0 if v < 50 else 255)
        out.paste(light, (0, 0), pale)
        out.paste(dense, (0, 0), mid)
        return out.convert("1", dither=Image.Dither.NONE)
    return image


@lru_cache(maxsize=4)
def _tones(size: tuple[int, int]) -> tuple[Image.Image, Image.Image]:
    dense, light = _tile(True), _tile(False)
    return _fill(dense, size), _fill(light, size)


def _fill(tile: Image.Image, size: tuple[int, int]) -> Image.Image:
    reps = (size[0] // tile.width + 1, size[1] // tile.height + 1)
    big = Image.new("L", (tile.width * reps[0], tile.height * reps[1]))
    row = Image.new("L", (tile.width * reps[0], tile.height))
    for i in range(reps[0]):
        row.paste(tile, (i * tile.width, 0))
    for j in range(reps[1]):
        big.paste(row, (0, j * tile.height))
    return big.crop((0, 0, *size))


@lru_cache(maxsize=2)
def _tile(dense: bool) -> Image.Image:
    s = 6
    tile = Image.new("L", (s, s), 255)
    d = ImageDraw.Draw(tile)
    r = 1.6 if dense else 0.9
    for cx, cy in ((1.5, 1.5), (4.5, 4.5)):
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=0)
    return tile
