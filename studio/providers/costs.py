"""The cost line: what a provider charges, in words, with the numbers it gave this project."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def cost_line(provider_id: str, remote_project: Mapping[str, Any] | None = None) -> str:
    """E.g. "Animus: 4 credits per image · 87 credits left"; "" for an unknown provider."""
    from studio.providers import registry

    try:
        cls = registry.info(provider_id).load_class()
    except ValueError:
        return ""
    return cls.cost_words(dict(remote_project or {}))


def amount(value: Any, unit: str, plural: str | None = None) -> str:
    """``4 credits``, ``1 credit``, ``2.5 credits`` (None when ``value`` is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return ""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text} {unit if value == 1 else (plural or unit + 's')}"


def euros(value: Any) -> str:
    """``€1.20`` (None-safe: "" when ``value`` is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return ""
    return f"€{value:.2f}"
