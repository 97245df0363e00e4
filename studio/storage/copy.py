"""Copy a project file safely while it may be open: SQLite's online backup API (a consistent
snapshot, WAL content included), written beside the target and renamed into place."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from studio.storage.errors import ProjectError


def copy_project(source: str | Path, target: str | Path) -> Path:
    """Copy the project at ``source`` to ``target`` (replaced if it exists); returns target."""
    source, target = Path(source), Path(target)
    if source.resolve() == target.resolve():
        return target
    part = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(part)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dst.close()
        finally:
            src.close()
        os.replace(part, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise ProjectError(f"Could not save a copy as {target}: {exc}.") from None
    return target


def remove_project(path: str | Path) -> None:
    """Delete a project file and its SQLite side files (-wal, -shm)."""
    path = Path(path)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            name.unlink()
