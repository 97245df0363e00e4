"""What the language-model script writer asks: the JSON schema of a script and the chat."""

from __future__ import annotations

import json
from typing import Any

from studio.core.models import Character, Location, Story
from studio.core.shot import ACTIONS, ANGLES, EXPRESSIONS, FACINGS, FRAMINGS, TIMES, WEATHERS, Shot

SHOT_KEYS = Shot.KEYS
MAX_STORY_CHARS = 20_000  # a longer story is cut for the prompt (the model's context is finite)


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def script_schema(pages: int, panels_per_page: int) -> dict[str, Any]:
    """The JSON schema of the answer: exactly ``pages`` pages of ``panels_per_page`` panels."""
    figure = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "action": _enum(ACTIONS),
            "expression": _enum(EXPRESSIONS),
            "facing": _enum(FACINGS),
            "holding": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["name", "action", "expression", "facing", "holding"],
        "additionalProperties": False,
    }
    shot = {
        "type": "object",
        "properties": {
            "framing": _enum(FRAMINGS),
            "angle": _enum(ANGLES),
            "setting": {"type": "string"},
            "location": {"type": ["string", "null"]},
            "time": _enum(TIMES),
            "weather": _enum(WEATHERS),
            "figures": {"type": "array", "items": figure},
            "props": {"type": "array", "items": {"type": "string"}},
        },
        "required": list(SHOT_KEYS),
        "additionalProperties": False,
    }
    line = {
        "type": "object",
        "properties": {"speaker": {"type": "string"}, "text": {"type": "string"}},
        "required": ["speaker", "text"],
        "additionalProperties": False,
    }
    panel = {
        "type": "object",
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "caption": {"type": "string"},
            "dialogue": {"type": "array", "items": line},
            "characters": {"type": "array", "items": {"type": "string"}},
            "shot": shot,
        },
        "required": ["description", "caption", "dialogue", "characters", "shot"],
        "additionalProperties": False,
    }
    page = {
        "type": "object",
        "properties": {
            "panels": {
                "type": "array",
                "items": panel,
                "minItems": panels_per_page,
                "maxItems": panels_per_page,
            }
        },
        "required": ["panels"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "pages": {"type": "array", "items": page, "minItems": pages, "maxItems": pages}
        },
        "required": ["pages"],
        "additionalProperties": False,
    }


def response_format(pages: int, panels_per_page: int, *, strict: bool = True) -> dict[str, Any]:
    """The ``response_format`` of the request: a JSON schema, or plain JSON mode."""
    if not strict:
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {
            "name": "comic_script",
            "strict": True,
            "schema": script_schema(pages, panels_per_page),
        },
    }


SYSTEM = (
    "You are a comic book script writer. You turn a story into a storyboard of pages and "
    "panels and answer with JSON only, no prose and no code fences. Every panel shows one "
    "distinct moment of the story, in order, with a clear arc (establish, approach, discover, "
    "react, act, consequence, resolve). Descriptions say what the reader sees, in one or two "
    "sentences; captions are short narration (or empty); dialogue lines are short and spoken "
    "by people who are in the panel. Use the story's own people, places and things."
)


def _cast_lines(cast: list[Character]) -> str:
    if not cast:
        return "none defined: name the story's people consistently"
    parts = []
    for c in cast:
        looks = ", ".join(x for x in (c.age, c.gender, c.dress) if x)
        parts.append(f"- {c.name}" + (f" ({looks})" if looks else ""))
    return "\n" + "\n".join(parts)


def _location_lines(locations: list[Location]) -> str:
    if not locations:
        return "none defined: set shot.location to null"
    parts = [f"- {loc.name}" + (f": {loc.description}" if loc.description else "")
             for loc in locations]  # fmt: skip
    return "\n" + "\n".join(parts)


def user_message(
    story: Story,
    cast: list[Character],
    locations: list[Location],
    pages: int,
    panels_per_page: int,
) -> str:
    """The request in words: the story, the counts, the cast, the places and the shape."""
    text = (story.prompt or "").strip()
    if len(text) > MAX_STORY_CHARS:
        text = text[:MAX_STORY_CHARS] + " …"
    example = {
        "pages": [
            {
                "panels": [
                    {
                        "description": "what the panel shows",
                        "caption": "",
                        "dialogue": [{"speaker": "Name", "text": "Words."}],
                        "characters": ["Name"],
                        "shot": {
                            "framing": "wide",
                            "angle": "eye-level",
                            "setting": "library",
                            "location": None,
                            "time": "night",
                            "weather": "clear",
                            "figures": [
                                {
                                    "name": "Name",
                                    "action": "walk",
                                    "expression": "surprised",
                                    "facing": "right",
                                    "holding": ["lantern"],
                                }
                            ],
                            "props": ["door"],
                        },
                    }
                ]
            }
        ]
    }
    return (
        f"Write the script of this story as exactly {pages} page(s) with exactly "
        f"{panels_per_page} panel(s) on every page ({pages * panels_per_page} panels in all).\n\n"
        f"Story title: {story.title}\nStyle: {story.style}\nLanguage of captions and dialogue: "
        f"{story.language}\n\nStory:\n{text}\n\n"
        f"Cast (use these exact names in characters, speakers and figures):{_cast_lines(cast)}\n"
        f"Locations (shot.location is one of these names or null):{_location_lines(locations)}\n\n"
        "Shot vocabulary: framing one of "
        + ", ".join(FRAMINGS)
        + "; angle one of "
        + ", ".join(ANGLES)
        + "; time one of "
        + ", ".join(TIMES)
        + "; weather one of "
        + ", ".join(WEATHERS)
        + "; action one of "
        + ", ".join(ACTIONS)
        + "; expression one of "
        + ", ".join(EXPRESSIONS)
        + "; facing one of "
        + ", ".join(FACINGS)
        + ". setting is a "
        "lower-case kind of place; props and holding are lower-case singular nouns.\n\n"
        "Answer with one JSON object of this shape:\n" + json.dumps(example)
    )


def messages(
    story: Story,
    cast: list[Character],
    locations: list[Location],
    pages: int,
    panels_per_page: int,
) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": user_message(story, cast, locations, pages, panels_per_page)},
    ]


def correction(answer: str, problems: list[str]) -> list[dict[str, str]]:
    """The follow-up after an unusable answer: the answer, then what was wrong with it."""
    listed = "\n".join(f"- {p}" for p in problems[:20])
    return [
        {"role": "assistant", "content": answer[:8000]},
        {
            "role": "user",
            "content": "That answer cannot be used:\n" + listed + "\nAnswer again with the "
            "complete JSON object only, with exactly the requested pages and panels.",
        },
    ]
