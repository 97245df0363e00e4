"""Bundled resources: fonts (with their licence files), icons, styles. Imports nothing of
ours; read by `studio.render` and `studio.ui`."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    return ROOT.joinpath(*parts)
