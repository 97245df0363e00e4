"""The built-in offline renderer as a provider: no key, no network, the default."""

from __future__ import annotations

import asyncio
from typing import Any

from studio.core.models import JobKind, ScriptPanel
from studio.core.validation import STANDARD_SIZES
from studio.providers.base import (
    Capabilities,
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    Progress,
    ProgressCallback,
    Provider,
    ResultPanel,
    Submission,
)
from studio.providers.errors import NotSupported

STYLES = ("storyboard", "flat", "manga")


class LocalProvider(Provider):
    id = "local"
    name = "Offline renderer"
    poll_interval = 0.0
    billable = False
    capabilities = Capabilities(
        create_comic=True,
        multi_page=True,
        panel_redraw=True,
        continue_write=True,
        character_refs=False,
        location_refs=False,
        needs_key=False,
        sizes=STANDARD_SIZES,
        styles=STYLES,
        language=False,
        price_note="free: rendered on this computer",
        reasons=(
            ("character_refs", "the offline renderer draws figures from the character's words"),
            ("location_refs", "the offline renderer draws scenes from the location's words"),
            ("uploads", "nothing is uploaded: everything stays on this computer"),
            ("video", "the offline renderer draws still images only"),
            ("inpaint", "the offline renderer redraws the whole panel from its words"),
            ("usage", "the offline renderer is free and unmetered"),
            ("list_history", "every job is already in the project file"),
            ("delete", "nothing is stored outside the project file"),
            ("upscale", "the offline renderer draws at the story's size"),
            ("language", "the offline renderer letters the text as written"),
        ),
    )

    async def submit(self, request: GenerationRequest) -> Submission:
        if request.kind not in (JobKind.create, JobKind.continue_, JobKind.redraw):
            raise NotSupported(f"The offline renderer cannot do {request.kind.value} jobs.")
        return Submission(remote_id=None, handle={"local": True}, credits=0)

    async def wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None = None,
    ) -> GenerationResult:
        story = request.story
        jobs = list(self._panels(request))
        panels: list[ResultPanel] = []
        progress(Progress(0.0, f"Drawing {len(jobs)} panel(s)", "running"))
        for n, (page, index, sp, seed, global_index, slot) in enumerate(jobs):
            width, height = slot_size(story.width, story.height, slot)
            rendered = await asyncio.to_thread(
                _render_panel,
                sp,
                request.cast,
                request.locations,
                width,
                height,
                seed=seed,
                index=global_index,
                style=story.style,
            )
            panels.append(
                ResultPanel(
                    page=page,
                    panel=index,
                    data=rendered.png,
                    caption=sp.caption,
                    anchors=dict(rendered.anchors),
                )
            )
            progress(Progress((n + 1) / len(jobs), f"Drew panel {n + 1} of {len(jobs)}"))
        return GenerationResult(panels=panels, credits=0)

    @staticmethod
    def _panels(request: GenerationRequest) -> Any:
        """(result page, panel, script panel, seed, global index, slot aspect) for every panel
        to draw; the slot is the panel's frame on its page, so the art fits it uncropped."""
        base_seed = request.story.seed * 100_003
        if request.kind is JobKind.redraw:
            page, index = request.target_page or 0, request.target_panel or 0
            sp = request.script.pages[0].panels[0] if request.script.pages else ScriptPanel()
            slot = request.remote_project.get("slot")  # set by the job from the page's template
            slot = float(slot) if isinstance(slot, int | float) and slot > 0 else None
            yield page, index, sp, base_seed + 7919 * (request.seed + 1) + index, index, slot
            return
        offset = int(request.remote_project.get("first_page", 0)) * 20
        counter = 0
        for p, page in enumerate(request.script.pages):
            slots = _slots(len(page.panels), request)
            for j, sp in enumerate(page.panels):
                yield p, j, sp, base_seed + offset + counter, offset + counter, slots[j]
                counter += 1


def _slots(n: int, request: GenerationRequest) -> list[float | None]:
    """The width/height of each panel frame on a page of ``n`` panels (default template)."""
    from studio.render.layout import layout_for

    try:
        rects = layout_for(n, request.story.book_format, rtl=request.story.rtl)
    except ValueError:
        return [None] * n
    return [r.w / r.h if r.h > 0 else None for r in rects] + [None] * max(0, n - len(rects))


def slot_size(width: int, height: int, aspect: float | None) -> tuple[int, int]:
    """A size with the pixel count of ``width`` × ``height`` and the slot's aspect."""
    if not aspect:
        return width, height
    aspect = min(max(aspect, 0.2), 5.0)
    area = width * height
    w = round((area * aspect) ** 0.5)
    h = round(w / aspect)
    return max(8, w), max(8, h)


def _render_panel(*args: Any, **kwargs: Any) -> Any:
    """The offline renderer, imported on the worker thread (its first import is ~40 ms)."""
    from studio.render.offline import render_panel

    return render_panel(*args, **kwargs)
