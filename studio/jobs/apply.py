"""Store a finished job's result in the project: one transaction, nothing dropped."""

from __future__ import annotations

from studio.core.models import Job, JobKind, ScriptPanel, VersionKind
from studio.jobs.requests import script_from_json
from studio.providers.base import GenerationRequest, GenerationResult, ResultPanel
from studio.storage import Project, ProjectError


def apply_result(
    project: Project, job: Job, request: GenerationRequest, result: GenerationResult
) -> list[int]:
    """Add every result image as a version; returns the ids of the panels that changed."""
    changed: list[int] = []
    with project.transaction():
        if job.kind is JobKind.continue_:
            base = int(job.request.get("first_page", project.page_count()))
        else:
            base = 0
        targeted = job.kind in (JobKind.redraw, JobKind.video, JobKind.edit)
        target_id: int | None = None
        for item in result.panels:
            if targeted and item.elsewhere:
                panel_id = _panel_by_remote(project, item)
                if panel_id is None:  # nowhere of its own: never a version of the target
                    continue
            elif targeted:
                page, index = job.target_page or 0, job.target_panel or 0
                panel_id = _ensure_panel(project, request, job, page, index, item)
                target_id = panel_id
            elif item.page_panels > 1:
                panel_id = _one_slot_page(project, request, job, base + item.page, item)
            else:
                page, index = base + item.page, item.panel
                panel_id = _ensure_panel(project, request, job, page, index, item)
            _store(project, job, request, panel_id, item)
            changed.append(panel_id)
        if job.kind is JobKind.redraw and job.target_page is not None and target_id is not None:
            _update_redrawn_script(project, job, target_id)
        _store_references(project, result)
        for name, data in result.extra_files.items():
            project.add_extra_file(name, data, job.id)
        if result.remote_project:
            merged = {**project.remote_project(job.provider), **result.remote_project}
            merged.pop("first_page", None)
            project.set_remote_project(job.provider, merged)
        if changed:  # new art, new anchors: untouched lettering is placed afresh for it
            project.forget_auto_lettering(changed)
    return changed


def _ensure_panel(
    project: Project,
    request: GenerationRequest,
    job: Job,
    page: int,
    index: int,
    item: ResultPanel,
) -> int:
    while project.page_count() <= page:
        project.append_page([])
    target = project.page(page)
    while len(target.panels) <= index:
        sp = _script_for(request, job, page, len(target.panels), item)
        project.append_panel(target.id, sp)
        target = project.page(page)
    panel = target.panels[index]
    if item.remote_page is not None or item.remote_panel is not None:
        project.set_remote_index(panel.id, item.remote_page, item.remote_panel)
    if item.caption and not panel.script.caption and job.provider != "local":
        project.update_panel_script(
            panel.id,
            ScriptPanel(
                description=panel.script.description,
                characters=panel.script.characters,
                location=panel.script.location,
                caption=item.caption,
                dialogue=panel.script.dialogue,
            ),
        )
    return panel.id


def _panel_by_remote(project: Project, item: ResultPanel) -> int | None:
    """The panel a provider's page/panel index belongs to: by the remote index recorded at
    creation, else by the same position in the studio's book; None when there is none."""
    if item.remote_page is not None:
        for page in project.pages():
            for panel in page.panels:
                if (panel.remote_page, panel.remote_panel) == (item.remote_page, item.remote_panel):
                    return panel.id
    try:
        return project.panel_at(item.page, item.panel).id
    except ProjectError:
        return None


def _one_slot_page(
    project: Project, request: GenerationRequest, job: Job, page: int, item: ResultPanel
) -> int:
    """One image drawn for a whole page: the page becomes one panel that holds it.

    The page's other panels, when nothing was ever drawn for them, are folded into the
    first (their text joined, so no script is lost) and removed: a page never shows empty
    panels beside a strip that already shows them.
    """
    panel_id = _ensure_panel(project, request, job, page, 0, item)
    project.fold_page_into_first(page)
    return panel_id


def _script_for(
    request: GenerationRequest, job: Job, page: int, index: int, item: ResultPanel
) -> ScriptPanel:
    """The script text for a panel the result adds."""
    rel_page = page - int(job.request.get("first_page", 0))
    if job.kind is JobKind.continue_ and 0 <= rel_page < len(request.script.pages):
        panels = request.script.pages[rel_page].panels
        if index < len(panels):
            return panels[index]
    return ScriptPanel(description=item.caption, caption=item.caption)


def _store(
    project: Project, job: Job, request: GenerationRequest, panel_id: int, item: ResultPanel
) -> None:
    kind = VersionKind.video if item.kind == "video" else VersionKind.image
    prompt = request.prompt if job.kind is not JobKind.create else request.story.prompt
    if job.kind is JobKind.create:
        prompt = project.panel(panel_id).script.description or prompt
    project.add_version(
        panel_id,
        item.data,
        provider=job.provider,
        job_id=job.id,
        prompt=prompt,
        mime=item.mime,
        source_url=item.source_url,
        watermarked=item.watermarked,
        make_current=not item.alternative,
        anchors=item.anchors,
        kind=kind,
    )


def _update_redrawn_script(project: Project, job: Job, panel_id: int) -> None:
    asked = job.request
    old = project.panel(panel_id).script
    dialogue = old.dialogue
    if "dialogue" in asked:
        from studio.core.models import DialogueLine

        dialogue = [DialogueLine(str(s), str(t)) for s, t in asked["dialogue"]]
    description = str(asked.get("prompt") or old.description)
    shot = old.shot  # the shot the redraw was drawn from (a new description's own shot)
    if description != old.description and "script" in asked:
        drawn = [p for page in script_from_json(asked["script"]).pages for p in page.panels]
        shot = drawn[0].shot if len(drawn) == 1 else None
    project.update_panel_script(
        panel_id,
        ScriptPanel(
            description=description,
            characters=old.characters,
            location=old.location,
            caption=old.caption if asked.get("caption") is None else str(asked["caption"]),
            dialogue=dialogue,
            shot=shot,
            shot_edited=old.shot_edited,
        ),
    )


def _store_references(project: Project, result: GenerationResult) -> None:
    if result.character_refs:
        cast = project.characters()
        for ch in cast:
            data = result.character_refs.get(ch.name)
            if data and not ch.image_asset:
                ch.image_asset = project.put_asset(data)
        project.set_characters(cast)
    if result.location_refs:
        locations = project.locations()
        for loc in locations:
            data = result.location_refs.get(loc.name)
            if data and not loc.image_asset:
                loc.image_asset = project.put_asset(data)
        project.set_locations(locations)
