"""A minimal shot for a panel that has none yet (``studio.story`` derives the real ones)."""

from __future__ import annotations

import re

from studio.core.models import Location, ScriptPanel
from studio.core.shot import Figure, Shot

_TIMES = (
    ("night", {"night", "midnight", "moonlight", "moonlit", "dark", "stars"}),
    ("dusk", {"dusk", "sunset", "evening", "twilight"}),
    ("dawn", {"dawn", "sunrise", "daybreak"}),
)
_WEATHER = (
    ("storm", {"storm", "stormy", "thunder", "lightning"}),
    ("rain", {"rain", "raining", "rainy", "drizzle"}),
    ("snow", {"snow", "snowy", "snowing", "blizzard"}),
    ("fog", {"fog", "foggy", "mist", "misty"}),
)
_FRAMING = (
    ("extreme-close-up", ("extreme close",)),
    ("close-up", ("close-up", "closeup", "close up", "portrait")),
    ("establishing", ("establishing", "aerial", "panorama")),
    ("wide", ("wide", "long shot", "landscape")),
    ("over-the-shoulder", ("over the shoulder", "over-the-shoulder")),
    ("medium", ("medium",)),
)


def fallback_shot(panel: ScriptPanel, location: Location | None) -> Shot:
    """The panel's named characters standing in the place its words name."""
    text = panel.description.lower()
    words = set(re.findall(r"[a-z]+", text))
    place = f"{location.name} {location.description}" if location else ""
    every = words | set(re.findall(r"[a-z]+", place.lower()))
    speakers = {d.speaker.strip().lower() for d in panel.dialogue}
    figures = [
        Figure(name=n, action="talk" if n.strip().lower() in speakers else "stand")
        for n in dict.fromkeys(c for c in panel.characters if c.strip())
    ]
    return Shot(
        framing=next((f for f, keys in _FRAMING if any(k in text for k in keys)), "medium"),
        setting=text if _names_place(text) else place,
        location=location.name if location else None,
        time=next((t for t, keys in _TIMES if every & keys), "day"),
        weather=next((w for w, keys in _WEATHER if every & keys), "clear"),
        figures=figures,
    )


def _names_place(text: str) -> bool:
    from studio.render.offline.settings import setting_of

    return bool(setting_of(text))
