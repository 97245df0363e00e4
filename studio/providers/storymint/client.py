"""StoryMint's ApiClient: 403 quota vs plan, raw byte GET/POST, an unretried GET and SSE."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_sse import EventSource

from studio.net.client import ApiClient, lost_answer
from studio.providers.base import before_billable
from studio.providers.errors import (
    AssetRejected,
    ForbiddenError,
    OutcomeUnknown,
    ProviderError,
    ProviderUnavailable,
    QuotaError,
)

logger = logging.getLogger("studio.providers.storymint")

_QUOTA = re.compile(r"quota|exceed|reached|used up|\blimit\b|books? (this|per) month", re.I)
_SAFE_BEFORE_SEND = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class StoryMintClient(ApiClient):
    """The shared client plus what StoryMint needs beyond JSON.

    Every method goes through ``ApiClient._exchange``, so the key is attached only for
    the API origin and the shared rate limiter counts each request.
    """

    def _error(self, response: httpx.Response, *, asset: bool = False) -> ProviderError:
        """StoryMint answers 403 both for a used-up quota and for a plan without the feature."""
        error = super()._error(response, asset=asset)
        if asset or type(error) is not ForbiddenError:
            return error
        kwargs: dict[str, Any] = {"status": error.status, "trace_id": error.trace_id}
        if _QUOTA.search(error.message):
            return QuotaError(
                error.message.replace("refused access", "says the monthly quota is used up"),
                **kwargs,
            )
        return ForbiddenError(
            error.message.replace("refused access", "says your plan does not include this"),
            **kwargs,
        )

    async def get_json_once(self, path: str) -> Any:
        """A GET that is never retried (for metered calls such as ``/api/ping``)."""
        return await self._get_once(self._api_url(path), None, self._read_json, asset=False)

    async def get_bytes(self, path: str, *, max_bytes: int) -> bytes:
        """GET an API path as raw bytes (retried), at most ``max_bytes``."""

        async def consume(response: httpx.Response) -> bytes:
            return await read_capped(response, max_bytes)

        data: bytes = await self._with_retries(self._api_url(path), None, consume)
        return data

    async def post_bytes(self, path: str, *, max_bytes: int) -> tuple[bytes, str]:
        """A billable POST whose answer is a file: sent once; returns (bytes, content type)."""
        url = self._api_url(path)
        try:
            async with self._key_limits().semaphore:
                before_billable()
                response = await self._exchange("POST", url, follow=False)
                try:
                    if response.status_code >= 300:
                        await response.aread()
                        raise self._error(response)
                    data = await read_capped(response, max_bytes)
                    return data, response.headers.get("content-type", "")
                finally:
                    await response.aclose()
        except _SAFE_BEFORE_SEND as exc:
            raise ProviderUnavailable(
                "Could not connect to StoryMint; nothing was sent, so nothing was billed."
            ) from exc
        except httpx.TransportError as exc:
            raise OutcomeUnknown(lost_answer("StoryMint", exc)) from exc

    async def stream(self, path: str) -> AsyncIterator[str]:
        """The ``data`` of each server-sent event of an API path (with the key, same origin).

        Not retried and not redirected: the caller falls back to polling on any failure.
        """
        response = await self._exchange("GET", self._api_url(path), follow=False)
        try:
            if response.status_code >= 300:
                await response.aread()
                raise self._error(response)
            # httpx's and httpx-sse's own generators are closed here, in this task, when
            # the caller stops reading (``aclosing``): left to the garbage collector they
            # would be closed without a loop ("async generator ignored GeneratorExit").
            async with contextlib.aclosing(EventSource(response).aiter_sse()) as events:
                async for event in events:
                    yield event.data
        finally:
            await response.aclose()


async def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """Read a streamed body, refusing it as soon as it grows past ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise AssetRejected(f"The file is {int(declared):,} bytes; the limit is {max_bytes:,}.")
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise AssetRejected(f"The file is larger than the limit of {max_bytes:,} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)
