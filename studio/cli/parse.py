"""The command line's argument parser: a public interface, keep names and flags stable."""

from __future__ import annotations

import argparse

EPILOG = (
    "Exit codes: 0 done; 1 the job failed; 2 bad input; 3 auth, quota or plan refused; "
    "4 network or provider unavailable; 5 outcome unknown (a billable request may or may "
    "not have been accepted). Page and panel indexes are zero-based."
)


def _layout_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--panels", type=int, help="panels on one page (1-20), or per page with --pages")
    p.add_argument("--pages", type=int, help="number of pages (1-20)")
    p.add_argument("--panels-per-page", type=int, help="panels per page (1-20) with --pages")


def _provider_args(p: argparse.ArgumentParser, *, wait: bool = True) -> None:
    p.add_argument("--provider", help="provider id (see `comic-studio providers`)")
    p.add_argument("--base-url", help="the provider's API root (overrides settings)")
    if wait:
        p.add_argument(
            "--no-wait", action="store_true", help="submit and exit; `resume` finishes the job"
        )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("comic-studio")
    except PackageNotFoundError:
        return "0.0.0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="comic-studio",
        description="Comic Studio: make comics with remote comic APIs or offline. "
        "With no command, opens the desktop studio.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"comic-studio {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("new", help="create a project file from a story")
    p.add_argument("file")
    p.add_argument("--prompt", required=True)
    p.add_argument("--title")
    p.add_argument("--provider", default=None)
    p.add_argument("--style")
    p.add_argument("--size")
    _layout_args(p)
    p.add_argument("--language")
    p.add_argument("--upscale", choices=["2K", "4K"])
    p.add_argument("--rtl", action="store_true", help="right-to-left reading (manga)")
    p.add_argument("--author")
    p.add_argument("--seed", type=int)
    p.add_argument(
        "--character",
        action="append",
        default=[],
        metavar="SPEC",
        help='"name=Leo;age=10;gender=boy;dress=orange robe;image=PATH_OR_URL"',
    )
    p.add_argument(
        "--location",
        action="append",
        default=[],
        metavar="SPEC",
        help='"name=Quiet Library;description=tall shelves;image=PATH_OR_URL"',
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("generate", help="generate the comic")
    p.add_argument("file")
    _provider_args(p)

    p = sub.add_parser("redraw", help="redraw one panel as a new version")
    p.add_argument("file")
    p.add_argument("--page", type=int, required=True)
    p.add_argument("--panel", type=int, required=True)
    p.add_argument("--prompt")
    p.add_argument("--caption")
    p.add_argument("--image", help="reference image: a file path or an https URL")
    _provider_args(p)

    p = sub.add_parser("continue", help="append pages from a new prompt")
    p.add_argument("file")
    p.add_argument("--prompt", required=True)
    _layout_args(p)
    _provider_args(p)

    p = sub.add_parser("animate", help="make a short video from a panel (providers with video)")
    p.add_argument("file")
    p.add_argument("--page", type=int, required=True)
    p.add_argument("--panel", type=int, required=True)
    p.add_argument("--prompt", default="")
    p.add_argument("--duration", type=float, default=5)
    p.add_argument("--resolution", default="720p")
    p.add_argument("--aspect-ratio", default="16:9")
    _provider_args(p)

    p = sub.add_parser(
        "write",
        help="write the script from the story (offline, or with a language model)",
        description="Write the project's script from its story as a job. Offline by default; "
        "--with llm sends the story to the OpenAI-compatible endpoint given by --base-url/"
        "--model, COMIC_STUDIO_LLM_BASE_URL/COMIC_STUDIO_LLM_MODEL or Settings (key: "
        "COMIC_STUDIO_LLM_API_KEY or the keyring). An unusable answer falls back to the "
        "offline writer, saying so.",
    )
    p.add_argument("file")
    p.add_argument("--with", dest="writer", choices=["offline", "llm"], default="offline")
    p.add_argument("--base-url", help="the endpoint's API root, e.g. http://localhost:11434/v1")
    p.add_argument("--model", help="the model name the endpoint knows")
    p.add_argument("--pages", type=int, help="number of pages (default: the story's layout)")
    p.add_argument("--panels-per-page", type=int, help="panels per page (default: the layout)")
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="print the job id at once and no progress (the script is still written before "
        "the command exits: a script job cannot be resumed later)",
    )

    p = sub.add_parser("resume", help="finish every unfinished job recorded in the file")
    p.add_argument("file")
    p.add_argument("--base-url")

    for name, text in (("jobs", "list jobs"), ("show", "show the project")):
        p = sub.add_parser(name, help=text)
        p.add_argument("file")
        p.add_argument("--json", action="store_true")

    p = sub.add_parser("versions", help="list the versions of a panel")
    p.add_argument("file")
    p.add_argument("--page", type=int, required=True)
    p.add_argument("--panel", type=int, required=True)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("use-version", help="make a version current")
    p.add_argument("file")
    p.add_argument("--page", type=int, required=True)
    p.add_argument("--panel", type=int, required=True)
    p.add_argument(
        "--version",
        type=int,
        required=True,
        help="version number 1..n as `versions` shows it (an older global id is accepted)",
    )

    p = sub.add_parser("export", help="export pages, PDF, CBZ or a ZIP package")
    p.add_argument("file")
    p.add_argument("--format", required=True, choices=["png", "pdf", "cbz", "zip"])
    p.add_argument("--out", required=True)
    p.add_argument("--no-lettering", action="store_true", help="export clean panels")

    p = sub.add_parser("providers", help="providers, capabilities and key status")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("usage", help="usage and quota of a provider")
    p.add_argument("provider")
    p.add_argument("--base-url")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("keys", help="API keys in the OS keyring")
    p.add_argument("action", choices=["set", "delete", "status"])
    p.add_argument("provider")
    return parser
