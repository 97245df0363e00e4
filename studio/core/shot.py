"""What a panel shows, as data: framing, angle, place, time, weather, figures and props.

The shot is derived from a panel's text by ``studio.story`` and drawn by the offline
renderer; remote providers are sent prompts built from it. ``show --json`` prints it with
exactly the keys of :meth:`Shot.to_dict` (a public interface: see README).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FRAMINGS: tuple[str, ...] = (
    "extreme-close-up",
    "close-up",
    "medium",
    "wide",
    "establishing",
    "over-the-shoulder",
)
ANGLES: tuple[str, ...] = ("eye-level", "low", "high", "birds-eye")
TIMES: tuple[str, ...] = ("dawn", "day", "dusk", "night")
WEATHERS: tuple[str, ...] = ("clear", "rain", "snow", "fog", "storm")
ACTIONS: tuple[str, ...] = (
    "stand",
    "walk",
    "run",
    "sit",
    "lie",
    "sleep",
    "point",
    "wave",
    "hold",
    "reach",
    "hug",
    "fight",
    "fall",
    "jump",
    "climb",
    "read",
    "look",
    "talk",
)
EXPRESSIONS: tuple[str, ...] = (
    "neutral",
    "happy",
    "laughing",
    "sad",
    "crying",
    "angry",
    "surprised",
    "scared",
    "thinking",
    "sleeping",
)
FACINGS: tuple[str, ...] = ("left", "right", "front", "back")


def _pick(value: Any, allowed: tuple[str, ...], default: str) -> str:
    text = str(value or "").strip().lower()
    return text if text in allowed else default


@dataclass
class Figure:
    """One person in the shot: who, doing what, feeling what, facing where, holding what."""

    name: str
    action: str = "stand"
    expression: str = "neutral"
    facing: str = "front"
    holding: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "action": self.action,
            "expression": self.expression,
            "facing": self.facing,
            "holding": list(self.holding),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Figure | None:
        """A figure from JSON, values outside the vocabularies replaced by defaults."""
        if not isinstance(data, dict) or not str(data.get("name") or "").strip():
            return None
        holding = data.get("holding") or []
        return cls(
            name=str(data["name"]).strip()[:80],
            action=_pick(data.get("action"), ACTIONS, "stand"),
            expression=_pick(data.get("expression"), EXPRESSIONS, "neutral"),
            facing=_pick(data.get("facing"), FACINGS, "front"),
            holding=[str(h).strip().lower()[:40] for h in holding if str(h).strip()][:4]
            if isinstance(holding, list)
            else [],
        )


@dataclass
class Shot:
    """What one panel shows. Every string value comes from the vocabularies above, except
    ``setting`` (a lower-case kind of place), ``location`` (a defined location's name) and
    the props (lower-case singular nouns)."""

    framing: str = "medium"
    angle: str = "eye-level"
    setting: str = ""
    location: str | None = None
    time: str = "day"
    weather: str = "clear"
    figures: list[Figure] = field(default_factory=list)
    props: list[str] = field(default_factory=list)

    KEYS = ("framing", "angle", "setting", "location", "time", "weather", "figures", "props")

    def to_dict(self) -> dict[str, Any]:
        return {
            "framing": self.framing,
            "angle": self.angle,
            "setting": self.setting,
            "location": self.location,
            "time": self.time,
            "weather": self.weather,
            "figures": [f.to_dict() for f in self.figures],
            "props": list(self.props),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Shot:
        """A shot from JSON (a project file, a language model, an edit), repaired: unknown
        values become defaults, never an exception."""
        if not isinstance(data, dict):
            return cls()
        figures = data.get("figures") if isinstance(data.get("figures"), list) else []
        props = data.get("props") if isinstance(data.get("props"), list) else []
        location = data.get("location")
        return cls(
            framing=_pick(data.get("framing"), FRAMINGS, "medium"),
            angle=_pick(data.get("angle"), ANGLES, "eye-level"),
            setting=str(data.get("setting") or "").strip().lower()[:40],
            location=str(location).strip()[:120] if location else None,
            time=_pick(data.get("time"), TIMES, "day"),
            weather=_pick(data.get("weather"), WEATHERS, "clear"),
            figures=[f for f in (Figure.from_dict(x) for x in figures[:12]) if f],
            props=[str(p).strip().lower()[:40] for p in props[:12] if str(p).strip()],
        )

    def figure(self, name: str) -> Figure | None:
        for f in self.figures:
            if f.name.lower() == name.lower():
                return f
        return None
