"""The command line (`comic-studio`): argument parsing, commands, output and export. The top
room: it may import everything below it, and `studio.app` only to open the window."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Entry point of `comic-studio` (see README: names, flags, exit codes are stable)."""
    from studio.cli.commands import main as run

    return run(argv)
