"""A fake Depicta API (aiohttp): async stories, sync edits, uploads, models and profile.

Routes: ``story`` POST /v1/generate/story (202, billable), ``poll`` GET
/v1/generate/story/{id}, ``job`` GET /v1/jobs/{id}, ``jobs`` GET /v1/jobs, ``models``
GET /v1/models, ``upload`` POST /v1/upload, ``edit`` POST /v1/edit/image (billable),
``profile`` GET /v1/account/profile.

A story shows ``pending`` once, then ``processing`` one scene at a time, then
``completed`` (or ``failed`` with ``fail_code``). ``scene_shape``: image_url | images |
formats; ``id_key``: job_id | id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web
from fake_base import RECORDED, FakeServer

from studio.core.models import (
    Character,
    JobKind,
    Layout,
    Location,
    Script,
    ScriptPage,
    ScriptPanel,
    Story,
)
from studio.net.client import RetryPolicy
from studio.providers.base import GenerationRequest
from studio.providers.depicta.provider import DepictaProvider

DEPICTA_KEY = "dpct_test_KEY_0123456789abcdef"


@dataclass
class FakeStory:
    id: str
    body: dict[str, Any]
    polls: int = 0


class FakeDepicta(FakeServer):
    billable_routes = frozenset({"story", "edit"})

    def __init__(self) -> None:
        super().__init__()
        self.stories: dict[str, FakeStory] = {}
        self.scene_shape = "image_url"
        self.id_key = "job_id"
        self.fail_code: str | None = None
        self.stuck = False
        self.models_body: Any = {
            "models": [
                {"id": "flat-1", "supports_multiturn": False},
                {"id": "story-2", "supports_multiturn": True, "can_generate": True},
            ]
        }
        self.uploads = 0
        self.edits = 0

    def add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_post("/v1/generate/story", self._story, name="story")
        r.add_get("/v1/generate/story/{id}", self._poll, name="poll")
        r.add_get("/v1/jobs/{id}", self._poll, name="job")
        r.add_get("/v1/jobs", self._jobs, name="jobs")
        r.add_get("/v1/models", self._models, name="models")
        r.add_post("/v1/upload", self._upload, name="upload")
        r.add_post("/v1/edit/image", self._edit, name="edit")
        r.add_get("/v1/account/profile", self._profile, name="profile")

    async def _story(self, request: web.Request) -> web.StreamResponse:
        # The stories document names no model: a storyboard without one is drawn. A model
        # the list does not flag ``supports_multiturn`` is refused (the web reference).
        model = (request[RECORDED].json or {}).get("model")
        listed = self.models_body.get("models") if isinstance(self.models_body, dict) else None
        flags = {
            m.get("id"): m.get("supports_multiturn")
            for m in (listed if isinstance(listed, list) else self.models_body or [])
            if isinstance(m, dict)
        }
        if model is not None and flags.get(model) is not True:
            return web.json_response(
                {"error": "model_not_capable", "message": f"Model {model} cannot draw stories"},
                status=422,
            )
        story = FakeStory(f"a1b2-{len(self.stories) + 1}", request[RECORDED].json or {})
        self.stories[story.id] = story
        body = {"job_id": story.id, "poll_url": f"/v1/generate/story/{story.id}"}
        return web.json_response(body, status=202)

    async def _poll(self, request: web.Request) -> web.StreamResponse:
        story = self.stories.get(request.match_info["id"])
        if story is None:
            return web.json_response({"error": "not_found", "message": "no job"}, status=404)
        self.status_was_read()
        if request.match_info.route.name == "poll" and not self.stuck:
            story.polls += 1
        total = len(story.body.get("scenes", []))
        done = max(0, min(total, story.polls - 2))
        data: dict[str, Any] = {self.id_key: story.id, "scenes_completed": done}
        data["scenes_total"] = total
        if story.polls <= 1:
            data["status"] = "pending"
        elif done < total:
            data["status"] = "processing"
        elif self.fail_code:
            data["status"] = "failed"
            data["error"] = {"code": self.fail_code, "message": "not this time"}
        else:
            data["status"] = "completed"
            data["result"] = self._result(story)
        return web.json_response(data)

    def _result(self, story: FakeStory) -> dict[str, Any]:
        scenes = [
            {"prompt": s.get("prompt"), **self._image(f"{story.id}-s{i}")}
            for i, s in enumerate(story.body.get("scenes", []))
        ]
        chars = [
            {"name": c["name"], "reference_url": self.asset_link(f"char-{c['name']}.png")}
            for c in story.body.get("characters", [])
        ]
        locs = [
            {"name": loc["name"], "reference_url": self.asset_link(f"loc-{loc['name']}.png")}
            for loc in story.body.get("locations", [])
        ]
        return {
            "title": "T",
            "scenes": scenes,
            "characters": chars,
            "locations": locs,
            "cost_eur": "1.20",
            "balance_eur": "8.80",
        }

    def _image(self, name: str) -> dict[str, Any]:
        link = self.asset_link(f"{name}.png")
        match self.scene_shape:
            case "images":
                return {"images": {"png": link, "jpeg": link + "&j", "webp": link + "&w"}}
            case "formats":
                return {"formats": {"png": {"url": link, "hash": "h"}}}
        return {"image_url": link}

    async def _jobs(self, request: web.Request) -> web.StreamResponse:
        gens = [{"job_id": s, "status": "completed", "created_at": "2026"} for s in self.stories]
        return web.json_response({"generations": gens})

    async def _models(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.models_body)

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        if "image" not in request[RECORDED].form:
            return web.json_response({"error": "bad_request", "message": "image"}, status=400)
        self.uploads += 1
        return web.json_response({"upload_url": self.asset_link(f"upload-{self.uploads}.png")})

    async def _edit(self, request: web.Request) -> web.StreamResponse:
        self.edits += 1
        link = self.asset_link(f"edit-{self.edits}.png")
        body = {"formats": {"png": {"url": link}}, "image_url": link, "cost_eur": "0.04"}
        return web.json_response(body, headers={"X-Depicta-Job-Id": f"job-edit-{self.edits}"})

    async def _profile(self, request: web.Request) -> web.StreamResponse:
        user = {"email": "a@b.c", "balance_eur": "12.50", "held_eur": "2.25"}
        return web.json_response({"user": user})


async def _no_sleep(_seconds: float) -> None:
    return None


def fast_depicta(url: str, api_key: str | None = DEPICTA_KEY) -> DepictaProvider:
    provider = DepictaProvider(
        api_key, url, requests_per_minute=100_000, poll_interval=0.001, retry_delay=0
    )
    provider.wait_timeout = 5.0
    if api_key:
        provider.api.retry = RetryPolicy(
            attempts=5, base_delay=0.001, max_delay=0.005, sleep=_no_sleep
        )
    return provider


def depicta_request(panels: int = 3, per_page: int = 2, **fields: Any) -> GenerationRequest:
    flat = [ScriptPanel(f"Aria scene {i}", ["Aria"], "Library") for i in range(panels)]
    pages = [flat[i : i + per_page] for i in range(0, panels, per_page)]
    return GenerationRequest(
        kind=fields.pop("kind", JobKind.create),
        story=Story(
            title="Aria",
            prompt="Aria reads.",
            size="1024x768",
            style="watercolor",
            layout=Layout(pages=len(pages), panels_per_page=per_page),
        ),
        cast=[Character("Aria", age="30", gender="woman", dress="green cloak")],
        locations=[Location("Library", "ancient, dusty")],
        script=Script([ScriptPage(p) for p in pages]),
        **fields,
    )
