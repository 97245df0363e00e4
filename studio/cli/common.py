"""What every command shares: exit codes, the CLI's own error, opening a project, and the
parsing of `--character`/`--location`/layout flags. Imports nothing of `studio.cli`'s
command modules (they import it)."""

from __future__ import annotations

import sys
from typing import Any

from studio.core.models import Job, JobState, Layout
from studio.storage import Project

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_REFUSED, EXIT_NETWORK, EXIT_UNKNOWN = 0, 1, 2, 3, 4, 5
KIND_EXIT = {
    "auth": EXIT_REFUSED,
    "quota": EXIT_REFUSED,
    "forbidden": EXIT_REFUSED,
    "validation": EXIT_INPUT,
    "unsupported": EXIT_INPUT,
    "rate_limit": EXIT_NETWORK,
    "unavailable": EXIT_NETWORK,
    "malformed": EXIT_NETWORK,
    "unknown": EXIT_UNKNOWN,
    "write_error": EXIT_FAILED,  # the result is kept in the spill folder, stored later
}


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def version() -> str:
    from studio.cli.parse import _version

    return _version()


# ------------------------------------------------------------------ parsing helpers
def parse_spec(spec: str, what: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for part in spec.split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise CliError(f"{what} {spec!r}: {part.strip()!r} is not key=value.")
        key, value = part.split("=", 1)
        fields[key.strip().lower()] = value.strip()
    if not fields.get("name"):
        raise CliError(f"{what} {spec!r} has no name=… field.")
    return fields


def store_image(project: Project, ref: str) -> tuple[str | None, str | None]:
    """(asset sha, url) for an image given as a path or an https URL."""
    from studio.jobs.actions import read_image

    if ref.startswith(("https://", "http://")):
        return None, ref
    return project.put_asset(read_image(ref)), None


def layout_from_args(args: Any, default: Layout | None = None) -> Layout:
    base = default or Layout()
    if args.pages is not None or args.panels_per_page is not None:
        pages = args.pages or 1
        per_page = args.panels_per_page or args.panels or base.panels_per_page
        return Layout(pages=pages, panels_per_page=per_page, paginated=True)
    if args.panels is not None:
        return Layout(pages=1, panels_per_page=args.panels, paginated=False)
    return base


def exit_for(jobs: list[Job], *, allow_active: bool = False) -> int:
    code = EXIT_OK
    for job in jobs:
        if job.state is JobState.succeeded or (allow_active and job.state.active):
            continue
        if job.state is JobState.unknown:
            return EXIT_UNKNOWN
        code = max(code, KIND_EXIT.get(job.error_kind, EXIT_FAILED))
    return code


def with_project(args: Any) -> Project:
    project = Project.open(args.file)
    for notice in getattr(project, "notices", ()):
        print(f"comic-studio: {notice}", file=sys.stderr)
    return project
