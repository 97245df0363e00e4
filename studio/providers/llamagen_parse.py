"""LlamaGen request bodies and defensive parsing of its (partly undocumented) responses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studio.core.models import Character, Location, Script
from studio.providers.errors import ValidationRefused

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


def script_directions(script: Script) -> str:
    """The script as panel-by-panel directions for the prompt."""
    lines: list[str] = []
    for page_no, page in enumerate(script.pages, start=1):
        for panel_no, panel in enumerate(page.panels, start=1):
            parts = [panel.description.strip() or "(no description)"]
            if panel.caption.strip():
                parts.append(f"caption: {panel.caption.strip()}")
            parts += [f'{line.speaker}: "{line.text}"' for line in panel.dialogue]
            lines.append(f"Page {page_no} / Panel {panel_no}: " + "; ".join(parts))
    return "\n".join(lines)


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
            return str(candidate)
    return None


def credits_of(data: Any) -> float | None:
    amount = _get(data, "usage", "amount")
    if isinstance(amount, int | float) and not isinstance(amount, bool):
        return float(amount)
    return None


def status_of(data: Any) -> str:
    status = data.get("status") if isinstance(data, Mapping) else None
    if status is None:
        status = _get(data, "artwork", "status")
    return str(status or "").strip().upper()


def error_message_of(data: Any) -> str:
    """The failure reason of a FAILED generation, when the server gave one."""
    if not isinstance(data, Mapping):
        return ""
    for key in ("error", "message", "errorMessage", "reason", "detail", "failReason"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
        if isinstance(value, Mapping):
            nested = error_message_of(value)
            if nested:
                return nested
    return ""


def upload_url_of(data: Any) -> str | None:
    """The URL an upload returned: ``url``/``fileUrl``/… at the top or in ``data``/``file``."""
    if isinstance(data, str) and _looks_like_url(data):
        return data
    if not isinstance(data, Mapping):
        return None
    for key in _URL_KEYS:
        if _looks_like_url(data.get(key)):
            return str(data[key])
    for container in _URL_CONTAINERS:
        found = upload_url_of(data.get(container))
        if found:
            return found
    return None


def pages_of(data: Any) -> list[list[RemotePanel]]:
    """Every page's panels: ``comics[]`` first, then ``comicData`` (maybe a JSON string),
    then a single ``output`` URL. Pages and panels keep their remote indexes."""
    if not isinstance(data, Mapping):
        return []
    if isinstance(data.get("artwork"), Mapping) and "comics" not in data:
        return pages_of(data["artwork"])
    comics = data.get("comics")
    if not isinstance(comics, list):
        comics = _comic_data(data.get("comicData"))
    if comics:
        return [_page(page, i) for i, page in enumerate(comics)]
    output = data.get("output")
    if isinstance(output, list) and output:
        output = output[0]
    if _looks_like_url(output):
        return [[RemotePanel(0, 0, str(output))]]
    return []


def video_url_of(data: Any) -> str | None:
    if not isinstance(data, Mapping):
        return None
    comics = data.get("comics")
    if not isinstance(comics, list):
        comics = _comic_data(data.get("comicData"))
    for item in comics or []:
        if isinstance(item, Mapping) and _looks_like_url(item.get("videoUrl")):
            return str(item["videoUrl"])
    for key in ("videoUrl", "output"):
        if _looks_like_url(data.get(key)):
            return str(data[key])
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
        return [RemotePanel(index, 0, url, str(page.get("caption") or ""))] if url else []
    result = []
    for j, item in enumerate(panels):
        url = _panel_url(item) if isinstance(item, Mapping) else None
        if url:
            caption = str(item.get("caption") or "")
            result.append(RemotePanel(index, _int(item.get("panel"), j), url, caption))
    return result


def _panel_url(item: Mapping[str, Any]) -> str | None:
    for key in _PANEL_URL_KEYS:
        if _looks_like_url(item.get(key)):
            return str(item[key])
    return None


def _comic_data(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if isinstance(value, Mapping):
        value = value.get("comics") or value.get("pages") or [value]
    return value if isinstance(value, list) else []


def _looks_like_url(value: Any) -> bool:
    return isinstance(value, str) and (
        value.startswith(("https://", "http://")) or (value.startswith("/") and len(value) > 1)
    )


def _int(value: Any, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return default


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data
