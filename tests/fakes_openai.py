"""A recording loopback fake of an OpenAI-compatible chat completions server (aiohttp).

``answers`` is a queue: each POST /v1/chat/completions takes the next one (when empty, a
good script for the requested counts). An answer is a dict with ``kind``:

- "content": ``{"content": str}`` streamed as SSE deltas (or one JSON answer when the
  request did not ask to stream); ``finish`` sets the last finish_reason;
- "status": ``{"status": int, "body": Any, "headers": {...}}``;
- "cut": streams ``content`` (partial), then drops the connection without ``[DONE]``;
- "slow": waits ``delay`` seconds before answering like "content".
"""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    json: Any = None


def panel(name: str = "Mira", text: str = "Mira walks into the library.") -> dict[str, Any]:
    return {
        "description": text,
        "caption": "",
        "dialogue": [{"speaker": name, "text": "Hello?"}],
        "characters": [name],
        "shot": {
            "framing": "wide",
            "angle": "eye-level",
            "setting": "library",
            "location": None,
            "time": "night",
            "weather": "clear",
            "figures": [
                {
                    "name": name,
                    "action": "walk",
                    "expression": "surprised",
                    "facing": "right",
                    "holding": ["lantern"],
                }
            ],
            "props": ["door"],
        },
    }


def good_script(pages: int, per_page: int, name: str = "Mira") -> dict[str, Any]:
    beat = "Beat {}: " + name + " in the library."
    rows = [[panel(name, beat.format(p * per_page + k + 1)) for k in range(per_page)]
            for p in range(pages)]  # fmt: skip
    return {"pages": [{"panels": row} for row in rows]}


def _counts(body: dict[str, Any]) -> tuple[int, int]:
    try:
        schema = body["response_format"]["json_schema"]["schema"]
        pages = schema["properties"]["pages"]
        return pages["minItems"], pages["items"]["properties"]["panels"]["minItems"]
    except (KeyError, TypeError):
        return 1, 4


@dataclass
class FakeOpenAI:
    answers: list[dict[str, Any]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    models: list[str] = field(default_factory=lambda: ["tiny-llm"])
    chunk: int = 40  # characters per streamed delta
    url: str = ""

    async def start(self) -> FakeOpenAI:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app, shutdown_timeout=0.2)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
        return self

    async def close(self) -> None:
        await self._runner.cleanup()

    @property
    def chats(self) -> list[Seen]:
        return [s for s in self.seen if s.path.endswith("/chat/completions")]

    async def _models(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(Seen("GET", request.path, dict(request.headers)))
        if self.answers and self.answers[0]["kind"] == "status":
            return self._status(self.answers.pop(0))
        return web.json_response({"object": "list", "data": [{"id": m} for m in self.models]})

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.seen.append(Seen("POST", request.path, dict(request.headers), body))
        answer = self.answers.pop(0) if self.answers else {"kind": "good"}
        kind = answer["kind"]
        if kind == "status":
            return self._status(answer)
        if kind == "slow":
            await asyncio.sleep(answer.get("delay", 30))
        if kind == "good" or (kind == "slow" and "content" not in answer):
            content = json.dumps(good_script(*_counts(body)))
        else:
            content = answer["content"]
        finish = answer.get("finish", "stop")
        if not body.get("stream"):
            message = {"role": "assistant", "content": content}
            return web.json_response(
                {"choices": [{"index": 0, "message": message, "finish_reason": finish}]}
            )
        return await self._stream(request, content, finish, cut=kind == "cut")

    async def _stream(
        self, request: web.Request, content: str, finish: str, *, cut: bool
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        for i in range(0, len(content), self.chunk):
            delta = {"choices": [{"index": 0, "delta": {"content": content[i : i + self.chunk]}}]}
            await response.write(f"data: {json.dumps(delta)}\n\n".encode())
        if cut:
            await asyncio.sleep(0.05)
            assert request.transport is not None
            request.transport.close()  # no [DONE], no end of the chunked body
            return response
        last = {"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
        await response.write(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode())
        await response.write_eof()
        return response

    @staticmethod
    def _status(answer: dict[str, Any]) -> web.StreamResponse:
        return web.json_response(
            answer.get("body", {"error": {"message": "refused"}}),
            status=answer["status"],
            headers=answer.get("headers", {}),
        )


class ThreadedFake:
    """The fake on its own loop in a thread, for code that runs ``asyncio.run`` (the CLI)."""

    def __init__(self, fake: FakeOpenAI | None = None) -> None:
        self.fake = fake or FakeOpenAI()
        self._loop = asyncio.new_event_loop()

    def __enter__(self) -> FakeOpenAI:
        import threading

        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self._loop).result(10)
        return self.fake

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
