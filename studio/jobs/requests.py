"""Build provider requests from the project, and keep what a job asked for as JSON."""

from __future__ import annotations

import json
from typing import Any

from studio.core.models import Job, JobKind, Script, ScriptPage, ScriptPanel
from studio.core.shot import Shot
from studio.providers.base import GenerationRequest, RefImage, VideoOptions
from studio.storage import Project, ProjectError
from studio.storage.codec import dialogue_from_json, dialogue_to_json


def _ref(project: Project, name: str, sha: str | None, url: str | None) -> RefImage | None:
    if not sha and not url:
        return None
    data = None
    mime = "image/png"
    if sha:
        try:
            data = project.asset(sha)
            mime = project.asset_info(sha).get("mime", mime)
        except ProjectError:
            data = None
    if data is None and not url:
        return None
    return RefImage(name=name, data=data, url=url, mime=mime)


def script_to_json(script: Script) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "description": sp.description,
                "characters": sp.characters,
                "location": sp.location,
                "caption": sp.caption,
                "dialogue": dialogue_to_json(sp.dialogue),
                "shot": None if sp.shot is None else sp.shot.to_dict(),
                "shot_edited": sp.shot_edited,
            }
            for sp in page.panels
        ]
        for page in script.pages
    ]


def script_from_json(raw: Any) -> Script:
    pages = []
    for page in raw if isinstance(raw, list) else []:
        panels = []
        for p in page if isinstance(page, list) else []:
            if not isinstance(p, dict):
                continue
            panels.append(
                ScriptPanel(
                    description=str(p.get("description", "")),
                    characters=[str(c) for c in p.get("characters") or []],
                    location=p.get("location"),
                    caption=str(p.get("caption", "")),
                    dialogue=dialogue_from_json(p.get("dialogue", "[]")),
                    shot=_shot(p.get("shot")),
                    shot_edited=p.get("shot_edited") is True,
                )
            )
        pages.append(ScriptPage(panels=panels))
    return Script(pages=pages)


def _shot(raw: Any) -> Shot | None:
    """A stored panel's shot, repaired; None when the job was stored without one."""
    if isinstance(raw, str):  # tolerant: a shot stored as JSON text
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    return Shot.from_dict(raw) if isinstance(raw, dict) else None


def build_request(project: Project, job: Job) -> GenerationRequest:
    """Rebuild the provider request of ``job`` from the project and the job's stored asks."""
    asked = job.request
    story = project.story
    cast = project.characters()
    locations = project.locations()
    request = GenerationRequest(
        kind=job.kind,
        story=story,
        cast=cast,
        locations=locations,
        script=script_from_json(asked["script"]) if "script" in asked else project.script(),
        script_edited=project.script_edited,
        prompt=str(asked.get("prompt", "")),
        caption=asked.get("caption"),
        target_page=job.target_page,
        target_panel=job.target_panel,
        pages=int(asked.get("pages", 1)),
        panels_per_page=int(asked.get("panels_per_page", story.layout.panels_per_page)),
        paginated=bool(asked.get("paginated", False)),
        remote_project=project.remote_project(job.provider),
        job_id=job.id,
        seed=int(asked.get("seed", job.id)),
    )
    if "dialogue" in asked:
        request.dialogue = [(str(s), str(t)) for s, t in asked["dialogue"]]
    for ch in cast:
        ref = _ref(project, ch.name, ch.image_asset, ch.image_url)
        if ref:
            request.character_images[ch.name] = ref
    for loc in locations:
        ref = _ref(project, loc.name, loc.image_asset, loc.image_url)
        if ref:
            request.location_images[loc.name] = ref
    for n, sha in enumerate(asked.get("reference_assets", [])):
        ref = _ref(project, f"reference {n + 1}", sha, None)
        if ref:
            request.reference_images.append(ref)
    request.reference_images += [RefImage(name=u, url=u) for u in asked.get("reference_urls", [])]
    if "script" in asked:
        request.script = script_from_json(asked["script"])
    if asked.get("mask_asset"):
        request.mask = _ref(project, "mask", str(asked["mask_asset"]), None)
    if "first_page" in asked:
        request.remote_project = {**request.remote_project, "first_page": asked["first_page"]}
    _add_targets(project, job, request, asked)
    return request


def _add_targets(project: Project, job: Job, request: GenerationRequest, asked: dict) -> None:
    if job.target_page is None or job.target_panel is None:
        return
    try:
        panel = project.panel_at(job.target_page, job.target_panel)
    except ProjectError:
        return
    request.remote_page = panel.remote_page
    request.remote_panel = panel.remote_panel
    if panel.current_version is not None:
        version = project.version(panel.current_version)
        request.source_image = RefImage(
            name="panel",
            data=project.asset(version.asset),
            url=version.source_url or None,
            mime=project.asset_info(version.asset).get("mime", "image/png"),
        )
    if job.kind is JobKind.video:
        opts = asked.get("video", {})
        request.video = VideoOptions(
            duration=float(opts.get("duration", 5)),
            resolution=str(opts.get("resolution", "720p")),
            aspect_ratio=str(opts.get("aspect_ratio", "16:9")),
            generate_audio=bool(opts.get("generate_audio", True)),
            seed=opts.get("seed"),
            first_frame=request.source_image,
        )
    if job.kind is JobKind.redraw:  # the panel's frame now: a redraw fits its current shape
        request.remote_project = {**request.remote_project, "slot": _slot(project, job)}


def _slot(project: Project, job: Job) -> float | None:
    from studio.render.layout import layout_for

    try:
        page = project.page(job.target_page or 0)  # one page, not the whole book
        rects = layout_for(
            len(page.panels),
            project.story.book_format,
            template=page.template,
            rtl=project.story.rtl,
        )
        rect = rects[job.target_panel or 0]
    except (IndexError, ValueError, ProjectError):
        return None
    return rect.w / rect.h if rect.h > 0 else None
