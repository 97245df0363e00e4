"""PNG chunk walking for the PDF writer: find EXIF, split off pixel data, join IDAT chunks."""

from __future__ import annotations

import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_EMPTY_IDAT = b"\x00\x00\x00\x00IDAT" + zlib.crc32(b"IDAT").to_bytes(4, "big")


def chunks(data: bytes) -> list[tuple[bytes, int, int]]:
    """(type, start, end) of each chunk, `end` past its CRC; reads the 8-byte headers only."""
    found, position = [], len(SIGNATURE)
    while position + 8 <= len(data):
        end = position + int.from_bytes(data[position : position + 4], "big") + 12
        found.append((data[position + 4 : position + 8], position, end))
        position = end
    return found


def is_png(data: bytes) -> bool:
    return data.startswith(SIGNATURE) and len(data) >= 33


def has_chunk(data: bytes, kind: bytes) -> bool:
    return any(found == kind for found, _, _ in chunks(data))


def split_pixels(data: bytes) -> tuple[bytes, list[memoryview]] | None:
    """A stand-in PNG with an empty IDAT, and the IDAT payloads as views into `data`.

    Only for PNGs whose compressed pixel data a PDF can hold as it is (what img2pdf
    embeds directly): not interlaced, no alpha channel or tRNS transparency, no palette
    together with an ICC profile, no EXIF. `None` for any other image.
    """
    if not is_png(data) or data[28] != 0 or data[25] in (4, 6):
        return None
    found = chunks(data)
    kinds = {kind for kind, _, _ in found}
    if b"tRNS" in kinds or b"eXIf" in kinds or {b"PLTE", b"iCCP"} <= kinds:
        return None
    idat = [(start, end) for kind, start, end in found if kind == b"IDAT"]
    if not idat:
        return None
    view = memoryview(data)
    stand_in = b"".join((view[: idat[0][0]], _EMPTY_IDAT, view[idat[-1][1] :]))
    return stand_in, [view[start + 8 : end - 4] for start, end in idat]


def single_idat(data: bytes) -> bytes:
    """The same PNG with its IDAT chunks joined into one (pixels and compression untouched).

    img2pdf joins IDAT chunks with repeated `+=`, quadratic in their number: with Pillow's
    64 KB chunks that is ~10 MB copied per 1 MB page. Joining once keeps it linear.
    """
    if not is_png(data):
        return data
    idat = [(start, end) for kind, start, end in chunks(data) if kind == b"IDAT"]
    if len(idat) < 2:
        return data
    view = memoryview(data)
    parts = [view[start + 8 : end - 4] for start, end in idat]
    crc = zlib.crc32(b"IDAT")
    for part in parts:
        crc = zlib.crc32(part, crc)
    size = sum(len(part) for part in parts)
    head = [view[: idat[0][0]], size.to_bytes(4, "big"), b"IDAT"]
    return b"".join([*head, *parts, crc.to_bytes(4, "big"), view[idat[-1][1] :]])


def with_dpi(data: bytes, dpi: float | None) -> bytes:
    """The same PNG saying `dpi` in its pHYs chunk (pixels untouched); other data as it is.

    pHYs holds pixels per metre, so 200 dpi is stored as 7874 and reads back as 199.9996.
    An existing pHYs chunk is replaced; the new one goes right after IHDR (before IDAT).
    """
    if dpi is None or dpi <= 0 or not is_png(data):
        return data
    per_metre = round(dpi / 0.0254).to_bytes(4, "big")
    body = b"pHYs" + per_metre + per_metre + b"\x01"
    chunk = (9).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    found = chunks(data)
    view = memoryview(data)
    parts: list[bytes | memoryview] = [view[: len(SIGNATURE)]]
    for kind, start, end in found:
        if kind == b"pHYs":
            if view[start:end] == chunk:
                return data
            continue
        parts.append(view[start:end])
        if kind == b"IHDR":
            parts.append(chunk)
    if found:
        parts.append(view[found[-1][2] :])
    return b"".join(parts)
