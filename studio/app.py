"""Composition root of the desktop studio: services wired for the window, then run."""

from __future__ import annotations

import sys

from studio.storage import Project


def make_session(project: Project, runner: object) -> object:
    """A Session for ``project`` (see :func:`studio.ui.wiring.make_session`)."""
    from studio.ui.wiring import make_session as make

    return make(project, runner)  # type: ignore[arg-type]


def run_app(argv: list[str] | None = None, open_path: str | None = None) -> int:
    """`comic-studio [FILE.comic]`: open the window on that project (else the last project
    or the welcome screen)."""
    try:
        from studio.ui.main import run
    except ImportError as exc:
        print(f"comic-studio: the desktop studio cannot start: {exc}", file=sys.stderr)
        return 1
    return run(argv, open_path=open_path)
