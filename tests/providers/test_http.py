"""The shared provider HTTP layer: rate limiter, backoff, send-once, auth by origin."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fake_base import make_png
from fake_llamagen import FakeLlamaGen

from studio.net.limits import limits_for
from studio.providers.errors import (
    AssetRejected,
    NotFoundError,
    OutcomeUnknown,
    ProviderUnavailable,
    RateLimited,
)
from studio.providers.http import (
    AssetExpired,
    RateLimiter,
    RetryPolicy,
    validate_base_url,
)
from studio.providers.http import ProviderClient as ApiClient

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


# ------------------------------------------------------------------ limiter


async def test_limiter_lets_ten_through_and_makes_the_eleventh_wait() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        await limiter.acquire()
    assert clock.sleeps == []
    await limiter.acquire()
    assert clock.sleeps == [60.0]


async def test_limiter_window_slides() -> None:
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        await limiter.acquire()
        clock.now += 1  # one request a second
    await limiter.acquire()  # at t=10 the first grant (t=0) leaves the window at t=60
    assert clock.sleeps == [50.0]


async def test_fractional_rate_spaces_requests() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0.5, clock=clock, sleep=clock.sleep)
    await limiter.acquire()
    await limiter.acquire()
    assert clock.sleeps == [120.0]


async def test_limits_are_shared_per_provider_and_key() -> None:
    a = limits_for("p", "key1", 10, 4)
    assert limits_for("p", "key1", 10, 4) is a
    assert limits_for("p", "key2", 10, 4) is not a
    assert limits_for("q", "key1", 10, 4) is not a
    one = client(lambda r: httpx.Response(200, json={}))
    two = client(lambda r: httpx.Response(200, json={}))
    assert one.limiter is two.limiter
    await one.aclose()
    await two.aclose()


# ------------------------------------------------------------------ retries


async def test_get_retries_5xx_with_exponential_full_jitter() -> None:
    clock = FakeClock()
    handler, seen = sequence(
        httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"ok": 1})
    )
    api = client(handler, clock)
    assert await api.get_json("/x") == {"ok": 1}
    assert clock.sleeps == [1.0, 2.0]  # random() = 1 → the full cap of each step
    assert len(seen) == 3


async def test_get_honours_retry_after_seconds_and_http_date() -> None:
    clock = FakeClock()
    handler, _ = sequence(
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        httpx.Response(200, json=[]),
    )
    api = client(handler, clock)
    assert await api.get_json("/x") == []
    assert clock.sleeps == [7.0, 0.0]  # a date in the past means "now"


async def test_retry_after_beyond_the_budget_gives_up_with_the_hint() -> None:
    clock = FakeClock()
    handler, seen = sequence(httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimited) as info:
        await client(handler, clock).get_json("/x")
    assert info.value.retry_after == 3600 and clock.sleeps == [] and len(seen) == 1


async def test_retries_are_bounded_by_time_not_count() -> None:
    clock = FakeClock()
    handler, seen = sequence(httpx.Response(500))
    with pytest.raises(ProviderUnavailable):
        await client(handler, clock).get_json("/x")
    # 1, 2, 4, 8, 16, then 20 s waits until two minutes of failure are used up
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 20.0, 20.0, 20.0]
    assert len(seen) == 10


async def test_the_retry_budget_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMIC_STUDIO_RETRY_BUDGET", "10")
    clock = FakeClock()
    handler, seen = sequence(httpx.Response(503))
    with pytest.raises(ProviderUnavailable):
        await client(handler, clock).get_json("/x")
    assert clock.sleeps == [1.0, 2.0, 4.0] and len(seen) == 4


async def test_broken_json_answers_are_read_again_within_the_budget() -> None:
    clock = FakeClock()
    handler, seen = sequence(*[httpx.Response(200, text='{"id": "x') for _ in range(6)],
                             httpx.Response(200, json={"ok": True}))  # fmt: skip
    assert await client(handler, clock).get_json("/x") == {"ok": True}
    assert len(seen) == 7


async def test_network_errors_on_get_are_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) < 3:
            raise httpx.ReadError("reset", request=request)
        return httpx.Response(200, json={"ok": True})

    assert await client(handler).get_json("/x") == {"ok": True}


async def test_client_errors_are_not_retried() -> None:
    handler, seen = sequence(httpx.Response(404, json={"message": "gone"}))
    with pytest.raises(NotFoundError, match="gone"):
        await client(handler).get_json("/x")
    assert len(seen) == 1


# ------------------------------------------------------------ send billable


def _raiser(exc_type: type[Exception]) -> Route:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type("boom", request=request)  # type: ignore[call-arg]

    return handler


@pytest.mark.parametrize(
    ("exc_type", "error"),
    [
        (httpx.ConnectError, ProviderUnavailable),
        (httpx.ConnectTimeout, ProviderUnavailable),
        (httpx.PoolTimeout, ProviderUnavailable),
        (httpx.ReadTimeout, OutcomeUnknown),
        (httpx.WriteTimeout, OutcomeUnknown),
        (httpx.ReadError, OutcomeUnknown),
        (httpx.WriteError, OutcomeUnknown),
        (httpx.RemoteProtocolError, OutcomeUnknown),
    ],
)
async def test_billable_failures_before_and_after_sending(
    exc_type: type[Exception], error: type[Exception]
) -> None:
    calls: list[int] = []
    inner = _raiser(exc_type)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return inner(request)

    with pytest.raises(error):
        await client(handler).send_billable("POST", "/jobs", json={"a": 1})
    assert calls == [1]


async def test_billable_5xx_is_not_retried() -> None:
    handler, seen = sequence(httpx.Response(500))
    with pytest.raises(OutcomeUnknown, match="may have accepted and billed"):
        await client(handler).send_billable("POST", "/jobs", json={})
    assert len(seen) == 1


async def test_billable_connect_refused_over_loopback_is_safe() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    api = ApiClient("Prov", f"http://127.0.0.1:{port}", {"X-API-Key": KEY}, requests_per_minute=60)
    with pytest.raises(ProviderUnavailable, match="nothing was sent"):
        await api.send_billable("POST", "/jobs", json={})
    await api.aclose()


async def test_billable_read_timeout_over_loopback_is_outcome_unknown() -> None:
    fake = await FakeLlamaGen().start()
    fake.slow("create", 1.0)
    api = ApiClient(
        "Prov",
        fake.url,
        {"Authorization": "Bearer x"},
        requests_per_minute=600,
        timeout=httpx.Timeout(0.2, connect=1.0),
    )
    try:
        with pytest.raises(OutcomeUnknown, match="may have been accepted"):
            await api.send_billable("POST", "/comics/generations", json={"prompt": "p"})
        assert fake.billable_count() == 1
    finally:
        await api.aclose()
        await fake.close()


# -------------------------------------------------------- auth and origins


async def test_auth_goes_only_to_the_api_origin_and_is_redecided_per_redirect_hop() -> None:
    seen: list[httpx.Request] = []
    png = make_png("a")

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.host == "api.example.test" and request.url.path == "/a.png":
            return httpx.Response(302, headers={"Location": "https://cdn.example.test/a.png?t=1"})
        return httpx.Response(200, content=png)

    api = client(handler)
    data, mime = await api.download_asset("/a.png")
    assert (data, mime) == (png, "image/png")
    assert [r.url.host for r in seen] == ["api.example.test", "cdn.example.test"]
    assert seen[0].headers["authorization"] == f"Bearer {KEY}"
    assert "authorization" not in seen[1].headers
    # a different port is a different origin too
    await api.download_asset("https://api.example.test:8443/b.png")
    assert "authorization" not in seen[-1].headers


async def test_redirect_loops_are_cut() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://cdn.example.test/again"})

    with pytest.raises(ProviderUnavailable, match="redirected more than"):
        await client(handler).download_asset("https://cdn.example.test/x")


@pytest.mark.parametrize("status", [403, 404, 410])
async def test_expired_asset_links(status: int) -> None:
    with pytest.raises(AssetExpired):
        await client(lambda r: httpx.Response(status)).download_asset("https://cdn.x/a.png")


async def test_non_web_asset_urls_are_refused() -> None:
    with pytest.raises(AssetRejected):
        await client(lambda r: httpx.Response(200)).download_asset("file:///etc/passwd")


async def test_declared_oversize_aborts_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": str(10**9)}, content=b"x")

    with pytest.raises(AssetRejected, match="limit"):
        await client(handler).download_asset("https://cdn.x/a.png", max_bytes=1000)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://api.example.com/v1/", "https://api.example.com/v1"),
        ("http://127.0.0.1:8000/v1", "http://127.0.0.1:8000/v1"),
        ("http://127.8.9.10/v1", "http://127.8.9.10/v1"),
        ("http://[::1]:9/", "http://[::1]:9"),
        ("http://localhost/api", "http://localhost/api"),
        ("http://example.com/v1", None),
        ("http://192.168.1.2/v1", None),
        ("https://user:pw@example.com", None),
        ("https://example.com/?key=x", None),
        ("ftp://example.com", None),
        ("not a url", None),
    ],
)
def test_validate_base_url(url: str, ok: str | None) -> None:
    if ok is None:
        with pytest.raises(ValueError):
            validate_base_url(url)
    else:
        assert validate_base_url(url) == ok
