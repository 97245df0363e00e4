"""Export a PDF whose page images are embedded as they are, written to disk page by page."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import img2pdf

from studio.export import pngchunks
from studio.export.bleed import add_bleed
from studio.export.common import ExportError, report
from studio.export.source import ExportSource, PrintSetup, Progress, print_setup

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
    Right-to-left books get the viewer preference `/Direction /R2L`. A source with a
    `print_setup` gets print pages: each page measures the book's trim size, with a
    TrimBox at the trim; with a bleed the image grows by it (edges mirrored) and the
    MediaBox and BleedBox take it in.
    """
    count = source.page_count()
    setup = print_setup(source)
    with out_path.open("wb") as file:
        writer = PdfStreamWriter(file, setup)
        for index in range(count):
            try:
                data = source.page_png(index)
                if setup is not None and setup.bleed > 0:
                    data = add_bleed(data, setup.bleed)
                writer.add_image_page(data)
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


def _convert(data: bytes, rotation: object, setup: PrintSetup | None = None) -> Any:
    """One page as an img2pdf document object (internal engine, nothing written yet)."""
    boxes: dict[str, Any] = {}
    if setup is not None:
        bleed_pt = setup.bleed_points()
        boxes = {
            "layout_fun": _print_layout(setup),
            "trimborder": (bleed_pt, bleed_pt),
            "bleedborder": (0, 0),
        }
    return img2pdf.convert_to_docobject(
        data,
        engine=img2pdf.Engine.internal,
        nodate=True,
        first_frame_only=True,
        rotation=rotation,
        **boxes,
    )


def _print_layout(setup: PrintSetup) -> Any:
    """An img2pdf layout: the page is the trim plus the bleed, the image fills all of it."""

    def layout(width_px: int, height_px: int, _dpi: object) -> tuple[float, ...]:
        bleed_px = 2 * max(0, setup.bleed)
        trim_w, trim_h = setup.trim_points(width_px - bleed_px, height_px - bleed_px)
        bleed = 2 * setup.bleed_points()
        return trim_w + bleed, trim_h + bleed, trim_w + bleed, trim_h + bleed

    return layout


def _rotation(data: bytes) -> object:
    """Skip img2pdf's EXIF look-up when there is no EXIF: for PNG it decodes every pixel."""
    png_without_exif = pngchunks.is_png(data) and not pngchunks.has_chunk(data, b"eXIf")
    return img2pdf.Rotation.none if png_without_exif else img2pdf.Rotation.auto


def _only_image(doc: Any) -> Any | None:
    """The image of a one-page img2pdf document, or None if it looks any different."""
    if len(doc.writer.pagearray) != 1:
        return None
    try:
        return doc.writer.pagearray[0][b"/Resources"][b"/XObject"][b"/Im0"]
    except (KeyError, TypeError):
        return None


def _serialized(obj: Any, stream: list[memoryview] | None) -> list[bytes | memoryview]:
    """An img2pdf internal-engine object as PDF bytes; `stream` replaces its (empty) stream."""
    head = b"%d 0 obj\n" % obj.identifier + img2pdf.parse(obj.content)
    if stream is None and obj.stream is None:
        return [head + b"\nendobj\n"]
    body = stream if stream is not None else [obj.stream]
    return [head + b"\nstream\n", *body, b"\nendstream\nendobj\n"]


def pdf_text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte order mark, as a hex string."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


class PdfStreamWriter:
    """Writes a PDF object by object: page objects as they come, the page tree last.

    Pages are made by img2pdf's own engine (`Engine.internal`), renumbered into this
    file and released, instead of img2pdf keeping every page until the end.
    """

    def __init__(self, file: BinaryIO, setup: PrintSetup | None = None) -> None:
        self._file = file
        self._setup = setup
        self._offsets: dict[int, int] = {}
        self._next_id = _INFO + 1
        self._kids: list[int] = []
        self._version = "1.4"
        self._position = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def add_image_page(self, data: bytes) -> None:
        """Append one page showing image `data` (PNG, JPEG, …) at its own size.

        For a PNG that a PDF can hold as it is, img2pdf sees a stand-in without pixel
        data and the IDAT payloads go from `data` straight to the file: no copy at all.
        """
        split = pngchunks.split_pixels(data)
        if split is not None:
            stand_in, pixels = split
            doc = _convert(stand_in, img2pdf.Rotation.none, self._setup)
            image = _only_image(doc)
            if image is not None and image.stream == b"":
                image[b"/Length"] = sum(len(part) for part in pixels)
                self._add(doc, {id(image): pixels})
                return
        self._add(_convert(pngchunks.single_idat(data), _rotation(data), self._setup), {})

    def _add(self, doc: Any, streams: dict[int, list[memoryview]]) -> None:
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
            self._object(obj.identifier, *_serialized(obj, streams.get(id(obj))))
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

    def _object(self, number: int, *parts: bytes | memoryview) -> None:
        self._offsets[number] = self._position
        for part in parts:
            self._write(part)

    def _write(self, data: bytes | memoryview) -> None:
        self._file.write(data)
        self._position += len(data)
