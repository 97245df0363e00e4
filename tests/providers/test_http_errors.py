"""The shared provider HTTP layer: error bodies and mapping, asset verification."""

from __future__ import annotations

import io
import json
import logging
import struct
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fake_base import MP4_BYTES, make_png
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from studio.providers.errors import (
    AssetRejected,
    AuthError,
    ContentRejected,
    ForbiddenError,
    NotFoundError,
    ProviderUnavailable,
    QuotaError,
    RateLimited,
    ValidationRefused,
)
from studio.providers.http import ProviderClient as ApiClient
from studio.providers.http import (
    RetryPolicy,
    extract_error,
    map_error,
    parse_retry_after,
    verify_asset,
    verify_image,
)

KEY = "k-SECRET-abcdef123456"
BASE = "https://api.example.test/v1"


class FakeClock:
    """A monotonic clock that only moves when somebody sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Route = Callable[[httpx.Request], httpx.Response]


def client(handler: Route, clock: FakeClock | None = None, **kw: Any) -> ApiClient:
    """An ApiClient on a MockTransport, with recorded (not real) backoff sleeps."""
    clock = clock or FakeClock()
    return ApiClient(
        "Prov",
        BASE,
        {"Authorization": f"Bearer {KEY}"},
        requests_per_minute=1000,
        transport=httpx.MockTransport(handler),
        retry=RetryPolicy(base_delay=1.0, sleep=clock.sleep, random=lambda: 1.0),
        **kw,
    )


def sequence(*responses: httpx.Response) -> tuple[Route, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler, seen


# ------------------------------------------------------------ error bodies


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"code": "E1", "message": "m"}, ("E1", "m")),
        ({"errorCode": 42, "msg": "m"}, ("42", "m")),
        ({"error_code": "x", "errorMessage": "m"}, ("x", "m")),
        ({"detail": "d"}, ("", "d")),
        ({"reason": "r"}, ("", "r")),
        ({"description": "s"}, ("", "s")),
        ({"error": {"code": "c", "message": "inner"}}, ("c", "inner")),
        ({"error": {"error_code": "c", "detail": "dd"}}, ("c", "dd")),
        ({"error": "plain words"}, ("", "plain words")),
        ({"error": "rate_limited", "message": "slow"}, ("rate_limited", "slow")),
        ({"success": False, "message": "m", "data": None}, ("", "m")),
        ("text body", ("", "text body")),
        (None, ("", "")),
        ([1, 2], ("", "")),
    ],
)
def test_extract_error_shapes(body: Any, expected: tuple[str, str]) -> None:
    assert extract_error(body) == expected


def _response(status: int, body: Any = None, **headers: str) -> httpx.Response:
    if isinstance(body, str | bytes):
        return httpx.Response(status, content=body, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, {"error": "bad token"}, AuthError),
        (402, None, QuotaError),
        (403, {"message": "denied"}, ForbiddenError),
        (403, {"error": "content_rejected", "message": "no"}, ContentRejected),
        (400, {"message": "bad"}, ValidationRefused),
        (422, {"detail": "bad"}, ValidationRefused),
        (404, None, NotFoundError),
        (429, {"message": "Too many"}, RateLimited),
        (429, {"error": {"message": "Insufficient balance"}}, QuotaError),
        (429, "Your credits are exhausted", QuotaError),
        (451, None, ContentRejected),
        (500, None, ProviderUnavailable),
        (502, "<html><body>Bad gateway</body></html>", ProviderUnavailable),
    ],
)
def test_map_error_classes(status: int, body: Any, error: type[Exception]) -> None:
    mapped = map_error(_response(status, body), provider="Prov")
    assert type(mapped) is error
    assert mapped.status == status
    assert "<html" not in str(mapped)


def test_map_error_truncates_scrubs_and_keeps_trace_and_retry_after() -> None:
    body = {"error": {"code": KEY, "message": f"token {KEY} " + "x" * 1000}}
    response = _response(429, body, **{"Retry-After": "12", "X-Trace-Id": "tr-1"})
    mapped = map_error(response, provider="Prov", secrets=[KEY])
    assert KEY not in str(mapped) and KEY not in mapped.code and "***" in str(mapped)
    assert len(str(mapped)) < 400
    assert mapped.retry_after == 12 and mapped.trace_id == "tr-1"


async def test_client_scrubs_its_key_from_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/bad"):
            return httpx.Response(200, content=f"oops {KEY}".encode())
        return httpx.Response(401, json={"message": f"Bearer {KEY} is wrong"})

    api = client(handler)
    with pytest.raises(AuthError) as auth:
        await api.get_json("/x", params={"token": "QUERYSECRET"})
    with pytest.raises(Exception) as malformed:
        await api.send_billable("POST", "/bad", json={})
    texts = [str(auth.value), str(malformed.value)] + [r.getMessage() for r in caplog.records]
    assert not [t for t in texts if KEY in t or "QUERYSECRET" in t]
    assert any("GET /v1/x -> 401" in t for t in texts)


@given(st.text(max_size=40))
def test_parse_retry_after_never_raises(value: str) -> None:
    result = parse_retry_after(value)
    assert result is None or result >= 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(json_values, st.sampled_from([400, 401, 402, 403, 404, 422, 429, 451, 500, 503]))
def test_map_error_accepts_any_json_body(body: Any, status: int) -> None:
    mapped = map_error(httpx.Response(status, content=json.dumps(body).encode()))
    assert mapped.status == status and len(mapped.message) < 400


# ------------------------------------------------------------------ assets


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions but holds (almost) no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def test_verify_image_accepts_real_images() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, format="JPEG")
    assert verify_image(make_png("x")) == "image/png"
    assert verify_image(buffer.getvalue()) == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (_png_header(13_000, 10), "12000 px"),
        (_png_header(9_000, 9_000), "megapixels"),
        (make_png("x")[:60], "not a readable image"),
        (b"GIF89a-not-really", "not a readable image"),
        (b"", "empty"),
    ],
)
def test_verify_image_rejects_bad_data(data: bytes, text: str) -> None:
    with pytest.raises(AssetRejected, match=text):
        verify_asset(data, ("image",))


def test_video_by_magic_bytes() -> None:
    assert verify_asset(MP4_BYTES, ("video",)) == "video/mp4"
    assert verify_asset(b"\x1a\x45\xdf\xa3" + b"\x00" * 20, ("video",)) == "video/webm"
    with pytest.raises(AssetRejected, match="MP4 or WebM"):
        verify_asset(make_png("x"), ("video",))
    assert verify_asset(make_png("x"), ("video", "image")) == "image/png"
