"""Animus request plans (prompts, batches per page) and defensive parsing of its responses."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studio.core.models import Character, Location, ScriptPanel
from studio.net.assets import safe_url
from studio.providers.shot_prompt import shot_prompt

LORA_SWITCHES = {"use_face_lora": True, "use_body_lora": True, "face_swap": True}
DONE = frozenset({"COMPLETED", "COMPLETE", "SUCCEEDED", "SUCCESS", "DONE"})
FAILED = frozenset({"FAILED", "FAILURE", "ERROR", "CANCELLED", "CANCELED"})
_ID_KEYS = ("batch_id", "generation_id", "id")
_LIST_KEYS = ("generations", "jobs", "results", "items", "children")
_DONE_COUNT_KEYS = ("completed", "completed_count", "num_completed", "succeeded", "done")
_TOTAL_KEYS = ("total", "total_count", "total_jobs", "num_images", "accepted", "count")
MAX_TEXT = 200  # ids, statuses, titles: longer values count as missing


@dataclass
class Generation:
    """One generation as a status or group payload reports it."""

    id: str
    status: str
    urls: list[str]
    error: str
    created_at: str


# ------------------------------------------------------------------ prompts


def panel_prompt(
    panel: ScriptPanel, cast: list[Character], locs: list[Location], style: str
) -> str:
    """The panel's shot in words (framing, figures with their looks, action and expression,
    place, time, weather, props), its description when it adds something, the style."""
    return shot_prompt(panel, cast, locs, style)


def lora_character(panel: ScriptPanel, cast: list[Character]) -> str | None:
    """The Animus character id of the first character in the panel that has one."""
    by_name = {c.name: c for c in cast}
    for name in panel.characters:
        ch = by_name.get(name)
        ref = ch.provider_refs.get("animus") if ch else None
        if ref:
            return str(ref)
    return None


def page_units(
    page: int, panels: list[ScriptPanel], cast: list[Character], locs: list[Location], style: str
) -> list[dict[str, Any]]:
    """Billable units for one page: one batch, plus single creates for other characters.

    Rule: the batch character is the Animus id used by most panels of the page (ties: the
    first in panel order). Panels with that id — or every panel when none has an id — go in
    one ``/generation/batch``; a panel whose LoRA character differs (another id, or none
    while the batch has one) goes as its own ``/generation/create``.
    """
    chars = [lora_character(p, cast) for p in panels]
    prompts = [panel_prompt(p, cast, locs, style) for p in panels]
    counted = Counter(c for c in chars if c)
    batch_char = max(counted, key=lambda c: (counted[c], -chars.index(c))) if counted else None
    batch = [i for i, c in enumerate(chars) if c == batch_char]
    units: list[dict[str, Any]] = []
    if batch:
        units.append(_unit("batch", page, batch, [prompts[i] for i in batch], batch_char))
    for i, c in enumerate(chars):
        if i not in batch:
            units.append(_unit("single", page, [i], [prompts[i]], c))
    return units


def _unit(kind: str, page: int, panels: list[int], prompts: list[str], char: str | None):
    return {
        "type": kind,
        "page": page,
        "panels": panels,
        "prompts": prompts,
        "character_id": char,
        "state": "planned",
    }


def batch_body(unit: Mapping[str, Any], group: Mapping[str, Any], seed: int | None) -> dict:
    """``/generation/batch``: one character_id, per-prompt switches and seed."""
    items = []
    for prompt in unit["prompts"]:
        item: dict[str, Any] = {"prompt": prompt}
        if unit.get("character_id"):
            item.update(LORA_SWITCHES)
        if seed:
            item["seed"] = seed
        items.append(item)
    body: dict[str, Any] = {"prompts": items, **group}
    if unit.get("character_id"):
        body["character_id"] = unit["character_id"]
    return body


def create_body(
    prompt: str, char: str | None, group: Mapping[str, Any], seed: int | None, **extra: Any
) -> dict[str, Any]:
    """``/generation/create`` for one image (or an edit / video with ``extra``)."""
    body: dict[str, Any] = {"prompt": prompt, "num_images": 1, **group, **extra}
    if char:
        body["character_id"] = char
        body.update(LORA_SWITCHES)
    if seed:
        body["seed"] = seed
    return body


# ----------------------------------------------------------------- parsing


def submitted_id(data: Any) -> str | None:
    """``batch_id`` / ``generation_id`` / ``id`` of a create or batch answer."""
    if not isinstance(data, Mapping):
        return None
    for key in _ID_KEYS:
        found = text(data, key)
        if found:
            return found
    return None


def text(data: Any, key: str) -> str | None:
    """A short string or integer field as text (ids, statuses); None when absent or absurd."""
    value = data.get(key) if isinstance(data, Mapping) else None
    return _short(value)


def _short(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, int):
        return str(value) if abs(value) < 2**63 else None
    value = value.strip()
    return value if 0 < len(value) <= MAX_TEXT and value.isprintable() else None


def number(data: Any, *keys: str) -> float | None:
    """The first of ``keys`` holding a finite number."""
    for key in keys:
        value = data.get(key) if isinstance(data, Mapping) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                found = float(value)
            except OverflowError:
                continue
            if math.isfinite(found):
                return found
    return None


def generation_ids(data: Any) -> list[str]:
    """Generation ids a batch answer lists (key names undocumented: try the likely ones)."""
    if not isinstance(data, Mapping):
        return []
    found = data.get("generation_ids")
    if isinstance(found, list):
        return [i for i in (_short(x) for x in found) if i]
    return [g.id for g in generations_of(data) if g.id]


def generation_of(data: Any) -> Generation:
    if not isinstance(data, Mapping):
        return Generation("", "", [], "", "")
    raw_urls = data.get("result_urls")
    found = [safe_url(u) for u in raw_urls] if isinstance(raw_urls, list) else []
    urls = [u for u in found if u]
    single = safe_url(data.get("result_url"))
    if not urls and single:
        urls = [single]
    return Generation(
        id=text(data, "generation_id") or text(data, "id") or "",
        status=(text(data, "status") or "").upper(),
        urls=urls,
        error=error_of(data),
        created_at=text(data, "created_at") or "",
    )


def generations_of(data: Any) -> list[Generation]:
    """The per-job entries of a batch status or a group detail, in their order."""
    if not isinstance(data, Mapping):
        return []
    for key in _LIST_KEYS:
        items = data.get(key)
        if isinstance(items, list):
            return [generation_of(i) for i in items if isinstance(i, Mapping)]
    return []


def error_of(data: Any) -> str:
    """A non-null ``error`` means failure: its message (or a generic one)."""
    if not isinstance(data, Mapping) or data.get("error") in (None, "", False):
        return ""
    err = data["error"]
    if isinstance(err, Mapping):
        err = err.get("message") or err.get("detail") or err.get("code")
    if isinstance(err, str) and err.strip():
        return err.strip()[:300]
    if isinstance(err, int) and not isinstance(err, bool) and abs(err) < 2**63:
        return str(err)
    return "failed"  # a non-null error of an odd shape still means failure


def progress_of(data: Any) -> float | None:
    """0..1 from ``progress`` (0–100), else from aggregate counts when present."""
    value = number(data, "progress")
    if value is not None:
        return max(0.0, min(1.0, value / 100))
    done, total = counts(data)
    return done / total if done is not None and total else None


def counts(data: Any) -> tuple[float | None, float | None]:
    done = number(data, *_DONE_COUNT_KEYS)
    total = number(data, *_TOTAL_KEYS)
    return done, total


def groups_of(data: Any) -> list[dict[str, Any]]:
    """Group list items, keeping the documented keys that are present."""
    items = data.get("groups") if isinstance(data, Mapping) else None
    keys = ("group_id", "title", "group_type", "generation_count", "preview_image_url")
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping) and text(item, "group_id"):
            fields = {k: _field(item[k]) for k in (*keys, "created_at", "updated_at") if k in item}
            if "preview_image_url" in fields:
                fields["preview_image_url"] = safe_url(item["preview_image_url"])
            out.append({k: v for k, v in fields.items() if v is not None})
    return out


def _field(value: Any) -> str | int | float | None:
    """A listed group's field: short text, or a finite number."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) < 2**63 else None
    if isinstance(value, str):
        return value.strip()[:MAX_TEXT]
    return None
