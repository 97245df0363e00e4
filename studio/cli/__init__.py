"""The command line (`comic-studio`): argument parsing, commands, output and export. It sits
beside `studio.ui` above `jobs`, `providers`, `render`, `export` and `storage`."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    """Entry point of `comic-studio` (see README: names, flags, exit codes are stable)."""
    from studio.cli.commands import main as run

    return run(argv)
