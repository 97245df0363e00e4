"""A project's script kept in step with its story: shots derived where missing, the
automatic cast added. Takes the project as an argument (anything with the storage
``Project`` methods used below); imports no storage."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from studio.core.models import Character, Script, ScriptPage
from studio.core.shot import Shot
from studio.story.cast import automatic_cast
from studio.story.shots import derive_shots
from studio.story.text import _NOT_CHARACTERS


def book_shots(project: Any, pages: list[Any] | None = None) -> dict[int, Shot]:
    """``{panel id: shot}`` for the whole book: the stored shot where a person edited it,
    else derived from the text, carried forward from panel to panel. Writes nothing."""
    pages = project.pages() if pages is None else pages
    script = Script(
        [
            ScriptPage(
                [
                    replace(p.script, shot=p.script.shot if p.script.shot_edited else None)
                    for p in page.panels
                ]
            )
            for page in pages
        ]
    )
    derive_shots(script, project.characters(), project.locations())
    return {
        p.id: sp.shot or Shot()
        for page, sp_page in zip(pages, script.pages, strict=True)
        for p, sp in zip(page.panels, sp_page.panels, strict=True)
    }


def ensure_shots(project: Any) -> int:
    """Store the derived shot of every panel whose stored shot is missing or out of date
    (an old file, a changed text); edited shots stay. Returns how many were stored."""
    pages = project.pages()
    stored = {p.id: p.script for page in pages for p in page.panels}
    shots = {
        pid: shot
        for pid, shot in book_shots(project, pages).items()
        if not stored[pid].shot_edited and stored[pid].shot != shot
    }
    if shots:
        project.set_panel_shots(shots)
    return len(shots)


def add_automatic_cast(project: Any, new: list[Character] | None = None) -> list[Character]:
    """Add ``new`` (or the people the script names that the cast lacks) to the cast,
    marked automatic. Returns the characters added."""
    cast = project.characters()
    if new is None:
        names = [
            name
            for page in project.pages()
            for p in page.panels
            for name in [*p.script.characters, *(d.speaker for d in p.script.dialogue)]
            if name.strip() and name.strip().lower() not in _NOT_CHARACTERS
        ]
        story = project.story.prompt or ""
        found = automatic_cast(story, cast, project.locations(), list(dict.fromkeys(names)))
        new = [c for c in found if c.name in names]
    known = {c.name.casefold() for c in cast}
    new = [c for c in new if c.name.casefold() not in known]
    if new:
        project.set_characters([*cast, *new])
    return new
