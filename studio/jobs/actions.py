"""What a person asks for (generate, redraw, continue, animate), turned into jobs."""

from __future__ import annotations

from pathlib import Path

from studio.core.models import Job, JobKind, Layout
from studio.core.validation import ValidationError, validate_layout, validate_prompt
from studio.jobs.manager import JobManager
from studio.jobs.requests import script_to_json
from studio.storage import Project
from studio.story import (
    add_automatic_cast,
    derive_script,
    derive_shots,
    ensure_shots,
    write_script,
)


def ensure_script(project: Project) -> str:
    """Derive the script from the story when the project has none yet (with the automatic
    cast), else fill in missing shots and cast. Returns a notice for the user, or ""."""
    if project.panel_count() == 0:
        result = write_script(project.story, project.characters(), project.locations())
        add_automatic_cast(project, result.cast)
        project.set_script(result.script)
        project.set_script_edited(False)
        return result.notice
    add_automatic_cast(project)
    ensure_shots(project)
    return ""


def generate(
    manager: JobManager, provider_id: str | None = None, *, notices: list[str] | None = None
) -> Job:
    project = manager.project
    story = project.story
    validate_prompt(story.prompt)
    provider_id = provider_id or story.provider
    if provider_id == "local" or project.panel_count() == 0:
        notice = ensure_script(project)
        if notice and notices is not None:
            notices.append(notice)
    else:  # a provider that needs a cast (Depicta) gets the automatic one
        add_automatic_cast(project)
    return manager.submit(provider_id, JobKind.create, {"prompt": story.prompt})


def read_image(path: str) -> bytes:
    from studio.core.validation import validate_reference_image

    p = Path(path)
    if not p.is_file():
        raise ValidationError(f"The image {path} does not exist.", "image")
    if p.stat().st_size > 50 * 1024 * 1024:
        raise ValidationError(f"The image {path} is larger than 50 MB.", "image")
    return validate_reference_image(p.read_bytes(), source=str(path))


def redraw(
    manager: JobManager,
    page: int,
    panel: int,
    *,
    provider_id: str | None = None,
    prompt: str | None = None,
    caption: str | None = None,
    dialogue: list[tuple[str, str]] | None = None,
    image: str | bytes | None = None,
    mask: bytes | None = None,
) -> Job:
    """Redraw a panel; ``mask`` (a PNG, white where to redraw) limits it to a region for
    providers that inpaint (ComfyUI)."""
    project = manager.project
    target = project.panel_at(page, panel)  # raises a clear error for bad indexes
    if prompt is not None:
        prompt = validate_prompt(prompt, what="The redraw prompt")
    asked: dict = {"prompt": prompt if prompt is not None else target.script.description}
    if caption is not None:
        asked["caption"] = caption
    if dialogue is not None:
        asked["dialogue"] = [list(d) for d in dialogue]
    if image is not None:
        data = read_image(image) if isinstance(image, str) else image
        asked["reference_assets"] = [project.put_asset(data)]
    if mask is not None:
        from studio.core.validation import validate_reference_image

        asked["mask_asset"] = project.put_asset(validate_reference_image(mask, source="mask"))
    script = target.script
    redrawn = type(script)(
        description=asked["prompt"],
        characters=script.characters,
        location=script.location,
        caption=script.caption if caption is None else caption,
        dialogue=script.dialogue,
        shot=script.shot,
        shot_edited=script.shot_edited,
    )
    if redrawn.description != script.description and not script.shot_edited:
        _reshoot(redrawn, project)
    asked["script"] = script_to_json(_one_panel_script(redrawn))
    asked["seed"] = len(project.versions(target.id)) + 1
    provider_id = provider_id or project.story.provider
    return manager.submit(provider_id, JobKind.redraw, asked, target_page=page, target_panel=panel)


def _reshoot(panel, project: Project) -> None:  # type: ignore[no-untyped-def]
    """The shot of a redraw's new description (a person's edited shot is kept instead);
    the place, time and weather of the old shot carry on when the new text names none."""
    old = panel.shot
    panel.shot = None
    derive_shots(_one_panel_script(panel), project.characters(), project.locations())
    new = panel.shot
    if old is not None and new is not None and not (new.setting or new.location):
        new.setting, new.location = old.setting, old.location
        new.time, new.weather = old.time, old.weather


def _one_panel_script(panel):  # type: ignore[no-untyped-def]
    from studio.core.models import Script, ScriptPage

    return Script(pages=[ScriptPage(panels=[panel])])


def continue_story(
    manager: JobManager,
    prompt: str,
    *,
    provider_id: str | None = None,
    pages: int = 1,
    panels_per_page: int = 4,
    paginated: bool = False,
) -> Job:
    project = manager.project
    prompt = validate_prompt(prompt, what="The continue prompt")
    validate_layout(Layout(pages=pages, panels_per_page=panels_per_page, paginated=paginated))
    story = project.story
    story.prompt = prompt
    story.layout = Layout(pages=pages, panels_per_page=panels_per_page, paginated=paginated)
    script = derive_script(story, project.characters(), project.locations())
    asked = {
        "prompt": prompt,
        "pages": pages,
        "panels_per_page": panels_per_page,
        "paginated": paginated or pages > 1,
        "first_page": project.page_count(),
        "script": script_to_json(script),
    }
    provider_id = provider_id or project.story.provider
    return manager.submit(provider_id, JobKind.continue_, asked)


def animate(
    manager: JobManager,
    page: int,
    panel: int,
    *,
    provider_id: str | None = None,
    prompt: str = "",
    duration: float = 5,
    resolution: str = "720p",
    aspect_ratio: str = "16:9",
) -> Job:
    project = manager.project
    target = project.panel_at(page, panel)
    if target.current_version is None:
        raise ValidationError("This panel has no image yet: generate it first.", "panel")
    asked = {
        "prompt": prompt or target.script.description or project.story.prompt,
        "video": {"duration": duration, "resolution": resolution, "aspect_ratio": aspect_ratio},
    }
    provider_id = provider_id or project.story.provider
    return manager.submit(provider_id, JobKind.video, asked, target_page=page, target_panel=panel)
