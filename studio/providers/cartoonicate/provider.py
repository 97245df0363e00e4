"""Cartoonicate Partner API adapter: single cartoons and strips, animations, account, history."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from studio.core.models import JobKind
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    ProgressCallback,
    Submission,
)
from studio.providers.cartoonicate import parse as cp
from studio.providers.cartoonicate.client import CartoonicateClient
from studio.providers.cartoonicate.wait import Waiter
from studio.providers.errors import (
    AuthError,
    ForbiddenError,
    NotSupported,
    OutcomeUnknown,
    ProviderError,
    QuotaError,
    ValidationRefused,
    billed_answer,
)
from studio.providers.remote import RemoteProvider

logger = logging.getLogger("studio.providers.cartoonicate")

DEFAULT_BASE_URL = "https://cartoonicate.com/api/v1/partner"
DEFAULT_RPM = 60.0  # plans set rate_limit_per_min (120 in the example); 429s carry Retry-After
RECONCILE_PAGES = 2  # list pages (of 100, newest first) searched after an ambiguous create
_QUOTA_WORDS = re.compile(r"quota|preview|exhausted|used up|limit", re.I)

CAPABILITIES = Capabilities(
    create_comic=True,
    multi_page=False,
    panel_redraw=False,
    continue_write=False,
    character_refs=False,
    location_refs=False,
    uploads=False,
    video=True,
    usage=True,
    list_history=True,
    delete=False,
    cancel=False,
    sizes=cp.SIZES,
    styles=cp.STYLES,
    max_panels_per_page=8,
    max_pages=1,
    price_note="one preview of the monthly quota per variant; animations are metered as video",
    reasons=(
        ("multi_page", "Cartoonicate draws one image per cartoon (a strip of up to 8 panels)"),
        (
            "panel_redraw",
            "Cartoonicate draws the whole strip as one image; panels cannot be redrawn",
        ),
        ("continue_write", "Cartoonicate has no continue; each cartoon stands alone"),
        ("character_refs", "Cartoonicate takes the cast as text (subject), not images"),
        ("location_refs", "Cartoonicate takes the location as text, not images"),
        ("uploads", "Cartoonicate has no upload endpoint"),
        ("delete", "Cartoonicate has no delete endpoint"),
        ("cancel", "no cancel endpoint: previews are counted when the cartoon is created"),
    ),
)


class CartoonicateProvider(RemoteProvider[CartoonicateClient]):
    """One cartoon per create: each render is one studio page with one panel (the whole
    strip); further variants are alternative versions. Previews are watermarked.

    Handle keys: ``kind`` (create | video); create: ``cartoon_id``, ``render_ids``,
    ``reconciled`` (found in the list after a dropped create); video: ``animation_id``,
    ``render_id``. ``remote_project`` keys read: ``format``, ``tone``, ``holiday``,
    ``title_banner``, ``punchline_banner``, ``variants``, ``render_id`` /
    ``video_render_id`` (video). Results set ``{cartoon_id, render_id, render_ids}`` or
    ``{animation_id}``.
    """

    id = "cartoonicate"
    name = "Cartoonicate"
    capabilities = CAPABILITIES

    default_base_url = DEFAULT_BASE_URL
    default_rpm = DEFAULT_RPM
    client_class = CartoonicateClient
    poll_interval = 5.0
    wait_timeout = 20 * 60.0

    def __init__(self, api_key: str | None, base_url: str | None = None, **options: Any) -> None:
        super().__init__(api_key, base_url, **options)
        self._account: dict[str, Any] | None = None

    # ------------------------------------------------------------------ jobs

    async def submit(self, request: GenerationRequest) -> Submission:
        match request.kind:
            case JobKind.create:
                return await self._submit_create(request)
            case JobKind.video:
                return await self._submit_video(request)
        names = {JobKind.redraw: "panel_redraw", JobKind.continue_: "continue_write"}
        why = self.capabilities.reason(names.get(request.kind, ""))
        raise NotSupported(f"Cartoonicate cannot do a {request.kind.value} job. {why}".strip())

    async def _wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> GenerationResult:
        return await Waiter(self, submission, request, progress).run()

    async def account(self) -> dict[str, Any]:
        """``/account.php`` data, fetched once and cached."""
        if self._account is None:
            self._account = await self.api.get_data("/account.php")
        return self._account

    async def usage(self) -> dict[str, Any]:
        """Account, plan and quota, plus the month's usage summary."""
        self._account = None
        info = dict(await self.account())
        usage = await self.api.get_data("/usage.php", {"limit": 1, "offset": 0})
        info["usage"] = usage.get("summary") if isinstance(usage.get("summary"), dict) else {}
        return info

    async def check(self) -> dict[str, Any]:
        ping = await self.api.get_data("/ping.php")
        return {"ping": ping, **await self.usage()}

    async def history(self, limit: int = 25, offset: int = 0) -> dict[str, Any]:
        """One page of the cartoons list (newest first): ``{cartoons, pagination}``."""
        if not 1 <= limit <= 100 or offset < 0:
            raise ValidationRefused("Cartoonicate lists 1 to 100 cartoons from offset ≥ 0.")
        data = await self.api.get_data("/cartoons.php", {"limit": limit, "offset": offset})
        items = data.get("cartoons")
        pagination = data.get("pagination")
        return {
            "cartoons": [i for i in items if isinstance(i, dict)]
            if isinstance(items, list)
            else [],
            "pagination": pagination if isinstance(pagination, dict) else {},
        }

    # ---------------------------------------------------------------- submit

    async def _submit_create(self, request: GenerationRequest) -> Submission:
        token = uuid.uuid4().hex
        body = cp.create_body(request, token)
        body["variants"] = await self._variants(request.remote_project.get("variants"))
        try:
            data, trace = await self.api.post_data("/cartoons.php", body)
            with billed_answer():
                cid, renders = cp.created_of(data)
        except OutcomeUnknown:
            found = await self._reconcile(request.job_id, token)
            if found is None:
                raise
            logger.info("dropped create reconciled with cartoon %s", found)
            return Submission(
                remote_id=str(found),
                handle={
                    "kind": "create",
                    "cartoon_id": found,
                    "render_ids": [],
                    "reconciled": True,
                },
                message=(
                    f"The connection dropped, but Cartoonicate had created cartoon {found}; "
                    "it was found in the list and not sent again."
                ),
            )
        return Submission(
            remote_id=str(cid),
            handle={"kind": "create", "cartoon_id": cid, "render_ids": renders},
            message=f"Cartoonicate queued cartoon {cid} ({len(renders) or '?'} preview(s)).",
            trace_id=trace,
        )

    async def _variants(self, wanted: Any) -> int:
        """The requested variants (default 1), capped by ``plan.max_variants``."""
        count = wanted if isinstance(wanted, int) and not isinstance(wanted, bool) else 1
        count = max(1, count)
        if count == 1:
            return 1
        try:
            cap = cp.max_variants(await self.account())
        except AuthError:
            raise
        except ProviderError as exc:
            logger.info("plan unknown (%s); the server caps variants", exc.kind)
            return count
        return min(count, cap) if cap else count

    async def _reconcile(self, job_id: int | None, token: str) -> int | None:
        """Search the newest cartoons for this request's metadata (GETs only)."""
        for page in range(RECONCILE_PAGES):
            try:
                data = await self.api.get_data(
                    "/cartoons.php", {"limit": 100, "offset": page * 100}
                )
            except ProviderError as exc:
                logger.info("could not search the cartoon list: %s", exc.kind)
                return None
            found = cp.listed_ids(data, job_id, token)
            if found:
                return found[0]
            items = data.get("cartoons")
            if not isinstance(items, list) or len(items) < 100:
                return None
        return None

    async def _submit_video(self, request: GenerationRequest) -> Submission:
        project = request.remote_project
        render = project.get("video_render_id") or project.get("render_id")
        if isinstance(render, str) and render.isascii() and render.isdigit():
            render = int(render)
        if not isinstance(render, int) or isinstance(render, bool):
            raise ValidationRefused(
                "Choose a ready Cartoonicate render to animate: create a cartoon first."
            )
        try:
            data, trace = await self.api.post_data("/animations.php", {"render_id": render})
        except QuotaError as exc:
            if _QUOTA_WORDS.search(exc.message):
                raise
            raise ForbiddenError(
                "Your Cartoonicate plan has no animations (HTTP 402). Upgrade the plan to "
                "animate renders; nothing was charged.",
                status=exc.status,
                trace_id=exc.trace_id,
            ) from exc
        with billed_answer():
            animation_id = cp.animation_of(data)[0]
        return Submission(
            remote_id=str(animation_id),
            handle={"kind": "video", "animation_id": animation_id, "render_id": render},
            message=f"Cartoonicate queued animation {animation_id}.",
            trace_id=trace,
        )
