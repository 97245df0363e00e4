"""Reading a language model's script: parse, check against the request, repair what can be.

Repairs (noted, never silent): values outside the shot vocabularies (``Shot.from_dict``),
extra pages or panels (dropped), panels spread unevenly over pages (re-spread), an empty
description with a caption, dialogue or figures to describe it, names and locations in
another case. What cannot be repaired (not JSON, too few panels, a panel with nothing in
it) raises :class:`ScriptInvalid` listing every problem, for the one retry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from studio.core.models import Character, DialogueLine, Location, Script, ScriptPage, ScriptPanel
from studio.core.shot import Shot

MAX_PROBLEMS = 20
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*|\s*```\s*$")


class ScriptInvalid(ValueError):
    """The answer cannot be used as the script; ``problems`` says why, in plain words."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_PROBLEMS] or ["the answer is not a script"]
        super().__init__("; ".join(self.problems))


@dataclass
class Checked:
    script: Script
    notes: list[str] = field(default_factory=list)  # what was repaired


def _loads(text: str) -> Any:
    body = _FENCE.sub("", text.strip())
    try:
        return json.loads(body)
    except ValueError as exc:
        start, end = body.find("{"), body.rfind("}")
        if 0 <= start < end:  # prose around the object
            try:
                return json.loads(body[start : end + 1])
            except ValueError:
                pass
        raise ScriptInvalid([f"the answer is not valid JSON ({exc})"]) from None
    except RecursionError:
        raise ScriptInvalid(["the answer is nested too deeply to read"]) from None


def _text(value: Any, limit: int = 2000) -> str:
    return " ".join(str(value).split())[:limit] if isinstance(value, str | int | float) else ""


class _Names:
    """Case-insensitive lookup of the defined names, keeping the user's spelling."""

    def __init__(self, names: list[str]) -> None:
        self._by_key = {n.strip().lower(): n for n in names if n.strip()}

    def canonical(self, name: str) -> str:
        return self._by_key.get(name.strip().lower(), name.strip())

    def known(self, name: str) -> str | None:
        return self._by_key.get(name.strip().lower())


def _dialogue(value: Any, names: _Names) -> list[DialogueLine]:
    lines = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict):
            speaker, said = _text(item.get("speaker"), 80), _text(item.get("text"))
        elif isinstance(item, str) and ":" in item:
            speaker, _, said = (part.strip() for part in item.partition(":"))
        else:
            speaker, said = "", _text(item)
        if said:
            lines.append(DialogueLine(names.canonical(speaker) if speaker else "", said))
    return lines


def _describe(shot: Shot, caption: str, dialogue: list[DialogueLine]) -> str:
    """A description for a panel the model left without one, from what it did give."""
    if shot.figures:
        who = " and ".join(f.name for f in shot.figures[:3])
        where = f" in the {shot.setting}" if shot.setting else ""
        return f"{who}{where}."
    if caption:
        return caption
    if dialogue:
        return f"{dialogue[0].speaker or 'Someone'} speaks."
    return ""


def _panel(
    raw: Any, where: str, names: _Names, places: _Names, notes: list[str], problems: list[str]
) -> ScriptPanel:
    data = raw if isinstance(raw, dict) else {}
    if not isinstance(raw, dict):
        problems.append(f"{where} is not an object")
    shot = Shot.from_dict(data.get("shot"))
    for figure in shot.figures:
        figure.name = names.canonical(figure.name)
    if shot.location is not None:
        known = places.known(shot.location)
        if known is None:
            notes.append(f"{where}: unknown location {shot.location!r} left out")
        shot.location = known
    caption = _text(data.get("caption"), 500)
    dialogue = _dialogue(data.get("dialogue"), names)
    description = _text(data.get("description"))
    if not description:
        description = _describe(shot, caption, dialogue)
        if description:
            notes.append(f"{where}: empty description filled in")
        else:
            problems.append(f"{where} has an empty description and nothing else")
    characters: list[str] = []
    raw_chars = data.get("characters") if isinstance(data.get("characters"), list) else []
    for name in [_text(n, 80) for n in raw_chars] + [d.speaker for d in dialogue]:
        name = names.canonical(name) if name else ""
        if name and name not in characters:
            characters.append(name)
    return ScriptPanel(
        description=description,
        characters=characters[:12],
        location=shot.location,
        caption=caption,
        dialogue=dialogue,
        shot=shot,
    )


def _raw_pages(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("pages"), list):
        return data["pages"]
    if isinstance(data, dict) and isinstance(data.get("panels"), list):
        return [data]  # one page without the "pages" wrapper
    if isinstance(data, list):
        return data
    raise ScriptInvalid(['the answer has no "pages" list'])


def check_script(
    text: str,
    pages: int,
    panels_per_page: int,
    cast: list[Character],
    locations: list[Location],
) -> Checked:
    """The script in ``text``, repaired, with exactly ``pages × panels_per_page`` panels."""
    raw_pages = _raw_pages(_loads(text))
    names = _Names([c.name for c in cast])
    places = _Names([loc.name for loc in locations])
    notes: list[str] = []
    problems: list[str] = []
    found: list[tuple[str, Any]] = []
    uneven = False
    for p, raw_page in enumerate(raw_pages, start=1):
        raw_panels = raw_page.get("panels") if isinstance(raw_page, dict) else raw_page
        if not isinstance(raw_panels, list):
            problems.append(f'page {p} has no "panels" list')
            continue
        uneven |= len(raw_panels) != panels_per_page
        found += [(f"page {p} panel {k}", raw) for k, raw in enumerate(raw_panels, start=1)]
    wanted = pages * panels_per_page
    panels = [_panel(raw, where, names, places, notes, problems) for where, raw in found[:wanted]]
    if len(found) < wanted:
        problems.insert(
            0,
            f"the answer has {len(raw_pages)} page(s) and {len(found)} panel(s); "
            f"{pages} page(s) of exactly {panels_per_page} panel(s) ({wanted} panels) "
            "were asked for",
        )
    if problems:
        raise ScriptInvalid(problems)
    if len(found) > wanted:
        notes.append(f"{len(found) - wanted} panel(s) beyond the {wanted} asked for dropped")
    elif uneven or len(raw_pages) != pages:
        notes.append(f"panels re-spread as {pages} page(s) of {panels_per_page}")
    return Checked(
        Script(
            [ScriptPage(panels[i : i + panels_per_page]) for i in range(0, wanted, panels_per_page)]
        ),
        notes,
    )
