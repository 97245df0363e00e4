"""Lettering objects: the words over a panel, kept as data so they stay editable.

Geometry is in fractions of the panel's *frame* (the visible panel box on the page, after
the art is cover-fitted into it): ``x, y, w, h`` is the shape's box, ``tail`` the point the
tail aims at. Font size is a fraction of the page's shorter side, so every panel of a page
letters at the same size. A panel's list order is its reading order.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import asdict, dataclass, field, replace
from typing import Any

KINDS: tuple[str, ...] = ("speech", "thought", "whisper", "shout", "caption", "sfx")
KIND_LABELS: dict[str, str] = {
    "speech": "Speech balloon",
    "thought": "Thought balloon",
    "whisper": "Whisper",
    "shout": "Shout",
    "caption": "Caption",
    "sfx": "Sound effect",
}
TAILED: frozenset[str] = frozenset({"speech", "thought", "whisper", "shout"})
FONTS: tuple[str, ...] = ("comic", "display")  # Comic Neue, Bebas Neue
DEFAULT_SIZE = 0.024  # of the page's shorter side
MIN_SIZE = 0.008
MAX_SIZE = 0.2
MAX_TEXT = 2000
MIN_BOX = 0.03
INK = "#141418"
CAPTION_FILLS: tuple[str, ...] = ("#fff6c4", "#d8ecff", "#ffe0e6", "#e2f7dc", "#efe3ff")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class LetteringError(ValueError):
    """A lettering object that cannot be read; the message says which field and why."""


def new_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class Lettering:
    kind: str = "speech"
    text: str = ""
    x: float = 0.05
    y: float = 0.05
    w: float = 0.3
    h: float = 0.15
    tail: tuple[float, float] | None = None
    speaker: str = ""
    font: str = ""  # "" = the kind's default: display for SFX, comic otherwise
    size: float = DEFAULT_SIZE
    color: str = INK  # text colour
    fill: str = ""  # "" = the kind's default (white; caption yellow; SFX none)
    outline: str = INK
    all_caps: bool = False
    rotation: float = 0.0  # degrees clockwise, used by SFX
    auto: bool = True  # placed automatically and not touched by a person since
    id: str = field(default_factory=new_id)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.x + self.w, self.y + self.h)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y + self.h / 2)

    @property
    def face(self) -> str:
        return self.font or ("display" if self.kind == "sfx" else "comic")

    @property
    def fill_colour(self) -> str | None:
        """The shape's fill, or None for SFX (letters only)."""
        if self.fill:
            return self.fill
        if self.kind == "sfx":
            return None
        return CAPTION_FILLS[0] if self.kind == "caption" else "#ffffff"

    @property
    def has_tail(self) -> bool:
        return self.kind in TAILED and self.tail is not None

    def edited(self, **changes: Any) -> Lettering:
        """A copy with ``changes`` applied, marked as edited by a person, clamped to the frame."""
        return clamp(replace(self, auto=False, **changes))

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["tail"] = list(self.tail) if self.tail is not None else None
        return out

    @classmethod
    def from_dict(cls, raw: Any) -> Lettering:
        """Read one object, strictly on types and kinds, leniently on ranges (clamped)."""
        if not isinstance(raw, dict):
            raise LetteringError(f"a lettering object must be a mapping, got {type(raw).__name__}")
        kind = raw.get("kind", "speech")
        if kind not in KINDS:
            raise LetteringError(f"unknown lettering kind {kind!r}; known: {', '.join(KINDS)}")
        text = _str(raw, "text")[:MAX_TEXT]
        values: dict[str, Any] = {"kind": kind, "text": text}
        for key in ("x", "y", "w", "h", "size", "rotation"):
            if key in raw:
                values[key] = _num(raw, key)
        for key in ("speaker", "font", "color", "fill", "outline", "id"):
            if key in raw:
                values[key] = _str(raw, key)
        for key in ("all_caps", "auto"):
            if key in raw:
                values[key] = bool(raw[key])
        tail = raw.get("tail")
        if tail is not None:
            if not (isinstance(tail, list | tuple) and len(tail) == 2):
                raise LetteringError("lettering 'tail' must be [x, y] or null")
            values["tail"] = (_as_float(tail[0], "tail"), _as_float(tail[1], "tail"))
        if values.get("font", "") not in ("", *FONTS):
            values["font"] = ""
        for key in ("color", "outline"):
            if key in values and not _COLOUR.match(values[key]):
                values[key] = INK
        if values.get("fill") and not _COLOUR.match(values["fill"]):
            values["fill"] = ""
        if not values.get("id"):
            values["id"] = new_id()
        return clamp(cls(**values))


def clamp(item: Lettering) -> Lettering:
    """Keep the box inside the frame and at least ``MIN_BOX`` wide and high; sane sizes."""
    w = min(1.0, max(MIN_BOX, item.w))
    h = min(1.0, max(MIN_BOX, item.h))
    x = min(1.0 - w, max(0.0, item.x))
    y = min(1.0 - h, max(0.0, item.y))
    size = min(MAX_SIZE, max(MIN_SIZE, item.size))
    tail = item.tail
    if tail is not None:
        tail = (min(1.5, max(-0.5, tail[0])), min(1.5, max(-0.5, tail[1])))
    rotation = ((item.rotation + 180.0) % 360.0) - 180.0
    if (x, y, w, h, size, tail, rotation) == (
        item.x,
        item.y,
        item.w,
        item.h,
        item.size,
        item.tail,
        item.rotation,
    ):
        return item
    return replace(item, x=x, y=y, w=w, h=h, size=size, tail=tail, rotation=rotation)


def to_rows(items: list[Lettering]) -> list[dict[str, Any]]:
    return [i.to_dict() for i in items]


def from_rows(rows: list[dict[str, Any]] | None) -> list[Lettering] | None:
    """Objects from stored rows; rows that cannot be read are skipped, not fatal."""
    if rows is None:
        return None
    out: list[Lettering] = []
    for row in rows:
        try:
            out.append(Lettering.from_dict(row))
        except LetteringError:
            continue
    return out


def all_auto(items: list[Lettering] | None) -> bool:
    """True when nothing in ``items`` was touched by a person (safe to re-place)."""
    return items is None or all(i.auto for i in items)


def _str(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise LetteringError(f"lettering {key!r} must be text, got {type(value).__name__}")
    return value


def _num(raw: dict[str, Any], key: str) -> float:
    return _as_float(raw[key], key)


def _as_float(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LetteringError(f"lettering {key!r} must be a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise LetteringError(f"lettering {key!r} must be finite")
    return number
