"""StoryMint adapter: whole books (create), chat edits (redraw), audiobooks, the key check."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from studio.core.models import JobKind
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    ProgressCallback,
    Submission,
)
from studio.providers.errors import (
    AssetRejected,
    NotSupported,
    ValidationRefused,
    billed_answer,
)
from studio.providers.remote import RemoteProvider
from studio.providers.storymint import parse as sp
from studio.providers.storymint.archive import MAX_ZIP_BYTES
from studio.providers.storymint.client import StoryMintClient
from studio.providers.storymint.wait import Waiter

logger = logging.getLogger("studio.providers.storymint")

DEFAULT_BASE_URL = "https://felice-uninterrupted-vicente.ngrok-free.dev"
DEFAULT_RPM = 30.0  # undocumented; StoryMint answers 429 without numbers
MAX_AUDIO_BYTES = 500 * 1024 * 1024

CAPABILITIES = Capabilities(
    create_comic=True,
    multi_page=True,
    panel_redraw=True,
    continue_write=False,
    character_refs=False,
    location_refs=False,
    uploads=False,
    video=False,
    usage=True,
    list_history=False,
    delete=False,
    cancel=False,
    sizes=(),
    styles=sp.ART_STYLES,
    max_panels_per_page=1,
    max_pages=200,
    price_note="one book of the monthly quota per book; chat edits and audiobooks are metered",
    reasons=(
        (
            "panel_redraw",
            "a natural-language chat edit: StoryMint rewrites the page (and maybe others)",
        ),
        ("continue_write", "StoryMint has no continue; use chat edit"),
        ("character_refs", "StoryMint takes no reference images; describe the cast in the prompt"),
        ("location_refs", "StoryMint takes no reference images; describe places in the prompt"),
        ("uploads", "StoryMint has no upload endpoint"),
        ("video", "MP3 audiobook only"),
        ("usage", "only via Test connection: /api/ping counts against a monthly cap"),
        ("list_history", "StoryMint lists books only in team libraries"),
        ("delete", "StoryMint has no delete endpoint"),
        ("cancel", "no cancel endpoint: a running book finishes and counts against the quota"),
        ("sizes", "StoryMint picks the page size itself"),
    ),
)


class StoryMintProvider(RemoteProvider[StoryMintClient]):
    """Whole books scripted and drawn server-side; each book page is one studio page with
    one full-page panel (its text becomes the caption).

    Handle keys: ``job_id``, ``kind`` (create | chat); for chat also ``page_num`` (the
    one-based page asked about), ``pages`` (the changed pages: ``page_num``, ``text``,
    ``image_url``) and ``assistant_message``. ``remote_project`` keys read: ``job_id``,
    ``book_format``, ``series``, ``ollama_model``, ``sd_model``, ``save_mode``; results
    set ``{job_id, title, pages}``. ``ResultPanel.remote_page`` is StoryMint's one-based
    ``page_num`` (so a redraw of that panel sends "On page <remote_page>: …").
    """

    id = "storymint"
    name = "StoryMint"
    capabilities = CAPABILITIES

    default_base_url = DEFAULT_BASE_URL
    default_rpm = DEFAULT_RPM
    client_class = StoryMintClient
    poll_interval = 3.0

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None = None,
        *,
        use_sse: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(api_key, base_url, **options)
        self.use_sse = use_sse
        self.max_zip_bytes = MAX_ZIP_BYTES
        self._last_check: dict[str, Any] | None = None

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"X-API-Key": api_key}

    def path(self, template: str, job_id: str) -> str:
        return template.format(quote(job_id, safe=""))

    # ------------------------------------------------------------------ jobs

    async def submit(self, request: GenerationRequest) -> Submission:
        match request.kind:
            case JobKind.create:
                return await self._submit_create(request)
            case JobKind.redraw:
                return await self._submit_chat(request)
        why = self.capabilities.reason(
            {JobKind.continue_: "continue_write", JobKind.video: "video"}.get(request.kind, "")
        )
        raise NotSupported(f"StoryMint cannot do a {request.kind.value} job. {why}".strip())

    async def _wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> GenerationResult:
        return await Waiter(self, submission, request, progress).run()

    async def check(self) -> dict[str, Any]:
        """'Test connection': ``GET /api/ping`` once (metered, so never retried or looped)."""
        info = sp.ping_of(await self.api.get_json_once("/api/ping"))
        self._last_check = info
        return info

    async def usage(self) -> dict[str, Any]:
        """What the last 'Test connection' reported: StoryMint's only usage call is metered."""
        if self._last_check is None:
            raise NotSupported(
                "StoryMint reports tier and usage only through /api/ping, which counts "
                "against a monthly cap; use Test connection to see them."
            )
        return dict(self._last_check)

    async def audiobook(self, remote_project: dict[str, Any]) -> bytes:
        """Narrate the finished book as MP3 (billable: sent once). The caller saves it."""
        job_id = _project_job(remote_project, "narrate")
        self.api  # noqa: B018 - MissingKey before anything else
        data, ctype = await self.api.post_bytes(
            self.path("/api/audiobook/{}", job_id), max_bytes=MAX_AUDIO_BYTES
        )
        if not _looks_like_mp3(data, ctype):
            raise AssetRejected(
                "StoryMint's audiobook answer is not an MP3 (it may still have been billed)."
            )
        return data

    # ---------------------------------------------------------------- submit

    async def _submit_create(self, request: GenerationRequest) -> Submission:
        body = sp.generate_body(request.story, request.remote_project)
        data = await self.api.send_billable("POST", "/api/generate", json=body)
        with billed_answer():
            job_id = sp.job_id_of(data)
        return Submission(
            remote_id=job_id,
            handle={"job_id": job_id, "kind": "create"},
            message=f"StoryMint started book {job_id} ({body['book_format']}).",
        )

    async def _submit_chat(self, request: GenerationRequest) -> Submission:
        job_id = _project_job(request.remote_project, "edit")
        if request.remote_page is not None and request.remote_page > 0:
            page_num = request.remote_page
        else:
            page_num = (request.target_page or 0) + 1
        direction = request.prompt.strip() or (request.caption or "").strip()
        if not direction:
            raise ValidationRefused("Say what to change on the page: chat edit needs a prompt.")
        message = f"On page {page_num}: {direction}"
        data = await self.api.send_billable(
            "POST", self.path("/api/book/{}/chat", job_id), json={"message": message}
        )
        with billed_answer():
            reply, pages = sp.chat_of(data)
        handle = {
            "job_id": job_id,
            "kind": "chat",
            "page_num": page_num,
            "pages": [page.as_dict() for page in pages],
            "assistant_message": reply,
        }
        return Submission(
            remote_id=job_id, handle=handle, message=reply or "StoryMint applied the edit."
        )


def _project_job(project: dict[str, Any], what: str) -> str:
    job_id = project.get("job_id")
    if not isinstance(job_id, str) or not job_id:
        raise ValidationRefused(
            f"This project has no StoryMint book to {what}: create the book first."
        )
    return job_id


def _looks_like_mp3(data: bytes, content_type: str) -> bool:
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return True
    return bool(data) and content_type.lower().startswith("audio/")
