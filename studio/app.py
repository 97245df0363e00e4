"""Composition root of the desktop studio: services wired for the window, then run."""

from __future__ import annotations

import sys

from studio.settings import load_settings
from studio.storage import Project


def make_session(project: Project, runner: object) -> object:
    """A Session for ``project``: job manager with the registry's providers and limits."""
    from studio.providers import registry
    from studio.ui.session import Session

    settings = load_settings()
    limits = {pid: ps.max_concurrent for pid, ps in settings.providers.items() if ps.max_concurrent}
    return Session(
        project,
        runner,  # type: ignore[arg-type]
        lambda pid: registry.create_provider(pid, settings=load_settings()),
        concurrency=limits,
    )


def run_app(argv: list[str] | None = None) -> int:
    """`comic-studio` with no subcommand: open the window (last project or welcome)."""
    try:
        from studio.ui.main import run
    except ImportError as exc:
        print(f"comic-studio: the desktop studio cannot start: {exc}", file=sys.stderr)
        return 1
    return run(argv)
