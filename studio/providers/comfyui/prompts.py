"""Text prompts and seeds for one panel: from its shot when it has one, else its description."""

from __future__ import annotations

import zlib

from studio.core.models import Character, Location, ScriptPanel
from studio.providers.shot_prompt import shot_prompt

NEGATIVE = (
    "text, letters, speech bubble, watermark, signature, logo, blurry, lowres, jpeg artifacts, "
    "deformed hands, extra fingers, extra limbs, bad anatomy, cropped face"
)
STYLE_WORDS = {
    "neutral": "comic book illustration, clean line art, flat colours",
    "storyboard": "storyboard sketch, pencil lines",
    "manga": "manga style, black and white, screentones",
}
MAX_PROMPT = 1500
SEED_SPACE = 2**48


def style_words(style: str) -> str:
    return STYLE_WORDS.get(style.lower(), f"comic book illustration, {style}")


def positive_prompt(
    panel: ScriptPanel, cast: list[Character], locations: list[Location], style: str
) -> str:
    """The positive prompt of a panel: the style's words, then the shared shot prompt (the
    shot's framing, figures with their looks, place, time, weather and props; without a
    shot, the description with the cast's looks)."""
    text = f"{style_words(style)}. {shot_prompt(panel, cast, locations)}"
    return text[:MAX_PROMPT]


def _mix(*values: object) -> int:
    return zlib.crc32("\x1f".join(str(v) for v in values).encode()) & 0xFFFFFFFF


def main_character(panel: ScriptPanel) -> str | None:
    """The panel's first figure (shot) or first listed character."""
    shot = getattr(panel, "shot", None)
    if shot is not None and shot.figures:
        return shot.figures[0].name
    return panel.characters[0] if panel.characters else None


def panel_seed(
    story_seed: int,
    global_index: int,
    character: str | None = None,
    variation: int = 0,
) -> int:
    """Story seed + panel index; with ``character`` (no IP-Adapter), one fixed seed per
    character so the same person is drawn from the same noise. ``variation`` (a redraw's
    number) moves it on."""
    if character:
        base = story_seed * 1_000_003 + _mix("character", character.lower())
    else:
        base = story_seed * 1_000_003 + global_index
    return (base + variation * 7919) % SEED_SPACE
