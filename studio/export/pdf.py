"""Export a PDF whose page images are embedded as they are, written to disk page by page."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import img2pdf

from studio.export.common import ExportError, report
from studio.export.source import ExportSource, Progress

_CATALOG, _PAGES, _INFO = 1, 2, 3
"""Object numbers kept for the objects written last, when every page is known."""

_IMAGE_ERRORS: tuple[type[Exception], ...] = (
    img2pdf.ImageOpenError,
    img2pdf.UnsupportedColorspaceError,
    img2pdf.JpegColorspaceError,
    img2pdf.NegativeDimensionError,
    img2pdf.PdfTooLargeError,
    img2pdf.AlphaChannelError,
    img2pdf.ExifOrientationError,
)


def export_pdf(source: ExportSource, out_path: Path, progress: Progress | None = None) -> Path:
    """Write the book as a PDF: one page per image, in reading order, lossless.

    img2pdf prepares each page (JPEG kept byte for byte, PNG data re-wrapped, never
    re-encoded); each page's objects go to the file at once, so only one page is in memory.
    Right-to-left books get the viewer preference `/Direction /R2L`.
    """
    count = source.page_count()
    with out_path.open("wb") as file:
        writer = PdfStreamWriter(file)
        for index in range(count):
            try:
                writer.add_image_page(source.page_png(index))
            except _IMAGE_ERRORS as error:
                raise ExportError(f"Page {index + 1} cannot go into a PDF: {error}") from error
            report(progress, index + 1, count)
        writer.finish(_document_info(source), language=source.language, rtl=source.rtl)
    return out_path


def _document_info(source: ExportSource) -> dict[str, str]:
    stamp = datetime.now(UTC).strftime("D:%Y%m%d%H%M%SZ")
    info = {
        "Title": source.title,
        "Author": source.writer,
        "Subject": source.summary,
        "Creator": source.app_name,
        "Producer": f"{source.app_name} (img2pdf {img2pdf.__version__})",
    }
    return {key: value for key, value in info.items() if value} | {"CreationDate": stamp}


def _rotation(data: bytes) -> object:
    """Skip img2pdf's EXIF look-up when there is no EXIF: for PNG it decodes every pixel."""
    png_without_exif = data.startswith(b"\x89PNG") and not _has_png_chunk(data, b"eXIf")
    return img2pdf.Rotation.none if png_without_exif else img2pdf.Rotation.auto


def _has_png_chunk(data: bytes, kind: bytes) -> bool:
    """Whether a PNG has a chunk of type `kind`, walking the chunk headers only."""
    position = 8
    while position + 8 <= len(data):
        if data[position + 4 : position + 8] == kind:
            return True
        position += int.from_bytes(data[position : position + 4], "big") + 12
    return False


def pdf_text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte order mark, as a hex string."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


class PdfStreamWriter:
    """Writes a PDF object by object: page objects as they come, the page tree last.

    Pages are made by img2pdf's own engine (`Engine.internal`), renumbered into this
    file and released, instead of img2pdf keeping every page until the end.
    """

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._offsets: dict[int, int] = {}
        self._next_id = _INFO + 1
        self._kids: list[int] = []
        self._version = "1.4"
        self._position = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return len(self._kids)

    def add_image_page(self, data: bytes) -> None:
        """Append one page showing image `data` (PNG, JPEG, …) at its own size."""
        doc = img2pdf.convert_to_docobject(
            data,
            engine=img2pdf.Engine.internal,
            nodate=True,
            first_frame_only=True,
            rotation=_rotation(data),
        )
        own = doc.writer
        skip = {id(own.docinfo), id(own.catalog), id(own.pages)}
        objects = [obj for obj in own.objects if id(obj) not in skip]
        for obj in objects:
            obj.identifier = self._next_id
            self._next_id += 1
        for page in own.pagearray:
            page[b"/Parent"] = b"%d 0 R" % _PAGES
            self._kids.append(page.identifier)
        for obj in objects:
            self._object(obj.identifier, obj.tostring())
        self._version = max(self._version, doc.output_version)

    def finish(self, info: dict[str, str], *, language: str = "", rtl: bool = False) -> None:
        """Write the page tree, catalog, document info, cross-reference table and trailer."""
        if not self._kids:
            raise ExportError("A PDF needs at least one page.")
        kids = b" ".join(b"%d 0 R" % kid for kid in self._kids)
        self._dict(_PAGES, b"/Type /Pages /Kids [%s] /Count %d" % (kids, len(self._kids)))
        catalog = b"/Type /Catalog /Pages %d 0 R" % _PAGES
        if rtl:
            catalog += b" /ViewerPreferences << /Direction /R2L >>"
        if language:
            catalog += b" /Lang " + pdf_text(language)
        if self._version > "1.4":
            catalog += b" /Version /" + self._version.encode("ascii")
        self._dict(_CATALOG, catalog)
        entries = b" ".join(b"/%s %s" % (k.encode(), pdf_text(v)) for k, v in info.items())
        self._dict(_INFO, entries)
        self._trailer(hashlib.md5(repr(info).encode(), usedforsecurity=False).hexdigest())

    def _trailer(self, file_id: str) -> None:
        start = self._position
        size = self._next_id
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        lines += [b"%010d 00000 n \n" % self._offsets[number] for number in range(1, size)]
        ident = file_id.encode("ascii")
        lines.append(
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s><%s>] >>\n"
            % (size, _CATALOG, _INFO, ident, ident)
        )
        lines.append(b"startxref\n%d\n%%%%EOF\n" % start)
        self._write(b"".join(lines))

    def _dict(self, number: int, body: bytes) -> None:
        self._object(number, b"%d 0 obj\n<< %s >>\nendobj\n" % (number, body))

    def _object(self, number: int, serialized: bytes) -> None:
        self._offsets[number] = self._position
        self._write(serialized)

    def _write(self, data: bytes) -> None:
        self._file.write(data)
        self._position += len(data)
