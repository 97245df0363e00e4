"""LlamaGen request bodies and defensive parsing of its (partly undocumented) responses."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studio.core.models import Character, Location, Script, ScriptPanel
from studio.net.assets import safe_url
from studio.providers.errors import ValidationRefused
from studio.providers.shot_prompt import shot_prompt

SIZES = (
    "1024x1024",
    "512x768",
    "512x1024",
    "576x1024",
    "768x1024",
    "1024x768",
    "768x512",
    "1024x576",
    "1024x512",
)
STYLES = ("neutral", "japanese_manga", "animeStyle", "comicBookStyle", "render")
DONE = frozenset({"PROCESSED", "SUCCEEDED", "COMPLETED"})
FAILED = frozenset({"FAILED"})
CANCELLED = frozenset({"CANCELLED", "CANCELED"})
TERMINAL = DONE | FAILED | CANCELLED
_URL_KEYS = ("url", "fileUrl", "file_url", "uploadUrl", "upload_url", "publicUrl", "src")
_URL_CONTAINERS = ("data", "file", "result", "upload")
_PANEL_URL_KEYS = ("assetUrl", "asset_url", "image", "imageUrl", "image_url", "url")
MAX_ID = 200  # longer "ids" cannot be polled with; they count as missing
MAX_CAPTION = 2000
MAX_DEPTH = 8  # nested containers searched for URLs and messages


@dataclass
class RemotePanel:
    """One panel as LlamaGen reports it: its own indexes and its asset URL."""

    page: int
    panel: int
    url: str
    caption: str = ""


# ------------------------------------------------------------------ bodies


def layout_fields(pages: int, panels_per_page: int, paginated: bool) -> dict[str, Any]:
    """``fixPanelNum`` for one page, else ``pagination``: never both, never top-level pages."""
    _check_range("panels per page", panels_per_page)
    if paginated or pages > 1:
        _check_range("pages", pages)
        return {"pagination": {"totalPages": pages, "panelsPerPage": panels_per_page}}
    return {"fixPanelNum": panels_per_page}


def _check_range(what: str, value: int) -> None:
    if not 1 <= value <= 20:
        raise ValidationRefused(f"LlamaGen accepts 1 to 20 {what}; got {value}.")


def script_directions(
    script: Script,
    cast: list[Character] | None = None,
    locations: list[Location] | None = None,
) -> str:
    """The script as panel-by-panel directions for the prompt, each panel's from its shot."""
    lines: list[str] = []
    for page_no, page in enumerate(script.pages, start=1):
        for panel_no, panel in enumerate(page.panels, start=1):
            parts = [shot_prompt(panel, cast or [], locations or [])]
            if panel.caption.strip():
                parts.append(f"caption: {panel.caption.strip()}")
            parts += [f'{line.speaker}: "{line.text}"' for line in panel.dialogue]
            lines.append(f"Page {page_no} / Panel {panel_no}: " + "; ".join(parts))
    return "\n".join(lines)


def redraw_prompt(
    prompt: str,
    panel: ScriptPanel | None,
    cast: list[Character],
    locations: list[Location],
) -> str:
    """A redraw's ``panelPrompt``: the panel's shot in words with ``prompt`` (the new
    description) appended when it adds something; ``prompt`` alone without a shot."""
    prompt = prompt.strip()
    if panel is None or panel.shot is None:
        return prompt
    return shot_prompt(panel, cast, locations, description=prompt)


def role_of(character: Character, image_url: str | None) -> dict[str, Any]:
    role: dict[str, Any] = {"name": character.name}
    age = character.age.strip()
    if age:
        role["age"] = int(age) if age.isdigit() else age
    if character.gender.strip():
        role["gender"] = character.gender.strip()
    if character.dress.strip():
        role["dress"] = character.dress.strip()
    if image_url:
        role["image"] = image_url
    return role


def location_of(location: Location, image_url: str | None) -> dict[str, Any]:
    place: dict[str, Any] = {"name": location.name}
    if location.description.strip():
        place["description"] = location.description.strip()
    if image_url:
        place["image"] = image_url
    return place


def attachments_of(urls: list[str]) -> list[dict[str, str]]:
    return [{"type": "image", "url": url} for url in urls]


# ----------------------------------------------------------------- parsing


def generation_id(data: Any) -> str | None:
    """The id of a create response: ``id``, or the legacy ``artwork.id``."""
    if not isinstance(data, Mapping):
        return None
    for candidate in (data.get("id"), _get(data, "artwork", "id"), _get(data, "data", "id")):
        if isinstance(candidate, str | int) and not isinstance(candidate, bool) and candidate:
            text = str(candidate).strip() if isinstance(candidate, str) else str(candidate)
            if 0 < len(text) <= MAX_ID and text.isprintable():
                return text
    return None


def credits_of(data: Any) -> float | None:
    amount = _get(data, "usage", "amount")
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        try:
            value = float(amount)
        except OverflowError:
            return None
        return value if math.isfinite(value) else None
    return None


def status_of(data: Any) -> str:
    status = data.get("status") if isinstance(data, Mapping) else None
    if status is None:
        status = _get(data, "artwork", "status")
    if not isinstance(status, str) or len(status) > MAX_ID:
        return ""
    return status.strip().upper()


def error_message_of(data: Any, _depth: int = 0) -> str:
    """The failure reason of a FAILED generation, when the server gave one."""
    if not isinstance(data, Mapping) or _depth > MAX_DEPTH:
        return ""
    for key in ("error", "message", "errorMessage", "reason", "detail", "failReason"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
        if isinstance(value, Mapping):
            nested = error_message_of(value, _depth + 1)
            if nested:
                return nested
    return ""


def upload_url_of(data: Any, _depth: int = 0) -> str | None:
    """The URL an upload returned: ``url``/``fileUrl``/… at the top or in ``data``/``file``."""
    if isinstance(data, str):
        return safe_url(data)
    if not isinstance(data, Mapping) or _depth > MAX_DEPTH:
        return None
    for key in _URL_KEYS:
        url = safe_url(data.get(key))
        if url:
            return url
    for container in _URL_CONTAINERS:
        found = upload_url_of(data.get(container), _depth + 1)
        if found:
            return found
    return None


def pages_of(data: Any) -> list[list[RemotePanel]]:
    """Every page's panels: ``comics[]`` first, then ``comicData`` (maybe a JSON string),
    then a single ``output`` URL. Pages and panels keep their remote indexes."""
    for _level in range(MAX_DEPTH):  # the legacy ``artwork`` wrapper, possibly nested
        if not isinstance(data, Mapping) or "comics" in data:
            break
        if not isinstance(data.get("artwork"), Mapping):
            break
        data = data["artwork"]
    if not isinstance(data, Mapping):
        return []
    comics = data.get("comics")
    if not isinstance(comics, list):
        comics = _comic_data(data.get("comicData"))
    if comics:
        return [_page(page, i) for i, page in enumerate(comics)]
    output = data.get("output")
    if isinstance(output, list) and output:
        output = output[0]
    url = safe_url(output)
    return [[RemotePanel(0, 0, url)]] if url else []


def video_url_of(data: Any) -> str | None:
    if not isinstance(data, Mapping):
        return None
    comics = data.get("comics")
    if not isinstance(comics, list):
        comics = _comic_data(data.get("comicData"))
    for item in comics or []:
        url = safe_url(item.get("videoUrl")) if isinstance(item, Mapping) else None
        if url:
            return url
    for key in ("videoUrl", "output"):
        url = safe_url(data.get(key))
        if url:
            return url
    return None


def single_panel_url(data: Any, page: int, panel: int) -> str | None:
    """The URL in a ``?page=&panel=`` response (shape undocumented): try the likely shapes."""
    if not isinstance(data, Mapping):
        return None
    for source in (data, data.get("panel"), data.get("data")):
        if isinstance(source, Mapping):
            url = _panel_url(source)
            if url:
                return url
    return find_panel(pages_of(data), page, panel)


def find_panel(pages: list[list[RemotePanel]], page: int, panel: int) -> str | None:
    for items in pages:
        for item in items:
            if item.page == page and item.panel == panel:
                return item.url
    return None


def _page(page: Any, position: int) -> list[RemotePanel]:
    if not isinstance(page, Mapping):
        return []
    index = _int(page.get("page"), position)
    panels = page.get("panels")
    if not isinstance(panels, list):
        url = _panel_url(page)
        return [RemotePanel(index, 0, url, _caption(page))] if url else []
    result = []
    for j, item in enumerate(panels):
        url = _panel_url(item) if isinstance(item, Mapping) else None
        if url:
            result.append(RemotePanel(index, _int(item.get("panel"), j), url, _caption(item)))
    return result


def _caption(item: Mapping[str, Any]) -> str:
    caption = item.get("caption")
    return caption.strip()[:MAX_CAPTION] if isinstance(caption, str) else ""


def _panel_url(item: Mapping[str, Any]) -> str | None:
    for key in _PANEL_URL_KEYS:
        url = safe_url(item.get(key))
        if url:
            return url
    return None


def _comic_data(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):  # JSON inside JSON: nesting is unbounded
            return []
    if isinstance(value, Mapping):
        value = value.get("comics") or value.get("pages") or [value]
    return value if isinstance(value, list) else []


def _int(value: Any, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100_000:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 6:
        return int(value)
    return default


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data
