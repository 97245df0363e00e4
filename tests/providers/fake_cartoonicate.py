"""A fake Cartoonicate Partner API (aiohttp): envelopes, trace ids, cartoons, animations.

Routes (names for ``fail``/``drop``/...): ``create`` POST /cartoons.php, ``cartoons`` GET
/cartoons.php (one by ``id``, else the list), ``account`` GET /account.php, ``usage`` GET
/usage.php, ``ping`` GET /ping.php, ``animate`` POST /animations.php, ``animation`` GET
/animations.php. Billable: create and animate.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from fake_base import RECORDED, FakeServer

from studio.core.models import JobKind, Layout, Story
from studio.net.client import RetryPolicy
from studio.providers.base import GenerationRequest
from studio.providers.cartoonicate.provider import CartoonicateProvider

CARTOONICATE_KEY = "ck_live_test_0123456789abcdef"


@dataclass
class FakeCartoon:
    id: int
    body: dict[str, Any]
    render_ids: list[int]
    polls_left: int
    failed: set[int] = field(default_factory=set)


class FakeCartoonicate(FakeServer):
    base_path = "/api/v1/partner"
    billable_routes = frozenset({"create", "animate"})

    def __init__(self) -> None:
        super().__init__()
        self.cartoons: dict[int, FakeCartoon] = {}
        self.animations: dict[int, dict[str, Any]] = {}
        self.processing_polls = 1
        self.max_variants = 2
        self.failed_variants = 0
        self.allow_video = True
        self.drop_after_create = False
        self.reject_create: tuple[int, str] | None = None
        self.old_cartoons = 0  # unrelated cartoons already in the list
        self._traces = itertools.count(1)
        self._ids = itertools.count(4821)
        self._renders = itertools.count(9001)

    def add_routes(self, app: web.Application) -> None:
        r, p = app.router, self.base_path
        r.add_post(f"{p}/cartoons.php", self._create, name="create")
        r.add_get(f"{p}/cartoons.php", self._cartoons, name="cartoons")
        r.add_get(f"{p}/account.php", self._account, name="account")
        r.add_get(f"{p}/usage.php", self._usage, name="usage")
        r.add_get(f"{p}/ping.php", self._ping, name="ping")
        r.add_post(f"{p}/animations.php", self._animate, name="animate")
        r.add_get(f"{p}/animations.php", self._animation, name="animation")

    def envelope(
        self, data: Any, status: int = 200, message: str | None = None
    ) -> web.StreamResponse:
        body: dict[str, Any] = {"success": 200 <= status < 300, "data": data}
        if message is not None:
            body["message"] = message
        trace = f"trace-{next(self._traces):04d}"
        return web.json_response(body, status=status, headers={"X-Trace-Id": trace})

    # -------------------------------------------------------------- handlers

    async def _create(self, request: web.Request) -> web.StreamResponse:
        if self.reject_create:
            status, message = self.reject_create
            return self.envelope(None, status, message)
        body = request[RECORDED].json or {}
        variants = min(int(body.get("variants") or 1), self.max_variants)
        cartoon = FakeCartoon(
            next(self._ids), body, [next(self._renders) for _ in range(variants)],
            self.processing_polls,
        )  # fmt: skip
        cartoon.failed = set(cartoon.render_ids[variants - self.failed_variants :])
        self.cartoons[cartoon.id] = cartoon
        if self.drop_after_create:
            assert request.transport is not None
            request.transport.abort()
            return web.Response()
        data = {
            "cartoon": {
                "id": cartoon.id,
                "status": "processing",
                "variants": variants,
                "render_ids": cartoon.render_ids,
                "metadata": body.get("metadata"),
            }
        }
        return self.envelope(data, 202, "Cartoon queued.")

    async def _cartoons(self, request: web.Request) -> web.StreamResponse:
        if "id" not in request.query:
            return self._list(request)
        cartoon = self.cartoons.get(int(request.query["id"]))
        if cartoon is None:
            return self.envelope(None, 404, "Cartoon not found.")
        self.status_was_read()
        done = cartoon.polls_left <= 0
        cartoon.polls_left -= 1
        renders = [
            {
                "id": rid,
                "status": ("failed" if rid in cartoon.failed else "ready") if done else "pending",
                "preview_url": self.asset_link(f"c{cartoon.id}-r{rid}.png")
                if done and rid not in cartoon.failed
                else None,
                "error": "render crashed" if done and rid in cartoon.failed else None,
            }
            for rid in cartoon.render_ids
        ]
        ready = sum(1 for r in renders if r["status"] == "ready")
        summary = {
            "total": len(renders),
            "ready": ready,
            "pending": 0 if done else len(renders),
            "complete": done,
        }
        data = {
            "id": cartoon.id,
            "source": "api",
            "status": "complete" if done else "processing",
            "created_at": "2026-05-31 12:00:00",
            "inputs": {k: cartoon.body.get(k) for k in ("subject", "problem", "location")},
            "metadata": cartoon.body.get("metadata"),
            "renders": renders,
            "summary": summary,
        }
        return self.envelope({"cartoon": data})

    def _list(self, request: web.Request) -> web.StreamResponse:
        limit, offset = int(request.query.get("limit", 25)), int(request.query.get("offset", 0))
        items = [
            {"id": c.id, "source": "api", "created_at": "2026-05-31 12:00:00",
             "inputs": {}, "metadata": c.body.get("metadata")}
            for c in reversed(self.cartoons.values())
        ]  # fmt: skip
        items += [
            {"id": 100 + n, "source": "api", "metadata": {"studio_job_id": 999}}
            for n in range(self.old_cartoons)
        ]
        page = items[offset : offset + limit]
        pagination = {"limit": limit, "offset": offset, "total": len(items)}
        return self.envelope({"cartoons": page, "pagination": pagination})

    async def _account(self, request: web.Request) -> web.StreamResponse:
        return self.envelope(
            {
                "account": {"id": 12, "company_name": "Acme Inc.", "status": "active"},
                "plan": {"code": "growth", "name": "Growth", "allow_webhooks": True,
                         "allow_final": False, "max_variants": self.max_variants},
                "quota": {"previews_per_month": 1000, "previews_used": 137,
                          "previews_remaining": 863, "rate_limit_per_min": 120,
                          "resets": "2026-06-01T00:00:00Z"},
            }
        )  # fmt: skip

    async def _usage(self, request: web.Request) -> web.StreamResponse:
        summary = {"calls_month": 412, "previews_month": 137, "errors_month": 3}
        return self.envelope({"summary": summary, "calls": [], "pagination": {}})

    async def _ping(self, request: web.Request) -> web.StreamResponse:
        return self.envelope({"account": {"id": 12}, "plan": {"code": "growth"}})

    async def _animate(self, request: web.Request) -> web.StreamResponse:
        if not self.allow_video:
            return self.envelope(None, 402, "Animations are not included in your plan.")
        body = request[RECORDED].json or {}
        aid = 55 + len(self.animations)
        self.animations[aid] = {"render_id": body.get("render_id"), "polls_left": 1}
        animation = {"id": aid, "render_id": body.get("render_id"), "status": "processing"}
        return self.envelope({"animation": animation, "message": "Animation queued."}, 202)

    async def _animation(self, request: web.Request) -> web.StreamResponse:
        aid = int(request.query["id"])
        item = self.animations[aid]
        self.status_was_read()
        done = item["polls_left"] <= 0
        item["polls_left"] -= 1
        animation = {
            "id": aid,
            "render_id": item["render_id"],
            "status": "complete" if done else "processing",
            "preview_url": self.asset_link(f"a{aid}.mp4") if done else None,
            "error": None,
        }
        return self.envelope({"animation": animation})


# ------------------------------------------------------------ test helpers


async def _no_sleep(_seconds: float) -> None:
    return None


def fast_cartoonicate(url: str, api_key: str | None = CARTOONICATE_KEY) -> CartoonicateProvider:
    provider = CartoonicateProvider(api_key, url, requests_per_minute=100_000, poll_interval=0.001)
    if api_key:
        provider.api.retry = RetryPolicy(
            attempts=5, base_delay=0.001, max_delay=0.005, sleep=_no_sleep
        )
    return provider


def cartoon_request(panels: int = 1, **story: Any) -> GenerationRequest:
    story.setdefault("prompt", "keeps pushing to main on a Friday")
    layout = Layout(pages=1, panels_per_page=panels)
    return GenerationRequest(kind=JobKind.create, story=Story(layout=layout, **story), job_id=42)
