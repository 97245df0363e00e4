"""Safe image sniffing for stored assets: dimensions and thumbnails with size caps."""

from __future__ import annotations

import io
import warnings

from PIL import Image

MAX_PIXELS = 80_000_000
MAX_SIDE = 12_000
# The formats the studio stores; PIL's other decoders (EPS runs Ghostscript) never see a byte.
FORMATS = ("PNG", "JPEG", "WEBP", "GIF")


class BadImage(ValueError):
    pass


def _open(data: bytes) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise BadImage("the image is too large to decode safely") from None
    except Exception as exc:  # noqa: BLE001 - PIL plugins raise many types on hostile bytes
        raise BadImage(f"not a readable image ({type(exc).__name__})") from None
    w, h = img.size
    if w <= 0 or h <= 0 or w > MAX_SIDE or h > MAX_SIDE or w * h > MAX_PIXELS:
        raise BadImage(f"image dimensions {w}×{h} are not sane")
    return img


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height from the header only; raises BadImage."""
    return _open(data).size


def mime_of(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    if data.startswith(b"ID3") or data[:2] in (b"\xff\xfb", b"\xff\xf3"):
        return "audio/mpeg"
    return "application/octet-stream"


def make_thumbnail(data: bytes, max_side: int = 320) -> bytes:
    img = _open(data)
    try:
        img.draft("RGB", (max_side, max_side))  # fast JPEG downscale
        img = img.convert("RGB")
    except Exception as exc:  # noqa: BLE001 - truncated or corrupt pixel data
        raise BadImage(f"image data is damaged ({type(exc).__name__})") from None
    img.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()
