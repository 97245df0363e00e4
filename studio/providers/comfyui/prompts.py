"""Text prompts and seeds for one panel: from its shot when it has one, else its description."""

from __future__ import annotations

import zlib

from studio.core.models import Character, Location, ScriptPanel

NEGATIVE = (
    "text, letters, speech bubble, watermark, signature, logo, blurry, lowres, jpeg artifacts, "
    "deformed hands, extra fingers, extra limbs, bad anatomy, cropped face"
)
STYLE_WORDS = {
    "neutral": "comic book illustration, clean line art, flat colours",
    "storyboard": "storyboard sketch, pencil lines",
    "manga": "manga style, black and white, screentones",
}
_ING = {
    "stand": "standing",
    "walk": "walking",
    "run": "running",
    "sit": "sitting",
    "lie": "lying down",
    "sleep": "sleeping",
    "point": "pointing",
    "wave": "waving",
    "hold": "holding something",
    "reach": "reaching out",
    "hug": "hugging",
    "fight": "fighting",
    "fall": "falling",
    "jump": "jumping",
    "climb": "climbing",
    "read": "reading",
    "look": "looking",
    "talk": "talking",
}
_FRAMING = {
    "extreme-close-up": "extreme close-up shot",
    "close-up": "close-up shot",
    "medium": "medium shot",
    "wide": "wide shot",
    "establishing": "establishing shot, wide landscape",
    "over-the-shoulder": "over-the-shoulder shot",
}
_WEATHER = {"rain": "rainy", "snow": "snowing", "fog": "foggy", "storm": "stormy weather"}
_ANGLE = {"low": "low angle", "high": "high angle", "birds-eye": "bird's-eye view"}
MAX_PROMPT = 1500
SEED_SPACE = 2**48


def _looks(character: Character | None, name: str) -> str:
    """ "Mia, a 30-year-old woman wearing a red coat" (as far as the cast says)."""
    if character is None:
        return name
    age = character.age.strip()
    gender = character.gender.strip()
    who = " ".join(p for p in (f"{age}-year-old" if age.isdigit() else age, gender) if p)
    text = f"{name}, a {who}" if who else name
    if character.dress.strip():
        text += f" wearing {character.dress.strip()}"
    return text


def style_words(style: str) -> str:
    return STYLE_WORDS.get(style.lower(), f"comic book illustration, {style}")


def positive_prompt(
    panel: ScriptPanel, cast: list[Character], locations: list[Location], style: str
) -> str:
    """The positive prompt of a panel: the shot's figures with their looks, setting, time,
    weather, props and framing; without a shot, the description with the cast's looks."""
    by_name = {c.name.lower(): c for c in cast}
    places = {loc.name.lower(): loc for loc in locations}
    parts: list[str] = [style_words(style)]
    shot = getattr(panel, "shot", None)
    if shot is not None:
        parts.append(_FRAMING.get(shot.framing, shot.framing))
        if shot.angle in _ANGLE:
            parts.append(_ANGLE[shot.angle])
        for fig in shot.figures:
            text = _looks(by_name.get(fig.name.lower()), fig.name)
            text += f", {_ING.get(fig.action, fig.action)}"
            if fig.expression != "neutral":
                text += f", {fig.expression} expression"
            if fig.facing in ("left", "right"):
                text += f", facing {fig.facing}"
            elif fig.facing == "back":
                text += ", seen from behind"
            if fig.holding:
                text += f", holding {' and '.join(fig.holding)}"
            parts.append(text)
        place = places.get((shot.location or "").lower())
        if place is not None:
            parts.append(f"{place.name}: {place.description}" if place.description else place.name)
        elif shot.setting:
            parts.append(f"in a {shot.setting}")
        parts.append({"dawn": "at dawn", "dusk": "at dusk", "night": "at night"}.get(shot.time, ""))
        parts.append(_WEATHER.get(shot.weather, ""))
        if shot.props:
            parts.append(", ".join(shot.props))
    else:
        if panel.description.strip():
            parts.append(panel.description.strip())
        for name in panel.characters:
            parts.append(_looks(by_name.get(name.lower()), name))
        place = places.get((panel.location or "").lower())
        if place is not None and place.description:
            parts.append(place.description)
    text = ", ".join(p.strip().rstrip(".") for p in parts if p and p.strip())
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
