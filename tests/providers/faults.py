"""Seeded fault injection for every fake provider server (``fake_*.py``).

Attach a :class:`FaultInjector` to a started fake (``FaultInjector(schedule, seed).attach(fake)``)
and every request the fake receives is counted in one of three classes:

- ``send_once``: API requests that are not GETs (billable work, uploads): never retried;
- ``get``: API GETs (status polls, lists, book, ZIP): the client may retry them;
- ``asset``: downloads of result files (either origin).

A :class:`Schedule` says, per class, "every Nth request gets fault K" (the seed shifts where
each count starts). The faults:

==============  ============================================================  ==========
kind            what the client sees                                          handler ran
==============  ============================================================  ==========
``rate_limit``  429 with ``Retry-After: <retry_after>`` (``refused``)          no
``server_error`` 500                                                          no
``drop``        the connection closes before any answer                       no
``lost``        the connection closes after the work was done (answer lost)   yes
``slow``        the answer comes after ``slow_seconds``                       yes
``truncated``   200 with the JSON body cut in half (a complete, bad message)  yes
``cut``         the body stops half-way (Content-Length not reached)          yes
``hang``        no answer at all until the client gives up (its timeout)      yes
==============  ============================================================  ==========

``truncated`` on a body that is not JSON (an image, a ZIP) acts as ``cut``. Responses that
the handler streamed itself (SSE) are passed through unfaulted. The fake's record
(``Recorded.fault``, ``processed``, ``served``) says what happened to every request.
"""

from __future__ import annotations

import asyncio
import collections
import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from aiohttp import web
from fake_base import FakeServer, Recorded, Respond

CLASSES = ("send_once", "get", "asset")
BEFORE = ("rate_limit", "server_error", "drop")  # answered without running the handler


@dataclass(frozen=True)
class Schedule:
    """``{kind: N}`` per class: every Nth request of that class gets the fault."""

    send_once: Mapping[str, int] = field(default_factory=dict)
    get: Mapping[str, int] = field(default_factory=dict)
    asset: Mapping[str, int] = field(default_factory=dict)
    retry_after: int = 2
    slow_seconds: float = 0.05
    hang_limit: float = 20.0  # a hang ends by itself after this long (the server's safety)

    def table(self, cls: str) -> Mapping[str, int]:
        return {"send_once": self.send_once, "get": self.get, "asset": self.asset}[cls]


def error_body(status: int, code: str, message: str) -> dict[str, object]:
    """An error body every fake's client understands (plain and envelope shapes at once)."""
    return {"success": False, "error": code, "message": message, "data": None, "status": status}


class FaultInjector:
    """The ``chaos`` hook of a :class:`fake_base.FakeServer`, driven by a :class:`Schedule`."""

    def __init__(self, schedule: Schedule, seed: int = 0) -> None:
        rng = random.Random(seed)
        self.schedule = schedule
        self.offsets = {
            cls: {kind: rng.randrange(n) for kind, n in schedule.table(cls).items()}
            for cls in CLASSES
        }
        self.counts: collections.Counter[str] = collections.Counter()
        self.injected: collections.Counter[str] = collections.Counter()
        self.server: FakeServer | None = None

    def attach(self, server: FakeServer) -> FaultInjector:
        server.chaos = self
        self.server = server
        return self

    def detach(self) -> None:
        if self.server is not None:
            self.server.chaos = None

    # ------------------------------------------------------------- schedule

    @staticmethod
    def classify(record: Recorded) -> str | None:
        if record.route == "asset":
            return "asset"
        if record.route in ("", "redirect"):
            return None
        return "get" if record.method == "GET" else "send_once"

    def pick(self, cls: str) -> str | None:
        index = self.counts[cls]
        self.counts[cls] += 1
        for kind, every in self.schedule.table(cls).items():
            if (index + self.offsets[cls][kind]) % every == 0:
                return kind
        return None

    # ---------------------------------------------------------------- hook

    async def __call__(
        self, request: web.Request, record: Recorded, respond: Respond
    ) -> web.StreamResponse:
        cls = self.classify(record)
        kind = self.pick(cls) if cls else None
        if kind is None:
            return await respond()
        if kind in BEFORE:
            self._mark(record, kind)
            return self._before(request, kind)
        if kind == "slow":
            self._mark(record, kind)
            await asyncio.sleep(self.schedule.slow_seconds)
            return await respond()
        response = await respond()
        if not isinstance(response, web.Response) or not isinstance(response.body, bytes):
            return response  # streamed by the handler itself (SSE): nothing to break
        self._mark(record, kind)
        match kind:
            case "lost":
                _abort(request)
                return web.Response()
            case "hang":
                return await self._hang(request)
            case "truncated" if _is_json(response):
                body = response.body[: len(response.body) // 2]
                return web.Response(
                    body=body, status=response.status, content_type="application/json"
                )
        return _cut(request, response)

    def _mark(self, record: Recorded, kind: str) -> None:
        record.fault = kind
        record.refused = kind == "rate_limit"  # a 429: refused before any work
        self.injected[kind] += 1

    def _before(self, request: web.Request, kind: str) -> web.StreamResponse:
        if kind == "drop":
            _abort(request)
            return web.Response()
        if kind == "rate_limit":
            body = error_body(429, "rate_limited", "Too many requests; slow down.")
            headers = {"Retry-After": str(self.schedule.retry_after)}
            return web.json_response(body, status=429, headers=headers)
        body = error_body(500, "internal_error", "Injected server error.")
        return web.json_response(body, status=500)

    async def _hang(self, request: web.Request) -> web.StreamResponse:
        """Answer nothing until the client closes the connection (or ``hang_limit``)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + self.schedule.hang_limit
        while loop.time() < end:
            transport = request.transport
            if transport is None or transport.is_closing():
                break
            await asyncio.sleep(0.02)
        _abort(request)
        return web.Response()


def _is_json(response: web.Response) -> bool:
    return response.content_type == "application/json"


def _abort(request: web.Request) -> None:
    if request.transport is not None:
        request.transport.abort()


def _cut(request: web.Request, response: web.Response) -> web.StreamResponse:
    """Send the status line, headers with the full Content-Length and half the body; close."""
    body = response.body
    assert isinstance(body, bytes)
    transport = request.transport
    if transport is not None:
        head = (
            f"HTTP/1.1 {response.status} {response.reason}\r\n"
            f"Content-Type: {response.content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        transport.write(head + body[: len(body) // 2])
        transport.close()  # flushes what was written, then closes: the body never completes
    return web.Response()


def summary(server: FakeServer, injector: FaultInjector) -> dict[str, int]:
    """Figures from the server's record: requests, billable, faults by kind."""
    api = [r for r in server.requests if r.origin == "api" and r.route != "asset"]
    return {
        "requests": len(server.requests),
        "api_requests": len(api),
        "asset_requests": len(server.requests) - len(api),
        "billable_sent": len(server.billable_requests()),
        "billable_processed": sum(1 for r in server.billable_requests() if r.processed),
        "faults": sum(injector.injected.values()),
        **{f"fault_{k}": v for k, v in sorted(injector.injected.items())},
    }


#: Issue 15's fault mix: on polls and downloads every 3rd request a 429, every 5th a 500,
#: every 7th dropped and every 4th poll body cut in half; billable sends meet a 429 now and
#: then (refused before any work: resent). ``Retry-After: 0`` keeps runs short.
FAULT_MIX = Schedule(
    send_once={"rate_limit": 3},
    get={"rate_limit": 3, "server_error": 5, "drop": 7, "truncated": 4},
    asset={"rate_limit": 3, "server_error": 5, "drop": 7},
    retry_after=0,
)
