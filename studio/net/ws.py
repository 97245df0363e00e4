"""A WebSocket client for servers that push JSON events (ComfyUI's ``/ws``): text frames in,
binary frames (previews) skipped, nothing sent but pings."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Mapping
from typing import Any

import httpx

from studio.net.urls import validate_base_url

logger = logging.getLogger("studio.net.ws")

MAX_FRAME = 64 * 1024 * 1024  # ComfyUI's preview frames can be large; they are skipped


class SocketLost(ConnectionError):
    """The socket could not be opened, or it closed: the caller falls back to polling."""


def ws_url(base_url: str, path: str, params: Mapping[str, str] | None = None) -> str:
    """``base_url`` + ``path`` with http(s) turned into ws(s) (same host, same rules)."""
    url = httpx.URL(validate_base_url(base_url) + path, params=params)
    return str(url.copy_with(scheme="wss" if url.scheme == "https" else "ws"))


class EventSocket:
    """One open socket. :meth:`receive` returns the next JSON object, skipping the rest."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def receive(self) -> dict[str, Any]:
        """The next JSON object sent as a text frame; raises :class:`SocketLost` when closed."""
        from websockets.exceptions import ConnectionClosed

        while True:
            try:
                frame = await self._connection.recv()
            except ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else 1006
                raise SocketLost(f"the socket closed ({code})") from exc
            except OSError as exc:
                raise SocketLost(f"the socket broke ({type(exc).__name__})") from exc
            if isinstance(frame, bytes):
                continue  # binary previews: not needed
            try:
                data = json.loads(frame)
            except ValueError:
                logger.debug("skipping a text frame that is not JSON")
                continue
            if isinstance(data, dict):
                return data

    async def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            await self._connection.close()


async def open_socket(
    url: str, headers: Mapping[str, str] | None = None, *, open_timeout: float = 10.0
) -> EventSocket:
    """Open a WebSocket to ``url`` (ws:// for loopback only, else wss://) with ``headers``.

    Raises :class:`SocketLost` when it cannot be opened, including when the ``websockets``
    package is missing (the caller polls instead).
    """
    parsed = httpx.URL(url)
    scheme = "https" if parsed.scheme == "wss" else "http"
    validate_base_url(str(parsed.copy_with(scheme=scheme, query=None, fragment=None)))
    try:
        from websockets.asyncio.client import connect
        from websockets.exceptions import WebSocketException
    except ImportError as exc:
        raise SocketLost("the websockets package is not installed") from exc
    try:
        connection = await connect(
            url,
            additional_headers=dict(headers or {}),
            open_timeout=open_timeout,
            max_size=MAX_FRAME,
            ping_interval=20,
            ping_timeout=20,
            user_agent_header="comic-studio/0.1",
        )
    except (OSError, TimeoutError, WebSocketException) as exc:
        raise SocketLost(f"could not open the socket ({type(exc).__name__})") from exc
    return EventSocket(connection)
