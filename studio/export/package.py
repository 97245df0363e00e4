"""Export the ZIP package: cover, PDF, pages, lettered and clean panels, metadata.json."""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.export import pngchunks
from studio.export.common import (
    digits,
    image_extension,
    page_dpi,
    page_image,
    report,
    write_entry,
)
from studio.export.pdf import export_pdf
from studio.export.source import ExportSource, Progress


def export_zip(source: ExportSource, out_path: Path, progress: Progress | None = None) -> Path:
    """Write the package to `out_path`; progress runs over 2 × pages (PDF, then pages).

    The PDF is made in a temporary file beside `out_path` (not in a RAM-backed /tmp)
    and copied into the archive in chunks.
    """
    count = source.page_count()
    total = 2 * count

    def pdf_progress(done: int, _total: int) -> None:
        report(progress, done, total)

    with (
        tempfile.TemporaryDirectory(dir=out_path.parent, prefix=".export-") as scratch,
        zipfile.ZipFile(out_path, "w") as archive,
    ):
        dpi = page_dpi(source)
        cover = pngchunks.with_dpi(source.cover_png(), dpi)
        write_entry(archive, f"cover{image_extension(cover)}", cover, compress=False)
        del cover
        pdf_path = export_pdf(source, Path(scratch) / "book.pdf", pdf_progress)
        archive.write(pdf_path, "book.pdf", compress_type=zipfile.ZIP_STORED)
        pdf_path.unlink()
        for index in range(count):
            _write_page(archive, source, index, dpi)
            report(progress, count + index + 1, total)
        write_entry(archive, "metadata.json", _metadata_json(source), compress=True)
    return out_path


def package_names(count: int, number: int, panels: int) -> tuple[str, list[str]]:
    """The page entry stem and its panel stems, e.g. `page_03`, [`page_03_panel_01`, …]."""
    page = f"page_{number:0{digits(count, 2)}d}"
    width = digits(panels, 2)
    return page, [f"{page}_panel_{panel:0{width}d}" for panel in range(1, panels + 1)]


def _write_page(
    archive: zipfile.ZipFile, source: ExportSource, index: int, dpi: float | None
) -> None:
    count = source.page_count()
    data = page_image(source, index, dpi)
    page, _ = package_names(count, index + 1, 0)
    write_entry(archive, f"pages/{page}{image_extension(data)}", data, compress=False)
    del data
    for folder, lettered in (("panels", True), ("panels/clean", False)):
        panels = source.panel_pngs(index, lettered=lettered)
        _, stems = package_names(count, index + 1, len(panels))
        for stem, panel in zip(stems, panels, strict=True):
            write_entry(archive, f"{folder}/{stem}{image_extension(panel)}", panel, compress=False)


def _metadata_json(source: ExportSource) -> bytes:
    metadata: dict[str, Any] = dict(source.metadata())
    metadata["export"] = {
        "app": source.app_name,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": "zip",
        "page_count": source.page_count(),
    }
    return json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8")
