"""Polling a Depicta story every 3 s and downloading scenes and references at once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote

from studio.providers.base import (
    GenerationRequest,
    GenerationResult,
    Progress,
    ProgressCallback,
    ResultPanel,
    Submission,
)
from studio.providers.depicta import parse as dp
from studio.providers.errors import (
    AssetExpired,
    AssetRejected,
    ContentRejected,
    GenerationFailed,
    MalformedResponse,
    ProviderError,
    ProviderUnavailable,
    QuotaError,
    RateLimited,
)
from studio.providers.waiting import WaitHost


class DepictaHost(WaitHost, Protocol):
    """What this waiter uses of the Depicta provider."""

    retry_delay: float

    async def call(self, pending: Any) -> Any: ...


logger = logging.getLogger("studio.providers.depicta")
DOWNLOAD_TRIES = 3  # as the CLI: fresh URLs from /v1/jobs/{id} between tries
QUOTA_CODES = frozenset({"credit_insufficient", "insufficient_credits"})


class Waiter:
    """One ``wait()``: poll the story (or take the edit's URL), then download."""

    def __init__(
        self,
        provider: DepictaHost,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
    ) -> None:
        self.provider = provider
        self.api = provider.api
        self.request = request
        self.progress = progress
        self.handle = dict(submission.handle)
        self.job_id = str(self.handle.get("job_id") or submission.remote_id or "")

    async def run(self) -> GenerationResult:
        if self.handle.get("kind") == "edit":
            return await self._edit()
        if not self.job_id:
            raise GenerationFailed("This job has no Depicta story id to wait for.")
        data = await self._poll()
        self.progress(Progress(state="downloading", message="Downloading from Depicta…"))
        state = dp.story_state(data)
        panels = [await self._scene(i, url) for i, url in enumerate(state.scene_urls)]
        if not panels:
            raise GenerationFailed("Depicta finished the story but returned no scenes.")
        return GenerationResult(
            panels=panels,
            remote_project={
                "story_job_id": self.job_id,
                "story_model": self.handle.get("model"),
                "last_cost_eur": dp.cost_of(data),
                "balance_eur": dp.balance_of(data),
            },
            credits=dp.cost_of(data),
            character_refs=await self._references(data, "characters"),
            location_refs=await self._references(data, "locations"),
        )

    # ------------------------------------------------------------------ poll

    async def _poll(self) -> Any:
        provider = self.provider
        deadline = provider.clock() + provider.wait_timeout
        path = self.handle.get("poll_url") or f"/v1/generate/story/{quote(self.job_id, safe='')}"
        while True:
            data = await self._get(path)
            state = dp.story_state(data) if data is not None else None
            if state is not None and state.status in dp.DONE:
                return data
            if state is not None and state.status in dp.FAILED:
                raise _failure(state)
            if state is not None:
                fraction = state.done / state.total if state.total and state.done else None
                phase = "queued" if state.status == "pending" else "running"
                count = f"{state.done or 0}/{state.total or '?'} scenes"
                self.progress(Progress(fraction, f"Depicta: {count}", phase))
            if provider.clock() >= deadline:
                raise ProviderUnavailable(
                    f"Depicta story {self.job_id} is still running; resume later. It was not "
                    "resubmitted and will be charged when it completes."
                )
            await asyncio.sleep(provider.poll_interval)

    async def _get(self, path: str) -> Any:
        try:
            return await self.provider.call(self.api.get_json(path))
        except (ProviderUnavailable, RateLimited, MalformedResponse) as exc:
            self.progress(Progress(message=f"Depicta not reachable ({exc.kind}); still waiting"))
            return None

    # -------------------------------------------------------------- download

    async def _scene(self, index: int, url: str | None) -> ResultPanel:
        positions = self.handle.get("positions") or []
        if index < len(positions):
            page, panel = int(positions[index][0]), int(positions[index][1])
        else:
            per_page = max(1, self.request.story.layout.panels_per_page)
            page, panel = divmod(index, per_page)

        def locate(fresh: Any) -> str | None:
            urls = dp.story_state(fresh).scene_urls
            return urls[index] if index < len(urls) else None

        if not url:
            raise GenerationFailed(f"Depicta returned no image for scene {index + 1}.")
        data, mime, final = await self._download(url, locate)
        return ResultPanel(page=page, panel=panel, data=data, mime=mime, source_url=final)

    async def _download(
        self, url: str, locate: Callable[[Any], str | None]
    ) -> tuple[bytes, str, str]:
        """Download at once; on an expired link fetch ``/v1/jobs/{id}`` for a fresh one."""
        limit = self.provider.max_asset_bytes
        for attempt in range(DOWNLOAD_TRIES):
            try:
                data, mime = await self.api.download_asset(url, max_bytes=limit)
                return data, mime, url
            except AssetExpired:
                if attempt + 1 >= DOWNLOAD_TRIES or not self.job_id:
                    break
            await asyncio.sleep(self.provider.retry_delay)
            fresh = locate(await self.provider.call(self.api.get_json(self._job_path())))
            url = fresh or url
        raise AssetRejected(
            f"A Depicta image link expired and {DOWNLOAD_TRIES} fresh ones did not work; "
            "resume the job to try again."
        )

    async def _references(self, data: Any, key: str) -> dict[str, bytes]:
        """Character/location references, downloaded now (they expire); failures skipped."""
        out: dict[str, bytes] = {}
        for name, url in dp.references_of(data, key).items():

            def locate(fresh: Any, name: str = name) -> str | None:
                return dp.references_of(fresh, key).get(name)

            try:
                out[name] = (await self._download(url, locate))[0]
            except ProviderError as exc:
                logger.warning("Depicta %s reference %r not downloaded: %s", key, name, exc.kind)
        return out

    async def _edit(self) -> GenerationResult:
        self.progress(Progress(state="downloading", message="Downloading the Depicta edit…"))

        def locate(fresh: Any) -> str | None:
            return dp.sync_url_of(fresh)

        data, mime, final = await self._download(str(self.handle.get("url") or ""), locate)
        page, panel = self.request.target_page or 0, self.request.target_panel or 0
        item = ResultPanel(page=page, panel=panel, data=data, mime=mime, source_url=final)
        return GenerationResult(panels=[item], credits=self.handle.get("cost_eur"))

    def _job_path(self) -> str:
        return f"/v1/jobs/{quote(self.job_id, safe='')}"


def _failure(state: dp.StoryState) -> ProviderError:
    code, message = state.error_code.lower(), state.error_message or "no reason given"
    text = f"Depicta reports that the story failed ({code or 'no code'}): {message}"
    if code == "content_rejected":
        return ContentRejected(text, code=code)
    if code in QUOTA_CODES:
        return QuotaError(text, code=code)
    return GenerationFailed(text, code=code)
