"""Comic Studio export layer: PNG pages, PDF, CBZ and ZIP package, written atomically.
Reads pages through the `source` protocol; imports `studio.core` at most, no Qt."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from studio.export.cbz import export_cbz
from studio.export.common import ExportError
from studio.export.png import export_png
from studio.export.source import ExportSource, MemorySource, Progress

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportSource",
    "MemorySource",
    "Progress",
    "export",
    "export_cbz",
    "export_pdf",
    "export_png",
    "export_zip",
]

FORMATS: tuple[str, ...] = ("png", "pdf", "cbz", "zip")
"""Export formats; "png" writes a folder of pages, the others one file."""

_EDQUOT = getattr(errno, "EDQUOT", errno.ENOSPC)  # quota exceeded; not on every platform


def __getattr__(name: str) -> object:
    if name == "export_pdf":
        from studio.export.pdf import export_pdf

        return export_pdf
    if name == "export_zip":
        from studio.export.package import export_zip

        return export_zip
    raise AttributeError(name)


def _exporter(kind: str) -> Callable[[ExportSource, Path, Progress | None], Path]:
    return export_cbz if kind == "cbz" else __getattr__(f"export_{kind}")  # type: ignore[return-value]


def export(
    source: ExportSource,
    fmt: str,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Export the book to `out` (a file, or a new or empty folder for "png") and return it.

    Everything is written under a hidden temporary name beside `out` and renamed at the
    end, so a failed or cancelled export (an exception from `progress` cancels) never
    leaves a partial file under the final name. Raises `ValueError` for an unknown
    format and `ExportError` when the book cannot be written (no pages, folder missing
    or not writable, disk full, an image a PDF cannot hold).
    """
    kind = fmt.lower()
    if kind not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}.")
    out = Path(out)
    if source.page_count() == 0:
        raise ExportError("The book has no pages to export.")
    if not out.parent.is_dir():
        raise ExportError(f"The folder {out.parent} does not exist.")
    try:
        if kind == "png":
            _export_folder(source, out, progress)
        else:
            _export_file(_exporter(kind), source, out, progress)
    except OSError as error:
        raise ExportError(describe_os_error(error, out)) from error
    return out


def describe_os_error(error: OSError, out: Path) -> str:
    """A sentence saying what went wrong writing `out`, for people."""
    folder = out.parent
    if error.errno in (errno.ENOSPC, _EDQUOT):
        return f"Not enough disk space to export to {out}."
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"No permission to write to {folder}."
    if error.errno == errno.EROFS:
        return f"{folder} is on a read-only disk."
    if not folder.is_dir():
        return f"The folder {folder} does not exist."
    where = f" ({error.filename})" if error.filename else ""
    return f"Export to {out} failed: {error.strerror or error}{where}."


def _temporary_name(out: Path) -> Path:
    return out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")


def _export_file(
    exporter: Callable[[ExportSource, Path, Progress | None], Path],
    source: ExportSource,
    out: Path,
    progress: Progress | None,
) -> None:
    partial = _temporary_name(out)
    try:
        exporter(source, partial, progress)
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _export_folder(source: ExportSource, out: Path, progress: Progress | None) -> None:
    if out.is_dir() and any(out.iterdir()):
        raise ExportError(f"The folder {out} is not empty; choose a new or empty folder.")
    partial = _temporary_name(out)
    try:
        export_png(source, partial, progress)
        if out.is_dir():
            out.rmdir()  # empty, checked above
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
