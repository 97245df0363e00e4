"""What the selected provider lets the window's actions do, and why not: one place that turns
a provider's Capabilities and the book's state into (enabled, tooltip) per action."""

from __future__ import annotations

from dataclasses import dataclass

from studio.providers import registry


@dataclass(frozen=True)
class Gate:
    enabled: bool
    tip: str


def _name(provider_id: str) -> str:
    try:
        return registry.info(provider_id).name
    except Exception:  # noqa: BLE001 - an unknown provider id from an old file
        return provider_id


def _why(provider_id: str, capability: str, verb: str) -> str:
    caps = registry.info(provider_id).capabilities
    reason = caps.reason(capability)
    return f"{_name(provider_id)} cannot {verb}" + (f": {reason}" if reason else "")


def gates(
    provider_id: str, *, has_panels: bool, has_panel: bool, has_image: bool
) -> dict[str, Gate]:
    """(enabled, tooltip) for generate, redraw, continue, animate and letter."""
    try:
        caps = registry.info(provider_id).capabilities
    except Exception:  # noqa: BLE001
        off = Gate(False, f"Unknown provider '{provider_id}': pick one in the Story tab")
        return dict.fromkeys(("generate", "redraw", "continue", "animate"), off) | {
            "letter": Gate(has_panel, "Edit the panel's balloons and captions")
        }
    name = _name(provider_id)
    pick = "Select a panel in the grid first"
    if not caps.panel_redraw:
        redraw = Gate(False, _why(provider_id, "panel_redraw", "redraw a single panel"))
    else:
        redraw = Gate(has_panel, f"Redraw the panel with {name}" if has_panel else pick)
    if not caps.continue_write:
        cont = Gate(False, _why(provider_id, "continue_write", "continue a story"))
    elif not has_panels:
        cont = Gate(False, "Nothing to continue yet: generate the comic first")
    else:
        cont = Gate(True, f"Add pages with {name}")
    if not caps.video:
        animate = Gate(False, _why(provider_id, "video", "animate a panel"))
    elif not has_image:
        animate = Gate(False, "Draw the panel first" if has_panel else pick)
    else:
        animate = Gate(True, f"Make a short video of this panel with {name}")
    if caps.create_comic:
        generate = Gate(True, f"Generate the comic with {name}")
    else:
        generate = Gate(False, _why(provider_id, "create_comic", "draw a comic"))
    letter = Gate(has_panel, "Edit the panel's balloons and captions" if has_panel else pick)
    return {
        "generate": generate,
        "redraw": redraw,
        "continue": cont,
        "animate": animate,
        "letter": letter,
    }
