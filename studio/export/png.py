"""Export each page as its own PNG file: `page_001.png`, `page_002.png`, …"""

from __future__ import annotations

from pathlib import Path

from studio.export.common import digits, image_extension, report
from studio.export.source import ExportSource, Progress


def page_file_name(number: int, count: int, extension: str = ".png") -> str:
    """`page_007.png` for page 7 of a book; wider than 3 digits only for big books."""
    return f"page_{number:0{digits(count, 3)}d}{extension}"


def export_png(source: ExportSource, out_dir: Path, progress: Progress | None = None) -> list[Path]:
    """Write every page's bytes unchanged into `out_dir` (created if needed), in reading order.

    JPEG pages keep their bytes and get a ".jpg" name.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    count = source.page_count()
    written: list[Path] = []
    for index in range(count):
        data = source.page_png(index)
        path = out_dir / page_file_name(index + 1, count, image_extension(data))
        path.write_bytes(data)
        written.append(path)
        report(progress, index + 1, count)
    return written
