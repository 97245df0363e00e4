"""Checks that read a project file without changing it: is it ours, whole, and sound?"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from studio.storage import schema
from studio.storage.errors import DamagedProject, NewerProject, NotAProject, ProjectError

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables of the first schema: every project file has them (later migrations only add).
REQUIRED_TABLES = frozenset(
    "meta assets characters locations pages panels jobs versions job_events".split()
)


def connect_file(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open an existing file (never create one). ``as_uri`` escapes ``?``, ``#`` and ``%``.

    Read-only opens of a file without a ``-wal`` beside it are ``immutable``: SQLite then
    creates no ``-wal``/``-shm`` files either, so a refused file's folder stays as it was.
    """
    uri = f"{path.resolve().as_uri()}?mode={'ro' if readonly else 'rw'}"
    if readonly and not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def inspect_file(path: Path) -> tuple[int, int]:
    """Check, without modifying it, that ``path`` is a project this version can open.

    Returns (application_id, user_version). Raises a ProjectError subclass.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        raise ProjectError(f"{path} does not exist.") from None
    except OSError as exc:
        raise ProjectError(f"{path} cannot be read: {exc.strerror}.") from None
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise NotAProject(f"{path.name} is not a Comic Studio project (not a SQLite file).")
    try:
        conn = connect_file(path, readonly=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != schema.APPLICATION_ID:
                raise NotAProject(
                    f"{path.name} is a SQLite database, but not a Comic Studio project."
                )
            if version > schema.CURRENT_VERSION:
                raise NewerProject(
                    f"{path.name} was made by a newer Comic Studio (file version {version}, "
                    f"this one reads up to {schema.CURRENT_VERSION}). Update the studio to "
                    "open it; the file was not changed."
                )
            if _cut_short(path, head):
                raise DamagedProject(
                    f"{path.name} is cut short (it ends in the middle of its data): it was "
                    "probably copied or downloaded incompletely. The file was not changed; "
                    "copy it again or restore a backup."
                )
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            lacking = sorted(REQUIRED_TABLES - tables)
            if version < 1 or lacking:
                raise DamagedProject(
                    f"{path.name} is marked as a Comic Studio project but lacks its "
                    f"{', '.join(lacking) or 'schema'} table(s). The file was not changed; "
                    "restore a backup."
                )
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedProject(
            f"{path.name} is damaged and cannot be opened ({exc}). The file was not changed; "
            "restore a backup or keep it for recovery."
        ) from None
    if check != "ok":
        raise DamagedProject(
            f"{path.name} is damaged ({check}). The file was not changed; restore a backup."
        )
    return app_id, version


_ASSET_COLUMNS = {
    "versions": "asset",
    "characters": "image_asset",
    "locations": "image_asset",
    "extra_files": "asset",
}
_TABLE_WORDS = {
    "versions": "panel image(s)",
    "characters": "character reference(s)",
    "locations": "location reference(s)",
    "extra_files": "extra file(s)",
}


def broken_references(path: Path) -> tuple[set[str], list[str]]:
    """(missing asset hashes, notices) for rows that point at rows the file lacks.

    Read-only; run after :func:`inspect_file`. A healthy project has none: every write runs
    with foreign keys on. They appear when a file was edited by another tool or salvaged.
    """
    try:
        conn = connect_file(path, readonly=True)
        try:
            rows = conn.execute("PRAGMA foreign_key_check").fetchall()
            missing: set[str] = set()
            counts: dict[str, int] = {}
            others = 0
            for table, rowid, parent, _fkid in rows:
                if parent != "assets" or table not in _ASSET_COLUMNS:
                    others += 1
                    continue
                counts[table] = counts.get(table, 0) + 1
                column = _ASSET_COLUMNS[table]  # a known name: never SQL taken from the file
                found = conn.execute(
                    f"SELECT {column} FROM {table} WHERE rowid=?", (rowid,)
                ).fetchone()
                if found and found[0] is not None:
                    missing.add(str(found[0]))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedProject(
            f"{path.name} is damaged and cannot be opened ({exc}). The file was not changed."
        ) from None
    notices = []
    if counts:
        what = ", ".join(f"{n} {_TABLE_WORDS.get(t, t)}" for t, n in sorted(counts.items()))
        notices.append(
            f"{len(missing)} image(s) of {path.name} are missing from the file ({what}). "
            "The project is open read-only so nothing more is lost: the rest can be viewed "
            "and exported; panels without their image show a placeholder."
        )
    if others:
        notices.append(
            f"{others} row(s) of {path.name} refer to pages, panels or jobs that no longer "
            "exist; they are ignored and the project is open read-only."
        )
    return missing, notices


def _cut_short(path: Path, head: bytes) -> bool:
    """True when the file is shorter than its own SQLite header says it is."""
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    size = path.stat().st_size
    if page_size < 512 or page_size & (page_size - 1) or size % page_size:
        return True
    if path.with_name(path.name + "-wal").exists():
        return False  # the log may hold pages the main file does not have yet
    pages = int.from_bytes(head[28:32], "big")
    header_valid = head[24:28] == head[92:96]  # the in-header size is trustworthy
    return header_valid and pages > size // page_size
