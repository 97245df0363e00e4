"""Export each page as its own PNG file: `page_001.png`, `page_002.png`, …"""

from __future__ import annotations

from pathlib import Path

from studio.export.common import digits, report
from studio.export.source import ExportSource, Progress


def page_file_name(number: int, count: int) -> str:
    """`page_007.png` for page 7 of a book; wider than 3 digits only for big books."""
    return f"page_{number:0{digits(count, 3)}d}.png"


def export_png(source: ExportSource, out_dir: Path, progress: Progress | None = None) -> list[Path]:
    """Write every page's bytes unchanged into `out_dir` (created if needed), in reading order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    count = source.page_count()
    written: list[Path] = []
    for index in range(count):
        path = out_dir / page_file_name(index + 1, count)
        path.write_bytes(source.page_png(index))
        written.append(path)
        report(progress, index + 1, count)
    return written
