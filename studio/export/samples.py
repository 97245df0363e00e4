"""Sample page images and books made with Pillow, for tests and benchmarks."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw

from studio.export.source import MemorySource, PageData

PAGE_SIZE = (1325, 2050)
"""A comic page at about 160 dpi (US comic trim)."""


def solid_image(color: tuple[int, int, int], size: tuple[int, int], fmt: str = "PNG") -> bytes:
    """A single-colour image with a darker bar, so pixel order is visible after decoding."""
    image = Image.new("RGB", size, color)
    shade = tuple(channel // 2 for channel in color)
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 3, size[1] // 4), fill=shade)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def page_like_png(seed: int, size: tuple[int, int] = PAGE_SIZE) -> bytes:
    """A page-like PNG: panels, lines and grain, about 0.5–1.5 MB at full page size."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, (250, 248, 240))
    draw = ImageDraw.Draw(image)
    rows, gap = rng.randint(3, 4), max(1, width // 60)
    for row in range(rows):
        top, bottom = height * row // rows + gap, height * (row + 1) // rows - gap
        split = rng.randint(width // 3, 2 * width // 3)
        for left, right in ((gap, split - gap), (split + gap, width - gap)):
            fill = tuple(rng.randint(60, 230) for _ in range(3))
            draw.rectangle((left, top, right, bottom), fill=fill, outline=(0, 0, 0), width=6)
            for _ in range(25):
                x, y = rng.randint(left, right), rng.randint(top, bottom)
                draw.line((x, y, x + rng.randint(-200, 200), y + rng.randint(-200, 200)), width=3)
    grain = (
        Image.effect_noise((max(1, width // 6), max(1, height // 6)), 20)
        .resize(size)
        .convert("RGB")
    )
    image = Image.blend(image, grain, 0.06)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


_COLOURS = [(220, 40, 40), (40, 180, 60), (40, 80, 220), (230, 200, 30), (150, 60, 200)]


def sample_book(
    page_count: int = 5,
    *,
    rtl: bool = False,
    has_cover: bool = True,
    panels_per_page: int = 2,
    jpeg_pages: tuple[int, ...] = (),
) -> MemorySource:
    """A small book: differently coloured and sized pages, panels, cast and locations."""
    pages: list[PageData] = []
    lettered: dict[int, list[PageData]] = {}
    clean: dict[int, list[PageData]] = {}
    for index in range(page_count):
        colour = _COLOURS[index % len(_COLOURS)]
        size = (60 + 10 * index, 90 + 5 * index)
        pages.append(solid_image(colour, size, "JPEG" if index in jpeg_pages else "PNG"))
        lettered[index] = [solid_image(colour, (30, 20 + p)) for p in range(panels_per_page)]
        clean[index] = [solid_image(colour[::-1], (30, 20 + p)) for p in range(panels_per_page)]
    return MemorySource(
        pages=pages,
        title="The Lighthouse & the <Storm>",
        summary='Two keepers, one night, "no" sleep.',
        writer="Ana Łukasz",
        language="ja" if rtl else "en",
        rtl=rtl,
        characters=["Mira", "Old Tom"],
        locations=["Lighthouse", "Harbour"],
        has_cover=has_cover,
        lettered_panels=lettered,
        clean_panels=clean,
        extra_metadata={"script": [{"page": 1, "text": "Waves."}]},
    )


def page_files(folder: Path, count: int, size: tuple[int, int] = PAGE_SIZE) -> list[Path]:
    """Write `count` page-like PNGs into `folder` (reusing a few distinct ones) and list them."""
    folder.mkdir(parents=True, exist_ok=True)
    distinct = [page_like_png(seed, size) for seed in range(min(count, 8))]
    paths = []
    for index in range(count):
        path = folder / f"src_{index:04d}.png"
        path.write_bytes(distinct[index % len(distinct)])
        paths.append(path)
    return paths
