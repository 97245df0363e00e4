"""Verification of downloaded assets (decodable images of sane size, or MP4/WebM clips)
and of the URLs a provider's answer points to."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from typing import Any

import httpx
from PIL import Image

from studio.net.errors import AssetRefused

MAX_SIDE = 12_000
MAX_PIXELS = 80_000_000
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_URL_CHARS = 8192
# Only the formats providers deliver: never let an answer reach PIL's other decoders
# (EPS would start Ghostscript, PSD/TIFF/ICO have their own bomb and parser histories).
IMAGE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")


def safe_url(value: Any, *, relative: bool = True) -> str | None:
    """``value`` when it is a URL the studio can request, else None.

    An absolute http(s) URL with a host, or (when ``relative``) a path on the API origin;
    at most 8 KB and accepted by httpx. Anything else in an answer counts as missing, so a
    hostile or broken answer surfaces as "no image" rather than as a crash while fetching.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_URL_CHARS:
        return None
    absolute = text.startswith(("https://", "http://"))
    if not absolute and not (relative and text.startswith("/") and len(text) > 1):
        return None
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError):
        return None
    if absolute and not url.host:
        return None
    return text


def sniff_video(data: bytes) -> str | None:
    """``video/mp4`` or ``video/webm`` by magic bytes, else ``None``."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "video/mp4"
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def verify_image(data: bytes) -> str:
    """Check that ``data`` is a decodable image of sane dimensions; return its MIME type.

    Dimensions are checked from the header before any pixel is decoded, so a
    decompression bomb is refused without being expanded.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as probe:
                width, height = probe.size
                fmt = probe.format or ""
                _check_dimensions(width, height)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=IMAGE_FORMATS) as image:
                image.load()
    except AssetRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise AssetRefused(
            "The downloaded image is too large to decode safely (a decompression bomb?)."
        ) from exc
    except Exception as exc:
        raise AssetRefused(
            f"The downloaded file is not a readable image ({type(exc).__name__})."
        ) from exc
    return Image.MIME.get(fmt.upper(), "application/octet-stream")


def _check_dimensions(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise AssetRefused("The downloaded image has no pixels.")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise AssetRefused(
            f"The downloaded image is {width}×{height} pixels; the studio accepts at most "
            f"{MAX_SIDE} px per side and {MAX_PIXELS // 1_000_000} megapixels."
        )


def verify_asset(data: bytes, kinds: Sequence[str]) -> str:
    """Verify ``data`` as one of ``kinds`` ("image", "video"); return its MIME type."""
    if not data:
        raise AssetRefused("The downloaded file is empty.")
    if "video" in kinds:
        mime = sniff_video(data)
        if mime:
            return mime
        if "image" not in kinds:
            raise AssetRefused("The downloaded file is not an MP4 or WebM video.")
    return verify_image(data)
