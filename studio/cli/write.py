"""`comic-studio write`: write the script from the story, offline or with a language model."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from studio.cli.common import EXIT_FAILED, EXIT_NETWORK, EXIT_OK, KIND_EXIT, with_project
from studio.cli.output import ProgressPrinter
from studio.core.models import Job, JobState
from studio.storage import Project

_KIND_EXIT = {**KIND_EXIT, "not_found": EXIT_NETWORK, "unknown": EXIT_NETWORK}
NOT_CONFIGURED = (
    "No language model is configured: pass --base-url and --model, set "
    "COMIC_STUDIO_LLM_BASE_URL and COMIC_STUDIO_LLM_MODEL, or fill in Settings → Script "
    "writer. Without one, `--with offline` writes the script on this computer."
)


class WriteRefused(ValueError):
    """Bad input for `write` (exit 2)."""


def make_writer(args: Any) -> Any:
    """The language-model writer the arguments ask for, or None (offline)."""
    if args.writer != "llm":
        return None
    from studio.settings import load_settings
    from studio.story.llm import LlmWriter, resolve_config

    config = resolve_config(args.base_url, args.model, settings=load_settings())
    if config is None:
        raise WriteRefused(NOT_CONFIGURED)
    return LlmWriter(config)  # ValueError (exit 2) for a base URL the studio refuses


def cmd_write(args: Any) -> int:
    """`comic-studio write`: run the script job and wait for it (see README)."""
    writer = make_writer(args)
    with with_project(args) as project:
        return asyncio.run(_write(project, writer, args))


async def _write(project: Project, writer: Any, args: Any) -> int:
    from studio.jobs import JobManager

    def no_providers(provider_id: str) -> Any:
        raise WriteRefused(f"`write` runs no provider ({provider_id}).")

    manager = JobManager(project, no_providers)
    if not args.no_wait:
        manager.listeners.append(ProgressPrinter())
    try:
        job = manager.write_script(writer, pages=args.pages, panels_per_page=args.panels_per_page)
        if args.no_wait:  # a script job cannot resume later: it still finishes before exit
            print(f"Job {job.id} writing the script ({job.provider}).", flush=True)
        await manager.wait([job.id])
    finally:
        await manager.shutdown()
    return report(project.job(job.id), project)


def report(job: Job, project: Project) -> int:
    if job.state is JobState.succeeded:
        count = project.panel_count()
        print(f"Job {job.id} wrote {project.page_count()} page(s), {count} panel(s): {job.message}")
        if job.provider == "llm" and "offline writer" in job.message:
            print(f"comic-studio: {job.message}", file=sys.stderr)
        return EXIT_OK
    print(f"Job {job.id} {job.state.value}: {job.error or job.message}", file=sys.stderr)
    return _KIND_EXIT.get(job.error_kind, EXIT_FAILED)
