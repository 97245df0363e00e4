"""Cartoonicate request bodies and defensive parsing of the unwrapped ``data`` objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from studio.core.models import ScriptPanel
from studio.core.shot import Shot
from studio.net.assets import safe_url
from studio.providers.base import GenerationRequest
from studio.providers.errors import MalformedResponse, ValidationRefused
from studio.providers.shot_prompt import looks, place_text, shot_prompt, when_text

STYLES = ("new_yorker", "anime", "pixar_3d", "newspaper_comic", "sticker")
HOLIDAYS = (
    "birthday",
    "christmas",
    "halloween",
    "new_year",
    "valentines",
    "thanksgiving",
    "st_patricks",
    "fourth_of_july",
)
TONES = ("playful", "medium", "savage")
FORMATS = ("single", "gag", "reaction", "comic", "sticker_sheet")
MULTI_PANEL = ("comic", "sticker_sheet")
PANEL_COUNTS = (3, 4, 6, 8)
MAX_BANNER = 80
MAX_PROBLEM = 2000
SIZES = ("1024x1024", "576x1024", "1024x576")


@dataclass
class Render:
    id: int
    status: str = ""
    url: str = ""
    error: str = ""


@dataclass
class Cartoon:
    id: int
    status: str = ""
    renders: list[Render] = field(default_factory=list)
    total: int | None = None
    ready: int | None = None
    complete: bool = False


# ------------------------------------------------------------------ bodies


def create_body(request: GenerationRequest, token: str) -> dict[str, Any]:
    """The ``POST /cartoons.php`` body (without ``variants``: the caller caps it)."""
    story, project = request.story, request.remote_project
    problem = story.prompt.strip()
    if not problem:
        raise ValidationRefused("Cartoonicate needs a prompt (the problem or point).")
    body: dict[str, Any] = {
        "subject": subject_of(request) or problem,
        "problem": problem_of(request, problem),
        "location": _location(request),
        "aspect_ratio": aspect_ratio(story.size),
        "metadata": {"studio_job_id": request.job_id, "studio_request": token},
    }
    fmt, count = format_of(request)
    body["format"] = fmt
    if count is not None:
        body["panel_count"] = count
    if story.style in STYLES:
        body["style_preset"] = story.style
    if project.get("holiday") in HOLIDAYS:
        body["holiday"] = project["holiday"]
    if project.get("tone") in TONES:
        body["tone"] = project["tone"]
    for key in ("title_banner", "punchline_banner"):
        value = project.get(key)
        if isinstance(value, str) and value.strip():
            if len(value.strip()) > MAX_BANNER:
                raise ValidationRefused(
                    f"Cartoonicate draws the {key.replace('_', ' ')} verbatim and takes at most "
                    f"{MAX_BANNER} characters; this one has {len(value.strip())}."
                )
            body[key] = value.strip()
    return body


def format_of(request: GenerationRequest) -> tuple[str, int | None]:
    """(format, panel_count) matching the page: ``comic`` with 3, 4, 6 or 8 panels for a
    page of several panels, ``single`` for one; a format the user chose wins."""
    chosen = request.remote_project.get("format")
    panels = page_panels(request)
    fmt = chosen if chosen in FORMATS else ("comic" if panels > 1 else "single")
    return fmt, panel_count(panels) if fmt in MULTI_PANEL else None


def page_panels(request: GenerationRequest) -> int:
    """How many panels the (single) page has: its script, else the book's layout."""
    pages = request.script.pages
    if pages and pages[0].panels:
        return len(pages[0].panels)
    return max(1, request.story.layout.panels_per_page)


def _shots(request: GenerationRequest) -> list[tuple[int, ScriptPanel, Shot]]:
    """The (single) page's panels that have a shot, numbered from 1."""
    pages = request.script.pages
    panels = pages[0].panels if pages else []
    return [(n, p, p.shot) for n, p in enumerate(panels, start=1) if p.shot is not None]


def subject_of(request: GenerationRequest) -> str:
    """The people the page's shots show with their looks from the cast; without shots, the
    cast as names with their age, gender and dress words."""
    shown = list(dict.fromkeys(f.name for _, _, shot in _shots(request) for f in shot.figures))
    if shown:
        by_name = {c.name.casefold(): c for c in request.cast}
        return "; ".join(looks(name, by_name.get(name.casefold())) for name in shown)
    people = []
    for character in request.cast:
        words = [w.strip() for w in (character.age, character.gender, character.dress)]
        words = [w for w in words if w]
        people.append(f"{character.name} ({', '.join(words)})" if words else character.name)
    return "; ".join(p for p in people if p.strip())


def problem_of(request: GenerationRequest, prompt: str) -> str:
    """The story prompt, then each panel's shot in words (who does and feels what, where,
    when) so the cartoon follows the page's script."""
    panels = [
        f"Panel {n}: {shot_prompt(panel, request.cast, request.locations)}"
        for n, panel, _ in _shots(request)
    ]
    text = "\n".join([prompt, *panels]) if panels else prompt
    return text[:MAX_PROBLEM]


def _location(request: GenerationRequest) -> str:
    """The first shot's place (with its description), time and weather; without shots, the
    first location."""
    for _, _, shot in _shots(request):
        place = place_text(shot, request.locations).removeprefix("at ").removeprefix("in ")
        if place:
            return ", ".join(p for p in (place, when_text(shot)) if p)
    if not request.locations:
        return "anywhere"
    place = request.locations[0]
    text = ": ".join(p for p in (place.name.strip(), place.description.strip()) if p)
    return text or "anywhere"


def aspect_ratio(size: str) -> str:
    """square → 1:1, tall → 9:16, wide → 16:9 (an unreadable size counts as square)."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        return "1:1"
    if height > width * 1.15:
        return "9:16"
    if width > height * 1.15:
        return "16:9"
    return "1:1"


def panel_count(requested: int) -> int:
    """The nearest allowed count at or above ``requested``, at most 8."""
    return next((n for n in PANEL_COUNTS if n >= requested), PANEL_COUNTS[-1])


# ----------------------------------------------------------------- parsing


def created_of(data: Any) -> tuple[int, list[int]]:
    """(cartoon id, render ids) of a 202 create answer."""
    cartoon = _get(data, "cartoon")
    cid = _int(cartoon.get("id")) if isinstance(cartoon, Mapping) else None
    if cid is None:
        raise MalformedResponse(
            "Cartoonicate accepted the cartoon (previews are used) but its answer has no id. "
            "Check the cartoon list before creating it again."
        )
    ids = cartoon.get("render_ids") if isinstance(cartoon, Mapping) else None
    renders = [i for i in (_int(x) for x in ids) if i is not None] if isinstance(ids, list) else []
    return cid, renders


def cartoon_of(data: Any) -> Cartoon:
    cartoon = _get(data, "cartoon")
    cid = _int(cartoon.get("id")) if isinstance(cartoon, Mapping) else None
    if not isinstance(cartoon, Mapping) or cid is None:
        raise MalformedResponse("Cartoonicate sent a cartoon without an id.")
    renders = []
    for item in cartoon.get("renders") if isinstance(cartoon.get("renders"), list) else []:
        rid = _int(item.get("id")) if isinstance(item, Mapping) else None
        if rid is not None:
            error = item.get("error")
            renders.append(
                Render(rid, _text(item.get("status")).lower(), _url(item.get("preview_url")),
                       _text(error) or ("failed" if error not in (None, "", False) else ""))
            )  # fmt: skip
    summary = cartoon.get("summary") if isinstance(cartoon.get("summary"), Mapping) else {}
    return Cartoon(
        cid,
        _text(cartoon.get("status")).lower(),
        renders,
        _int(summary.get("total")),
        _int(summary.get("ready")),
        summary.get("complete") is True,
    )


def finished(cartoon: Cartoon) -> bool:
    """Complete by status or summary, or every render either ready or failed."""
    if cartoon.status == "complete" or cartoon.complete:
        return True
    return bool(cartoon.renders) and all(r.error or r.status == "ready" for r in cartoon.renders)


def listed_ids(data: Any, job_id: int | None, token: str) -> list[int]:
    """Ids of listed cartoons whose metadata carries this studio job (and request token)."""
    found = []
    items = _get(data, "cartoons")
    for item in items if isinstance(items, list) else []:
        meta = item.get("metadata") if isinstance(item, Mapping) else None
        if not isinstance(meta, Mapping):
            continue
        if job_id is not None and meta.get("studio_job_id") != job_id:
            continue
        if token and meta.get("studio_request") not in (None, token):
            continue
        if job_id is None and meta.get("studio_request") != token:
            continue
        cid = _int(item.get("id"))
        if cid is not None:
            found.append(cid)
    return found


def animation_of(data: Any) -> tuple[int, str, str, str]:
    """(id, status, preview url, error) of an animation answer."""
    animation = _get(data, "animation")
    aid = _int(animation.get("id")) if isinstance(animation, Mapping) else None
    if not isinstance(animation, Mapping) or aid is None:
        raise MalformedResponse("Cartoonicate sent an animation without an id.")
    error = animation.get("error")
    error_text = _text(error) or ("failed" if error not in (None, "", False) else "")
    status = _text(animation.get("status")).lower()
    return aid, status, _url(animation.get("preview_url")), error_text


def max_variants(data: Any) -> int | None:
    plan = _get(data, "plan")
    return _int(plan.get("max_variants")) if isinstance(plan, Mapping) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value < 2**53:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 16:
        return int(value)
    return None


def _text(value: Any) -> str:
    return value.strip()[:300] if isinstance(value, str) else ""


def _url(value: Any) -> str:
    return safe_url(value, relative=False) or ""


def _get(data: Any, key: str) -> Any:
    return data.get(key) if isinstance(data, Mapping) else None
