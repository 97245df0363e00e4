"""A fake LlamaGen Comic API (aiohttp) that records requests and simulates job progress.

Routes (names for ``fail``/``drop``/...): ``create`` POST /v1/comics/generations,
``status`` GET /v1/comics/generations/{id}, ``patch`` PATCH the same path, ``usage``
GET /v1/comics/usage, ``upload`` POST /v1/comics/upload. Billable: create and patch.

Progress: a new job shows ``LOADING`` for ``loading_polls`` polls, then ``final_status``.
After a PATCH, the first ``stale_polls`` polls still show the previous PROCESSED state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from fake_base import RECORDED, FakeServer

from studio.core.models import JobKind, Layout, Story
from studio.net.client import RetryPolicy
from studio.providers.base import GenerationRequest, GenerationResult, Progress, Provider
from studio.providers.llamagen.provider import LlamaGenProvider


@dataclass
class FakePanel:
    caption: str
    version: int = 0


@dataclass
class FakeGeneration:
    id: str
    prompt: str
    pages: list[list[FakePanel]] = field(default_factory=list)
    target: list[list[FakePanel]] | None = None  # the state after the running job
    status: str = "LOADING"
    loading_left: int = 0
    stale_left: int = 0
    video: bool = False


class FakeLlamaGen(FakeServer):
    base_path = "/v1"
    billable_routes = frozenset({"create", "patch"})

    def __init__(self) -> None:
        super().__init__()
        self.generations: dict[str, FakeGeneration] = {}
        self.loading_polls = 1
        self.stale_polls = 0
        self.final_status = "PROCESSED"
        self.fail_reason = "The model could not draw this."
        self.create_answer: dict[str, Any] | None = None  # replaces the create response
        self.shape = "comics"  # "comics" | "comicData" | "output"
        self.single_panel_shape = "panel"  # "panel" | "top" | "full" | "error"
        self.upload_shape = "url"  # "url" | "data" | "none"
        self.continue_reports_page = True
        self.usage_body: dict[str, Any] = {"credits": {"available": 4200, "used": 600}}
        self.uploads: list[dict[str, Any]] = []

    def add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_post("/v1/comics/generations", self._create, name="create")
        r.add_get("/v1/comics/generations/{gid}", self._status, name="status")
        r.add_patch("/v1/comics/generations/{gid}", self._patch, name="patch")
        r.add_get("/v1/comics/usage", self._usage, name="usage")
        r.add_post("/v1/comics/upload", self._upload, name="upload")

    # -------------------------------------------------------------- handlers

    async def _create(self, request: web.Request) -> web.StreamResponse:
        body = request[RECORDED].json or {}
        gid = f"gen_{len(self.generations) + 1:04d}"
        gen = FakeGeneration(gid, str(body.get("prompt", "")), loading_left=self.loading_polls)
        if body.get("agentType") == "videoModel":
            gen.video = True
            gen.target = []
            panels = 1
        else:
            pages, per_page = _layout(body, default_panels=4)
            gen.target = [[FakePanel(f"p{p}n{n}") for n in range(per_page)] for p in range(pages)]
            panels = pages * per_page
        self.generations[gid] = gen
        answer = {
            "id": gid,
            "status": "LOADING",
            "prompt": gen.prompt,
            "usage": {"total_comics": panels, "amount": 150 * panels},
            "model": "cyani-model",
        }
        return web.json_response(self.create_answer if self.create_answer is not None else answer)

    async def _status(self, request: web.Request) -> web.StreamResponse:
        gen = self.generations.get(request.match_info["gid"])
        if gen is None:
            return web.json_response({"error": {"message": "not found"}}, status=404)
        self.status_was_read()
        if "panel" in request.query:
            return self._single_panel(gen, request)
        if gen.stale_left > 0:
            gen.stale_left -= 1
            return web.json_response(self._render(gen, "PROCESSED"))
        if gen.loading_left > 0:
            gen.loading_left -= 1
            return web.json_response(self._render(gen, "LOADING"))
        if gen.target is not None:
            gen.pages, gen.target = gen.target, None
            gen.status = self.final_status
        return web.json_response(self._render(gen, gen.status))

    async def _patch(self, request: web.Request) -> web.StreamResponse:
        gen = self.generations.get(request.match_info["gid"])
        body = request[RECORDED].json or {}
        if gen is None:
            return web.json_response({"error": {"message": "not found"}}, status=404)
        target = [[FakePanel(p.caption, p.version) for p in page] for page in gen.pages]
        gen.loading_left, gen.stale_left = self.loading_polls, self.stale_polls
        if body.get("action") == "continueWrite":
            previous = len(gen.pages[-1]) if gen.pages else 4
            pages, per_page = _layout(body, default_panels=previous)
            first = len(target)
            target += [
                [FakePanel(f"p{first + p}n{n}") for n in range(per_page)] for p in range(pages)
            ]
            gen.target = target
            answer: dict[str, Any] = {"id": gen.id, "status": "LOADING"}
            if self.continue_reports_page:
                answer["page"] = first
            answer["usage"] = {"total_comics": pages * per_page, "amount": 150 * pages * per_page}
            if "pagination" in body:
                answer["pagination"] = body["pagination"]
            return web.json_response(answer)
        page, panel = int(body.get("page", 0)), int(body["panel"])
        target[page][panel].version += 1
        if body.get("caption"):
            target[page][panel].caption = body["caption"]
        gen.target = target
        return web.json_response(
            {
                "id": gen.id,
                "status": "LOADING",
                "panel": {"page": page, "panel": panel},
                "usage": {"redraw_panels": 1, "amount": 150},
            }
        )

    async def _usage(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.usage_body)

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        part = request[RECORDED].form.get("file")
        if part is None:
            return web.json_response({"error": "field `file` is required"}, status=400)
        name = f"upload-{len(self.uploads) + 1}.png"
        self.uploads.append(part)
        link = self.asset_link(name)
        match self.upload_shape:
            case "data":
                return web.json_response({"success": True, "data": {"fileUrl": link}})
            case "none":
                return web.json_response({"success": True})
        return web.json_response({"url": link})

    # ------------------------------------------------------------- rendering

    def asset_name(self, gen: FakeGeneration, page: int, panel: int, version: int) -> str:
        return f"{gen.id}-p{page}-n{panel}-v{version}.png"

    def _render(self, gen: FakeGeneration, status: str) -> dict[str, Any]:
        data: dict[str, Any] = {"id": gen.id, "status": status, "prompt": gen.prompt}
        if gen.video:
            ready = status == "PROCESSED"
            data["comics"] = [{"videoUrl": self.asset_link(f"{gen.id}.mp4")}] if ready else []
            return data
        pages, shown = gen.pages, sum(len(page) for page in gen.pages)
        if status == "LOADING" and not gen.pages and gen.target and self.loading_polls > 0:
            # a new comic's panels arrive one poll after another while it is LOADING
            pages = gen.target
            done = self.loading_polls - gen.loading_left
            shown = sum(len(page) for page in pages) * done // (self.loading_polls + 1)
        comics = [
            {
                "page": p,
                "prompt": gen.prompt,
                "panels": [
                    {
                        "panel": n,
                        "caption": item.caption,
                        "assetUrl": self.asset_link(self.asset_name(gen, p, n, item.version)),
                    }
                    for n, item in enumerate(page)
                    if sum(len(before) for before in pages[:p]) + n < shown
                ],
            }
            for p, page in enumerate(pages)
        ]
        if status == "FAILED":
            data["error"] = self.fail_reason
        if self.shape == "comicData":
            data["comicData"] = json.dumps(comics)
        elif self.shape == "output":
            data["output"] = comics[0]["panels"][0]["assetUrl"] if comics else None
        else:
            data["comics"] = comics
        return data

    def _single_panel(self, gen: FakeGeneration, request: web.Request) -> web.StreamResponse:
        page, panel = int(request.query.get("page", 0)), int(request.query["panel"])
        item = gen.pages[page][panel]
        url = self.asset_link(self.asset_name(gen, page, panel, item.version))
        match self.single_panel_shape:
            case "error":
                return web.json_response({"message": "boom"}, status=500)
            case "full":
                return web.json_response(self._render(gen, gen.status))
            case "top":
                return web.json_response({"id": gen.id, "assetUrl": url, "caption": item.caption})
        return web.json_response(
            {"status": gen.status, "panel": {"page": page, "panel": panel, "assetUrl": url}}
        )


def _layout(body: dict[str, Any], *, default_panels: int) -> tuple[int, int]:
    pagination = body.get("pagination")
    if isinstance(pagination, dict):
        return int(pagination["totalPages"]), int(pagination["panelsPerPage"])
    return 1, int(body.get("fixPanelNum", default_panels))


# ------------------------------------------------------------ test helpers

LLAMAGEN_KEY = "lg-test-KEY-0123456789abcdef"


async def _no_sleep(_seconds: float) -> None:
    return None


def fast_llamagen(url: str, api_key: str | None = LLAMAGEN_KEY) -> LlamaGenProvider:
    """A LlamaGen provider that polls and retries without real waiting."""
    provider = LlamaGenProvider(api_key, url, requests_per_minute=100_000, poll_interval=0.001)
    provider.settle_polls = 3
    if api_key:
        provider.api.retry = RetryPolicy(
            attempts=5, base_delay=0.001, max_delay=0.005, sleep=_no_sleep
        )
    return provider


def story_request(pages: int = 1, panels: int = 2, **story: object) -> GenerationRequest:
    layout = Layout(pages=pages, panels_per_page=panels, paginated=pages > 1)
    return GenerationRequest(
        kind=JobKind.create,
        story=Story(prompt="Leo finds a glowing key in a quiet library.", layout=layout, **story),
    )


async def run(
    provider: Provider, request: GenerationRequest
) -> tuple[GenerationResult, list[Progress], list[dict[str, Any]]]:
    """submit + wait; returns the result, the progress events and the saved handles."""
    events: list[Progress] = []
    handles: list[dict[str, Any]] = []

    async def save(handle: dict[str, Any]) -> None:
        handles.append(handle)

    submission = await provider.submit(request)
    return await provider.wait(submission, request, events.append, save), events, handles


def follow_up(kind: JobKind, project: dict[str, Any], **fields: Any) -> GenerationRequest:
    """A continue/redraw/video request for an existing project."""
    return GenerationRequest(kind=kind, story=Story(), remote_project=dict(project), **fields)
