"""The public entry point: story, cast and locations → a script with shots and a notice."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from studio.core.models import Character, Layout, Location, Script, ScriptPage, Story
from studio.core.validation import MAX_PANELS, validate_layout, validate_prompt
from studio.story.cast import automatic_cast
from studio.story.dialogue import _absorb, _build_panel
from studio.story.expander import spread
from studio.story.headings import _PageDraft, heading_drafts
from studio.story.shots import derive_shots
from studio.story.text import _NOT_CHARACTERS, _make_ctx


@dataclass
class ScriptResult:
    """A derived script, the characters it added (marked ``auto``) and what happened, for
    the user ("Your story was spread over 8 panels — edit them in the Script tab")."""

    script: Script
    cast: list[Character] = field(default_factory=list)
    notice: str = ""


def write_script(
    story: Story,
    characters: list[Character],
    locations: list[Location],
    *,
    pages: int | None = None,
    panels_per_page: int | None = None,
) -> ScriptResult:
    """A deterministic script with shots from ``story.prompt``, offline.

    Headings (``Page 1``, ``Panel 2:``, numbered lists) decide pages and panels; explicit
    pages win over the layout, explicit panels without pages are spread over the requested
    pages. Plain prose becomes exactly ``pages × panels_per_page`` beats (merged, or written
    along the arc when the story has too few). Raises :class:`ValidationError` for an empty
    prompt or an out-of-range layout.
    """
    prompt = (story.prompt or "").strip()
    if not prompt:  # no length limit here: a long script's own text must read back
        validate_prompt(prompt)
    layout = validate_layout(
        Layout(
            pages=story.layout.pages if pages is None else pages,
            panels_per_page=story.layout.panels_per_page
            if panels_per_page is None
            else panels_per_page,
        )
    )
    auto = automatic_cast(prompt, characters, locations)
    cast = [*characters, *auto]
    ctx = _make_ctx(cast, locations)
    drafts = heading_drafts(prompt)
    result: list[ScriptPage] = []
    how = ""
    if drafts:
        result, how = _from_headings(drafts, layout, ctx)
    if not result:
        panels, how = spread(prompt, layout.total_panels, ctx)
        per = layout.panels_per_page
        result = [ScriptPage(panels[i : i + per]) for i in range(0, len(panels), per)]
    script = Script(result)
    speakers = [
        d.speaker
        for p in result
        for panel in p.panels
        for d in panel.dialogue
        if d.speaker.strip().lower() not in _NOT_CHARACTERS
    ]
    known = {c.name.casefold() for c in cast}
    for speaker in dict.fromkeys(speakers):
        if speaker and speaker.casefold() not in known:
            auto += automatic_cast("", cast, locations, [speaker])
            known.add(speaker.casefold())
    derive_shots(script, [*characters, *auto], locations)
    for page in script.pages:  # "She opens it": the people the shot shows are in the panel
        for panel in page.panels:
            shown = [f.name for f in panel.shot.figures] if panel.shot else []
            panel.characters = list(dict.fromkeys([*panel.characters, *shown]))
    return ScriptResult(script, auto, _notice(script, how, auto))


def derive_script(
    story: Story,
    cast: list[Character],
    locations: list[Location],
    *,
    pages: int | None = None,
    panels_per_page: int | None = None,
) -> Script:
    """The script of :func:`write_script` alone (for callers that need no cast or notice)."""
    return write_script(story, cast, locations, pages=pages, panels_per_page=panels_per_page).script


def _from_headings(drafts: list[_PageDraft], layout: Layout, ctx) -> tuple[list[ScriptPage], str]:
    per_page = layout.panels_per_page
    if not any(d.explicit for d in drafts):  # panels without pages: over the requested pages
        texts = [t for d in drafts for t in d.panels if t.strip()]
        for pre in drafts[0].pre:
            _absorb(pre, ctx)
        if not texts:
            return [], ""
        panels = [_build_panel(t, ctx) for t in texts]
        count = max(layout.pages, math.ceil(len(panels) / per_page))
        count = max(count, math.ceil(len(panels) / MAX_PANELS))
        size, extra = divmod(len(panels), count)
        pages, start = [], 0
        for i in range(min(count, len(panels))):
            take = size + (1 if i < extra else 0)
            pages.append(ScriptPage(panels[start : start + take]))
            start += take
        return pages, "headings"
    pages: list[ScriptPage] = []
    how = "headings"
    for draft in drafts:
        texts = [t for t in draft.panels if t.strip()]
        if texts:
            for pre in draft.pre:
                _absorb(pre, ctx)
            panels = [_build_panel(t, ctx) for t in texts]
        else:
            body = "\n".join(draft.pre)
            if not body.strip():
                continue
            panels, how_page = spread(body, per_page, ctx)
            how = how_page if how_page != "spread" else how
        pages.extend(
            ScriptPage(panels[i : i + MAX_PANELS]) for i in range(0, len(panels), MAX_PANELS)
        )
    return pages, how


def _notice(script: Script, how: str, auto: list[Character]) -> str:
    count, pages = script.panel_count, len(script.pages)
    where = f"{count} panel{'s' * (count != 1)}" + (f" on {pages} pages" if pages > 1 else "")
    match how:
        case "expanded":
            text = f"Your story was spread over {where}: the studio wrote the missing beats"
        case "merged":
            text = f"Your story had more beats than panels: they were merged into {where}"
        case "headings":
            text = f"Your headings gave {where}"
        case _:
            text = f"Your story was spread over {where}"
    text += " — edit them in the Script tab."
    if auto:
        names = ", ".join(c.name for c in auto[:5]) + ("…" if len(auto) > 5 else "")
        text += f" New in the cast (automatic): {names}."
    return text
