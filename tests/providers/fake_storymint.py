"""A fake StoryMint API (aiohttp): books with progress by SSE or polling, ZIP, chat, audio.

Routes (names for ``fail``/``drop``/...): ``generate`` POST /api/generate, ``status``
GET /api/status/{id}, ``stream`` GET /api/stream/{id}, ``book`` GET /api/book/{id},
``chat`` POST /api/book/{id}/chat, ``download`` GET /api/download/{id}, ``audiobook``
POST /api/audiobook/{id}, ``ping`` GET /api/ping. Billable: generate, chat, audiobook.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from fake_base import RECORDED, FakeServer, make_png

from studio.core.models import JobKind, Layout, Story
from studio.net.client import RetryPolicy
from studio.providers.base import GenerationRequest
from studio.providers.storymint.provider import StoryMintProvider

MP3_BYTES = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 32
STORYMINT_KEY = "sm_test_KEY_0123456789abcdef"


@dataclass
class FakeBook:
    id: str
    body: dict[str, Any]
    pages: int
    versions: dict[int, int] = field(default_factory=dict)
    polls_left: int = 1


class FakeStoryMint(FakeServer):
    billable_routes = frozenset({"generate", "chat", "audiobook"})
    auth_header_names = ("x-api-key", "authorization")

    def __init__(self) -> None:
        super().__init__()
        self.books: dict[str, FakeBook] = {}
        self.running_polls = 1
        # "sse" | "json" (not an event stream) | "silent" (no done) | "open" (open after done)
        self.stream_mode = "sse"
        self.fail_with: str | None = None  # a message: the job ends with an error
        self.zip_status = 200
        self.zip_extra: list[tuple[zipfile.ZipInfo | str, bytes]] = []
        self.chat_extra_page = False  # the chat also changes the next page
        self.chat_extra_pages: tuple[int, ...] = ()  # offsets of further pages it changes
        self.text_only_pages: set[int] = set()
        self.ping_body: dict[str, Any] = {
            "status": "ok",
            "tier": "developer",
            "plan_display_name": "Developer",
            "api_test_calls_this_month": 12,
            "api_test_calls_limit": 150,
            "timestamp": "2026-03-27T18:41:22.115000+00:00",
        }

    def add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_post("/api/generate", self._generate, name="generate")
        r.add_get("/api/status/{id}", self._status, name="status")
        r.add_get("/api/stream/{id}", self._stream, name="stream")
        r.add_get("/api/book/{id}", self._book, name="book")
        r.add_post("/api/book/{id}/chat", self._chat, name="chat")
        r.add_get("/api/download/{id}", self._download, name="download")
        r.add_post("/api/audiobook/{id}", self._audiobook, name="audiobook")
        r.add_get("/api/ping", self._ping, name="ping")

    # -------------------------------------------------------------- handlers

    async def _generate(self, request: web.Request) -> web.StreamResponse:
        body = request[RECORDED].json or {}
        job_id = f"job{len(self.books) + 1:04d}"
        pages = min(int(body.get("num_pages") or 3), 6)
        self.books[job_id] = FakeBook(job_id, body, pages, polls_left=self.running_polls)
        return web.json_response({"job_id": job_id, "status": "running"})

    async def _status(self, request: web.Request) -> web.StreamResponse:
        book = self.books.get(request.match_info["id"])
        if book is None:
            return web.json_response({"error": "Job not found"}, status=404)
        if book.polls_left > 0:
            book.polls_left -= 1
            return web.json_response(
                {"status": "running", "step": "Generating illustrations", "msg": "Drawing…",
                 "pct": 45, "title": "Rusty", "format": "comic", "can_download": False}
            )  # fmt: skip
        if self.fail_with:
            return web.json_response({"status": "error", "msg": self.fail_with})
        return web.json_response({"status": "done", "pct": 100, "can_download": True})

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        if self.stream_mode == "json":
            return web.json_response({"status": "running"})
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        events = [
            {"step": "generating", "msg": "Writing page 1...", "pct": 25},
            {"step": "illustrating", "msg": "Drawing page 1...", "pct": 60},
        ]
        if self.stream_mode not in ("silent", "silent_open"):
            last = {"step": "error", "msg": self.fail_with} if self.fail_with else None
            events.append(last or {"step": "done", "msg": "Book complete!", "pct": 100})
        await response.write(b": keep-alive\n\n")
        for event in events:
            await response.write(f"data: {json.dumps(event)}\n\n".encode())
        if self.stream_mode in (
            "open",
            "silent_open",
        ):  # a real server keeps the stream open after done
            try:
                for _ in range(200):
                    await asyncio.sleep(0.05)
                    await response.write(b": keep-alive\n\n")
            except ConnectionError:  # the client stopped reading: the stream ends
                return response
        await response.write_eof()
        return response

    async def _book(self, request: web.Request) -> web.StreamResponse:
        book = self.books.get(request.match_info["id"])
        if book is None:
            return web.json_response({"error": "Job not found"}, status=404)
        self.status_was_read()
        return web.json_response(
            {
                "title": "Rusty's Big Day",
                "author": book.body.get("author", ""),
                "format": book.body.get("book_format", "picture"),
                "pages": [self.page_json(book, n) for n in range(1, book.pages + 1)],
                "cover_url": self.asset_link(f"{book.id}-cover.jpg"),
                "can_download": True,
                "metadata": {"total_pages": book.pages, "art_style": "cartoon"},
            }
        )

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        book = self.books[request.match_info["id"]]
        message = (request[RECORDED].json or {}).get("message", "")
        found = re.match(r"On page (\d+): ", message)
        page = int(found.group(1)) if found else 1
        offsets = (*self.chat_extra_pages, *((1,) if self.chat_extra_page else ()))
        changed = sorted({page, *(page + d for d in offsets if 1 <= page + d <= book.pages)})
        for num in changed:
            book.versions[num] = book.versions.get(num, 0) + 1
        return web.json_response(
            {
                "assistant_message": f"I've updated page {page}.",
                "pages": [self.page_json(book, n) for n in changed],
            }
        )

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if self.zip_status != 200:
            return web.json_response(
                {"error": "Downloads are not available on your plan"}, status=self.zip_status
            )
        book = self.books[request.match_info["id"]]
        return web.Response(body=self.zip_of(book), content_type="application/zip")

    async def _audiobook(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=MP3_BYTES, content_type="audio/mpeg")

    async def _ping(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.ping_body)

    # ------------------------------------------------------------- rendering

    def page_name(self, book: FakeBook, num: int) -> str:
        return f"{book.id}-page{num:02d}-v{book.versions.get(num, 0)}.png"

    def page_json(self, book: FakeBook, num: int) -> dict[str, Any]:
        image = "" if num in self.text_only_pages else self.asset_link(self.page_name(book, num))
        return {"page_num": num, "text": f"Text of page {num}.", "image_url": image}

    def zip_of(self, book: FakeBook) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("cover.jpg", make_png(f"{book.id}-cover.jpg"))
            archive.writestr("book.pdf", b"%PDF-1.4 fake book")
            archive.writestr("metadata.json", json.dumps({"title": "Rusty"}))
            for num in range(1, book.pages + 1):
                archive.writestr(f"pages/page_{num:02d}.png", make_png(f"zip-page{num}"))
            for info, data in self.zip_extra:
                archive.writestr(info, data)
        return buffer.getvalue()


# ------------------------------------------------------------ test helpers


async def _no_sleep(_seconds: float) -> None:
    return None


def fast_storymint(url: str, api_key: str | None = STORYMINT_KEY, **kw: Any) -> StoryMintProvider:
    provider = StoryMintProvider(
        api_key, url, requests_per_minute=100_000, poll_interval=0.001, **kw
    )
    if api_key:
        provider.api.retry = RetryPolicy(
            attempts=5, base_delay=0.001, max_delay=0.005, sleep=_no_sleep
        )
    return provider


def book_request(pages: int = 3, **story: Any) -> GenerationRequest:
    story.setdefault("prompt", "A brave little raccoon who learns to share.")
    layout = Layout(pages=pages, panels_per_page=1, paginated=pages > 1)
    return GenerationRequest(kind=JobKind.create, story=Story(layout=layout, **story), job_id=7)
