"""Sending an Animus job's remaining pages, polling every request, downloading the images.

Batch status payloads carry aggregate counts under undocumented keys. Per-panel URLs are
read from the status (``result_urls`` when it holds one URL per prompt, else a list of
per-job entries), and otherwise from the group detail: the batch's own generation ids
when its answer listed them, else the group's unused completed generations, oldest first.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol
from urllib.parse import quote

from studio.providers.animus import parse as ap
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
    GenerationFailed,
    MalformedResponse,
    OutcomeUnknown,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)
from studio.providers.resend import (
    ResendPolicy,
    refused_before_work,
    resend_on_429,
    waiting_message,
)
from studio.providers.waiting import WaitHost


class AnimusHost(WaitHost, Protocol):
    """What this waiter uses of the Animus provider."""

    resend: ResendPolicy

    async def send_unit(self, unit: dict[str, Any], handle: dict[str, Any]) -> None: ...


logger = logging.getLogger("studio.providers.animus")
Unit = dict[str, Any]


class Waiter:
    """One ``wait()``: send planned units, poll accepted ones, download, summarise."""

    def __init__(
        self,
        provider: AnimusHost,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> None:
        self.provider = provider
        self.api = provider.api
        self.request = request
        self.progress = progress
        self.save_handle = save_handle
        self.handle = dict(submission.handle)
        self.units: list[Unit] = [dict(u) for u in self.handle.get("units") or []]
        self.handle["units"] = self.units
        self.credits = submission.credits
        self.used: set[str] = set()

    async def run(self) -> GenerationResult:
        if not self.units:
            raise GenerationFailed("This Animus job has no requests to wait for.")
        await self._send_remaining()
        urls = await self._poll_all()
        if not any(urls.values()):
            raise self._nothing()  # before "downloading": the job never reached that state
        self.progress(Progress(state="downloading", message="Downloading from Animus…"))
        panels = await self._download_all(urls)
        return self._result(panels)

    # ------------------------------------------------------------------ send

    async def _send_remaining(self) -> None:
        """Send planned units in order, each once; stop at the first failure."""
        stop = ""
        for unit in self.units:
            if unit.get("state") == "sending":  # interrupted mid-send earlier: never resend
                unit["state"], unit["error"] = "unknown", "interrupted while sending"
                stop = stop or "unknown"
            if unit.get("state") != "planned":
                continue
            if stop:
                unit["state"] = "not_sent"
                continue
            try:
                await resend_on_429(
                    lambda u=unit: self._send(u),
                    lambda wait: self.progress(Progress(message=waiting_message(wait))),
                    self.provider.resend,
                )
            except OutcomeUnknown as exc:
                unit["state"], unit["error"], stop = "unknown", exc.message, "unknown"
            except ProviderError as exc:
                unit["state"], unit["error"], stop = "failed", exc.message, "failed"
            else:
                self.credits = (self.credits or 0) + (unit.get("credits") or 0)
            await self._save()
        if stop:
            await self._save()

    async def _send(self, unit: Unit) -> None:
        """One send of a unit; a 429 that refused it leaves it ``planned`` (not sent)."""
        unit["state"] = "sending"
        await self._save()
        try:
            await self.provider.send_unit(unit, self.handle)
        except RateLimited as exc:
            if refused_before_work(exc):
                unit["state"] = "planned"
                await self._save()
            raise

    async def _save(self) -> None:
        if self.save_handle is not None:
            await self.save_handle(dict(self.handle, units=[dict(u) for u in self.units]))

    # ------------------------------------------------------------------ poll

    async def _poll_all(self) -> dict[int, list[str]]:
        """Poll every accepted unit to its end; returns unit index → URLs (one per panel)."""
        provider = self.provider
        deadline = provider.clock() + provider.wait_timeout
        urls: dict[int, list[str]] = {}
        accepted = [i for i, u in enumerate(self.units) if u.get("state") == "accepted"]
        self.shares: dict[int, float | None] = {}
        while True:
            pending = [i for i in accepted if i not in urls]
            for i in pending:
                found = await self._poll_unit(self.units[i], i)
                if found is not None:
                    urls[i], self.shares[i] = found, 1.0
            if len(urls) == len(accepted):
                return urls
            self.progress(Progress(fraction=self._fraction(accepted), message="Animus is drawing…"))
            if provider.clock() >= deadline:
                raise ProviderUnavailable(
                    "Animus is still drawing this job: still running; resume later. "
                    "Nothing was resubmitted."
                )
            await asyncio.sleep(provider.poll_interval)

    def _fraction(self, accepted: list[int]) -> float | None:
        """The mean of the units' reported progress (``progress`` 0–100 or batch counts);
        None (indeterminate) while no unit has reported any."""
        known = [self.shares.get(i) for i in accepted]
        if all(share is None for share in known):
            return None
        return sum(share or 0.0 for share in known) / max(1, len(accepted))

    async def _poll_unit(self, unit: Unit, index: int | None = None) -> list[str] | None:
        """The unit's URLs when it has ended (``[]`` when it failed), else None."""
        data = await self._get(f"/generation/status/{quote(str(unit['id']), safe='')}")
        if data is None:
            return None
        if index is not None:
            share = ap.progress_of(data)
            if share is not None:
                self.shares[index] = share
        gen = ap.generation_of(data)
        if gen.error or gen.status in ap.FAILED:
            unit["state"], unit["error"] = "failed", gen.error or gen.status.lower()
            return []
        done, total = ap.counts(data)
        finished = gen.status in ap.DONE or (total and done is not None and done >= total)
        if not finished:
            return None
        want = len(unit["panels"])
        if len(gen.urls) >= want:
            return gen.urls[:want]
        listed = [g.urls[0] for g in ap.generations_of(data) if g.urls]
        if len(listed) >= want:
            return listed[:want]
        return await self._from_group(unit)

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return await self.api.get_json(path, params=params)
        except (ProviderUnavailable, RateLimited, MalformedResponse) as exc:
            self.progress(Progress(message=f"Animus not reachable ({exc.kind}); still waiting"))
            return None

    async def _from_group(self, unit: Unit) -> list[str] | None:
        """Per-panel URLs from the group detail (None while they are not all there)."""
        gid = self.handle.get("group_id")
        if not gid:
            raise GenerationFailed("Animus finished the batch but named no group to read.")
        path = f"/generation/groups/{quote(str(gid), safe='')}"
        data = await self._get(path, {"limit": 100})
        gens = [g for g in ap.generations_of(data) if g.urls and not g.error]
        ids = [str(x) for x in unit.get("generation_ids") or []]
        if ids:
            by_id = {g.id: g for g in gens}
            picked = [by_id[i] for i in ids if i in by_id]
        else:
            fresh = sorted((g for g in gens if g.id not in self.used), key=lambda g: g.created_at)
            picked = fresh[: len(unit["panels"])]
        if len(picked) < len(unit["panels"]):
            return None
        self.used.update(g.id for g in picked)
        return [g.urls[0] for g in picked]

    # -------------------------------------------------------------- download

    async def _download_all(self, urls: dict[int, list[str]]) -> list[ResultPanel]:
        kinds = ("video",) if self.handle.get("kind") == "video" else ("image",)
        panels: list[ResultPanel] = []
        for i, found in sorted(urls.items()):
            unit = self.units[i]
            for pos, (panel, url) in enumerate(zip(unit["panels"], found, strict=False)):
                data, mime, final = await self._download(unit, url, pos, kinds)
                panels.append(self._panel(unit, panel, data, mime, final, kinds[0]))
        return panels

    def _panel(self, unit: Unit, panel: int, data: bytes, mime: str, url: str, kind: str):
        page = unit["page"]
        if self.handle.get("kind") != "pages":
            page = self.request.target_page or 0
            panel = self.request.target_panel or 0
        return ResultPanel(page=page, panel=panel, data=data, mime=mime, source_url=url, kind=kind)

    async def _download(
        self, unit: Unit, url: str, position: int, kinds: tuple[str, ...]
    ) -> tuple[bytes, str, str]:
        """Download; when the link has expired, poll the unit once more for a fresh one."""
        limit = self.provider.max_asset_bytes
        try:
            data, mime = await self.api.download_asset(url, max_bytes=limit, kinds=kinds)
            return data, mime, url
        except AssetExpired:
            logger.info("Animus asset expired; reading the status again")
        self.used.clear()
        fresh = await self._poll_unit(unit)
        if not fresh or position >= len(fresh):
            raise AssetRejected("An Animus image link expired and no new one was given.")
        try:
            data, mime = await self.api.download_asset(
                fresh[position], max_bytes=limit, kinds=kinds
            )
        except AssetExpired as exc:
            raise AssetRejected(
                f"Could not download an Animus image: its link expired (HTTP {exc.status})."
            ) from exc
        return data, mime, fresh[position]

    # ---------------------------------------------------------------- result

    def _notes(self) -> str:
        notes = [_note(u) for u in self.units if u.get("state") != "accepted"]
        return " ".join(n for n in notes if n)

    def _nothing(self) -> ProviderError:
        """No image at all: unknown when a request's fate is unknown, else failed."""
        unknown = any(u.get("state") == "unknown" for u in self.units)
        cls = OutcomeUnknown if unknown else GenerationFailed
        return cls(self._notes() or "Animus finished without any image.")

    def _result(self, panels: list[ResultPanel]) -> GenerationResult:
        message = self._notes()
        if not panels:
            raise self._nothing()
        remote = {
            k: self.handle[k]
            for k in ("group_id", "group_title", "remaining_balance")
            if self.handle.get(k) is not None
        }
        if self.credits and panels:
            remote["credits_per_image"] = round(self.credits / len(panels), 2)
        missing = ""
        if message:
            missing = f"Stored {len(panels)} panel(s); missing: {message}"
        return GenerationResult(
            panels=panels,
            remote_project=remote,
            credits=self.credits,
            message=missing,
            missing=missing,
        )


def _note(unit: Unit) -> str:
    where = f"page {unit['page'] + 1} ({len(unit['panels'])} panel(s))"
    match unit.get("state"):
        case "unknown":
            return (
                f"The request for {where} may or may not have been accepted and billed "
                f"({unit.get('error', '')}); check the Animus group before drawing it again."
            )
        case "failed":
            return f"Animus refused or failed {where}: {unit.get('error', '')}."
        case "not_sent":
            return f"{where.capitalize()} was not sent after the earlier failure."
    return ""
