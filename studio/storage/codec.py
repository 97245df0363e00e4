"""JSON encoding of domain objects for the project file."""

from __future__ import annotations

import json
from typing import Any

from studio.core.models import (
    BookFormat,
    DialogueLine,
    Layout,
    ReadingDirection,
    ScriptPanel,
    Story,
    Upscale,
)
from studio.core.shot import Shot


def story_to_dict(story: Story) -> dict[str, Any]:
    return {
        "title": story.title,
        "prompt": story.prompt,
        "style": story.style,
        "size": story.size,
        "layout": {
            "pages": story.layout.pages,
            "panels_per_page": story.layout.panels_per_page,
            "paginated": story.layout.paginated,
        },
        "language": story.language,
        "upscale": story.upscale.value,
        "direction": story.direction.value,
        "provider": story.provider,
        "author": story.author,
        "seed": story.seed,
        "book_format": book_format_to_dict(story.book_format),
    }


def book_format_to_dict(fmt: BookFormat) -> dict[str, Any]:
    return {
        "page_size": fmt.page_size,
        "margin": fmt.margin,
        "gutter": fmt.gutter,
        "bleed": fmt.bleed,
    }


def book_format_from_dict(raw: Any, default_size: str = "comic") -> BookFormat:
    """A book format from stored JSON; missing or broken values take the defaults."""
    fmt = BookFormat(page_size=default_size)
    if not isinstance(raw, dict):
        return fmt.clamped()
    if isinstance(raw.get("page_size"), str):
        fmt.page_size = raw["page_size"]
    for key in ("margin", "gutter", "bleed"):
        value = raw.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
            setattr(fmt, key, float(value))
    return fmt.clamped()


def story_from_dict(raw: dict[str, Any]) -> Story:
    story = Story()
    for key in ("title", "prompt", "style", "size", "language", "provider", "author"):
        if isinstance(raw.get(key), str):
            setattr(story, key, raw[key])
    if isinstance(raw.get("seed"), int):
        story.seed = raw["seed"]
    layout = raw.get("layout")
    layout = layout if isinstance(layout, dict) else {}
    story.layout = Layout(
        pages=_bounded_int(layout.get("pages"), 1, 1, 200),
        panels_per_page=_bounded_int(layout.get("panels_per_page"), 4, 1, 20),
        paginated=bool(layout.get("paginated", False)),
    )
    try:
        story.upscale = Upscale(raw.get("upscale", ""))
    except ValueError:
        story.upscale = Upscale.none
    try:
        story.direction = ReadingDirection(raw.get("direction", "ltr"))
    except ValueError:
        story.direction = ReadingDirection.ltr
    # Projects made before books had a format load with the defaults.
    story.book_format = book_format_from_dict(raw.get("book_format"))
    return story


def dialogue_to_json(lines: list[DialogueLine]) -> str:
    return json.dumps([{"speaker": d.speaker, "text": d.text} for d in lines])


def dialogue_from_json(text: str) -> list[DialogueLine]:
    try:
        raw = json.loads(text or "[]")
    except ValueError:
        return []
    return [
        DialogueLine(str(d.get("speaker", "")), str(d.get("text", "")))
        for d in raw
        if isinstance(d, dict)
    ]


def panel_script_from_row(row: Any) -> ScriptPanel:
    try:
        characters = [str(c) for c in json.loads(row["characters"] or "[]")]
    except ValueError:
        characters = []
    return ScriptPanel(
        description=row["description"],
        characters=characters,
        location=row["location"],
        caption=row["caption"],
        dialogue=dialogue_from_json(row["dialogue"]),
        shot=shot_from_json(row["shot"]),
        shot_edited=bool(row["shot_edited"]),
    )


def shot_from_json(text: str | None) -> Shot | None:
    """A stored shot, repaired by :meth:`Shot.from_dict`; None when none was stored yet."""
    if not text:
        return None
    try:
        return Shot.from_dict(json.loads(text))
    except ValueError:
        return None


def shot_to_json(shot: Shot | None) -> str | None:
    return None if shot is None else json.dumps(shot.to_dict(), ensure_ascii=False)


def loads_dict(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _bounded_int(value: Any, default: int, low: int, high: int) -> int:
    """A stored count read defensively: wrong types fall back, numbers are clamped."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return default
    try:
        number = int(value)
    except (ValueError, OverflowError):
        return default
    return min(high, max(low, number))
