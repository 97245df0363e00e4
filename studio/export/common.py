"""Helpers shared by the exporters: errors, file names, progress and ZIP entries."""

from __future__ import annotations

import time
import zipfile

from studio.export import pngchunks
from studio.export.source import ExportSource, Progress, print_setup


class ExportError(Exception):
    """An export could not be written; the message says what happened and where."""


def digits(count: int, minimum: int) -> int:
    """How many digits zero-padded numbers 1..count need, at least `minimum`."""
    return max(minimum, len(str(count)))


def image_extension(data: bytes) -> str:
    """ ".jpg" for JPEG bytes, else ".png" (pages are PNG unless a provider delivered JPEG)."""
    return ".jpg" if data.startswith(b"\xff\xd8\xff") else ".png"


def report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def zip_entry(name: str, *, compress: bool) -> zipfile.ZipInfo:
    """A ZIP entry stamped with the current local time, stored or deflated."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


def write_entry(archive: zipfile.ZipFile, name: str, data: bytes, *, compress: bool) -> None:
    """Add one entry; images are stored as they are (they are compressed already)."""
    archive.writestr(zip_entry(name, compress=compress), data)


def page_image(source: ExportSource, index: int, dpi: float | None) -> bytes:
    """Page `index` as exported: a PNG says `dpi` in its pHYs chunk, JPEG stays as it is."""
    return pngchunks.with_dpi(source.page_png(index), dpi)


def page_dpi(source: ExportSource) -> float | None:
    """The pages' print resolution, from the source's print setup (None without one)."""
    setup = print_setup(source)
    return setup.dpi if setup is not None else None
