"""Depicta adapter: the studio's script as a storyboard story; redraw by sync image edit."""

from __future__ import annotations

import contextvars
import hashlib
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from studio.core.models import JobKind
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    ProgressCallback,
    RefImage,
    Submission,
)
from studio.providers.costs import euros
from studio.providers.depicta import parse as dp
from studio.providers.depicta.wait import Waiter
from studio.providers.errors import (
    AuthError,
    ForbiddenError,
    MalformedResponse,
    NotSupported,
    OutcomeUnknown,
    ProviderError,
    UnreadableBilledAnswer,
    ValidationRefused,
    upload_broke_off,
)
from studio.providers.http import ProviderClient
from studio.providers.remote import RemoteProvider
from studio.providers.scripting import script_of

logger = logging.getLogger("studio.providers.depicta")

DEFAULT_BASE_URL = "https://api.depicta.ai"
DEFAULT_RPM = 60.0
MAX_UPLOAD = 50 * 1024 * 1024
_HEADERS: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "depicta_headers", default=None
)

CAPABILITIES = Capabilities(
    create_comic=True,
    multi_page=True,
    panel_redraw=True,
    continue_write=False,
    character_refs=True,
    location_refs=True,
    uploads=True,
    video=False,
    usage=True,
    list_history=True,
    delete=False,
    cancel=False,
    max_panels_per_page=20,
    max_pages=20,
    price_note="EUR per story, charged when it completes; edits are charged per call",
    reasons=(
        ("create_comic", "one scene per panel; the studio composes pages and letters them"),
        ("panel_redraw", "a synchronous image edit of the panel, outside the story context"),
        ("continue_write", "Depicta stories cannot be extended; start a new story"),
        ("video", "Depicta makes no video"),
        ("delete", "Depicta has no delete endpoint"),
        ("cancel", "no cancel endpoint: a story keeps running and is charged when it ends"),
    ),
)


class DepictaProvider(RemoteProvider[ProviderClient]):
    """Depicta draws a storyboard story: one scene per panel, with character references.

    Handle keys: ``kind`` (story | edit), ``job_id``, ``poll_url``, ``positions`` (each
    scene's [page, panel]), ``model`` (sent, or None), ``url`` and ``cost_eur`` (edit).
    ``remote_project`` keys read: ``model`` (the user's choice); written: ``story_job_id``,
    ``story_model`` (the model sent, if any).
    """

    id = "depicta"
    name = "Depicta"
    capabilities = CAPABILITIES

    default_base_url = DEFAULT_BASE_URL
    default_rpm = DEFAULT_RPM
    poll_interval = 3.0
    wait_timeout = 45 * 60.0

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None = None,
        *,
        wait_timeout: float | None = None,
        retry_delay: float = 1.0,
        **options: Any,
    ) -> None:
        super().__init__(api_key, base_url, **options)
        if wait_timeout is not None:
            self.wait_timeout = wait_timeout
        self.retry_delay = retry_delay  # between the CLI-style download retries
        self._model: str | None = None
        self._uploaded: dict[str, str] = {}
        if self._api is not None:
            # X-Depicta-Job-Id of sync calls: the client returns bodies only.
            self._api.response_hooks.append(_record_headers)

    # ------------------------------------------------------------------ jobs

    async def submit(self, request: GenerationRequest) -> Submission:
        self.api  # noqa: B018 - refuse without a key before any work
        match request.kind:
            case JobKind.create:
                return await self._submit_story(request)
            case JobKind.redraw:
                return await self._submit_edit(request)
        raise NotSupported(
            f"Depicta cannot do this: {CAPABILITIES.reason('continue_write')}."
            if request.kind is JobKind.continue_
            else f"Depicta cannot do a {request.kind.value} job."
        )

    async def _wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> GenerationResult:
        return await Waiter(self, submission, request, progress).run()

    @classmethod
    def cost_words(cls, remote_project: dict[str, Any]) -> str:
        """ "Depicta: €1.20 for the last story · €8.80 left" once a story reported them."""
        cost, left = (
            euros(remote_project.get("last_cost_eur")),
            euros(remote_project.get("balance_eur")),
        )
        parts = [f"{cost} for the last story" if cost else cls.capabilities.price_note]
        if left:
            parts.append(f"{left} left")
        return "Depicta: " + " · ".join(parts)

    async def usage(self) -> dict[str, Any]:
        """``/v1/account/profile``: available = balance_eur − held_eur."""
        found = dp.profile_of(await self.call(self.api.get_json("/v1/account/profile")))
        if not found:
            raise MalformedResponse("Depicta sent a profile without a balance.")
        return found

    async def list_jobs(self) -> list[dict[str, Any]]:
        return dp.jobs_of(await self.call(self.api.get_json("/v1/jobs")))

    async def upload(self, ref: RefImage) -> str:
        """Upload a reference image (multipart field ``image``): sent once, never retried."""
        data = ref.data or b""
        if len(data) > MAX_UPLOAD:
            raise ValidationRefused(
                f"{ref.name} is {len(data):,} bytes; Depicta accepts uploads up to 50 MB."
            )
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._uploaded:
            return self._uploaded[digest]
        ext = {"image/jpeg": "jpg", "image/webp": "webp"}.get(ref.mime, "png")
        try:
            answer = await self.call(
                self.api.send_billable(
                    "POST",
                    "/v1/upload",
                    files={"image": (f"reference.{ext}", data, ref.mime)},
                    bills=False,
                )
            )
        except OutcomeUnknown as exc:
            raise upload_broke_off("Depicta", ref.name, exc) from exc
        url = dp.upload_url_of(answer)
        if not url:
            raise MalformedResponse("Depicta accepted the upload but sent no upload_url.")
        self._uploaded[digest] = url
        return url

    async def model(self, chosen: Any = None) -> str | None:
        """The model to send with a story, or None (the Depicta stories document names no
        model: the storyboard goes without one). The user's choice wins; else the first
        model ``/v1/models`` flags with ``supports_multiturn`` (fetched once, cached). A
        list without that flag, or no list at all, means: send none."""
        if isinstance(chosen, str) and chosen.strip():
            return chosen.strip()[:100]
        if self._model is None:
            try:
                listed = await self.call(self.api.get_json("/v1/models"))
            except AuthError:
                raise
            except ProviderError as exc:
                logger.info("no model list (%s): the story goes without a model", exc.kind)
                listed = None
            self._model = dp.story_model(listed) or ""
        return self._model or None

    async def call(self, pending: Any) -> Any:
        """Await an API call, mapping Depicta's 403 ``auth_*`` codes and 422s clearly."""
        try:
            return await pending
        except ForbiddenError as exc:
            if exc.code.startswith("auth_"):
                raise AuthError(
                    exc.message, status=exc.status, code=exc.code, trace_id=exc.trace_id
                ) from exc
            raise
        except ValidationRefused as exc:
            if exc.status == 422 and (exc.code == "model_not_capable" or "model" in exc.message):
                self._model = None
                raise ValidationRefused(
                    f"Depicta refused the model for this story: {exc.message} "
                    "The model cannot draw multi-scene stories or is not available to this "
                    "key; the studio asks Depicta's model list again next time. If you chose "
                    "the model, choose another one or none (Depicta then picks).",
                    status=exc.status,
                    code=exc.code,
                    trace_id=exc.trace_id,
                ) from exc
            raise

    def job_path(self, job_id: str) -> str:
        return f"/v1/jobs/{quote(job_id, safe='')}"

    # ---------------------------------------------------------------- submit

    async def _submit_story(self, request: GenerationRequest) -> Submission:
        script = script_of(
            request.script, request.story, request.cast, request.locations, provider="Depicta"
        )
        scenes, positions = dp.scenes_of(
            script, request.story.style, request.cast, request.locations
        )
        if not 1 <= len(request.cast) <= 10:
            raise ValidationRefused("A Depicta story needs 1 to 10 characters in the cast.")
        characters = [
            dp.character_entry(c, await self._ref_url(request.character_images.get(c.name)))
            for c in request.cast
        ]
        locations = [
            dp.location_entry(loc, await self._ref_url(request.location_images.get(loc.name)))
            for loc in request.locations
        ]
        model = await self.model(request.remote_project.get("model"))
        body: dict[str, Any] = {
            "title": request.story.title,
            "style": request.story.style,
            "characters": characters,
            "scenes": scenes,
        }
        if model:
            body["model"] = model
        if locations:
            body["locations"] = locations
        if dp.aspect_ratio(request.story.size):
            body["aspect_ratio"] = dp.aspect_ratio(request.story.size)
        data = await self.call(self.api.send_billable("POST", "/v1/generate/story", json=body))
        job_id = dp.job_id_of(data)
        if not job_id:
            raise UnreadableBilledAnswer(
                "Depicta accepted the story (it is charged when it completes) but sent no "
                "job_id. Check `GET /v1/jobs` before submitting again."
            )
        poll = data.get("poll_url") if isinstance(data, dict) else None
        handle = {
            "kind": "story",
            "job_id": job_id,
            "poll_url": poll if isinstance(poll, str) and poll.startswith("/v1/") else None,
            "positions": positions,
            "model": model,
        }
        return Submission(job_id, handle, message=f"Depicta accepted story {job_id}.")

    async def _submit_edit(self, request: GenerationRequest) -> Submission:
        prompt = request.prompt.strip()
        if not prompt:
            raise ValidationRefused("Describe the change: a Depicta edit needs a prompt.")
        source = request.source_image
        if source is None or not (source.data or source.url):
            raise ValidationRefused("The Depicta edit needs the panel's current image.")
        url = await self.upload(source) if source.data else str(source.url)
        body: dict[str, Any] = {"prompt": prompt, "input_image_url": url}
        if dp.aspect_ratio(request.story.size):
            body["aspect_ratio"] = dp.aspect_ratio(request.story.size)
        headers: dict[str, str] = {}
        token = _HEADERS.set(headers)
        try:
            data = await self.call(self.api.send_billable("POST", "/v1/edit/image", json=body))
        finally:
            _HEADERS.reset(token)
        job_id = headers.get("x-depicta-job-id") or None
        image = dp.sync_url_of(data)
        if not image:
            raise UnreadableBilledAnswer(
                "Depicta charged the edit but sent no image URL"
                + (f"; its job id is {job_id}." if job_id else ".")
            )
        handle = {"kind": "edit", "job_id": job_id, "url": image, "cost_eur": dp.cost_of(data)}
        return Submission(job_id, handle, credits=dp.cost_of(data), message="Depicta edited it.")

    async def _ref_url(self, ref: RefImage | None) -> str | None:
        if ref is None:
            return None
        if ref.url and ref.url.startswith("https://"):
            return ref.url
        if ref.data:
            return await self.upload(ref)
        return None


def _record_headers(_same_origin: bool, headers: Mapping[str, str]) -> None:
    sink = _HEADERS.get()
    if sink is not None and "x-depicta-job-id" in headers:
        sink["x-depicta-job-id"] = headers["x-depicta-job-id"][:100]
