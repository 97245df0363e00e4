"""The providers' side of `studio.net`: its errors become ProviderErrors, and a billable
request runs the current job's before-billable hook before it leaves."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from studio.net import assets as net_assets
from studio.net import errors as net_errors
from studio.net.client import ApiClient
from studio.net.errors import MalformedAnswer, NetError, extract_error, parse_retry_after
from studio.net.limits import RateLimiter, RetryPolicy
from studio.net.streaming import StreamingClient
from studio.net.urls import validate_base_url
from studio.providers.base import before_billable
from studio.providers.errors import (
    AssetExpired,
    AssetRejected,
    AuthError,
    ContentRejected,
    ForbiddenError,
    MalformedResponse,
    NotFoundError,
    OutcomeUnknown,
    ProviderError,
    ProviderUnavailable,
    QuotaError,
    RateLimited,
    UnreadableBilledAnswer,
    ValidationRefused,
)

__all__ = [
    "AssetExpired",
    "ProviderClient",
    "ProviderStreamingClient",
    "RateLimiter",
    "RetryPolicy",
    "extract_error",
    "map_error",
    "mapped",
    "parse_retry_after",
    "provider_error",
    "validate_base_url",
    "verify_asset",
    "verify_image",
]

_BY_CATEGORY: dict[str, type[ProviderError]] = {
    "auth": AuthError,
    "quota": QuotaError,
    "forbidden": ForbiddenError,
    "validation": ValidationRefused,
    "not_found": NotFoundError,
    "rate_limit": RateLimited,
    "content": ContentRejected,
    "unavailable": ProviderUnavailable,
    "malformed": MalformedResponse,
    "unknown": OutcomeUnknown,
    "asset": AssetRejected,
    "asset_expired": AssetExpired,
}


def provider_error(error: NetError) -> ProviderError:
    """The ProviderError that says what ``error`` says (same message, status, trace id…)."""
    cls = _BY_CATEGORY.get(error.category, ProviderError)
    if isinstance(error, MalformedAnswer) and error.sent_billable:
        cls = UnreadableBilledAnswer
    mapped_error = cls(
        error.message,
        status=error.status,
        retry_after=error.retry_after,
        trace_id=error.trace_id,
        code=error.code,
    )
    if isinstance(mapped_error, RateLimited):
        mapped_error.refused_before_work = error.refused_before_work
    return mapped_error


@contextlib.contextmanager
def mapped() -> Iterator[None]:
    """Turn a NetError raised inside into its ProviderError."""
    try:
        yield
    except NetError as exc:
        raise provider_error(exc) from exc


def map_error(response: Any, *, provider: str = "The provider", secrets: Any = ()) -> ProviderError:
    """A non-2xx response (body read) as the matching ProviderError."""
    return provider_error(net_errors.map_error(response, provider=provider, secrets=secrets))


def verify_image(data: bytes) -> str:
    """:func:`studio.net.assets.verify_image`, refusing with AssetRejected."""
    with mapped():
        return net_assets.verify_image(data)


def verify_asset(data: bytes, kinds: Sequence[str]) -> str:
    """:func:`studio.net.assets.verify_asset`, refusing with AssetRejected."""
    with mapped():
        return net_assets.verify_asset(data, kinds)


class ProviderClient(ApiClient):
    """The shared HTTP client as providers see it: ProviderErrors, and the billing hook."""

    def before_billable(self) -> None:
        before_billable()

    def convert(self, error: NetError) -> ProviderError:
        """The ProviderError for ``error``; a provider's client may refine it."""
        return provider_error(error)

    @contextlib.contextmanager
    def _mapped(self) -> Iterator[None]:
        try:
            yield
        except NetError as exc:
            raise self.convert(exc) from exc

    def resolve(self, url: str) -> Any:
        with self._mapped():
            return super().resolve(url)

    async def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        with self._mapped():
            return await super().get_json(path, params)

    async def send_billable(
        self,
        method: str,
        path: str,
        json: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        *,
        bills: bool = True,
    ) -> Any:
        with self._mapped():
            return await super().send_billable(method, path, json, files, bills=bills)

    async def download_asset(
        self,
        url: str,
        *,
        max_bytes: int = net_assets.DEFAULT_MAX_BYTES,
        kinds: Sequence[str] = ("image",),
    ) -> tuple[bytes, str]:
        with self._mapped():
            return await super().download_asset(url, max_bytes=max_bytes, kinds=kinds)


class ProviderStreamingClient(ProviderClient, StreamingClient):
    """:class:`StreamingClient` (bytes and server-sent events) with ProviderErrors."""

    async def get_json_once(self, path: str) -> Any:
        with self._mapped():
            return await super().get_json_once(path)

    async def get_bytes(self, path: str, *, max_bytes: int) -> bytes:
        with self._mapped():
            return await super().get_bytes(path, max_bytes=max_bytes)

    async def post_bytes(self, path: str, *, max_bytes: int) -> tuple[bytes, str]:
        with self._mapped():
            return await super().post_bytes(path, max_bytes=max_bytes)

    async def stream(self, path: str) -> AsyncIterator[str]:
        with self._mapped():
            async with contextlib.aclosing(super().stream(path)) as events:
                async for data in events:
                    yield data
