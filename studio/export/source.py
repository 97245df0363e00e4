"""What an exporter reads: the `ExportSource` protocol and an in-memory implementation."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PIL import Image

Progress = Callable[[int, int], None]
"""`progress(done, total)`, called once per page an exporter has finished."""


@dataclass(frozen=True)
class PrintSetup:
    """How the pages print: pixels per inch, bleed per side, and the trim size on paper.

    An optional `ExportSource` attribute, `print_setup`. With one, every PDF page measures
    the trim (`trim_pt`, or the page's pixels at `dpi`) plus `bleed_pt` on each side: the
    TrimBox is the trim, MediaBox and BleedBox take the bleed. PNG pages in PNG, CBZ and
    ZIP exports carry `dpi` in a pHYs chunk but never the bleed. Without one, a PDF page
    is the image at its own resolution (96 dpi when it names none), as img2pdf places it.
    """

    dpi: float
    bleed: int = 0
    """Bleed in pixels per side, added to the page image of a print PDF."""
    trim_pt: tuple[float, float] | None = None
    """Trim width and height in points; None: the page's pixels at `dpi`."""
    bleed_pt: float | None = None
    """Bleed per side in points; None: `bleed` pixels at `dpi`."""

    def trim_points(self, width_px: int, height_px: int) -> tuple[float, float]:
        """The trim size in points of a page of `width_px` × `height_px` (without bleed)."""
        if self.trim_pt is not None:
            return self.trim_pt
        return width_px * 72.0 / self.dpi, height_px * 72.0 / self.dpi

    def bleed_points(self) -> float:
        if self.bleed <= 0:
            return 0.0
        return self.bleed_pt if self.bleed_pt is not None else self.bleed * 72.0 / self.dpi


def print_setup(source: object) -> PrintSetup | None:
    """The source's print setup (None when it has none or its dpi is not positive)."""
    setup = getattr(source, "print_setup", None)
    if isinstance(setup, PrintSetup) and setup.dpi > 0:
        return setup
    return None


@runtime_checkable
class ExportSource(Protocol):
    """A finished book as the exporters see it; pages are already in reading order.

    Implementations should produce page and panel bytes on demand (one page at a
    time): exporters never hold more than one page, so memory stays flat.
    """

    title: str
    summary: str
    writer: str
    language: str
    """ISO 639 code, e.g. "en"."""
    rtl: bool
    """True for right-to-left books (manga order)."""
    characters: list[str]
    locations: list[str]
    app_name: str
    """Application name and version, e.g. "Comic Studio 0.1.0"."""
    has_cover: bool
    """Page 0 is the front cover."""

    def page_count(self) -> int: ...

    def page_png(self, index: int) -> bytes:
        """The finished page image (PNG, or JPEG for JPEG pages) at reading position `index`."""
        ...

    def page_size(self, index: int) -> tuple[int, int]:
        """Width and height in pixels of page `index`."""
        ...

    def panel_pngs(self, index: int, *, lettered: bool) -> list[bytes]:
        """The panels of page `index` in reading order, with or without lettering."""
        ...

    def cover_png(self) -> bytes: ...

    def metadata(self) -> dict[str, Any]:
        """JSON-able story, cast, locations, script and provenance; never has an "export" key."""
        ...


PageData = bytes | Path
"""Image bytes, or a file read only when the page is asked for."""


def _load(data: PageData) -> bytes:
    return data.read_bytes() if isinstance(data, Path) else data


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of an encoded image, read from its header without decoding pixels."""
    with Image.open(io.BytesIO(data)) as image:
        return image.size


@dataclass
class MemorySource:
    """An `ExportSource` over page images given as bytes or file paths (tests, benchmarks).

    Paths are read lazily, one page at a time, like the project-backed source does.
    `lettered_panels` / `clean_panels` map a page index to its panels.
    """

    pages: Sequence[PageData]
    title: str = "Untitled"
    summary: str = ""
    writer: str = ""
    language: str = "en"
    rtl: bool = False
    characters: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    app_name: str = "Comic Studio 0.1.0"
    has_cover: bool = False
    cover: PageData | None = None
    lettered_panels: dict[int, list[PageData]] = field(default_factory=dict)
    clean_panels: dict[int, list[PageData]] = field(default_factory=dict)
    extra_metadata: dict[str, Any] = field(default_factory=dict)
    sizes: dict[int, tuple[int, int]] = field(default_factory=dict)
    """Known page sizes; missing ones are read from the image header."""
    print_setup: PrintSetup | None = None

    def page_count(self) -> int:
        return len(self.pages)

    def page_png(self, index: int) -> bytes:
        return _load(self.pages[index])

    def page_size(self, index: int) -> tuple[int, int]:
        if index not in self.sizes:
            page = self.pages[index]
            if isinstance(page, Path):
                with Image.open(page) as image:
                    self.sizes[index] = image.size
            else:
                self.sizes[index] = image_size(page)
        return self.sizes[index]

    def panel_pngs(self, index: int, *, lettered: bool) -> list[bytes]:
        panels = self.lettered_panels if lettered else self.clean_panels
        return [_load(panel) for panel in panels.get(index, [])]

    def cover_png(self) -> bytes:
        return _load(self.cover if self.cover is not None else self.pages[0])

    def metadata(self) -> dict[str, Any]:
        return {
            "story": {"title": self.title, "summary": self.summary, "writer": self.writer},
            "language": self.language,
            "rtl": self.rtl,
            "cast": list(self.characters),
            "locations": list(self.locations),
            **self.extra_metadata,
        }
