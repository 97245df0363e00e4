"""Waiting for a StoryMint book (SSE, else polling) and downloading pages, cover and ZIP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from studio.providers.base import (
    GenerationRequest,
    GenerationResult,
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
from studio.providers.http import verify_asset
from studio.providers.storymint import parse as sp
from studio.providers.storymint.archive import BookPackage, read_package
from studio.providers.storymint.client import StoryMintClient
from studio.providers.waiting import WaitHost


class StoryMintHost(WaitHost, Protocol):
    """What this waiter uses of the StoryMint provider."""

    use_sse: bool
    max_zip_bytes: int

    @property
    def api(self) -> StoryMintClient: ...

    def path(self, template: str, job_id: str) -> str: ...


logger = logging.getLogger("studio.providers.storymint")

COVER_FILE = "storymint-cover.jpg"
PDF_FILE = "storymint-book.pdf"
PARALLEL_DOWNLOADS = 4


class Waiter:
    """One ``wait()``: progress until done, then every asset downloaded into the result."""

    def __init__(
        self,
        provider: StoryMintHost,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
    ) -> None:
        self.provider = provider
        self.api = provider.api
        self.handle = dict(submission.handle)
        self.job_id = str(self.handle.get("job_id") or submission.remote_id or "")
        self.request = request
        self.progress = progress
        self.notes: list[str] = []
        self.package: BookPackage | None = None
        self._fresh: sp.Book | None = None
        self._lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(PARALLEL_DOWNLOADS)

    async def run(self) -> GenerationResult:
        if not self.job_id:
            raise GenerationFailed("This job has no StoryMint job id to wait for.")
        if self.handle.get("kind") == "chat":
            return await self._chat()
        await self._until_done()
        self.progress(Progress(state="downloading", message="Downloading the book…"))
        book = sp.book_of(await self.api.get_json(self.provider.path("/api/book/{}", self.job_id)))
        self.package = await self._package()
        pages = book.pages or []
        found = await asyncio.gather(*(self._page_panel(page, False) for page in pages))
        panels = [panel for panel in found if panel is not None]
        if not panels:
            raise GenerationFailed("StoryMint finished the book but sent no page images.")
        remote = {"job_id": self.job_id, "title": book.title, "pages": len(pages)}
        return GenerationResult(
            panels=panels,
            remote_project=remote,
            extra_files=await self._extras(book),
            message=" ".join(self.notes),
        )

    # ------------------------------------------------------------- progress

    async def _until_done(self) -> None:
        deadline = self.provider.clock() + self.provider.wait_timeout
        if self.provider.use_sse:
            try:
                if await self._stream(deadline):
                    return
            except (GenerationFailed, AuthError):
                raise
            except ProviderError as exc:
                logger.info("SSE stream failed (%s); polling instead", type(exc).__name__)
        await self._poll(deadline)

    async def _stream(self, deadline: float) -> bool:
        """Follow ``/api/stream/{id}``; True when it reported ``done``."""
        path = self.provider.path("/api/stream/{}", self.job_id)
        async with contextlib.aclosing(self.api.stream(path)) as events:
            async for text in events:
                step = sp.event_of(text)
                if step is not None and self._report(step):
                    return True
                if self.provider.clock() >= deadline:
                    raise self._still_running()
        return False

    async def _poll(self, deadline: float) -> None:
        path = self.provider.path("/api/status/{}", self.job_id)
        while True:
            try:
                data = await self.api.get_json(path)
            except (ProviderUnavailable, RateLimited, MalformedResponse) as exc:
                self.progress(Progress(message=f"StoryMint not reachable ({exc.kind}); waiting"))
            else:
                if self._report(sp.step_of(data)):
                    return
            if self.provider.clock() >= deadline:
                raise self._still_running()
            await asyncio.sleep(self.provider.poll_interval)

    def _report(self, step: sp.Step) -> bool:
        """Show one report; True when done, GenerationFailed on ``error``."""
        if step.state == "error":
            raise GenerationFailed(f"StoryMint could not make the book: {step.msg or 'no reason'}")
        if step.state == "done":
            return True
        text = " — ".join(part for part in (step.step, step.msg) if part)
        self.progress(Progress(fraction=step.pct, message=text or "StoryMint is working…"))
        return False

    def _still_running(self) -> ProviderUnavailable:
        return ProviderUnavailable(
            f"StoryMint is still working on book {self.job_id}: still running; resume later. "
            "Nothing was resubmitted."
        )

    # ------------------------------------------------------------- download

    async def _package(self) -> BookPackage | None:
        """The ZIP (fallback page images, cover, PDF); a plan without downloads is fine."""
        path = self.provider.path("/api/download/{}", self.job_id)
        try:
            data = await self.api.get_bytes(path, max_bytes=self.provider.max_zip_bytes)
            package = await asyncio.to_thread(read_package, data)
        except AuthError:
            raise
        except ProviderError as exc:
            if exc.status == 403:
                self.notes.append("Your StoryMint plan has no ZIP download, so no PDF was kept.")
            else:
                self.notes.append(f"The book ZIP could not be read ({exc.kind}).")
            return None
        if package.skipped:
            self.notes.append(f"{len(package.skipped)} unsafe or unused ZIP member(s) ignored.")
        return package

    async def _page_panel(self, page: sp.BookPage, alternative: bool) -> ResultPanel | None:
        image = await self._image(page.image_url, page.page_num)
        if image is None:
            self.notes.append(f"Page {page.page_num} has no image (text only).")
            return None
        data, mime, url = image
        return ResultPanel(
            page=page.page_num - 1,
            panel=0,
            data=data,
            mime=mime,
            caption=page.text,
            source_url=url,
            remote_page=page.page_num,
            remote_panel=0,
            alternative=alternative,
        )

    async def _image(self, url: str, page_num: int | None) -> tuple[bytes, str, str] | None:
        """A page (or, with ``page_num`` None, the cover) from its link, else from the ZIP."""
        failure: ProviderError | None = None
        if url:
            try:
                async with self._slots:
                    return await self._download(url, page_num)
            except AuthError:
                raise
            except ProviderError as exc:
                failure = exc
        zipped = None
        if self.package is not None:
            zipped = self.package.cover if page_num is None else self.package.pages.get(page_num)
        if zipped:
            mime = await asyncio.to_thread(verify_asset, zipped, ("image",))
            return zipped, mime, ""
        if failure is not None:
            raise failure
        return None

    async def _download(self, url: str, page_num: int | None) -> tuple[bytes, str, str]:
        """Download; when the link has expired, read the book once more for a fresh one."""
        limit = self.provider.max_asset_bytes
        try:
            data, mime = await self.api.download_asset(url, max_bytes=limit)
            return data, mime, url
        except AssetExpired:
            logger.info("a StoryMint image link expired; reading the book again")
        book = await self._refreshed()
        if page_num is None:
            fresh = book.cover_url
        else:
            fresh = next((p.image_url for p in book.pages or [] if p.page_num == page_num), "")
        if not fresh:
            raise AssetRejected("A StoryMint image link expired and the book has no new one.")
        try:
            data, mime = await self.api.download_asset(fresh, max_bytes=limit)
        except AssetExpired as exc:
            raise AssetRejected(
                f"A StoryMint image link expired even after reading the book again "
                f"(HTTP {exc.status})."
            ) from exc
        return data, mime, fresh

    async def _refreshed(self) -> sp.Book:
        async with self._lock:
            if self._fresh is None:
                path = self.provider.path("/api/book/{}", self.job_id)
                self._fresh = sp.book_of(await self.api.get_json(path))
            return self._fresh

    async def _extras(self, book: sp.Book) -> dict[str, bytes]:
        extras: dict[str, bytes] = {}
        try:
            cover = await self._image(book.cover_url, None)
        except AuthError:
            raise
        except ProviderError as exc:
            self.notes.append(f"The cover could not be downloaded ({exc.kind}).")
            cover = None
        if cover is not None:
            extras[COVER_FILE] = cover[0]
        if self.package is not None and self.package.pdf:
            extras[PDF_FILE] = self.package.pdf
        return extras

    # ----------------------------------------------------------------- chat

    async def _chat(self) -> GenerationResult:
        """The pages a chat edit changed: the asked page is the redrawn panel; every other
        changed page goes to its own panel (``elsewhere``), never onto the asked one."""
        target = self.handle.get("page_num")
        reply = str(self.handle.get("assistant_message") or "")
        pages = sp.pages_of(self.handle.get("pages"))
        if not pages:
            raise GenerationFailed(f"StoryMint changed no page. It said: {reply or 'nothing'}")
        pages.sort(key=lambda p: p.page_num != target)
        self.progress(Progress(state="downloading", message="Downloading the changed pages…"))
        panels: list[ResultPanel] = []
        for page in pages:
            if not page.image_url:
                fresh = await self._refreshed()
                match = [p for p in fresh.pages or [] if p.page_num == page.page_num]
                page.image_url = match[0].image_url if match else ""
            panel = await self._page_panel(page, False)
            if panel is not None:
                panel.elsewhere = page.page_num != target
                panels.append(panel)
        if not panels:
            raise GenerationFailed(f"StoryMint changed only text. It said: {reply or 'nothing'}")
        others = sorted(p.remote_page for p in panels if p.elsewhere and p.remote_page)
        if others:
            listed = ", ".join(str(n) for n in others)
            self.notes.append(f"StoryMint also changed page(s) {listed}; each went to its page.")
        return GenerationResult(
            panels=panels,
            remote_project={"job_id": self.job_id},
            message=" ".join([reply, *self.notes]).strip(),
        )
