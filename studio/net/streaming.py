"""An ApiClient for APIs that answer with files and server-sent events, not only JSON."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_sse import EventSource, SSEError

from studio.net.client import ApiClient
from studio.net.errors import SentButLost, Unreachable, lost_answer
from studio.net.reading import read_capped

_SAFE_BEFORE_SEND = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class StreamingClient(ApiClient):
    """The shared client plus raw byte GET/POST, an unretried GET and SSE.

    Every method goes through ``ApiClient._exchange``, so the key is attached only for
    the API origin and the shared rate limiter counts each request.
    """

    async def get_json_once(self, path: str) -> Any:
        """A GET that is never retried (for metered calls such as a ping)."""
        return await self._get_once(self._api_url(path), None, self._read_json, asset=False)

    async def get_bytes(self, path: str, *, max_bytes: int) -> bytes:
        """GET an API path as raw bytes (retried), at most ``max_bytes``."""

        async def consume(response: httpx.Response) -> bytes:
            return await read_capped(response, max_bytes, "The file")

        data: bytes = await self._with_retries(self._api_url(path), None, consume)
        return data

    async def post_bytes(self, path: str, *, max_bytes: int) -> tuple[bytes, str]:
        """A billable POST whose answer is a file: sent once; returns (bytes, content type)."""
        url = self._api_url(path)
        try:
            async with self._key_limits().semaphore:
                self.before_billable()
                response = await self._exchange("POST", url, follow=False)
                try:
                    if response.status_code >= 300:
                        await response.aread()
                        raise self._sent_once_error(self._error(response))
                    data = await read_capped(response, max_bytes, "The file")
                    return data, response.headers.get("content-type", "")
                finally:
                    await response.aclose()
        except _SAFE_BEFORE_SEND as exc:
            raise Unreachable(
                f"Could not connect to {self.service}; nothing was sent, so nothing was billed."
            ) from exc
        except httpx.TransportError as exc:
            raise SentButLost(lost_answer(self.service, exc)) from exc

    async def stream(self, path: str) -> AsyncIterator[str]:
        """The ``data`` of each server-sent event of an API path (with the key, same origin).

        Not retried and not redirected: the caller falls back to polling on any failure. A
        broken connection or stream is an :class:`Unreachable`.
        """
        try:
            response = await self._exchange("GET", self._api_url(path), follow=False)
        except httpx.HTTPError as exc:
            raise Unreachable(
                f"The event stream of {self.service} failed ({type(exc).__name__})."
            ) from exc
        try:
            if response.status_code >= 300:
                await response.aread()
                raise self._error(response)
            # httpx's and httpx-sse's own generators are closed here, in this task, when
            # the caller stops reading: left to the garbage collector they would be closed
            # without a loop ("async generator ignored GeneratorExit").
            async with contextlib.aclosing(EventSource(response).aiter_sse()) as events:
                async for event in events:
                    yield event.data
        except (httpx.HTTPError, SSEError) as exc:
            raise Unreachable(
                f"The event stream of {self.service} failed ({type(exc).__name__})."
            ) from exc
        finally:
            await response.aclose()
