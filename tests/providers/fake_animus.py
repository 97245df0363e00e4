"""A fake Animus v2 media API (aiohttp) that records requests and simulates generations.

Routes: ``create`` POST /v2/generation/create, ``batch`` POST /v2/generation/batch (both
billable), ``status`` GET /v2/generation/status/{id}, ``groups`` GET /v2/generation/groups,
``group`` GET /v2/generation/groups/{gid}, ``delete_group`` DELETE the same path.

A generation shows ``submitted`` then ``running`` for ``running_polls`` polls, then
``completed``. ``batch_shape``: "urls" (``result_urls`` at the top), "jobs" (a list of
per-job entries) or "counts" (aggregate counts only: the client must read the group).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from fake_base import RECORDED, FakeServer

from studio.core.models import Character, JobKind, Layout, Script, ScriptPage, ScriptPanel, Story
from studio.net.client import RetryPolicy
from studio.providers.animus.provider import AnimusProvider
from studio.providers.base import GenerationRequest

ANIMUS_KEY = "an-test-KEY-abcdef0123456789"


@dataclass
class FakeGen:
    id: str
    group: str
    prompt: str
    polls_left: int
    video: bool = False
    created: int = 0


@dataclass
class FakeGroup:
    id: str
    title: str
    gens: list[str] = field(default_factory=list)


class FakeAnimus(FakeServer):
    base_path = "/v2"
    billable_routes = frozenset({"create", "batch"})

    def __init__(self) -> None:
        super().__init__()
        self.gens: dict[str, FakeGen] = {}
        self.groups: dict[str, FakeGroup] = {}
        self.batches: dict[str, list[str]] = {}
        self.running_polls = 1
        self.batch_shape = "urls"
        self.batch_lists_ids = False
        self.balance = 100
        self.fail_gen: str | None = None  # a prompt substring whose generation fails
        self.delete_conflict = False

    def add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_post("/v2/generation/create", self._create, name="create")
        r.add_post("/v2/generation/batch", self._batch, name="batch")
        r.add_get("/v2/generation/status/{id}", self._status, name="status")
        r.add_get("/v2/generation/groups", self._groups, name="groups")
        r.add_get("/v2/generation/groups/{gid}", self._group, name="group")
        r.add_delete("/v2/generation/groups/{gid}", self._delete, name="delete_group")

    # -------------------------------------------------------------- handlers

    def _group_for(self, body: dict[str, Any]) -> FakeGroup:
        gid = body.get("group_id")
        if gid in self.groups:
            return self.groups[gid]
        group = FakeGroup(f"grp_{len(self.groups) + 1}", str(body.get("group_title", "auto")))
        self.groups[group.id] = group
        return group

    def _new_gen(self, group: FakeGroup, prompt: str, video: bool = False) -> FakeGen:
        gen = FakeGen(f"gen_{len(self.gens) + 1:03d}", group.id, prompt, self.running_polls)
        gen.video, gen.created = video, len(self.gens)
        self.gens[gen.id] = gen
        group.gens.append(gen.id)
        return gen

    async def _create(self, request: web.Request) -> web.StreamResponse:
        body = request[RECORDED].json or {}
        group = self._group_for(body)
        gen = self._new_gen(group, str(body.get("prompt")), bool(body.get("convert_to_video")))
        self.balance -= 4
        return web.json_response(
            {
                "generation_id": gen.id,
                "group_id": group.id,
                "status": "submitted",
                "message": "Text To Image job submitted successfully",
                "estimated_time": 30,
                "credits_deducted": 4,
                "remaining_balance": self.balance,
            }
        )

    async def _batch(self, request: web.Request) -> web.StreamResponse:
        body = request[RECORDED].json or {}
        group = self._group_for(body)
        ids = [self._new_gen(group, str(p.get("prompt"))).id for p in body.get("prompts", [])]
        batch_id = f"batch_{len(self.batches) + 1}"
        self.batches[batch_id] = ids
        self.balance -= 4 * len(ids)
        answer: dict[str, Any] = {
            "batch_id": batch_id,
            "group_id": group.id,
            "accepted": len(ids),
            "errors": [],
            "total_credits_deducted": 4 * len(ids),
            "remaining_balance": self.balance,
        }
        if self.batch_lists_ids:
            answer["generation_ids"] = ids
        return web.json_response(answer)

    async def _status(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["id"]
        self.status_was_read()
        if key in self.batches:
            return web.json_response(self._batch_status(key))
        gen = self.gens.get(key)
        if gen is None:
            return web.json_response({"error": "not_found", "message": "no such job"}, status=404)
        return web.json_response(self._render(gen))

    async def _groups(self, request: web.Request) -> web.StreamResponse:
        items = [
            {"group_id": g.id, "title": g.title, "generation_count": len(g.gens)}
            for g in self.groups.values()
        ]
        page = {"limit": 20, "offset": 0, "returned": len(items), "has_more": False}
        return web.json_response({"groups": items, "pagination": page})

    async def _group(self, request: web.Request) -> web.StreamResponse:
        group = self.groups.get(request.match_info["gid"])
        if group is None:
            return web.json_response({"error": "not_found"}, status=404)
        self.status_was_read()
        gens = [self._render(self.gens[g], advance=False) for g in reversed(group.gens)]
        return web.json_response({"group_id": group.id, "title": group.title, "generations": gens})

    async def _delete(self, request: web.Request) -> web.StreamResponse:
        if self.delete_conflict:
            return web.json_response(
                {"error": "conflict", "message": "generations still reconciling"}, status=409
            )
        gid = request.match_info["gid"]
        self.groups.pop(gid, None)
        return web.json_response({"deleted_group": gid})

    # ------------------------------------------------------------- rendering

    def _render(self, gen: FakeGen, *, advance: bool = True) -> dict[str, Any]:
        if advance and gen.polls_left > 0:
            gen.polls_left -= 1
            status = "submitted" if gen.polls_left == self.running_polls - 1 else "rendering"
            return {
                "generation_id": gen.id,
                "group_id": gen.group,
                "status": status,
                "progress": 40,
                "result_urls": [],
                "error": None,
            }
        failed = self.fail_gen is not None and self.fail_gen in gen.prompt
        ext = "mp4" if gen.video else "png"
        return {
            "generation_id": gen.id,
            "group_id": gen.group,
            "status": "failed" if failed else "completed",
            "progress": 100,
            "result_urls": [] if failed else [self.asset_link(f"{gen.id}.{ext}")],
            "error": "NSFW filter" if failed else None,
            "created_at": f"2024-07-01T15:04:{gen.created:02d}.000000",
            "prompt": gen.prompt,
        }

    def _batch_status(self, batch_id: str) -> dict[str, Any]:
        rendered = [self._render(self.gens[g]) for g in self.batches[batch_id]]
        done = sum(1 for r in rendered if r["status"] == "completed")
        failed = [r["error"] for r in rendered if r["status"] == "failed"]
        data: dict[str, Any] = {
            "batch_id": batch_id,
            "status": "completed" if done + len(failed) == len(rendered) else "processing",
            "completed": done,
            "failed": len(failed),
            "total": len(rendered),
            "error": failed[0] if failed and done + len(failed) == len(rendered) else None,
        }
        if self.batch_shape == "urls" and done == len(rendered):
            data["result_urls"] = [r["result_urls"][0] for r in rendered]
        elif self.batch_shape == "jobs":
            data["generations"] = rendered
        return data


# ------------------------------------------------------------ test helpers


async def _no_sleep(_seconds: float) -> None:
    return None


def fast_animus(url: str, api_key: str | None = ANIMUS_KEY) -> AnimusProvider:
    provider = AnimusProvider(api_key, url, requests_per_minute=100_000, poll_interval=0.001)
    provider.wait_timeout = 5.0
    if api_key:
        provider.api.retry = RetryPolicy(
            attempts=5, base_delay=0.001, max_delay=0.005, sleep=_no_sleep
        )
    return provider


def animus_request(
    pages: list[list[ScriptPanel]] | None = None,
    cast: list[Character] | None = None,
    **fields: Any,
) -> GenerationRequest:
    pages = pages or [[ScriptPanel("Sora walks in", ["Sora"]), ScriptPanel("Sora waves", ["Sora"])]]
    layout = Layout(pages=len(pages), panels_per_page=len(pages[0]))
    return GenerationRequest(
        kind=fields.pop("kind", JobKind.create),
        story=Story(title="Neon Nights", prompt="Sora in the city.", layout=layout),
        cast=cast if cast is not None else [Character("Sora", age="20", dress="red coat")],
        script=Script([ScriptPage(p) for p in pages]),
        **fields,
    )
