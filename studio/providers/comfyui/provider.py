"""ComfyUI adapter: each panel of the script is one prompt on the user's ComfyUI server."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import uuid
from typing import Any

from studio.core.models import JobKind, ScriptPanel
from studio.net.ws import EventSocket, open_socket, ws_url
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    ProgressCallback,
    RefImage,
    Submission,
)
from studio.providers.comfyui import parse as cp
from studio.providers.comfyui import prompts
from studio.providers.comfyui import workflows as wf
from studio.providers.comfyui.client import ComfyClient
from studio.providers.comfyui.discover import ServerInfo
from studio.providers.comfyui.wait import Waiter, result_of
from studio.providers.errors import (
    MalformedResponse,
    NotSupported,
    OutcomeUnknown,
    ValidationRefused,
    upload_broke_off,
)
from studio.providers.remote import RemoteProvider

logger = logging.getLogger("studio.providers.comfyui")

DEFAULT_BASE_URL = "http://127.0.0.1:8188"
REDRAW_DENOISE = 0.6

CAPABILITIES = Capabilities(
    create_comic=True,
    multi_page=True,
    panel_redraw=True,
    inpaint=True,
    continue_write=True,
    character_refs=True,
    location_refs=False,
    uploads=True,
    video=False,
    usage=False,
    list_history=False,
    delete=False,
    cancel=True,
    needs_key=False,
    max_panels_per_page=20,
    max_pages=500,
    price_note="free: drawn on your own GPU (or the ComfyUI server you point at)",
    reasons=(
        ("create_comic", "ComfyUI draws one image per panel; the studio composes the pages"),
        ("character_refs", "through IP-Adapter when the server has it, else a seed per character"),
        ("location_refs", "places go into the prompt as words"),
        ("video", "the built-in workflows draw still images"),
        ("usage", "a ComfyUI server is not metered"),
        ("list_history", "the studio follows its own prompts only"),
        ("delete", "ComfyUI keeps its output folder; the studio stores its own copies"),
    ),
)


class ComfyUIProvider(RemoteProvider[ComfyClient]):
    """Handle keys: ``client_id``, ``kind`` (pages | redraw), ``checkpoint``, ``workflow``,
    ``uploads`` (sha256 → uploaded name), ``stopped`` and ``units``: one per panel,
    ``{page, panel, index, width, height, state, prompt_id, number, attempts, images,
    error}`` with ``state`` planned → sending → queued → done | failed | interrupted |
    not_sent."""

    id = "comfyui"
    name = "ComfyUI"
    capabilities = CAPABILITIES
    billable = False  # the user's own GPU: nothing is charged
    default_base_url = DEFAULT_BASE_URL
    default_rpm = 6000.0
    client_class = ComfyClient
    poll_interval = 1.0
    wait_timeout = 24 * 3600.0

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        checkpoint: str = "",
        workflow_file: str = "",
        requests_per_minute: float | None = None,
        **options: Any,
    ) -> None:
        self.extra_headers = {str(k): str(v) for k, v in (headers or {}).items()}
        self._token = api_key or ""
        super().__init__(api_key, base_url, requests_per_minute=requests_per_minute, **options)
        if self._api is None:  # no token: ComfyUI needs none; extra headers still go along
            self._api = ComfyClient(
                self.name,
                self.base_url,
                self.auth_headers(""),
                requests_per_minute=requests_per_minute or self.default_rpm,
                transport=options.get("transport"),
                timeout=options.get("timeout"),
            )
        self.checkpoint = checkpoint.strip()
        self.workflow_file = workflow_file.strip()
        self.window = 8  # prompts of one job in ComfyUI's queue at a time
        self._info: ServerInfo | None = None

    def auth_headers(self, api_key: str) -> dict[str, str]:
        headers = dict(self.extra_headers)
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        return headers

    # ------------------------------------------------------------ discovery

    async def server_info(self, *, refresh: bool = False) -> ServerInfo:
        """Node classes, models and system stats (read once, then cached)."""
        if self._info is None or refresh:
            objects = await self.api.get_json("/object_info")
            if not isinstance(objects, dict):
                raise MalformedResponse("ComfyUI's /object_info is not an object.")
            stats = await self.api.get_json("/system_stats")
            self._info = ServerInfo.parse(objects, stats)
        return self._info

    async def check(self) -> dict[str, Any]:
        info = await self.server_info(refresh=True)
        return {**info.summary(), "checkpoint": self.checkpoint or _first(info.checkpoints)}

    # ----------------------------------------------------------------- jobs

    async def submit(self, request: GenerationRequest) -> Submission:
        """Plan one prompt per panel and check the first graph against the server; nothing
        is queued here (the waiter queues panel by panel, saving each prompt id)."""
        info = await self.server_info(refresh=True)
        checkpoint = self.checkpoint or _first(info.checkpoints)
        if not checkpoint and not self.workflow_file:
            raise ValidationRefused(
                "The ComfyUI server has no checkpoint in models/checkpoints; add one and "
                "choose it in Settings → Providers.",
                code="model_missing",
            )
        client_id = uuid.uuid4().hex
        handle: dict[str, Any] = {
            "client_id": client_id,
            "kind": "redraw" if request.kind is JobKind.redraw else "pages",
            "checkpoint": checkpoint,
            "workflow": self.workflow_file,
            "uploads": {},
            "units": self._plan(request),
        }
        graph = self._graph(handle["units"][0], request, handle, info, dry=True)
        what = "this workflow" if self.workflow_file else "the built-in workflow"
        wf.check_nodes(graph, info, what)
        wf.check_models(graph, info)
        count = len(handle["units"])
        return Submission(
            remote_id=client_id,
            handle=handle,
            credits=0,
            message=f"{count} panel(s) to queue on ComfyUI with {checkpoint or 'your workflow'}",
        )

    async def _wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> GenerationResult:
        handle = submission.handle
        info = await self.server_info()

        async def send(unit: dict[str, Any]) -> tuple[str, float | None]:
            graph = await self._prepare(unit, request, handle, info)
            body = {
                "prompt": graph,
                "client_id": handle["client_id"],
                "prompt_id": unit["prompt_id"],
                "extra_data": {"comic_studio": {"job": request.job_id, "unit": unit["index"]}},
            }
            answer = await self.api.send_billable("POST", "/prompt", json=body, bills=False)
            return cp.accepted(answer)

        async def socket() -> EventSocket:
            url = ws_url(self.base_url, "/ws", {"clientId": handle["client_id"]})
            return await open_socket(url, self.auth_headers(self._token))

        waiter = Waiter(
            self.api,
            handle,
            send,
            socket,
            progress,
            save_handle,
            poll_interval=self.poll_interval,
            timeout=self.wait_timeout,
            window=self.window,
        )
        handle = waiter.handle  # uploads made while sending are saved with the units
        return result_of(await waiter.run(), waiter)

    async def cancel_remote(self, handle: dict[str, Any]) -> str:
        """Take this job's prompts off ComfyUI's queue and interrupt the one running."""
        ours = [
            u["prompt_id"]
            for u in handle.get("units") or []
            if u.get("state") in ("queued", "sending") and u.get("prompt_id")
        ]
        if not ours:
            return ""
        running, _pending = cp.queue_ids(await self.api.get_json("/queue"))
        await self._post_empty("/queue", {"delete": ours})
        stopped = [pid for pid in running if pid in ours]
        for pid in stopped:
            await self._post_empty("/interrupt", {"prompt_id": pid})
        return f"Removed {len(ours) - len(stopped)} queued prompt(s) from ComfyUI" + (
            " and interrupted the running one." if stopped else "."
        )

    async def _post_empty(self, path: str, body: dict[str, Any]) -> None:
        """POST a queue command; ComfyUI answers these with an empty 200."""
        with contextlib.suppress(MalformedResponse):
            await self.api.send_billable("POST", path, json=body, bills=False)

    # --------------------------------------------------------------- graphs

    def _plan(self, request: GenerationRequest) -> list[dict[str, Any]]:
        from studio.render.layout import layout_for

        story = request.story
        area = story.width * story.height
        if request.kind is JobKind.redraw:
            if request.target_page is None or request.target_panel is None:
                raise ValidationRefused("Choose the panel first.")
            w, h = wf.round_size(story.width, story.height, area)
            return [_unit(request.target_page, request.target_panel, 0, w, h)]
        if request.kind not in (JobKind.create, JobKind.continue_):
            raise NotSupported(f"ComfyUI cannot do a {request.kind.value} job.")
        offset = int(request.remote_project.get("first_page", 0)) * 20
        units = []
        for p, page in enumerate(request.script.pages):
            if not page.panels:
                continue
            rects = layout_for(len(page.panels), story.book_format, rtl=story.rtl)
            for j, rect in enumerate(rects):
                w, h = wf.round_size(rect.w, rect.h, area)
                units.append(_unit(p, j, offset + len(units), w, h))
        if not units:
            raise ValidationRefused("The script has no panels for ComfyUI to draw.")
        return units

    def _graph(
        self,
        unit: dict[str, Any],
        request: GenerationRequest,
        handle: dict[str, Any],
        info: ServerInfo,
        *,
        dry: bool = False,
        source: str | None = None,
        reference: str | None = None,
        mask: str | None = None,
    ) -> wf.Graph:
        spanel = _script_panel(request, unit)
        character = prompts.main_character(spanel)
        ref = self._reference(request, character)
        custom = handle.get("workflow") or ""
        use_ip = bool(ref) and not custom and info.ipadapter
        redraw = handle.get("kind") == "redraw"
        inpaint = redraw and not custom and request.mask is not None
        params = wf.Params(
            checkpoint=handle.get("checkpoint") or "",
            positive=prompts.positive_prompt(
                spanel, request.cast, request.locations, request.story.style
            ),
            negative=prompts.NEGATIVE,
            seed=prompts.panel_seed(
                request.story.seed,
                int(unit["index"]),
                None if use_ip else character,
                variation=request.seed if redraw else 0,
            ),
            width=int(unit["width"]),
            height=int(unit["height"]),
            denoise=REDRAW_DENOISE if redraw and not custom and not inpaint else 1.0,
            source_image=(source or "studio-source.png") if redraw and not custom else None,
            reference_image=(reference or "studio-reference.png")
            if (use_ip or (custom and ref))
            else None,
            mask_image=(mask or "studio-mask.png") if inpaint else None,
        )
        if custom:
            return wf.fill_workflow(wf.load_workflow(custom), params)
        if redraw and request.source_image is None and not dry:
            raise ValidationRefused("This panel has no image to redraw from yet.")
        return wf.adapt(wf.builtin_graph(params), info)

    async def _prepare(
        self,
        unit: dict[str, Any],
        request: GenerationRequest,
        handle: dict[str, Any],
        info: ServerInfo,
    ) -> wf.Graph:
        """The unit's graph with its images uploaded (each image once per job)."""
        source = reference = mask = None
        if handle.get("kind") == "redraw" and not handle.get("workflow"):
            if request.source_image is None or request.source_image.data is None:
                raise ValidationRefused("This panel has no stored image to redraw from.")
            source = await self._upload(request.source_image, handle)
            if request.mask is not None and request.mask.data is not None:
                mask = await self._upload(request.mask, handle)
        ref = self._reference(request, prompts.main_character(_script_panel(request, unit)))
        if ref is not None and (info.ipadapter or handle.get("workflow")):
            reference = await self._upload(ref, handle)
        return self._graph(
            unit, request, handle, info, source=source, reference=reference, mask=mask
        )

    def _reference(self, request: GenerationRequest, character: str | None) -> RefImage | None:
        if not character:
            return None
        for name, ref in request.character_images.items():
            if name.lower() == character.lower() and ref.data:
                return ref
        return None

    async def _upload(self, image: RefImage, handle: dict[str, Any]) -> str:
        """``POST /upload/image`` once per image and job (named by its SHA-256)."""
        assert image.data is not None
        sha = hashlib.sha256(image.data).hexdigest()
        uploads = handle.setdefault("uploads", {})
        if sha in uploads:
            return str(uploads[sha])
        ext = {"image/jpeg": "jpg", "image/webp": "webp"}.get(image.mime, "png")
        # ComfyUI answers with the existing name when the same bytes are there already
        files = {"image": (f"comic-studio-{sha[:20]}.{ext}", image.data, image.mime)}
        try:
            answer = await self.api.send_billable("POST", "/upload/image", files=files, bills=False)
        except OutcomeUnknown as exc:
            raise upload_broke_off(self.name, image.name, exc) from exc
        if not isinstance(answer, dict) or not isinstance(answer.get("name"), str):
            raise MalformedResponse("ComfyUI's upload answer has no file name.")
        sub = str(answer.get("subfolder") or "")
        uploads[sha] = f"{sub}/{answer['name']}" if sub else answer["name"]
        return str(uploads[sha])


def _unit(page: int, panel: int, index: int, width: int, height: int) -> dict[str, Any]:
    return {
        "page": page,
        "panel": panel,
        "index": index,
        "width": width,
        "height": height,
        "state": "planned",
    }


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _script_panel(request: GenerationRequest, unit: dict[str, Any]) -> ScriptPanel:
    pages = request.script.pages
    page, panel = (0, 0) if request.kind is JobKind.redraw else (unit["page"], unit["panel"])
    if 0 <= page < len(pages) and 0 <= panel < len(pages[page].panels):
        return pages[page].panels[panel]
    return ScriptPanel(description=request.prompt or request.story.prompt)
