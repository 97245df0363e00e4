"""StoryMint request bodies and defensive parsing of its JSON and SSE answers."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studio.core.models import Story
from studio.net.assets import safe_url
from studio.providers.errors import MalformedResponse, ValidationRefused

MAX_PROMPT = 600
ART_STYLES = (
    "cartoon",
    "watercolor",
    "sketch",
    "pixel",
    "flat",
    "manga",
    "western",
    "graphic_novel",
)
FORMATS = ("picture", "comic", "chapter_comic", "novel")
SAVE_MODES = ("temporary_cloud", "cloud_library", "local_until_export")
DEFAULT_FORMAT = "comic"


@dataclass
class BookPage:
    """One page of a book: StoryMint's one-based number, its text and image URL."""

    page_num: int
    text: str = ""
    image_url: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"page_num": self.page_num, "text": self.text, "image_url": self.image_url}


@dataclass
class Book:
    title: str = ""
    pages: list[BookPage] | None = None
    cover_url: str = ""
    can_download: bool | None = None


@dataclass
class Step:
    """A progress report from the stream or the status endpoint."""

    state: str  # "running" | "done" | "error"
    step: str = ""
    msg: str = ""
    pct: float | None = None


# ------------------------------------------------------------------ bodies


def generate_body(story: Story, project: Mapping[str, Any]) -> dict[str, Any]:
    """The ``/api/generate`` body. ``num_pages`` is the story's page count when the layout
    is paginated (or has several pages), else 1: each book page is one studio page."""
    prompt = story.prompt.strip()
    if not prompt:
        raise ValidationRefused("StoryMint needs a story prompt.")
    if len(prompt) > MAX_PROMPT:
        raise ValidationRefused(
            f"StoryMint accepts prompts of at most {MAX_PROMPT} characters; this one has "
            f"{len(prompt)}. Shorten it (the studio does not cut it for you)."
        )
    layout = story.layout
    body: dict[str, Any] = {
        "prompt": prompt,
        "book_format": book_format(story, project),
        "num_pages": max(1, layout.pages) if (layout.paginated or layout.pages > 1) else 1,
    }
    if story.style in ART_STYLES:
        body["art_style"] = story.style
    if story.author.strip():
        body["author"] = story.author.strip()
    for key in ("series", "ollama_model", "sd_model"):
        value = project.get(key)
        if isinstance(value, str) and value.strip():
            body[key] = value.strip()
    if project.get("save_mode") in SAVE_MODES:
        body["save_mode"] = project["save_mode"]
    return body


def book_format(story: Story, project: Mapping[str, Any]) -> str:
    """``remote_project["book_format"]``, else the story style when it names a format."""
    for candidate in (project.get("book_format"), story.style):
        if candidate in FORMATS:
            return str(candidate)
    return DEFAULT_FORMAT


# ----------------------------------------------------------------- parsing


def job_id_of(data: Any) -> str:
    """The ``job_id`` of a generate answer (MalformedResponse without one)."""
    value = data.get("job_id") if isinstance(data, Mapping) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = value.strip() if isinstance(value, str) else ""
    if not text or len(text) > 200 or not text.isprintable():
        raise MalformedResponse(
            "StoryMint accepted the book (it counts against the monthly quota) but its answer "
            "has no job id, so the book cannot be fetched. Check your StoryMint library "
            "before generating again."
        )
    return text


def step_of(data: Any) -> Step:
    """A status answer or an SSE event: ``status`` decides, else the SSE ``step`` token."""
    if not isinstance(data, Mapping):
        raise MalformedResponse("StoryMint sent a progress report that is not an object.")
    status = _text(data.get("status")).lower()
    step = _text(data.get("step"))
    msg = _text(data.get("msg")) or _text(data.get("error"))
    state = "running"
    if status in ("done", "error"):
        state = status
    elif not status and step.lower() in ("done", "error"):
        state = step.lower()
    pct = data.get("pct")
    fraction = None
    if isinstance(pct, int | float) and not isinstance(pct, bool) and 0 <= pct <= 100:
        fraction = float(pct) / 100
    return Step(state, step[:100], msg[:300], fraction)


def event_of(text: str) -> Step | None:
    """An SSE ``data`` line decoded; None for keep-alives and non-JSON lines."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested past the decoder's depth
        return None
    return step_of(data) if isinstance(data, Mapping) else None


def book_of(data: Any) -> Book:
    if not isinstance(data, Mapping):
        raise MalformedResponse("StoryMint sent a book that is not a JSON object.")
    pages = pages_of(data.get("pages"))
    can = data.get("can_download")
    return Book(
        title=_text(data.get("title"))[:200],
        pages=pages,
        cover_url=_url(data.get("cover_url")),
        can_download=can if isinstance(can, bool) else None,
    )


def pages_of(value: Any) -> list[BookPage]:
    """Pages with a usable one-based ``page_num`` (position + 1 when missing), sorted."""
    if not isinstance(value, list):
        return []
    found: dict[int, BookPage] = {}
    for position, item in enumerate(value):
        if not isinstance(item, Mapping):
            continue
        num = item.get("page_num")
        if isinstance(num, str) and num.isascii() and num.isdigit() and len(num) < 6:
            num = int(num)
        if not isinstance(num, int) or isinstance(num, bool) or not 0 < num < 100_000:
            num = position + 1
        image = _url(item.get("image_url")) or _url(item.get("image"))
        found.setdefault(num, BookPage(num, _text(item.get("text"))[:20_000], image))
    return [found[n] for n in sorted(found)]


def chat_of(data: Any) -> tuple[str, list[BookPage]]:
    """(assistant_message, changed pages) of a chat edit answer."""
    if not isinstance(data, Mapping):
        raise MalformedResponse(
            "StoryMint applied the edit (it is not sent again) but its answer is not an "
            "object; reopen the book to see the change."
        )
    return _text(data.get("assistant_message"))[:2000], pages_of(data.get("pages"))


def ping_of(data: Any) -> dict[str, Any]:
    """Tier and usage fields of ``/api/ping`` that are present and of a sane type."""
    if not isinstance(data, Mapping):
        raise MalformedResponse("StoryMint's key check answered with something unexpected.")
    keys = (
        "status",
        "tier",
        "plan_display_name",
        "api_test_calls_this_month",
        "api_test_calls_limit",
        "books_this_month",
        "books_limit",
        "next_reset",
        "timestamp",
    )
    return {k: v for k in keys if (v := _scalar(data.get(k))) is not None}


def _scalar(value: Any) -> str | int | float | bool | None:
    """A short string, a bool, an integer or a finite number; None for anything else."""
    if isinstance(value, str):
        return value.strip()[:200]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _url(value: Any) -> str:
    return safe_url(value) or ""
