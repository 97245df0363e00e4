"""The script a per-panel provider draws: the studio's own, or one derived from the story.
Shared by the providers that draw panel by panel (Animus, Depicta)."""

from __future__ import annotations

from studio.core.models import Character, Location, Script, Story
from studio.providers.errors import ValidationRefused
from studio.story import derive_script


def script_of(
    request_script: Script,
    story: Story,
    cast: list[Character],
    locs: list[Location],
    *,
    provider: str = "Animus",
) -> Script:
    """The script to draw: the studio's own, or one derived from the story prompt."""
    if request_script.panel_count:
        return request_script
    try:
        return derive_script(story, cast, locs)
    except ValueError as exc:
        raise ValidationRefused(f"{provider} draws from the studio's script: {exc}") from exc
