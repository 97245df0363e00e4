"""How people name a panel's versions: by number, 1..n, oldest first."""

from __future__ import annotations

from studio.core.models import Version


def version_number(versions: list[Version], version_id: int | None) -> int | None:
    """The 1-based number of ``version_id`` among a panel's versions (oldest first), as
    `versions`, `show`, `use-version` and the window's version strip count them."""
    for number, v in enumerate(versions, start=1):
        if v.id == version_id:
            return number
    return None


def pick_version(versions: list[Version], wanted: int) -> Version | None:
    """The version a user names: its number 1..n; else, for old scripts, its global id."""
    if 1 <= wanted <= len(versions):
        return versions[wanted - 1]
    return next((v for v in versions if v.id == wanted), None)
