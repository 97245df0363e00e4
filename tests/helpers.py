"""Small shared helpers for tests: real PNG bytes."""

from __future__ import annotations

import io

from PIL import Image


def png(color: str | tuple[int, int, int] = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()
