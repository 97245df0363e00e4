"""Cartoonicate's ApiClient: the ``{success, data, message}`` envelope and ``X-Trace-Id``."""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from typing import Any

from studio.providers.errors import MalformedResponse, ProviderError, UnreadableBilledAnswer
from studio.providers.http import ProviderClient

#: The ``X-Trace-Id`` of the last API response seen by the current task.
LAST_TRACE: contextvars.ContextVar[str] = contextvars.ContextVar("cartoonicate_trace", default="")


class CartoonicateClient(ProviderClient):
    """Every call returns the envelope's ``data`` (unwrapped here, in one place)."""

    async def _exchange(self, method: str, url: Any, **kwargs: Any) -> Any:
        """The shared exchange; the trace id of its final answer from the API is kept."""
        response = await super()._exchange(method, url, **kwargs)
        if self.same_origin(response.url):
            LAST_TRACE.set(response.headers.get("x-trace-id", "")[:100])
        return response

    async def get_data(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """GET (retried) and unwrap."""
        LAST_TRACE.set("")
        return unwrap(await self.get_json(path, params), LAST_TRACE.get())

    async def post_data(self, path: str, body: Any) -> tuple[dict[str, Any], str]:
        """A billable POST (sent once), unwrapped; returns (data, trace id)."""
        LAST_TRACE.set("")
        answer = await self.send_billable("POST", path, json=body)
        trace = LAST_TRACE.get()
        return unwrap(answer, trace, billable=True), trace


def unwrap(body: Any, trace_id: str = "", *, billable: bool = False) -> dict[str, Any]:
    """``data`` of a successful envelope; ProviderError (with the trace id) otherwise."""
    note = " The request may have been accepted and billed." if billable else ""
    malformed = UnreadableBilledAnswer if billable else MalformedResponse
    if not isinstance(body, Mapping):
        raise malformed(
            f"Cartoonicate sent an answer that is not an envelope object.{note}", trace_id=trace_id
        )
    message = body.get("message")
    message = message.strip()[:300] if isinstance(message, str) else ""
    if body.get("success") is False:
        raise ProviderError(
            f"Cartoonicate refused the request: {message or 'no reason given'}", trace_id=trace_id
        )
    data = body.get("data")
    if not isinstance(data, Mapping):
        raise malformed(f"Cartoonicate's answer has no data object.{note}", trace_id=trace_id)
    return dict(data)
