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

STYLES = ("storyboard",)


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
        for n, (page, index, sp, seed, global_index) in enumerate(jobs):
            rendered = await asyncio.to_thread(
                _render_panel,
                sp,
                request.cast,
                request.locations,
                story.width,
                story.height,
                seed=seed,
                index=global_index,
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
        """(result page, panel, script panel, seed, global index) for every panel to draw."""
        base_seed = request.story.seed * 100_003
        if request.kind is JobKind.redraw:
            page, index = request.target_page or 0, request.target_panel or 0
            sp = request.script.pages[0].panels[0] if request.script.pages else ScriptPanel()
            yield page, index, sp, base_seed + 7919 * (request.seed + 1) + index, index
            return
        offset = int(request.remote_project.get("first_page", 0)) * 20
        counter = 0
        for p, page in enumerate(request.script.pages):
            for j, sp in enumerate(page.panels):
                yield p, j, sp, base_seed + offset + counter, offset + counter
                counter += 1


def _render_panel(*args: Any, **kwargs: Any) -> Any:
    """The offline renderer, imported on the worker thread (its first import is ~40 ms)."""
    from studio.render.offline import render_panel

    return render_panel(*args, **kwargs)
