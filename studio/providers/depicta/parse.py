"""Depicta storyboard bodies and defensive parsing of story, job, model and profile answers.

Scene keys are undocumented (the CLI sends the storyboard file as it is). We send
``scenes: [{prompt, characters: [names], location: name}]`` (the prompt written from the
panel's shot) plus top-level ``style`` and
``aspect_ratio``, the names used by the public reference for characters and locations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studio.core.models import Character, Location, Script
from studio.net.assets import safe_url
from studio.providers.errors import ValidationRefused
from studio.providers.shot_prompt import shot_prompt, shown_names

FORMATS = ("png", "jpeg", "webp")
MAX_TEXT = 200  # ids, statuses, names, error codes: longer values count as missing
DONE = frozenset({"completed", "complete", "succeeded"})
FAILED = frozenset({"failed", "error", "cancelled", "canceled"})


@dataclass
class StoryState:
    job_id: str
    status: str
    done: int | None
    total: int | None
    scene_urls: list[str | None]
    error_code: str
    error_message: str


# ------------------------------------------------------------------ bodies


def appearance_of(character: Character) -> str:
    words = [w.strip() for w in (character.age, character.gender, character.dress) if w.strip()]
    return ", ".join(words) or character.name


def aspect_ratio(size: str) -> str | None:
    """``1024x768`` → ``4:3``; None when the size is not ``WxH``."""
    try:
        w, h = (int(x) for x in size.lower().split("x"))
    except ValueError:
        return None
    if w <= 0 or h <= 0:
        return None
    g = math.gcd(w, h)
    return f"{w // g}:{h // g}"


def scenes_of(
    script: Script,
    style: str,
    cast: list[Character] | None = None,
    locations: list[Location] | None = None,
) -> tuple[list[dict[str, Any]], list[list[int]]]:
    """One scene per script panel, and each scene's (page, panel) position. A scene's prompt
    is its panel's shot in words (figures with their looks, action, expression, place, time)
    and its characters are the people the shot shows, as the cast spells them."""
    cast = cast or []
    locations = locations or []
    known = {c.name.casefold() for c in cast}
    scenes: list[dict[str, Any]] = []
    positions: list[list[int]] = []
    for p, page in enumerate(script.pages):
        for n, panel in enumerate(page.panels):
            if panel.shot is None:  # the characters and places are sent with their looks
                prompt = panel.description.strip() or "A comic panel"
            else:
                prompt = shot_prompt(panel, cast, locations)
            if panel.caption.strip():
                prompt += f" (caption: {panel.caption.strip()})"
            scene: dict[str, Any] = {"prompt": prompt}
            names = shown_names(panel, cast)
            if known and panel.shot is not None:  # Depicta knows the cast's names only
                names = [name for name in names if name.casefold() in known]
            if names:
                scene["characters"] = names
            place = (panel.shot.location if panel.shot else None) or panel.location
            if place:
                scene["location"] = place
            scenes.append(scene)
            positions.append([p, n])
    if not scenes:
        raise ValidationRefused("The script has no panels for Depicta to draw.")
    return scenes, positions


def character_entry(character: Character, ref_url: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": character.name, "appearance": appearance_of(character)}
    if ref_url:
        entry["reference_url"] = ref_url
    return entry


def location_entry(location: Location, ref_url: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": location.name}
    if location.description.strip():
        entry["description"] = location.description.strip()
    if ref_url:
        entry["reference_url"] = ref_url
    return entry


# ----------------------------------------------------------------- parsing


def job_id_of(data: Any) -> str | None:
    """``job_id``, else ``id`` (the docs' poll example)."""
    for key in ("job_id", "id"):
        value = _short(data.get(key) if isinstance(data, Mapping) else None)
        if value:
            return value
    return None


def story_state(data: Any) -> StoryState:
    if not isinstance(data, Mapping):
        return StoryState("", "", None, None, [], "", "")
    code, message = error_fields(data.get("error"))
    scenes = _get(data, "result", "scenes")
    urls = [image_url_of(s) for s in scenes] if isinstance(scenes, list) else []
    return StoryState(
        job_id=job_id_of(data) or "",
        status=_short(data.get("status")).lower(),
        done=_int(data.get("scenes_completed")),
        total=_int(data.get("scenes_total")),
        scene_urls=urls,
        error_code=code,
        error_message=message,
    )


def image_url_of(item: Any) -> str | None:
    """``image_url``, then ``images.png|jpeg|webp``, then ``formats[fmt].url``."""
    if not isinstance(item, Mapping):
        return None
    url = safe_url(item.get("image_url"))
    if url:
        return url
    images = item.get("images")
    if isinstance(images, Mapping):
        for fmt in FORMATS:
            if url := safe_url(images.get(fmt)):
                return url
    formats = item.get("formats")
    if isinstance(formats, Mapping):
        for fmt in FORMATS:
            if url := safe_url(_get(formats, fmt, "url")):
                return url
    return None


def sync_url_of(data: Any) -> str | None:
    """A sync or ``/v1/jobs/{id}`` answer's image: ``result.*`` first, then the top level."""
    return image_url_of(_get(data, "result")) or image_url_of(data)


def references_of(data: Any, key: str) -> dict[str, str]:
    """``result.characters`` / ``result.locations``: name → reference_url."""
    items = _get(data, "result", key)
    out: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        name = _short(item.get("name")) if isinstance(item, Mapping) else ""
        url = safe_url(item.get("reference_url")) if name else None
        if url:
            out[name] = url
    return out


def error_fields(error: Any) -> tuple[str, str]:
    if isinstance(error, Mapping):
        message = error.get("message")
        message = message.strip()[:300] if isinstance(message, str) else ""
        return _short(error.get("code")), message
    if isinstance(error, str):
        return _short(error) or ("error" if error.strip() else ""), ""
    return "", ""


def euros(value: Any) -> float | None:
    """Depicta sends amounts as strings ("12.50")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and len(value) > 40:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def cost_of(data: Any) -> float | None:
    return euros(_get(data, "result", "cost_eur")) or euros(_get(data, "cost_eur"))


def balance_of(data: Any) -> float | None:
    return euros(_get(data, "result", "balance_eur")) or euros(_get(data, "balance_eur"))


def story_model(data: Any) -> str | None:
    """The first model with ``supports_multiturn`` (a bare list or ``{"models": [...]}``)."""
    models = data.get("models") if isinstance(data, Mapping) else data
    for item in models if isinstance(models, list) else []:
        ok = isinstance(item, Mapping) and item.get("supports_multiturn") is True
        if ok and item.get("can_generate") is not False and _short(item.get("id")):
            return _short(item["id"])
    return None


def profile_of(data: Any) -> dict[str, Any]:
    user = _get(data, "user")
    balance, held = euros(_get(user, "balance_eur")), euros(_get(user, "held_eur"))
    if balance is None:
        return {}
    available = balance - (held or 0.0)
    return {"balance_eur": balance, "held_eur": held or 0.0, "available_eur": round(available, 2)}


def jobs_of(data: Any) -> list[dict[str, Any]]:
    items = _get(data, "generations")
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and job_id_of(item):
            found = {k: _short(item.get(k)) for k in ("job_id", "status", "created_at")}
            out.append({k: v for k, v in found.items() if v})
    return out


def upload_url_of(data: Any) -> str | None:
    return safe_url(_get(data, "upload_url"))


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _short(value: Any) -> str:
    """A short text field, stripped; "" when missing, not text, or absurdly long."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    return value if len(value) <= MAX_TEXT and value.isprintable() else ""
