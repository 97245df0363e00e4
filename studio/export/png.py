"""Export each page as its own PNG file: `page_001.png`, `page_002.png`, …"""

from __future__ import annotations

from pathlib import Path

from studio.export.common import digits, image_extension, page_dpi, page_image, report
from studio.export.source import ExportSource, Progress


def page_file_name(number: int, count: int, extension: str = ".png") -> str:
    """`page_007.png` for page 7 of a book; wider than 3 digits only for big books."""
    return f"page_{number:0{digits(count, 3)}d}{extension}"


def export_png(source: ExportSource, out_dir: Path, progress: Progress | None = None) -> list[Path]:
    """Write every page's bytes unchanged into `out_dir` (created if needed), in reading order.

    JPEG pages keep their bytes and get a ".jpg" name; PNG pages get the print setup's dpi
    in a pHYs chunk (pixels untouched).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    count = source.page_count()
    written: list[Path] = []
    dpi = page_dpi(source)
    for index in range(count):
        data = page_image(source, index, dpi)
        path = out_dir / page_file_name(index + 1, count, image_extension(data))
        path.write_bytes(data)
        written.append(path)
        report(progress, index + 1, count)
    return written
