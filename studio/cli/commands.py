"""`comic-studio`: the studio's services, headless, for scripts and batch work."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studio import secrets
from studio.cli.common import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_REFUSED,
    CliError,
    exit_for,
    layout_from_args,
    parse_spec,
    store_image,
    with_project,
)
from studio.cli.output import ProgressPrinter, job_json, jobs_text, show_json, show_text
from studio.cli.parse import build_parser
from studio.cli.versions import cmd_use_version, cmd_versions
from studio.cli.write import cmd_write
from studio.core.models import (
    Character,
    Job,
    JobState,
    Location,
    ReadingDirection,
    Story,
    Upscale,
)
from studio.core.validation import (
    ValidationError,
    validate_cast,
    validate_locations,
    validate_story,
)
from studio.providers.errors import ProviderError
from studio.providers.registry import UnknownProvider
from studio.storage import Project, ProjectError


# ------------------------------------------------------------------ commands
def cmd_new(args: Any) -> int:
    from studio.providers import registry

    provider = args.provider or "local"
    registry.info(provider)
    story = Story(
        title=args.title or "Untitled comic",
        prompt=args.prompt,
        style=args.style or ("storyboard" if provider == "local" else "neutral"),
        size=args.size or "1024x1024",
        layout=layout_from_args(args),
        language=args.language or "en",
        upscale=Upscale(args.upscale) if args.upscale else Upscale.none,
        direction=ReadingDirection.rtl if args.rtl else ReadingDirection.ltr,
        provider=provider,
        author=args.author or "",
        seed=args.seed or 0,
    )
    validate_story(story)
    cast = [
        Character(
            name=f["name"],
            age=f.get("age", ""),
            gender=f.get("gender", ""),
            dress=f.get("dress", ""),
        )
        for f in (parse_spec(s, "--character") for s in args.character)
    ]
    locs = [
        Location(name=f["name"], description=f.get("description", ""))
        for f in (parse_spec(s, "--location") for s in args.location)
    ]
    validate_cast(cast)
    validate_locations(locs)
    path = Path(args.file)
    project = Project.create(path, story, overwrite=args.force)
    try:
        for obj, spec in zip(cast, args.character, strict=True):
            if image := parse_spec(spec, "--character").get("image"):
                obj.image_asset, obj.image_url = store_image(project, image)
        for obj, spec in zip(locs, args.location, strict=True):
            if image := parse_spec(spec, "--location").get("image"):
                obj.image_asset, obj.image_url = store_image(project, image)
        project.set_characters(cast)
        project.set_locations(locs)
        from studio.jobs.actions import ensure_script

        notice = ensure_script(project)
    except BaseException:
        project.close()
        path.unlink(missing_ok=True)
        raise
    pages, panels = project.page_count(), project.panel_count()
    project.close()
    print(f"Created {path} ({pages} page(s), {panels} panel(s), provider {provider}).")
    if notice:
        print(notice)
    return EXIT_OK


async def _run_jobs(project: Project, args: Any, start: Any) -> int:
    """Create a manager, start jobs with ``start(manager)``, wait (unless --no-wait)."""
    from studio.jobs import JobManager
    from studio.providers import registry

    base_url = getattr(args, "base_url", None)
    manager = JobManager(project, lambda pid: registry.create_provider(pid, base_url=base_url))
    manager.listeners.append(ProgressPrinter())
    try:
        jobs: list[Job] = start(manager)
        if getattr(args, "no_wait", False):
            await _until_submitted(manager, jobs)
            for job in jobs:
                fresh = project.job(job.id)
                print(f"Job {fresh.id} {fresh.state.value}; `comic-studio resume` finishes it.")
            return exit_for([project.job(j.id) for j in jobs], allow_active=True)
        await manager.wait([j.id for j in jobs])
    finally:
        await manager.shutdown()
    final = [project.job(j.id) for j in jobs]
    for job in final:
        if job.state is JobState.succeeded:
            print(f"Job {job.id} succeeded: {job.message}")
        else:
            print(f"Job {job.id} {job.state.value}: {job.error or job.message}", file=sys.stderr)
    return exit_for(final)


async def _until_submitted(manager: Any, jobs: list[Job]) -> None:
    while (
        any(manager.project.job(j.id).state in (JobState.draft, JobState.submitting) for j in jobs)
        and manager.running()
    ):
        await asyncio.sleep(0.05)


def cmd_generate(args: Any) -> int:
    from studio.jobs import actions

    with with_project(args) as project:
        return asyncio.run(_run_jobs(project, args, lambda m: [actions.generate(m, args.provider)]))


def cmd_redraw(args: Any) -> int:
    from studio.jobs import actions

    def start(m: Any) -> list[Job]:
        return [
            actions.redraw(
                m,
                args.page,
                args.panel,
                provider_id=args.provider,
                prompt=args.prompt,
                caption=args.caption,
                image=args.image,
            )
        ]

    with with_project(args) as project:
        return asyncio.run(_run_jobs(project, args, start))


def cmd_continue(args: Any) -> int:
    from studio.jobs import actions

    def start(m: Any) -> list[Job]:
        layout = layout_from_args(args, m.project.story.layout)
        return [
            actions.continue_story(
                m,
                args.prompt,
                provider_id=args.provider,
                pages=layout.pages,
                panels_per_page=layout.panels_per_page,
                paginated=layout.paginated,
            )
        ]

    with with_project(args) as project:
        return asyncio.run(_run_jobs(project, args, start))


def cmd_animate(args: Any) -> int:
    from studio.jobs import actions

    def start(m: Any) -> list[Job]:
        return [
            actions.animate(
                m,
                args.page,
                args.panel,
                provider_id=args.provider,
                prompt=args.prompt,
                duration=args.duration,
                resolution=args.resolution,
                aspect_ratio=args.aspect_ratio,
            )
        ]

    with with_project(args) as project:
        return asyncio.run(_run_jobs(project, args, start))


def cmd_resume(args: Any) -> int:
    with with_project(args) as project:
        if not project.unfinished_jobs():
            print("No unfinished jobs.")
            return EXIT_OK
        return asyncio.run(_run_jobs(project, args, lambda m: m.resume_all()))


def cmd_jobs(args: Any) -> int:
    with with_project(args) as project:
        jobs = project.jobs()
        if args.json:
            print(json.dumps({"jobs": [job_json(j) for j in jobs]}, indent=2))
        else:
            print(jobs_text(jobs))
    return EXIT_OK


def cmd_show(args: Any) -> int:
    with with_project(args) as project:
        data = show_json(project)
    print(json.dumps(data, indent=2, ensure_ascii=False) if args.json else show_text(data))
    return EXIT_OK


def cmd_export(args: Any) -> int:
    from studio.cli.export import run_export

    return run_export(args)


def cmd_providers(args: Any) -> int:
    from studio.cli.export import providers_report

    return providers_report(args)


def cmd_usage(args: Any) -> int:
    from studio.cli.export import usage_report

    return usage_report(args)


def cmd_keys(args: Any) -> int:
    from studio.providers import registry

    pinfo = registry.info(args.provider)
    if args.provider == "local":
        raise CliError("The offline renderer needs no key.")
    if args.action == "status":
        source = secrets.key_source(args.provider)
        where = {
            "keyring": f"stored in the keyring ({secrets.backend_name()})",
            "environment": f"taken from ${secrets.env_var(args.provider)}",
        }
        print(f"{pinfo.name}: {where.get(source, 'no key')}.")
        return EXIT_OK
    if args.action == "delete":
        removed = secrets.delete_key(args.provider)
        print(f"{pinfo.name}: key {'deleted' if removed else 'was not stored'}.")
        return EXIT_OK
    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass(f"{pinfo.name} API key (input hidden): ")
    else:
        key = sys.stdin.readline()
    try:
        secrets.set_key(args.provider, key)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    print(f"{pinfo.name}: key stored in the keyring ({secrets.backend_name()}).")
    return EXIT_OK


COMMANDS = {
    "new": cmd_new,
    "generate": cmd_generate,
    "redraw": cmd_redraw,
    "continue": cmd_continue,
    "animate": cmd_animate,
    "resume": cmd_resume,
    "jobs": cmd_jobs,
    "show": cmd_show,
    "versions": cmd_versions,
    "use-version": cmd_use_version,
    "export": cmd_export,
    "providers": cmd_providers,
    "usage": cmd_usage,
    "keys": cmd_keys,
    "write": cmd_write,
}


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if len(words) == 1 and words[0].lower().endswith(".comic") and not words[0].startswith("-"):
        # `comic-studio FILE.comic` (the desktop file's `Exec=comic-studio %f`): no command
        # name ends in ".comic", so this never shadows one.
        from studio.app import run_app

        return run_app(open_path=words[0])
    args = build_parser().parse_args(words)
    if not args.command:
        from studio.app import run_app

        return run_app()
    try:
        return COMMANDS[args.command](args)
    except CliError as exc:
        code, message = exc.code, str(exc)
    except (ValidationError, UnknownProvider, ValueError) as exc:
        code, message = EXIT_INPUT, str(exc)
    except ProviderError as exc:
        code, message = exc.exit_code, exc.user_message()
    except ProjectError as exc:
        code, message = EXIT_INPUT, str(exc)
    except secrets.KeyringUnavailable as exc:
        code, message = EXIT_REFUSED, str(exc)
    except KeyboardInterrupt:
        code, message = 130, "Interrupted; unfinished jobs resume with `comic-studio resume`."
    except OSError as exc:
        code, message = EXIT_FAILED, f"{exc.strerror or exc}: {exc.filename or ''}".strip(": ")
    print(f"comic-studio: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
