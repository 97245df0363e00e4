"""Hostile images: bombs, truncated files, non-images, absurd sizes, endless bodies.

Caps act before the bytes can exhaust memory: the header is read before any pixel, and a
download stops at the byte limit while streaming. (Simple cases of ``verify_image`` are in
tests/providers/test_http_errors.py.)
"""

from __future__ import annotations

import asyncio
import io
import socket
import struct
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiohttp import web
from PIL import Image

from studio.net.assets import DEFAULT_MAX_BYTES
from studio.providers.errors import AssetRejected
from studio.providers.http import ProviderClient as ApiClient
from studio.providers.http import RetryPolicy, verify_asset
from studio.storage import Project, ProjectError
from studio.storage.images import BadImage, image_size, make_thumbnail

MB = 1024 * 1024
KEY = "test-key-not-real-images"


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_header(width: int, height: int, idat: bytes | None = None) -> bytes:
    """A valid-looking PNG claiming ``width``×``height`` grey pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = idat if idat is not None else zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
    )


def zero_bomb(width: int, height: int) -> bytes:
    """A real bomb: every row present, so decoding it would allocate width×height bytes."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return png_header(width, height, body)


def noisy_png(size: tuple[int, int] = (256, 256)) -> bytes:
    image = Image.effect_noise(size, 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg_claiming(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_claiming(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    data = bytearray(out.getvalue())
    data[6:10] = struct.pack("<HH", width, height)  # the logical screen
    return bytes(data)


def _bmp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "BMP")
    return out.getvalue()


# ----------------------------------------------------------- verification


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (zero_bomb(20_000, 20_000), "12000 px|too large"),  # ~400 MB of pixels in ~400 kB
        (zero_bomb(10_000, 9_000), "megapixels|too large"),
        (png_header(2**31 - 1, 2**31 - 1), "12000 px|too large"),
        (png_header(0, 10), "readable|no pixels"),
        (jpeg_claiming(65_000, 65_000), "12000 px|too large"),
        (gif_claiming(65_535, 65_535), "12000 px|too large"),
        (noisy_png()[: len(noisy_png()) // 2], "not a readable image"),
        (noisy_png()[:-20], "not a readable image"),  # IEND and the end of IDAT cut
        (b"<!DOCTYPE html><html><body>403 Forbidden</body></html>", "not a readable image"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not a readable image"),
        (_bmp(), "not a readable image"),  # a real image, of a format we never store
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "not a readable image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200_000, "not a readable image"),
    ],
)
def test_downloaded_bad_images_are_rejected(data: bytes, text: str) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(AssetRejected, match=text):
            verify_asset(data, ("image",))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * MB, f"verification allocated {peak / MB:.0f} MB"


@pytest.mark.parametrize(
    "data",
    [
        zero_bomb(20_000, 20_000),
        png_header(100_000, 100_000),
        jpeg_claiming(65_000, 65_000),
        gif_claiming(65_535, 65_535),
        b"<html>not an image</html>",
        _bmp(),
    ],
)
def test_stored_assets_are_checked_before_decoding(tmp_path, data: bytes) -> None:
    with pytest.raises(BadImage):
        image_size(data)
    with pytest.raises(BadImage):
        make_thumbnail(data)
    with Project.create(tmp_path / "a.comic", _story()) as project:
        with pytest.raises(ProjectError, match="not stored"):
            project.put_asset(data, "image/png")
        assert project._one("SELECT COUNT(*) FROM assets")[0] == 0


def test_truncated_image_with_a_whole_header_fails_at_thumbnail_time() -> None:
    data = noisy_png()[:2000]
    assert image_size(data) == (256, 256)  # the header alone is fine
    with pytest.raises(BadImage, match="damaged"):
        make_thumbnail(data)


def _story():
    from studio.core.models import Story

    return Story(prompt="x")


# ----------------------------------------------------- streaming downloads


@dataclass
class Served:
    bytes_sent: int = 0
    finished: bool = False


class HostileAssets:
    """A loopback server with an endless body, a lying length, and HTML sold as PNG."""

    def __init__(self) -> None:
        self.served: dict[str, Served] = {}
        self.headers: list[dict[str, str]] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> HostileAssets:
        app = web.Application()
        app.router.add_get("/huge.png", self._huge)
        app.router.add_get("/declared.png", self._declared)
        app.router.add_get("/html.png", self._html)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        """500 MB, chunked (no Content-Length): only counting stops it."""
        self.headers.append(dict(request.headers))
        served = self.served.setdefault("huge", Served())
        response = web.StreamResponse(headers={"Content-Type": "image/png"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"\x89PNG\r\n\x1a\n" + b"\x00" * (MB - 8)
        try:
            for _ in range(500):
                await response.write(chunk)
                served.bytes_sent += len(chunk)
            await response.write_eof()
            served.finished = True
        except (ConnectionResetError, ConnectionError, asyncio.CancelledError):
            pass
        return response

    async def _declared(self, request: web.Request) -> web.StreamResponse:
        served = self.served.setdefault("declared", Served())
        response = web.StreamResponse(
            headers={"Content-Type": "image/png", "Content-Length": str(500 * MB)}
        )
        await response.prepare(request)
        try:
            for _ in range(500):
                await response.write(b"\x00" * MB)
                served.bytes_sent += MB
        except (ConnectionResetError, ConnectionError, asyncio.CancelledError):
            pass
        return response

    async def _html(self, request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=b"<html><body>Sign in to continue</body></html>", content_type="image/png"
        )


@pytest.fixture
async def hostile() -> AsyncIterator[HostileAssets]:
    server = await HostileAssets().start()
    yield server
    await server.close()


def _client(base: str) -> ApiClient:
    return ApiClient(
        "Test",
        base,
        {"Authorization": f"Bearer {KEY}"},
        requests_per_minute=6000,
        retry=RetryPolicy(attempts=1),
    )


async def test_endless_body_is_cut_at_the_cap_with_little_memory(hostile: HostileAssets) -> None:
    client = _client(hostile.url)
    tracemalloc.start()
    try:
        with pytest.raises(AssetRejected, match="larger than the limit") as caught:
            await client.download_asset("/huge.png")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await client.aclose()
    await asyncio.sleep(0.2)  # let the server notice the closed connection
    served = hostile.served["huge"]
    assert not served.finished
    assert served.bytes_sent < 200 * MB, f"{served.bytes_sent / MB:.0f} MB were sent"
    assert peak < DEFAULT_MAX_BYTES + 40 * MB, f"peak {peak / MB:.0f} MB while downloading"
    assert KEY not in str(caught.value) and KEY not in caught.value.user_message()


async def test_a_declared_500_mb_body_is_refused_before_reading(hostile: HostileAssets) -> None:
    client = _client(hostile.url)
    tracemalloc.start()
    try:
        with pytest.raises(AssetRejected, match="524,288,000 bytes; the limit"):
            await client.download_asset("/declared.png")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await client.aclose()
    assert peak < 16 * MB


async def test_html_served_as_png_is_rejected(hostile: HostileAssets) -> None:
    client = _client(hostile.url)
    try:
        with pytest.raises(AssetRejected, match="not a readable image"):
            await client.download_asset("/html.png")
    finally:
        await client.aclose()


async def test_a_small_cap_is_honoured_too(hostile: HostileAssets) -> None:
    client = _client(hostile.url)
    try:
        with pytest.raises(AssetRejected, match="limit of 2,097,152 bytes"):
            await client.download_asset("/huge.png", max_bytes=2 * MB)
    finally:
        await client.aclose()
