"""A recording aiohttp fake provider server with fault injection and a second asset origin.

Subclass :class:`FakeServer`, register *named* routes in :meth:`FakeServer.add_routes`
(the names are what ``fail``/``drop``/... refer to) and list the billable ones in
``billable_routes``. See ``tests/providers/contract.py`` for the interface the contract
tests rely on.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from PIL import Image

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


@dataclass
class Recorded:
    """One request as the fake saw it. Header names are lower-case."""

    origin: str  # "api" or "asset"
    route: str  # the route name ("" when nothing matched)
    method: str
    path: str
    path_qs: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    form: dict[str, dict[str, Any]] = field(default_factory=dict)
    raw: bytes = b""
    billable: bool = False  # the route does billable work (``billable_routes``)
    idempotency_key: str = ""  # the Idempotency-Key header, if the client sent one
    processed: bool = False  # the route's handler ran: for a billable route, work was billed
    refused: bool = False  # answered 429 before any work: sending it again is no duplicate
    status: int = 0  # the status the handler answered with (0 when it never answered)
    fault: str = ""  # the injected fault, if any
    served: bytes | None = None  # the complete body the handler answered with


@dataclass
class Fault:
    kind: str  # "status" | "drop" | "malformed" | "slow"
    times: int = 1
    status: int = 500
    retry_after: str | None = None
    body: Any = None
    delay: float = 0.0


RECORDED = web.RequestKey("recorded", Recorded)
Respond = Callable[[], Awaitable[web.StreamResponse]]
#: ``chaos(request, record, respond)``: may answer itself or wrap ``respond()`` (see faults.py).
Chaos = Callable[[web.Request, Recorded, Respond], Awaitable[web.StreamResponse]]


def make_png(name: str, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real PNG whose colour depends on ``name``."""
    seed = zlib.crc32(name.encode())
    colour = (seed & 0xFF, (seed >> 8) & 0xFF, (seed >> 16) & 0xFF)
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeServer:
    """Base fake: recording, faults per named route, assets on a second origin.

    ``asset_mode`` decides what :meth:`asset_link` returns: "asset" (the second origin),
    "api" (the API origin), "relative" (a path on the API origin) or "redirect" (an
    API-origin URL that answers 302 to the second origin).
    """

    base_path = ""
    billable_routes: frozenset[str] = frozenset()
    auth_header_names: tuple[str, ...] = ("authorization", "x-api-key")

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.asset_mode = "asset"
        self.asset_fault: str | None = None  # None | "oversize" | "not_image" | "huge"
        self.asset_version = 0
        self._faults: dict[str, list[Fault]] = {}
        self._expired = False
        self._expired_forever = False
        self._expired_served = 0
        self._runners: list[web.AppRunner] = []
        self.api_origin = ""
        self.asset_origin = ""
        self.chaos: Chaos | None = None

    # ------------------------------------------------------------- interface

    @property
    def url(self) -> str:
        """The API base URL to give the provider."""
        return self.api_origin + self.base_path

    def add_routes(self, app: web.Application) -> None:
        """Register the provider's named routes on the API app (subclasses)."""
        raise NotImplementedError

    def fail(
        self,
        route: str,
        status: int,
        *,
        times: int = 1,
        retry_after: str | float | None = None,
        body: Any = None,
    ) -> None:
        retry = None if retry_after is None else str(retry_after)
        self._add(route, Fault("status", times, status, retry, body))

    def drop(self, route: str, *, times: int = 1) -> None:
        """Close the connection after reading the request, without any answer."""
        self._add(route, Fault("drop", times))

    def malformed(self, route: str, *, times: int = 1) -> None:
        self._add(route, Fault("malformed", times))

    def slow(self, route: str, seconds: float, *, times: int = 1) -> None:
        self._add(route, Fault("slow", times, delay=seconds))

    def expire_assets(self, *, forever: bool = False) -> None:
        """Asset fetches answer 403 until the status is read again (or always)."""
        self._expired = True
        self._expired_forever = forever

    def billable_count(self) -> int:
        return sum(1 for r in self.requests if r.route in self.billable_routes)

    def billable_requests(self) -> list[Recorded]:
        """Every request that reached a billable route (``processed`` says if it billed)."""
        return [r for r in self.requests if r.billable]

    def billable_taken(self) -> list[Recorded]:
        """Billable requests not refused by a 429: processed, or of an outcome the client
        could not know. Two equal ones of these would be a request sent twice."""
        return [r for r in self.requests if r.billable and not r.refused]

    def requests_for(self, route: str) -> list[Recorded]:
        return [r for r in self.requests if r.route == route]

    def asset_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.route == "asset"]

    def asset_link(self, name: str) -> str:
        path = f"/files/{name}?sig=v{self.asset_version}"
        match self.asset_mode:
            case "api":
                return self.api_origin + path
            case "relative":
                return path
            case "redirect":
                return f"{self.api_origin}/redirect/{name}?sig=v{self.asset_version}"
        return self.asset_origin + path

    def status_was_read(self) -> None:
        """Subclasses call this when a job's status is read: expired links get renewed."""
        if self._expired and self._expired_served and not self._expired_forever:
            self._expired = False
            self.asset_version += 1

    async def start(self) -> FakeServer:
        api = web.Application(middlewares=[self._middleware("api")])
        self.add_routes(api)
        api.router.add_get("/files/{name}", self._serve_asset, name="asset")
        api.router.add_get("/redirect/{name}", self._redirect, name="redirect")
        assets = web.Application(middlewares=[self._middleware("asset")])
        assets.router.add_get("/files/{name}", self._serve_asset, name="asset")
        self.api_origin = await self._listen(api)
        self.asset_origin = await self._listen(assets)
        return self

    async def close(self) -> None:
        for runner in self._runners:
            await runner.cleanup()

    # -------------------------------------------------------------- internal

    def _add(self, route: str, fault: Fault) -> None:
        self._faults.setdefault(route, []).append(fault)

    def _take(self, route: str) -> Fault | None:
        queue = self._faults.get(route) or []
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault

    async def _listen(self, app: web.Application) -> str:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(runner, sock).start()
        self._runners.append(runner)
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    def _middleware(self, origin: str) -> Any:
        @web.middleware
        async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
            record = await self._record(origin, request)
            request[RECORDED] = record
            fault = self._take(record.route)
            if fault is not None:
                answer = await self._apply(fault, request)
                if answer is not None:
                    record.fault = fault.kind
                    record.status = answer.status
                    record.refused = answer.status == 429
                    return answer

            async def respond() -> web.StreamResponse:
                record.processed = True
                response = await handler(request)
                record.status = response.status
                if isinstance(response, web.Response) and isinstance(response.body, bytes):
                    record.served = response.body
                return response

            if self.chaos is not None:
                return await self.chaos(request, record, respond)
            return await respond()

        return middleware

    async def _record(self, origin: str, request: web.Request) -> Recorded:
        route = request.match_info.route.name or ""
        record = Recorded(
            origin=origin,
            route=route,
            method=request.method,
            path=request.path,
            path_qs=request.path_qs,
            query=dict(request.query),
            headers={k.lower(): v for k, v in request.headers.items()},
            billable=route in self.billable_routes,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    record.form[key] = {
                        "filename": value.filename,
                        "content_type": value.content_type,
                        "data": value.file.read(),
                    }
                else:
                    record.form[key] = {"value": value}
        elif request.can_read_body:
            record.raw = await request.read()
            try:
                record.json = json.loads(record.raw)
            except ValueError:
                record.json = None
        self.requests.append(record)
        return record

    async def _apply(self, fault: Fault, request: web.Request) -> web.StreamResponse | None:
        if fault.kind == "drop":
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        if fault.kind == "malformed":
            return web.Response(text='{"id": "gen_', content_type="application/json")
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return None
        body = fault.body if fault.body is not None else {"error": {"message": "injected"}}
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        if isinstance(body, str):
            return web.Response(status=fault.status, text=body, headers=headers)
        return web.json_response(body, status=fault.status, headers=headers)

    async def _redirect(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        target = f"{self.asset_origin}/files/{name}?{request.query_string}"
        raise web.HTTPFound(target)

    async def _serve_asset(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        stale = request.query.get("sig") != f"v{self.asset_version}"
        if self._expired or stale:
            self._expired_served += 1
            return web.json_response({"error": "expired"}, status=403)
        if self.asset_fault == "not_image":
            return web.Response(body=b"<html>not an image</html>", content_type="image/png")
        if self.asset_fault == "oversize":
            return web.Response(body=b"\x89PNG" + b"\x00" * 200_000, content_type="image/png")
        if self.asset_fault == "huge":
            return web.Response(body=make_png(name, (13_000, 2)), content_type="image/png")
        if name.endswith(".mp4"):
            return web.Response(body=MP4_BYTES, content_type="video/mp4")
        return web.Response(body=make_png(name), content_type="image/png")
