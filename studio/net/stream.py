"""Server-sent events over the shared client: OpenAI-compatible streaming answers.

:func:`post_events` sends one POST (never retried: the caller decides) through an
:class:`~studio.net.client.ApiClient` (auth by origin, rate limit, error mapping) and yields
each ``data:`` event decoded from JSON until ``data: [DONE]``. A stream that ends or breaks
before ``[DONE]`` raises :class:`StreamCut`. A server that ignores ``"stream": true`` and
answers one JSON document is yielded that document once.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx

from studio.net.client import ApiClient
from studio.net.errors import MalformedAnswer, Unreachable

log = logging.getLogger("studio.http")
MAX_EVENT_BYTES = 1024 * 1024
MAX_STREAM_BYTES = 16 * 1024 * 1024
_BEFORE_SEND = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class StreamCut(MalformedAnswer):
    """The streamed answer stopped before its end (connection closed or broken)."""


async def post_events(api: ApiClient, path: str, body: Any) -> AsyncIterator[Any]:
    """POST ``body`` as JSON to ``path`` and yield the decoded events of the answer."""
    url = api._api_url(path)
    try:
        response = await api._exchange("POST", url, json=body, follow=False)
    except _BEFORE_SEND as exc:
        raise Unreachable(f"Could not connect to {api.service} ({type(exc).__name__}).") from exc
    except httpx.TimeoutException as exc:
        raise Unreachable(f"{api.service} did not answer in time.") from exc
    except httpx.TransportError as exc:
        raise Unreachable(f"The connection to {api.service} broke ({type(exc).__name__}).") from exc
    try:
        if response.status_code >= 300:
            await response.aread()
            raise api._error(response)
        if "text/event-stream" not in response.headers.get("content-type", ""):
            yield await _whole(api, response)
            return
        async for event in _events(api, response):
            yield event
    finally:
        await response.aclose()


async def _whole(api: ApiClient, response: httpx.Response) -> Any:
    try:
        raw = await response.aread()
    except httpx.TransportError as exc:
        raise StreamCut(f"{api.service}'s answer was cut off ({type(exc).__name__}).") from exc
    try:
        return json.loads(api.scrub(raw.decode("utf-8", errors="replace")))
    except ValueError:
        raise MalformedAnswer(f"{api.service} sent an answer that is not JSON.") from None


async def _events(api: ApiClient, response: httpx.Response) -> AsyncIterator[Any]:
    data: list[str] = []
    total = 0
    done = False
    try:
        async with contextlib.aclosing(response.aiter_lines()) as lines:
            async for line in lines:
                total += len(line) + 1
                if total > MAX_STREAM_BYTES:
                    raise MalformedAnswer(f"{api.service}'s answer is too long.")
                if line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                    if sum(map(len, data)) > MAX_EVENT_BYTES:
                        raise MalformedAnswer(f"{api.service} sent an oversized event.")
                    continue
                if line or not data:
                    continue  # comments (": ping"), event names, ids, blank keep-alives
                text, data = "\n".join(data), []
                if done or text.strip() == "[DONE]":
                    done = True  # read on to the end: the byte streams finish, not linger
                    continue
                try:
                    yield json.loads(text)
                except ValueError:
                    log.debug("%s: an event that is not JSON was skipped", api.service)
    except httpx.TransportError as exc:
        raise StreamCut(
            f"{api.service}'s answer was cut off mid-way ({type(exc).__name__})."
        ) from exc
    if done or (data and "\n".join(data).strip() == "[DONE]"):
        return
    raise StreamCut(f"{api.service}'s answer stopped before its end.")
