"""The window's services: a Session (job manager, providers from the registry, per-provider
limits from the settings) for each project the window opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from studio.settings import load_settings

if TYPE_CHECKING:
    from studio.storage import Project
    from studio.ui.session import Session
    from studio.ui.tasks import TaskRunner


def make_session(project: Project, runner: TaskRunner) -> Session:
    """A Session for ``project``: job manager with the registry's providers and limits.

    Imports the providers and jobs on first use, not when the window module loads.
    """
    from studio.providers import registry
    from studio.ui.session import Session

    settings = load_settings()
    limits = {pid: ps.max_concurrent for pid, ps in settings.providers.items() if ps.max_concurrent}
    return Session(
        project,
        runner,
        lambda pid: registry.create_provider(pid, settings=load_settings()),
        concurrency=limits,
    )
