"""Validation rules with messages a person understands. No I/O beyond sniffing image bytes."""

from __future__ import annotations

import re
import unicodedata

from studio.core.models import Character, Layout, Location, Story

MAX_PROMPT_CHARS = 20_000
MAX_PANELS = 20
MAX_PAGES = 20
MAX_NAME_CHARS = 80
SIZE_RE = re.compile(r"^(\d{2,5})x(\d{2,5})$")
MIN_SIDE, MAX_SIDE = 128, 4096

# Sizes every provider of the studio understands; providers narrow this list.
STANDARD_SIZES = (
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

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"RIFF",  # WebP (checked further below)
)


class ValidationError(ValueError):
    """Bad input. ``str(error)`` is a complete sentence for the user."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def validate_prompt(prompt: str, *, what: str = "The story prompt") -> str:
    text = (prompt or "").strip()
    if not text:
        raise ValidationError(f"{what} is empty: write what happens in the comic.", "prompt")
    if len(text) > MAX_PROMPT_CHARS:
        raise ValidationError(
            f"{what} is {len(text):,} characters long; the limit is {MAX_PROMPT_CHARS:,}.",
            "prompt",
        )
    return text


def parse_size(size: str) -> tuple[int, int]:
    match = SIZE_RE.match((size or "").strip().lower())
    if not match:
        raise ValidationError(
            f"Unknown size {size!r}: write it as WIDTHxHEIGHT, for example 1024x1024.", "size"
        )
    w, h = int(match.group(1)), int(match.group(2))
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ValidationError(
            f"Size {size} is out of range: each side must be {MIN_SIDE} to {MAX_SIDE} pixels.",
            "size",
        )
    return w, h


def validate_size(size: str, allowed: tuple[str, ...] | None = None) -> str:
    w, h = parse_size(size)
    norm = f"{w}x{h}"
    if allowed is not None and norm not in allowed:
        raise ValidationError(
            f"Unknown size {size}: this provider supports {', '.join(allowed)}.", "size"
        )
    return norm


def validate_layout(layout: Layout) -> Layout:
    if not 1 <= layout.panels_per_page <= MAX_PANELS:
        raise ValidationError(
            f"{layout.panels_per_page} panels per page is out of range: choose 1 to {MAX_PANELS}.",
            "panels",
        )
    if not 1 <= layout.pages <= MAX_PAGES:
        raise ValidationError(
            f"{layout.pages} pages is out of range: choose 1 to {MAX_PAGES}.", "pages"
        )
    return layout


def clean_name(name: str, *, what: str = "A character") -> str:
    text = "".join(ch for ch in (name or "") if unicodedata.category(ch)[0] != "C").strip()
    if not text:
        raise ValidationError(f"{what} needs a name.", "name")
    if len(text) > MAX_NAME_CHARS:
        raise ValidationError(
            f"The name {text[:20]!r}… is too long: at most {MAX_NAME_CHARS} characters.", "name"
        )
    return text


def validate_cast(cast: list[Character]) -> None:
    seen: dict[str, str] = {}
    for character in cast:
        character.name = clean_name(character.name)
        key = character.name.casefold()
        if key in seen:
            raise ValidationError(
                f"Two characters are called {character.name!r}: names must be different "
                "so the studio knows who speaks.",
                "name",
            )
        seen[key] = character.name


def validate_locations(locations: list[Location]) -> None:
    seen: set[str] = set()
    for location in locations:
        location.name = clean_name(location.name, what="A location")
        key = location.name.casefold()
        if key in seen:
            raise ValidationError(
                f"Two locations are called {location.name!r}: names must be different.", "name"
            )
        seen.add(key)


def looks_like_image(data: bytes) -> bool:
    if data.startswith(b"RIFF"):
        return data[8:12] == b"WEBP"
    return any(data.startswith(m) for m in _IMAGE_MAGIC)


def validate_reference_image(data: bytes, *, source: str = "the file") -> bytes:
    if not data:
        raise ValidationError(f"The reference image {source} is empty.", "image")
    if not looks_like_image(data):
        raise ValidationError(
            f"The reference image {source} is not an image (PNG, JPEG, GIF or WebP).", "image"
        )
    return data


def validate_story(story: Story) -> Story:
    story.prompt = validate_prompt(story.prompt)
    story.size = validate_size(story.size)
    validate_layout(story.layout)
    story.title = (story.title or "").strip() or "Untitled comic"
    return story
