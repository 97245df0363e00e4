"""Shared async HTTP for remote APIs: auth by origin, retries, limits, send-once, assets."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import httpx

from studio.net.assets import DEFAULT_MAX_BYTES, verify_asset
from studio.net.errors import (
    AssetGone,
    AssetRefused,
    HttpStatusError,
    MalformedAnswer,
    NetError,
    SentButLost,
    Unreachable,
    extract_error,
    lost_answer,
    map_error,
    parse_retry_after,
    scrub,
    truncate,
)
from studio.net.limits import (
    DEFAULT_TIMEOUT,
    KeyLimits,
    RateLimiter,
    RetryPolicy,
    client_timeout,
    key_fingerprint,
    limits_for,
)
from studio.net.reading import RedactQueries, read_capped, secrets_of
from studio.net.urls import origin_of, validate_base_url

__all__ = [
    "DEFAULT_TIMEOUT",
    "ApiClient",
    "AssetGone",
    "AssetRefused",
    "HttpStatusError",
    "MalformedAnswer",
    "NetError",
    "RateLimiter",
    "RetryPolicy",
    "SentButLost",
    "Unreachable",
    "extract_error",
    "lost_answer",
    "map_error",
    "origin_of",
    "parse_retry_after",
    "scrub",
    "validate_base_url",
]

logger = logging.getLogger("studio.http")


logging.getLogger("httpx").addFilter(RedactQueries())

MAX_REDIRECTS = 5
MAX_JSON_BYTES = 16 * 1024 * 1024
_SAFE_BEFORE_SEND = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

Consume = Callable[[httpx.Response], Awaitable[Any]]


class ApiClient:
    """One reused ``httpx.AsyncClient`` for one service (an API) and base URL.

    - Auth headers go only to requests whose origin equals the base URL's origin;
      redirects are followed by hand (GET only, at most 5 hops), deciding auth per hop.
    - :meth:`get_json` and :meth:`download_asset` retry with backoff; :meth:`send_billable`
      sends exactly once.
    - Requests to the API origin pass one rate limiter and one semaphore shared by every
      client of the same (service, key) on the loop.
    - Every failure is a :class:`NetError`; ``service`` names the API in its messages.
    """

    def __init__(
        self,
        service: str,
        base_url: str,
        auth_headers: Mapping[str, str],
        *,
        requests_per_minute: float,
        max_concurrent: int = 4,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        user_agent: str = "comic-studio/0.1",
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.service = service
        #: Called with (same origin?, headers) for every response, redirects included.
        self.response_hooks: list[Callable[[bool, httpx.Headers], None]] = []
        self.base_url = validate_base_url(base_url)
        self.origin = origin_of(httpx.URL(self.base_url))
        self.retry = retry or RetryPolicy()
        self._auth = dict(auth_headers)
        self._secrets = secrets_of(auth_headers)
        self._key_hash = key_fingerprint("\n".join(sorted(self._auth.values())))
        self._rpm = requests_per_minute
        self._max_concurrent = max_concurrent
        self._limiter = limiter
        self._limits: KeyLimits | None = None
        self._client = httpx.AsyncClient(
            timeout=client_timeout(timeout),
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": user_agent},
        )

    # ----------------------------------------------------------------- public

    def scrub(self, text: str) -> str:
        """``text`` with every secret of this client replaced by ``***``."""
        return scrub(text, self._secrets)

    def resolve(self, url: str) -> httpx.URL:
        """An absolute URL: relative ones are resolved against the base URL."""
        resolved = httpx.URL(self.base_url + "/").join(url)
        if resolved.scheme not in ("http", "https"):
            raise AssetRefused(f"Refusing a {resolved.scheme or 'schemeless'} URL.")
        return resolved

    def same_origin(self, url: httpx.URL) -> bool:
        return origin_of(url) == self.origin

    def before_billable(self) -> None:
        """Called once, right before a billable request leaves (inside the limits)."""

    @property
    def limiter(self) -> RateLimiter:
        return self._key_limits().limiter

    async def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET an API path and decode JSON; retried on 429, 5xx and network errors."""
        return await self._with_retries(self._api_url(path), params, self._read_json)

    async def send_billable(
        self,
        method: str,
        path: str,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        *,
        bills: bool = True,
    ) -> Any:
        """Send a request that creates or changes (billable) work EXACTLY once.

        Connect failures → :class:`Unreachable` (nothing was sent); failures after the
        request may have left → :class:`SentButLost`; HTTP errors → :func:`map_error`.
        ``bills=False`` (reference uploads): sent once, but no job becomes billable by it.
        """
        url = self._api_url(path)
        try:
            async with self._key_limits().semaphore:
                if bills:
                    self.before_billable()
                response = await self._exchange(method, url, json=json, files=files, follow=False)
                try:
                    if response.status_code >= 300:
                        await response.aread()
                        raise self._sent_once_error(self._error(response))
                    raw = await read_capped(response, MAX_JSON_BYTES, "The response")
                finally:
                    await response.aclose()
        except _SAFE_BEFORE_SEND as exc:
            raise Unreachable(
                f"Could not connect to {self.service} ({type(exc).__name__}); "
                "nothing was sent, so nothing was billed."
            ) from exc
        except httpx.TransportError as exc:
            logger.warning("%s %s: connection failed after sending (%s)", method, path, _name(exc))
            raise SentButLost(lost_answer(self.service, exc)) from exc
        return self._decode_json(raw, billable=True)

    async def download_asset(
        self,
        url: str,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        kinds: Sequence[str] = ("image",),
    ) -> tuple[bytes, str]:
        """Download and verify an asset; return ``(bytes, mime)``.

        403/404/410 → :class:`AssetGone`; too large, not an image/video or of absurd
        dimensions → :class:`AssetRefused`. Retried on 429, 5xx and network errors.
        """
        target = self.resolve(url)

        async def consume(response: httpx.Response) -> bytes:
            return await read_capped(response, max_bytes, "The downloaded file")

        data: bytes = await self._with_retries(target, None, consume, asset=True)
        mime = await asyncio.to_thread(verify_asset, data, tuple(kinds))
        return data, mime

    async def aclose(self) -> None:
        await self._client.aclose()

    # --------------------------------------------------------------- internal

    def _api_url(self, path: str) -> httpx.URL:
        if not path.startswith("/"):
            raise ValueError("API paths start with '/'")
        return httpx.URL(self.base_url + path)

    def _key_limits(self) -> KeyLimits:
        if self._limits is None:
            self._limits = limits_for(self.service, self._key_hash, self._rpm, self._max_concurrent)
            if self._limiter is not None:
                self._limits = KeyLimits(self._limiter, self._limits.semaphore)
        return self._limits

    def _error(self, response: httpx.Response, *, asset: bool = False) -> NetError:
        status = response.status_code
        if asset and status in (403, 404, 410):
            return AssetGone(
                f"The asset link on {response.url.host} answered HTTP {status}; "
                "it may have expired.",
                status=status,
            )
        return map_error(response, provider=self.service, secrets=self._secrets)

    def _sent_once_error(self, error: NetError) -> NetError:
        """The error for an HTTP answer to a request sent once: a 429 refused it before any
        work (it may be resent); a 5xx came from a server that may have done the work first
        (the outcome is unknown); anything else is what it says."""
        if error.category == "rate_limit":
            error.refused_before_work = True
        elif error.category == "unavailable" and (error.status or 0) >= 500:
            lost = SentButLost(
                f"{error.message}. The request reached {self.service}, which may have "
                "accepted and billed it before failing.",
                status=error.status,
                trace_id=error.trace_id,
                code=error.code,
            )
            lost.__cause__ = error
            return lost
        return error

    async def _with_retries(
        self,
        url: httpx.URL,
        params: Mapping[str, Any] | None,
        consume: Consume,
        *,
        asset: bool = False,
    ) -> Any:
        """GET ``url`` and ``consume`` the response, retrying transient failures.

        Retried for as long as :class:`RetryPolicy` allows (by time: the failures' waits
        and the failed requests' own time). An answer that is not JSON at all (cut short on
        the way) is read again like any transient failure: a broken status answer must not
        fail a paid job.
        """
        attempt, waited = 0, 0.0
        error: NetError
        while True:
            started = time.monotonic()
            try:
                return await self._get_once(url, params, consume, asset=asset)
            except MalformedAnswer as exc:
                if asset:
                    raise
                error = exc
            except httpx.TransportError as exc:
                error = Unreachable(f"{self.service} could not be reached ({_name(exc)}).")
                error.__cause__ = exc
            except (HttpStatusError, Unreachable) as exc:
                if not _transient(exc):
                    raise
                error = exc
            waited += time.monotonic() - started
            delay = self.retry.next_delay(attempt, waited, error.retry_after)
            if delay is None:
                raise error
            logger.info("GET %s: %s; retry in %.2f s", url.path, error.category, delay)
            await self.retry.sleep(delay)
            attempt, waited = attempt + 1, waited + delay

    async def _get_once(
        self,
        url: httpx.URL,
        params: Mapping[str, Any] | None,
        consume: Consume,
        *,
        asset: bool,
    ) -> Any:
        async with self._key_limits().semaphore:
            response = await self._exchange("GET", url, params=params, follow=True, asset=asset)
            try:
                if response.status_code >= 300:
                    await response.aread()
                    raise self._error(response, asset=asset)
                return await consume(response)
            finally:
                await response.aclose()

    async def _exchange(
        self,
        method: str,
        url: httpx.URL,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        follow: bool,
        asset: bool = False,
    ) -> httpx.Response:
        """One exchange, following redirects by hand; returns an open streamed response."""
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            same = self.same_origin(current)
            headers = dict(self._auth) if same else {}
            headers["Accept"] = "*/*" if asset else "application/json"
            if same:
                await self._key_limits().limiter.acquire()
            request = self._client.build_request(
                method, current, params=params, json=json, files=files, headers=headers
            )
            started = time.perf_counter()
            try:
                response = await self._client.send(request, stream=True)
            except httpx.TransportError as exc:
                self._log(method, request.url, _name(exc), started, same)
                raise
            self._log(method, request.url, response.status_code, started, same)
            for hook in self.response_hooks:
                hook(same, response.headers)
            if not (follow and response.is_redirect):
                return response
            location = response.headers.get("location", "")
            await response.aclose()
            current = request.url.join(location)
            params = None  # the Location carries the full query
            if current.scheme not in ("http", "https"):
                raise Unreachable(f"{self.service} redirected to a non-web URL.")
        raise Unreachable(f"{self.service} redirected more than {MAX_REDIRECTS} times.")

    def _log(
        self, method: str, url: httpx.URL, status: int | str, started: float, same: bool
    ) -> None:
        """Method, path (host for other origins), status, duration: never headers or queries."""
        where = url.path if same else f"{url.host}{url.path}"
        elapsed = (time.perf_counter() - started) * 1000
        logger.debug("%s %s -> %s in %.0f ms", method, self.scrub(where), status, elapsed)

    async def _read_json(self, response: httpx.Response) -> Any:
        raw = await read_capped(response, MAX_JSON_BYTES, "The response")
        return self._decode_json(raw, billable=False)

    def _decode_json(self, raw: bytes, *, billable: bool) -> Any:
        for secret in self._secrets:  # an answer that echoes the key must not carry it on
            raw = raw.replace(secret.encode(), b"***")
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            pass
        note = (
            " The request was probably accepted and billed: check the provider's dashboard "
            "before submitting again."
            if billable
            else ""
        )
        snippet = truncate(self.scrub(raw[:200].decode("utf-8", errors="replace")), 80)
        raise MalformedAnswer(
            f"{self.service} sent a response that is not JSON ({snippet!r}).{note}",
            sent_billable=billable,
        )


def _transient(error: NetError) -> bool:
    """Worth retrying on an idempotent request: 429, 5xx, or no HTTP status at all."""
    if error.category == "rate_limit":
        return True
    if error.category != "unavailable":
        return False
    return error.status is None or error.status >= 500


def _name(exc: BaseException) -> str:
    return type(exc).__name__
