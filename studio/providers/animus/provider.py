"""Animus adapter: one image per script panel, a batch per page in one group; groups."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from studio.core.models import JobKind
from studio.providers.animus import parse as ap
from studio.providers.animus.wait import Waiter
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    ProgressCallback,
    Submission,
)
from studio.providers.costs import amount
from studio.providers.errors import (
    MalformedResponse,
    NotSupported,
    QuotaError,
    UnreadableBilledAnswer,
    ValidationRefused,
)
from studio.providers.http import ProviderClient
from studio.providers.remote import RemoteProvider
from studio.providers.scripting import script_of

logger = logging.getLogger("studio.providers.animus")

DEFAULT_BASE_URL = "https://api.animusai.co/v2"
DEFAULT_RPM = 30.0  # Animus documents no rate limit; stay polite
CREDIT_KEYS = ("credits_deducted", "total_credits_deducted", "credits", "total_credits")

CAPABILITIES = Capabilities(
    create_comic=True,
    multi_page=True,
    panel_redraw=True,
    continue_write=True,
    character_refs=True,
    location_refs=False,
    uploads=False,
    video=True,
    usage=False,
    list_history=True,
    delete=True,
    cancel=False,
    max_panels_per_page=20,
    max_pages=50,
    price_note="credits for each image, taken when the request is sent",
    reasons=(
        ("create_comic", "Animus draws single images; the studio composes the pages"),
        ("continue_write", "new pages are drawn from the studio's script into the same group"),
        ("character_refs", "trained Animus characters only (Character id for 'animus')"),
        ("location_refs", "Animus takes no location reference images; places go in the prompt"),
        ("uploads", "Animus has no upload endpoint in this contract; images need public URLs"),
        ("usage", "Animus reports the balance only on create answers (remaining_balance)"),
        ("cancel", "Animus has no cancel endpoint; credits are deducted at submission"),
    ),
)


class GroupStillReconciling(ValidationRefused):
    """``DELETE /generation/groups/{id}`` answered 409: generations are still running."""

    hint = "Retry the delete after the group's active generations have finished."


class AnimusProvider(RemoteProvider[ProviderClient]):
    """Animus draws one image per panel of the studio's script.

    Handle keys: ``kind`` (pages | redraw | edit | video), ``group_id``, ``group_title``,
    ``seed``, ``remaining_balance``, ``units``: every billable request of the job, each
    ``{type: batch|single, page, panels, prompts, character_id, state, id, generation_ids,
    error}`` with ``state`` planned → sending → accepted | unknown | failed | not_sent.
    Pages after the first are sent from :meth:`wait` (each saved before and after sending),
    so an accepted page is never lost when a later page fails. ``remote_project`` keys:
    ``group_id``, ``group_title``, ``remaining_balance``.
    """

    id = "animus"
    name = "Animus"
    capabilities = CAPABILITIES

    default_base_url = DEFAULT_BASE_URL
    default_rpm = DEFAULT_RPM
    poll_interval = 4.0

    def __init__(self, api_key: str | None, base_url: str | None = None, **options: Any) -> None:
        super().__init__(api_key, base_url, **options)
        self.last_balance: float | None = None

    # ------------------------------------------------------------------ jobs

    async def submit(self, request: GenerationRequest) -> Submission:
        self.api  # noqa: B018 - refuse without a key before any work
        self._remember_balance(request.remote_project.get("remaining_balance"))
        handle = self._base_handle(request)
        match request.kind:
            case JobKind.create | JobKind.continue_:
                handle["kind"] = "pages"
                handle["units"] = self._page_units(request)
            case JobKind.redraw | JobKind.edit | JobKind.video:
                handle["kind"] = request.kind.value
                handle["units"] = [self._single_unit(request)]
            case _:
                raise NotSupported(f"Animus cannot do a {request.kind.value} job.")
        first = handle["units"][0]
        await self.send_unit(first, handle)
        return Submission(
            remote_id=str(first["id"]),
            handle=handle,
            credits=first.get("credits"),
            message=f"Animus accepted {first['type']} {first['id']} "
            f"({len(handle['units'])} request(s) in this job).",
        )

    async def _wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> GenerationResult:
        return await Waiter(self, submission, request, progress, save_handle).run()

    @classmethod
    def cost_words(cls, remote_project: dict[str, Any]) -> str:
        """ "Animus: 4 credits per image · 87 credits left" from the last job's answers."""
        per = amount(remote_project.get("credits_per_image"), "credit")
        left = amount(remote_project.get("remaining_balance"), "credit")
        if not per and not left:
            return f"Animus: {cls.capabilities.price_note}"
        parts = [f"{per} per image" if per else cls.capabilities.price_note]
        if left:
            parts.append(f"{left} left")
        return "Animus: " + " · ".join(parts)

    async def usage(self) -> dict[str, Any]:
        if self.last_balance is None:
            raise NotSupported(CAPABILITIES.reason("usage") + "; none seen yet.")
        return {"remaining_balance": self.last_balance, "source": "last create answer"}

    async def check(self) -> dict[str, Any]:
        """Verify the key with a cheap, unbilled GET (the group list)."""
        await self.list_groups(limit=1)
        return {
            "ok": True,
            **({"remaining_balance": self.last_balance} if self.last_balance else {}),
        }

    async def list_groups(self, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        data = await self.api.get_json(
            "/generation/groups", params={"limit": limit, "offset": offset}
        )
        if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
            raise MalformedResponse("Animus sent a group list without `groups`.")
        return ap.groups_of(data)

    async def delete_group(self, group_id: str) -> dict[str, Any]:
        """Delete a group and every generation in it (sent once)."""
        path = f"/generation/groups/{quote(group_id, safe='')}"
        try:
            data = await self.api.send_billable("DELETE", path)
        except ValidationRefused as exc:
            if exc.status != 409:
                raise
            raise GroupStillReconciling(
                f"Animus cannot delete group {group_id} yet: its generations are still "
                "reconciling (HTTP 409).",
                status=409,
                code=exc.code,
            ) from exc
        return data if isinstance(data, dict) else {"deleted": group_id}

    # ---------------------------------------------------------------- sending

    async def send_unit(self, unit: dict[str, Any], handle: dict[str, Any]) -> None:
        """Send one billable unit exactly once and record what Animus accepted."""
        group = (
            {"group_id": handle["group_id"]}
            if handle.get("group_id")
            else {"group_title": handle["group_title"]}
        )
        seed = handle.get("seed") or None
        if unit["type"] == "batch":
            path, body = "/generation/batch", ap.batch_body(unit, group, seed)
        else:
            extra = dict(unit.get("extra") or {})
            path = "/generation/create"
            body = ap.create_body(
                unit["prompts"][0], unit.get("character_id"), group, seed, **extra
            )
        try:
            data = await self.api.send_billable("POST", path, json=body)
        except QuotaError as exc:
            raise self._quota(exc, unit) from exc
        found = ap.submitted_id(data)
        if not found:
            raise UnreadableBilledAnswer(
                "Animus accepted the request (credits are deducted at submission) but its "
                "answer has no batch or generation id. Check the groups list before retrying."
            )
        unit.update(state="accepted", id=found, generation_ids=ap.generation_ids(data))
        unit["credits"] = ap.number(data, *CREDIT_KEYS)
        handle["group_id"] = handle.get("group_id") or ap.text(data, "group_id")
        balance = ap.number(data, "remaining_balance")
        if balance is not None:
            handle["remaining_balance"] = balance
            self._remember_balance(balance)

    def _quota(self, exc: QuotaError, unit: dict[str, Any]) -> QuotaError:
        asked = f"{len(unit['prompts'])} image(s) for page {unit['page'] + 1}"
        if unit.get("character_id"):
            asked += f" with character {unit['character_id']}"
        balance = (
            f"the last known balance is {self.last_balance:g} credits"
            if self.last_balance is not None
            else "the balance is not known yet"
        )
        return QuotaError(
            f"{exc.message}. Asked for {asked}; {balance}. Animus answers 402 when credits or "
            "the subscription access to a character are missing.",
            status=exc.status,
            code=exc.code,
            trace_id=exc.trace_id,
        )

    # ------------------------------------------------------------------ plans

    def _base_handle(self, request: GenerationRequest) -> dict[str, Any]:
        gid = request.remote_project.get("group_id")
        return {
            "group_id": str(gid) if gid else None,
            "group_title": request.story.title or "Comic Studio",
            "seed": request.seed or None,
        }

    def _page_units(self, request: GenerationRequest) -> list[dict[str, Any]]:
        script = script_of(request.script, request.story, request.cast, request.locations)
        units: list[dict[str, Any]] = []
        for page, spage in enumerate(script.pages):
            if spage.panels:
                units += ap.page_units(
                    page, spage.panels, request.cast, request.locations, request.story.style
                )
        if not units:
            raise ValidationRefused("The script has no panels for Animus to draw.")
        return units

    def _single_unit(self, request: GenerationRequest) -> dict[str, Any]:
        page, panel = request.target_page, request.target_panel
        if page is None or panel is None:
            raise ValidationRefused("Choose the panel first.")
        spanel = _script_panel(request, page, panel)
        prompt = request.prompt.strip() or (
            ap.panel_prompt(spanel, request.cast, request.locations, request.story.style)
            if spanel
            else ""
        )
        extra: dict[str, Any] = {}
        if request.kind in (JobKind.edit, JobKind.video):
            source = request.source_image
            if source is None or not source.url:
                raise NotSupported(
                    "Animus edits and animates images by public URL only and has no upload "
                    "endpoint; this panel's image has no remote URL. Redraw it with Animus "
                    "first, or use a provider that accepts uploads."
                )
            extra["source_image_url"] = source.url
            if request.kind is JobKind.video:
                extra["convert_to_video"] = True
        if not prompt:
            raise ValidationRefused("Describe the panel: Animus needs a prompt.")
        char = ap.lora_character(spanel, request.cast) if spanel else None
        unit = ap._unit("single", page, [panel], [prompt], char)
        unit["extra"] = extra
        return unit

    def _remember_balance(self, value: Any) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.last_balance = float(value)


def _script_panel(request: GenerationRequest, page: int, panel: int) -> Any:
    pages = request.script.pages
    if 0 <= page < len(pages) and 0 <= panel < len(pages[page].panels):
        return pages[page].panels[panel]
    return None
