"""Polling a LlamaGen generation to its end and downloading what the job produced.

Freshness rule. ``continueWrite`` and ``regeneratePanel`` reuse the generation id, so
the first polls after a PATCH may still show the previous job's terminal state. A
terminal status ends a continue/redraw job only when it is *fresh*:

- a non-terminal status was seen since the PATCH (``seen_running``, kept in the handle), or
- the result shows the change: continue → page count ≥ ``expected_pages``;
  redraw → the panel's asset URL (path, without query) differs from ``previous_url``, or
- ``settle_polls`` terminal polls passed without either (accepted, with a note).

Create and video jobs have a new id, so their first terminal status is final.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from studio.providers.base import (
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    Progress,
    ProgressCallback,
    ResultPanel,
    Submission,
)
from studio.providers.errors import (
    AssetExpired,
    AssetRejected,
    AuthError,
    GenerationFailed,
    MalformedResponse,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from studio.providers.llamagen import parse as lp
from studio.providers.waiting import WaitHost


class LlamaGenHost(WaitHost, Protocol):
    """What this waiter uses of the LlamaGen provider."""

    settle_polls: int

    def generation_path(self, generation_id: str) -> str: ...


logger = logging.getLogger("studio.providers.llamagen")

Locate = Callable[[Any], str | None]


class Waiter:
    """One ``wait()`` call: poll, then download with one status refresh for expired URLs."""

    def __init__(
        self,
        provider: LlamaGenHost,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> None:
        self.provider = provider
        self.api = provider.api
        self.submission = submission
        self.request = request
        self.progress = progress
        self.save_handle = save_handle
        self.handle = dict(submission.handle)
        self.gid = str(self.handle.get("generation_id") or submission.remote_id or "")
        self.kind = str(self.handle.get("kind") or "create")
        self.path = provider.generation_path(self.gid)
        self.note = ""
        self._fresh_data: Any = None
        self._refresh_lock = asyncio.Lock()

    async def run(self) -> GenerationResult:
        if not self.gid:
            raise GenerationFailed("This job has no LlamaGen generation id to wait for.")
        data = await self._poll()
        self.progress(Progress(state="downloading", message="Downloading from LlamaGen…"))
        if self.kind == "video":
            panels = [await self._video(data)]
            remote: dict[str, Any] = {"video_generation_id": self.gid}
        else:
            panels = await (self._redraw(data) if self.kind == "redraw" else self._pages(data))
            pages = len(lp.pages_of(self._fresh_data or data))
            remote = {"generation_id": self.gid, "pages": pages}
        return GenerationResult(
            panels=panels, remote_project=remote, credits=self.submission.credits, message=self.note
        )

    # ------------------------------------------------------------------ poll

    async def _poll(self) -> Any:
        provider = self.provider
        deadline = provider.clock() + provider.wait_timeout
        stale = 0
        while True:
            data = await self._get_status()
            status = lp.status_of(data) if data is not None else ""
            if data is not None and status not in lp.TERMINAL:
                await self._mark_running()
                fraction, word = self._arrived(data), _word(status)
                self.progress(Progress(fraction, f"LlamaGen: {word}…", "running"))
            elif data is not None:
                if self._fresh(data, stale):
                    return _finish(data, status)
                stale += 1
                self.progress(Progress(state="queued", message="Waiting for LlamaGen to start…"))
            if provider.clock() >= deadline:
                raise ProviderUnavailable(
                    f"LlamaGen is still working on generation {self.gid}: still running; resume "
                    "later. Nothing was resubmitted."
                )
            await asyncio.sleep(provider.poll_interval)

    def _arrived(self, data: Any) -> float | None:
        """For a create: the share of the asked panels whose image the status already
        shows. LlamaGen reports no progress otherwise: None (an indeterminate bar)."""
        if self.kind != "create":
            return None
        layout = self.request.story.layout
        asked = layout.total_panels
        arrived = sum(1 for page in lp.pages_of(data) for panel in page if panel.url)
        return min(1.0, arrived / asked) if asked > 0 and arrived else None

    async def _get_status(self) -> Any:
        """One status poll; network trouble or rate limits are waited out (returns None)."""
        try:
            return await self.api.get_json(self.path)
        except (ProviderUnavailable, RateLimited, MalformedResponse) as exc:
            if exc.status is not None and 300 <= exc.status < 400:
                raise
            self.progress(Progress(message=f"LlamaGen not reachable ({exc.kind}); still waiting"))
            return None

    async def _mark_running(self) -> None:
        if self.kind in ("continue", "redraw") and not self.handle.get("seen_running"):
            self.handle["seen_running"] = True
            if self.save_handle is not None:
                await self.save_handle(dict(self.handle))

    def _fresh(self, data: Any, stale: int) -> bool:
        if self.kind not in ("continue", "redraw") or self.handle.get("seen_running"):
            return True
        if stale >= self.provider.settle_polls:
            self.note = "LlamaGen never showed the job running; the result may be unchanged."
            return True
        if self.kind == "continue":
            expected = self.handle.get("expected_pages")
            return isinstance(expected, int) and len(lp.pages_of(data)) >= expected
        previous = self.handle.get("previous_url")
        if previous is None:
            return False
        page, panel = int(self.handle["page"]), int(self.handle["panel"])
        current = lp.find_panel(lp.pages_of(data), page, panel)
        return bool(current) and _path(current) != _path(previous)

    # -------------------------------------------------------------- download

    async def _pages(self, data: Any) -> list[ResultPanel]:
        pages = lp.pages_of(data)
        first = self.handle.get("first_page")
        if not isinstance(first, int):
            added = self.handle.get("added_pages")
            first = max(0, len(pages) - added) if isinstance(added, int) else 0
        wanted = [
            (rel, pos, item)
            for rel, page in enumerate(pages[first:])
            for pos, item in enumerate(page)
        ]
        if not wanted:
            raise GenerationFailed("LlamaGen finished but returned no images.")
        jobs = [self._panel(rel, pos, item) for rel, pos, item in wanted]
        return await _gather(jobs)

    async def _panel(self, page: int, panel: int, item: lp.RemotePanel) -> ResultPanel:
        def locate(fresh: Any) -> str | None:
            return lp.find_panel(lp.pages_of(fresh), item.page, item.panel)

        where = f"page {item.page + 1}, panel {item.panel + 1}"
        data, mime, url = await self._download(item.url, locate, where, ("image",))
        return ResultPanel(
            page=page,
            panel=panel,
            data=data,
            mime=mime,
            caption=item.caption,
            source_url=url,
            remote_page=item.page,
            remote_panel=item.panel,
        )

    async def _redraw(self, data: Any) -> list[ResultPanel]:
        page, panel = int(self.handle["page"]), int(self.handle["panel"])
        url = None
        try:
            single = await self.api.get_json(self.path, params={"page": page, "panel": panel})
            url = lp.single_panel_url(single, page, panel)
        except AuthError:
            raise
        except ProviderError as exc:
            logger.info("single-panel fetch failed (%s); using the full generation", exc.kind)
        url = url or lp.find_panel(lp.pages_of(data), page, panel)
        if not url:
            raise GenerationFailed(
                f"LlamaGen finished the redraw but returned no image for page {page + 1}, "
                f"panel {panel + 1}."
            )
        caption = next(
            (
                p.caption
                for items in lp.pages_of(data)
                for p in items
                if (p.page, p.panel) == (page, panel)
            ),
            "",
        )
        item = lp.RemotePanel(page, panel, url, caption)
        target_page = self.request.target_page if self.request.target_page is not None else page
        target_panel = self.request.target_panel if self.request.target_panel is not None else panel
        return [await self._panel(target_page, target_panel, item)]

    async def _video(self, data: Any) -> ResultPanel:
        url = lp.video_url_of(data)
        if not url:
            raise GenerationFailed("LlamaGen finished the video but returned no video URL.")
        clip, mime, final = await self._download(url, lp.video_url_of, "the video", ("video",))
        return ResultPanel(
            page=self.request.target_page or 0,
            panel=self.request.target_panel or 0,
            data=clip,
            mime=mime,
            source_url=final,
            kind="video",
        )

    async def _download(
        self, url: str, locate: Locate, where: str, kinds: tuple[str, ...]
    ) -> tuple[bytes, str, str]:
        """Download ``url``; when it has expired, refetch the status once for a fresh URL."""
        limit = self.provider.max_asset_bytes
        try:
            data, mime = await self.api.download_asset(url, max_bytes=limit, kinds=kinds)
            return data, mime, url
        except AssetExpired:
            logger.info("asset for %s expired; refreshing the generation", where)
        fresh = locate(await self._refreshed())
        if not fresh:
            raise AssetRejected(f"The link to {where} expired and LlamaGen gave no new one.")
        try:
            data, mime = await self.api.download_asset(fresh, max_bytes=limit, kinds=kinds)
        except AssetExpired as exc:
            raise AssetRejected(
                f"Could not download {where}: its link expired even after asking LlamaGen for "
                f"a fresh one (HTTP {exc.status}). Try resuming the job later."
            ) from exc
        return data, mime, fresh

    async def _refreshed(self) -> Any:
        """The generation fetched once more (at most once per wait), shared by all panels."""
        async with self._refresh_lock:
            if self._fresh_data is None:
                self._fresh_data = await self.api.get_json(self.path)
            return self._fresh_data


def _finish(data: Any, status: str) -> Any:
    if status in lp.DONE:
        return data
    if status in lp.CANCELLED:
        raise GenerationFailed("The generation was cancelled on LlamaGen.")
    reason = lp.error_message_of(data) or "no reason given"
    raise GenerationFailed(f"LlamaGen reports that the generation failed: {reason}")


def _word(status: str) -> str:
    return status.lower() if status else "working"


def _path(url: str) -> str:
    return url.split("?", 1)[0]


async def _gather(jobs: list[Coroutine[Any, Any, ResultPanel]]) -> list[ResultPanel]:
    """Run the downloads together; on the first failure cancel the rest and re-raise."""
    tasks = [asyncio.ensure_future(job) for job in jobs]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
