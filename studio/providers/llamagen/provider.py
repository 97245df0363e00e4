"""LlamaGen Comic API adapter: create, continue-write, panel redraw, video, usage, uploads."""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any
from urllib.parse import quote

from studio.core.models import JobKind, ScriptPanel
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    ProgressCallback,
    RefImage,
    Submission,
    VideoOptions,
)
from studio.providers.errors import (
    MalformedResponse,
    NotSupported,
    OutcomeUnknown,
    ProviderError,
    UnreadableBilledAnswer,
    ValidationRefused,
    upload_broke_off,
)
from studio.providers.http import ProviderClient
from studio.providers.llamagen import parse as lp
from studio.providers.llamagen.wait import Waiter
from studio.providers.remote import RemoteProvider

logger = logging.getLogger("studio.providers.llamagen")

DEFAULT_BASE_URL = "https://api.llamagen.ai/v1"
DEFAULT_RPM = 10.0
GENERATIONS = "/comics/generations"

CAPABILITIES = Capabilities(
    create_comic=True,
    multi_page=True,
    panel_redraw=True,
    continue_write=True,
    character_refs=True,
    location_refs=True,
    uploads=True,
    video=True,
    usage=True,
    list_history=False,
    delete=False,
    cancel=False,
    sizes=lp.SIZES,
    styles=lp.STYLES,
    upscale=True,
    language=True,
    max_panels_per_page=20,
    max_pages=20,
    price_note="about 150 credits per panel at base size; 2K ×2, 4K ×4",
    reasons=(
        ("list_history", "LlamaGen has no list endpoint; request logs are only in its dashboard"),
        ("delete", "LlamaGen has no delete endpoint"),
        ("cancel", "no cancel endpoint: a running generation finishes and is billed"),
    ),
)


class LlamaGenProvider(RemoteProvider[ProviderClient]):
    """LlamaGen scripts and draws server-side from a prompt; one generation id grows
    through continue-write and redraw jobs.

    Handle keys: ``generation_id``, ``kind`` (create | continue | redraw | video),
    ``first_page`` and ``expected_pages`` (create/continue), ``page``/``panel``,
    ``previous_url`` and ``seen_running`` (redraw; ``seen_running`` also for continue).
    ``remote_project`` keys read: ``generation_id``, ``pages``, ``prompt_url`` (optional
    input). Results return only the keys they update (the caller merges them):
    ``{generation_id, pages}``, or ``{video_generation_id}`` for a video job.
    """

    id = "llamagen"
    name = "LlamaGen"
    capabilities = CAPABILITIES
    default_base_url = DEFAULT_BASE_URL
    default_rpm = DEFAULT_RPM
    poll_interval = 6.0

    def __init__(self, api_key: str | None, base_url: str | None = None, **options: Any) -> None:
        super().__init__(api_key, base_url, **options)
        #: Terminal polls tolerated after a PATCH before a stale-looking state is accepted.
        self.settle_polls = 10
        self._uploaded: dict[str, str] = {}

    # ------------------------------------------------------------------ jobs

    async def submit(self, request: GenerationRequest) -> Submission:
        match request.kind:
            case JobKind.create:
                return await self._submit_create(request)
            case JobKind.continue_:
                return await self._submit_continue(request)
            case JobKind.redraw:
                return await self._submit_redraw(request)
            case JobKind.video:
                return await self._submit_video(request)
        raise NotSupported(f"LlamaGen cannot do a {request.kind.value} job.")

    async def _wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> GenerationResult:
        return await Waiter(self, submission, request, progress, save_handle).run()

    async def usage(self) -> dict[str, Any]:
        """``GET /comics/usage`` as LlamaGen returns it (the shape is undocumented)."""
        data = await self.api.get_json("/comics/usage")
        return data if isinstance(data, dict) else {"usage": data}

    async def check(self) -> dict[str, Any]:
        return await self.usage()

    async def upload(self, data: bytes, filename: str, mime: str) -> str:
        """Upload a reference image (sent once, never retried); return its URL."""
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._uploaded:
            return self._uploaded[digest]
        try:
            answer = await self.api.send_billable(
                "POST", "/comics/upload", files={"file": (filename, data, mime)}, bills=False
            )
        except OutcomeUnknown as exc:
            raise upload_broke_off("LlamaGen", filename, exc) from exc
        url = lp.upload_url_of(answer)
        if not url:
            raise MalformedResponse("LlamaGen accepted the upload but its answer has no URL.")
        url = str(self.api.resolve(url))
        self._uploaded[digest] = url
        return url

    def generation_path(self, generation_id: str) -> str:
        return f"{GENERATIONS}/{quote(generation_id, safe='')}"

    # ---------------------------------------------------------------- submit

    async def _submit_create(self, request: GenerationRequest) -> Submission:
        story = request.story
        prompt = story.prompt.strip()
        if request.script_edited and request.script.panel_count:
            directions = lp.script_directions(request.script, request.cast, request.locations)
            prompt = f"{prompt}\n\n{directions}".strip()
        if not prompt:
            raise ValidationRefused("LlamaGen needs a story prompt.")
        if story.size not in lp.SIZES:
            raise ValidationRefused(f"LlamaGen sizes are {', '.join(lp.SIZES)}; got {story.size}.")
        layout = story.layout
        body: dict[str, Any] = {
            "prompt": prompt,
            "preset": story.style or "neutral",
            "size": story.size,
            **lp.layout_fields(layout.pages, layout.panels_per_page, layout.paginated),
            "language": story.language or "auto",
            "upscale": story.upscale.value,
        }
        body.update(await self._references(request))
        if request.remote_project.get("prompt_url"):
            body["promptUrl"] = str(request.remote_project["prompt_url"])
        data = await self.api.send_billable("POST", GENERATIONS, json=body)
        handle = {"kind": "create", "first_page": 0, "expected_pages": layout.pages}
        return self._submission(data, handle)

    async def _references(self, request: GenerationRequest) -> dict[str, Any]:
        """comicRoles, comicLocations and attachments, uploading bytes-only images first."""
        fields: dict[str, Any] = {}
        roles = [
            lp.role_of(c, await self._ref_url(request.character_images.get(c.name), c.image_url))
            for c in request.cast
        ]
        places = [
            lp.location_of(
                loc, await self._ref_url(request.location_images.get(loc.name), loc.image_url)
            )
            for loc in request.locations
        ]
        attachments = await self._ref_urls(request.reference_images)
        if roles:
            fields["comicRoles"] = roles
        if places:
            fields["comicLocations"] = places
        if attachments:
            fields["attachments"] = lp.attachments_of(attachments)
        return fields

    async def _submit_continue(self, request: GenerationRequest) -> Submission:
        gid = self._project_generation(request, "continue")
        prompt = request.prompt.strip()
        if not prompt:
            raise ValidationRefused("Say how the story goes on: continue-write needs a prompt.")
        body: dict[str, Any] = {
            "action": "continueWrite",
            "prompt": prompt,
            **lp.layout_fields(request.pages, request.panels_per_page, request.paginated),
        }
        attachments = await self._ref_urls(request.reference_images)
        if attachments:
            body["attachments"] = lp.attachments_of(attachments)
        known = request.remote_project.get("pages")
        pages_before = known if isinstance(known, int) else await self._page_count(gid)
        data = await self.api.send_billable("PATCH", self.generation_path(gid), json=body)
        first = data.get("page") if isinstance(data, dict) else None
        if not isinstance(first, int) or isinstance(first, bool):
            first = pages_before
        handle = {
            "kind": "continue",
            "first_page": first,
            "added_pages": request.pages,
            "expected_pages": None if first is None else first + request.pages,
            "seen_running": False,
        }
        return self._submission(data, handle, gid)

    async def _submit_redraw(self, request: GenerationRequest) -> Submission:
        gid = self._project_generation(request, "redraw")
        page = _first_int(request.remote_page, request.target_page, 0)
        panel = _first_int(request.remote_panel, request.target_panel)
        if panel is None:
            raise ValidationRefused("Choose the panel to redraw.")
        body: dict[str, Any] = {"action": "regeneratePanel", "page": page, "panel": panel}
        if request.prompt.strip():
            body["panelPrompt"] = lp.redraw_prompt(
                request.prompt, _target_panel(request), request.cast, request.locations
            )
        if request.caption and request.caption.strip():
            body["caption"] = request.caption.strip()
        images = await self._ref_urls(request.reference_images)
        if images:
            body["images"] = images
        if not {"panelPrompt", "caption", "images"} & body.keys():
            raise ValidationRefused(
                "Say what to change: a new description, a caption or a reference image."
            )
        previous = await self._panel_url(gid, page, panel)
        data = await self.api.send_billable("PATCH", self.generation_path(gid), json=body)
        handle = {
            "kind": "redraw",
            "page": page,
            "panel": panel,
            "previous_url": previous,
            "seen_running": False,
        }
        return self._submission(data, handle, gid)

    async def _submit_video(self, request: GenerationRequest) -> Submission:
        prompt = request.prompt.strip() or request.story.prompt.strip()
        if not prompt:
            raise ValidationRefused("Describe the clip: video needs a prompt.")
        opts = request.video or VideoOptions()
        options: dict[str, Any] = {
            "duration": opts.duration,
            "resolution": opts.resolution,
            "aspect_ratio": opts.aspect_ratio,
            "generate_audio": opts.generate_audio,
        }
        if opts.seed is not None:
            options["seed"] = opts.seed
        first = await self._ref_url(opts.first_frame or request.source_image, None)
        if first:
            options["image"] = first
            last = await self._ref_url(opts.last_frame, None)
            if last:
                options["last_frame_image"] = last
        body = {"agentType": "videoModel", "prompt": prompt, "videoOptions": options}
        data = await self.api.send_billable("POST", GENERATIONS, json=body)
        return self._submission(data, {"kind": "video"})

    # --------------------------------------------------------------- helpers

    def _submission(self, data: Any, handle: dict[str, Any], gid: str | None = None) -> Submission:
        """Build the Submission from a billable answer (the id is required for a create)."""
        found = lp.generation_id(data) or gid
        if not found:
            raise UnreadableBilledAnswer(
                "LlamaGen accepted the request (it is billed) but its answer has no generation "
                "id, so the result cannot be fetched. Check the request logs in the LlamaGen "
                "dashboard before submitting again."
            )
        status = lp.status_of(data) or "ACCEPTED"
        return Submission(
            remote_id=found,
            handle={"generation_id": found, **handle},
            credits=lp.credits_of(data),
            message=f"LlamaGen accepted generation {found} ({status.lower()}).",
        )

    def _project_generation(self, request: GenerationRequest, what: str) -> str:
        gid = request.remote_project.get("generation_id")
        if not gid:
            raise ValidationRefused(
                f"This project has no LlamaGen generation to {what}: create the comic first."
            )
        return str(gid)

    async def _page_count(self, gid: str) -> int | None:
        """The generation's current page count, or None when it cannot be read now."""
        try:
            return len(lp.pages_of(await self.api.get_json(self.generation_path(gid))))
        except ProviderError as exc:
            logger.info("could not read the page count before continuing: %s", exc.kind)
            return None

    async def _panel_url(self, gid: str, page: int, panel: int) -> str | None:
        """The panel's current asset URL ("" when absent; None when it cannot be read)."""
        try:
            data = await self.api.get_json(self.generation_path(gid))
        except ProviderError as exc:
            logger.info("could not read the panel before redrawing: %s", exc.kind)
            return None
        return lp.find_panel(lp.pages_of(data), page, panel) or ""

    async def _ref_url(self, ref: RefImage | None, fallback: str | None) -> str | None:
        if ref is not None and ref.url:
            return ref.url
        if fallback:
            return fallback
        if ref is not None and ref.data:
            return await self.upload(ref.data, _filename(ref), ref.mime)
        return None

    async def _ref_urls(self, refs: list[RefImage]) -> list[str]:
        urls = [await self._ref_url(ref, None) for ref in refs]
        return [url for url in urls if url]


def _first_int(*values: int | None) -> int | None:
    for value in values:
        if value is not None:
            return value
    return None


def _filename(ref: RefImage) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", ref.name).strip("_") or "reference"
    ext = {"image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}.get(ref.mime, "png")
    return f"{stem[:40]}.{ext}"


def _target_panel(request: GenerationRequest) -> ScriptPanel | None:
    """The redrawn panel's script: the job's one-panel script, else the target's."""
    pages = request.script.pages
    if request.script.panel_count == 1:
        return next(p for page in pages for p in page.panels)
    page, panel = request.target_page, request.target_panel
    if page is None or panel is None or page >= len(pages) or panel >= len(pages[page].panels):
        return None
    return pages[page].panels[panel]
