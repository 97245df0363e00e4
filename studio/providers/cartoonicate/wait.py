"""Polling a Cartoonicate cartoon or animation and downloading its watermarked previews."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from studio.providers.base import (
    GenerationRequest,
    GenerationResult,
    Progress,
    ProgressCallback,
    ResultPanel,
    Submission,
)
from studio.providers.cartoonicate import parse as cp
from studio.providers.cartoonicate.client import CartoonicateClient
from studio.providers.errors import (
    AssetExpired,
    AssetRejected,
    GenerationFailed,
    MalformedResponse,
    ProviderUnavailable,
    RateLimited,
)
from studio.providers.waiting import WaitHost


class CartoonicateHost(WaitHost, Protocol):
    """What this waiter uses of the Cartoonicate provider."""

    @property
    def api(self) -> CartoonicateClient: ...


logger = logging.getLogger("studio.providers.cartoonicate")

WATERMARK_NOTE = "Cartoonicate previews are watermarked; the API serves no final images."


class Waiter:
    """One ``wait()``: poll until done, then download (re-reading for fresh signed URLs)."""

    def __init__(
        self,
        provider: CartoonicateHost,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
    ) -> None:
        self.provider = provider
        self.api = provider.api
        self.handle = dict(submission.handle)
        self.request = request
        self.progress = progress
        self.kind = str(self.handle.get("kind") or "create")

    async def run(self) -> GenerationResult:
        if self.kind == "video":
            return await self._video()
        cid = self.handle.get("cartoon_id")
        if not isinstance(cid, int):
            raise GenerationFailed("This job has no Cartoonicate cartoon id to wait for.")
        cartoon = await self._poll(lambda: self._cartoon(cid), self._cartoon_done)
        ready = [r for r in cartoon.renders if not r.error and r.status == "ready"]
        if not ready:
            reasons = "; ".join(r.error for r in cartoon.renders if r.error) or "no render"
            raise GenerationFailed(f"Cartoonicate could not draw the cartoon: {reasons}")
        self.progress(Progress(state="downloading", message="Downloading the previews…"))
        fmt, count = cp.format_of(self.request)
        slots = cp.page_panels(self.request)
        panels = []
        for position, render in enumerate(ready):
            data, mime, url = await self._fetch(render.url, lambda r=render.id: self._fresh(cid, r))
            panels.append(
                ResultPanel(
                    page=0, panel=0, data=data, mime=mime, source_url=url, watermarked=True,
                    alternative=position > 0, remote_page=0, remote_panel=0,
                    page_panels=slots,
                )
            )  # fmt: skip
        ids = [r.id for r in ready]
        failed = len(cartoon.renders) - len(ready)
        note = f" {failed} variant(s) failed." if failed else ""
        if slots > 1:
            drawn = f"the {count} panels" if count else f"a {fmt} cartoon"
            note += (
                f" Cartoonicate drew {drawn} as one image, which cannot be cut into its "
                "panels: page 1 is now one panel holding the whole image."
            )
        return GenerationResult(
            panels=panels,
            remote_project={"cartoon_id": cid, "render_id": ids[0], "render_ids": ids},
            message=WATERMARK_NOTE + note,
        )

    # ------------------------------------------------------------------ poll

    async def _cartoon(self, cid: int) -> cp.Cartoon:
        return cp.cartoon_of(await self.api.get_data("/cartoons.php", {"id": cid}))

    def _cartoon_done(self, cartoon: cp.Cartoon) -> bool:
        if cp.finished(cartoon):
            return True
        total = cartoon.total or len(cartoon.renders) or None
        ready = cartoon.ready
        if ready is None:
            ready = sum(1 for r in cartoon.renders if r.status == "ready")
        # summary.ready / summary.total is all the progress Cartoonicate reports; before the
        # first preview is ready there is nothing to measure (an indeterminate bar).
        fraction = min(1.0, ready / total) if total and ready else None
        of = f" of {total}" if total else ""
        self.progress(
            Progress(fraction=fraction, message=f"Cartoonicate: {ready}{of} preview(s) ready")
        )
        return False

    async def _poll(self, read: Callable[[], Awaitable[Any]], done: Callable[[Any], bool]) -> Any:
        deadline = self.provider.clock() + self.provider.wait_timeout
        while True:
            try:
                item = await read()
            except (ProviderUnavailable, RateLimited, MalformedResponse) as exc:
                self.progress(Progress(message=f"Cartoonicate not reachable ({exc.kind})"))
            else:
                if done(item):
                    return item
            if self.provider.clock() >= deadline:
                raise ProviderUnavailable(
                    "Cartoonicate is still working: still running; resume later. "
                    "Nothing was resubmitted."
                )
            await asyncio.sleep(self.provider.poll_interval)

    # -------------------------------------------------------------- download

    async def _fresh(self, cid: int, render_id: int) -> str:
        cartoon = await self._cartoon(cid)
        return next((r.url for r in cartoon.renders if r.id == render_id), "")

    async def _fetch(
        self,
        url: str,
        refresh: Callable[[], Awaitable[str]],
        kinds: tuple[str, ...] = ("image",),
    ) -> tuple[bytes, str, str]:
        """Download a signed preview; once expired, read the item again for a fresh URL."""
        limit = self.provider.max_asset_bytes
        if url:
            try:
                data, mime = await self.api.download_asset(url, max_bytes=limit, kinds=kinds)
                return data, mime, url
            except AssetExpired:
                logger.info("a Cartoonicate preview link expired; reading it again")
        fresh = await refresh()
        if not fresh:
            raise AssetRejected("A Cartoonicate preview link expired and no new one was given.")
        try:
            data, mime = await self.api.download_asset(fresh, max_bytes=limit, kinds=kinds)
        except AssetExpired as exc:
            raise AssetRejected(
                f"A Cartoonicate preview link expired even after reading it again "
                f"(HTTP {exc.status}). Try resuming the job later."
            ) from exc
        return data, mime, fresh

    # ----------------------------------------------------------------- video

    async def _video(self) -> GenerationResult:
        aid = self.handle.get("animation_id")
        if not isinstance(aid, int):
            raise GenerationFailed("This job has no Cartoonicate animation id to wait for.")

        async def read() -> tuple[int, str, str, str]:
            return cp.animation_of(await self.api.get_data("/animations.php", {"id": aid}))

        def done(item: tuple[int, str, str, str]) -> bool:
            _, status, url, error = item
            if error:
                raise GenerationFailed(f"Cartoonicate could not animate the render: {error}")
            self.progress(Progress(message=f"Cartoonicate animation: {status or 'working'}"))
            return status == "complete" or (status == "" and bool(url))

        _, _, url, _ = await self._poll(read, done)

        async def refresh() -> str:
            return (await read())[2]

        self.progress(Progress(state="downloading", message="Downloading the animation…"))
        data, mime, final = await self._fetch(url, refresh, ("video", "image"))
        panel = ResultPanel(
            page=self.request.target_page or 0,
            panel=self.request.target_panel or 0,
            data=data,
            mime=mime,
            source_url=final,
            watermarked=True,
            kind="video" if mime.startswith("video/") else "image",
        )
        return GenerationResult(
            panels=[panel], remote_project={"animation_id": aid}, message=WATERMARK_NOTE
        )
