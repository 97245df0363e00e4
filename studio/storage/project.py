"""The project file: one SQLite database (WAL) holding a whole comic."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from studio.core.models import Character, Location, Story
from studio.core.validation import MAX_PAGES, MAX_PANELS
from studio.storage import codec, schema
from studio.storage.checks import broken_references, connect_file, inspect_file
from studio.storage.errors import (
    DamagedProject,
    ProjectError,
    ProjectWriteError,
)
from studio.storage.images import BadImage, image_size, make_thumbnail, mime_of
from studio.storage.jobs_store import JobsMixin
from studio.storage.lettering import LetteringMixin
from studio.storage.pages import PagesMixin
from studio.storage.shots import ShotsMixin
from studio.storage.versions import VersionsMixin


class Project(PagesMixin, VersionsMixin, LetteringMixin, ShotsMixin, JobsMixin):
    """A comic project. Every method that writes is one transaction; there is no Save.

    ``read_only`` is True when the file was opened without write access: it is damaged
    in a way the studio must not make worse (rows pointing at missing images), or the
    file itself is write-protected. ``notices`` says why, in sentences for the user;
    ``missing_assets`` holds the hashes of images the file refers to but lacks.
    """

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        read_only: bool = False,
        notices: list[str] | None = None,
        missing_assets: set[str] | None = None,
        scratch: Path | None = None,
    ) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._depth = 0
        self.read_only = read_only
        self.notices: list[str] = list(notices or [])
        self.missing_assets: set[str] = set(missing_assets or ())
        self._scratch = scratch  # a migrated temporary copy, deleted on close

    # ----------------------------------------------------------------- opening
    @classmethod
    def create(cls, path: str | Path, story: Story, *, overwrite: bool = False) -> Project:
        path = Path(path)
        if path.exists():
            if not overwrite:
                raise ProjectError(f"{path} already exists; choose another name.")
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.OperationalError as exc:
            raise ProjectError(f"Cannot create {path}: {exc}.") from None
        conn.row_factory = sqlite3.Row
        cls._configure(conn)
        schema.migrate(conn)
        project = cls(path, conn)
        project.set_story(story)
        project.set_meta("created_at", str(time.time()))
        return project

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open for editing; read-only (with ``notices``) when writing could lose more.

        Raises a ProjectError subclass, never touching the file, when it cannot be used.
        """
        path = Path(path)
        _app_id, version = inspect_file(path)
        missing, notices = broken_references(path)
        if notices:
            return cls._open_read_only(path, version, notices, missing)
        if not os.access(path, os.W_OK):
            notice = f"{path.name} is write-protected: it is open read-only."
            return cls._open_read_only(path, version, [notice], set())
        if version < schema.CURRENT_VERSION:
            backup = path.with_name(path.name + f".v{version}.bak")
            if not backup.exists():
                shutil.copy2(path, backup)
        try:
            conn = connect_file(path)
            cls._configure(conn)
            schema.migrate(conn)
        except sqlite3.OperationalError as exc:
            raise ProjectError(f"Cannot open {path.name} for writing: {exc}.") from None
        return cls(path, conn)

    @classmethod
    def _open_read_only(
        cls, path: Path, version: int, notices: list[str], missing: set[str]
    ) -> Project:
        """A read-only view. An older file is migrated in a temporary copy, never in place."""
        scratch: Path | None = None
        try:
            if version < schema.CURRENT_VERSION:
                scratch = Path(tempfile.mkdtemp(prefix="comic-studio-ro-")) / path.name
                source = connect_file(path, readonly=True)
                copy = sqlite3.connect(scratch, isolation_level=None, check_same_thread=False)
                try:
                    source.backup(copy)
                finally:
                    source.close()
                schema.migrate(copy)
                copy.row_factory = sqlite3.Row
                conn = copy
            else:
                conn = connect_file(path, readonly=True)
            conn.execute("PRAGMA busy_timeout=5000")
        except sqlite3.DatabaseError as exc:
            if scratch is not None:
                shutil.rmtree(scratch.parent, ignore_errors=True)
            raise DamagedProject(
                f"{path.name} cannot be opened, not even read-only ({exc}). The file was not "
                "changed."
            ) from None
        return cls(
            path, conn, read_only=True, notices=notices, missing_assets=missing, scratch=scratch
        )

    @staticmethod
    def _configure(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")

    def close(self) -> None:
        with self._lock:
            if not self.read_only:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            if self._scratch is not None:
                shutil.rmtree(self._scratch.parent, ignore_errors=True)
                self._scratch = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls join the outer one."""
        with self._lock:
            if self.read_only:
                reason = self.notices[0] if self.notices else "it is open read-only."
                raise ProjectWriteError(
                    f"The change was not saved: {reason} Save a copy of the healthy part "
                    "with Export, or restore a backup of the file."
                )
            outer = self._depth == 0
            try:
                if outer:
                    self._conn.execute("BEGIN IMMEDIATE")
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                if outer:
                    self._conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if outer and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise ProjectWriteError(
                    f"Could not write to {self.path.name}: {exc}. Free disk space or check "
                    "that the file is writable; nothing was lost."
                ) from None
            except BaseException:
                if outer and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._conn.execute(sql, args).fetchone()

    # -------------------------------------------------------------------- meta
    def meta(self, key: str, default: str = "") -> str:
        row = self._one("SELECT value FROM meta WHERE key=?", (key,))
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as c:
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @property
    def story(self) -> Story:
        raw = codec.loads_dict(self.meta("story"))
        try:
            story = codec.story_from_dict(raw)
        except (ValueError, TypeError, AttributeError, OverflowError):
            raw.pop("layout", None)  # the one field decoded without type checks
            story = codec.story_from_dict(raw)
        layout = story.layout  # a damaged or hostile file must not ask for a million pages
        layout.pages = min(max(1, layout.pages), MAX_PAGES)
        layout.panels_per_page = min(max(1, layout.panels_per_page), MAX_PANELS)
        return story

    def set_story(self, story: Story) -> None:
        self.set_meta("story", json.dumps(codec.story_to_dict(story)))

    @property
    def script_edited(self) -> bool:
        return self.meta("script_edited") == "1"

    def set_script_edited(self, edited: bool) -> None:
        self.set_meta("script_edited", "1" if edited else "0")

    def remote_project(self, provider: str) -> dict[str, Any]:
        return codec.loads_dict(self.meta(f"remote:{provider}"))

    def set_remote_project(self, provider: str, state: dict[str, Any]) -> None:
        self.set_meta(f"remote:{provider}", json.dumps(state))

    # ------------------------------------------------------------------ assets
    def put_asset(self, data: bytes, mime: str = "") -> str:
        """Store bytes content-addressed; returns the SHA-256. Images are checked first."""
        mime = mime or mime_of(data)
        width = height = 0
        if mime.startswith("image/"):
            try:
                width, height = image_size(data)
            except BadImage as exc:
                raise ProjectError(f"The image was not stored: {exc}.") from None
        sha = hashlib.sha256(data).hexdigest()
        with self.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO assets(sha256, mime, size, width, height, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (sha, mime, len(data), width, height, data),
            )
        return sha

    def asset(self, sha: str) -> bytes:
        row = self._one("SELECT data FROM assets WHERE sha256=?", (sha,))
        if row is None:
            raise ProjectError(
                f"An image of this project is missing from {self.path.name} "
                f"(asset {str(sha)[:12]}); the file may be damaged."
            )
        return bytes(row["data"])

    def asset_info(self, sha: str) -> dict[str, Any]:
        row = self._one("SELECT mime, size, width, height FROM assets WHERE sha256=?", (sha,))
        return dict(row) if row else {}

    def thumbnail(self, sha: str, max_side: int = 320) -> bytes:
        """A cached JPEG thumbnail; made (and stored) on first use. Call off the UI thread."""
        row = self._one("SELECT thumb FROM assets WHERE sha256=?", (sha,))
        if row is not None and row["thumb"] is not None:
            return bytes(row["thumb"])
        try:
            thumb = make_thumbnail(self.asset(sha), max_side)
        except BadImage as exc:
            raise ProjectError(f"An image of {self.path.name} cannot be shown: {exc}.") from None
        # a read-only file still shows thumbnails
        with contextlib.suppress(ProjectWriteError), self.transaction() as c:
            c.execute("UPDATE assets SET thumb=? WHERE sha256=?", (thumb, sha))
        return thumb

    def add_extra_file(self, name: str, data: bytes, job_id: int | None = None) -> None:
        sha = self.put_asset(data, mime_of(data))
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO extra_files(name, asset, job_id, created_at) "
                "VALUES (?, ?, ?, ?)",
                (name, sha, job_id, time.time()),
            )

    def extra_files(self) -> dict[str, str]:
        return {r["name"]: r["asset"] for r in self._query("SELECT name, asset FROM extra_files")}

    # -------------------------------------------------------- cast & locations
    def characters(self) -> list[Character]:
        rows = self._query("SELECT * FROM characters ORDER BY position, id")
        return [
            Character(
                name=r["name"],
                age=r["age"],
                gender=r["gender"],
                dress=r["dress"],
                image_asset=r["image_asset"],
                image_url=r["image_url"],
                provider_refs={k: str(v) for k, v in codec.loads_dict(r["provider_refs"]).items()},
                id=r["id"],
                auto=bool(r["auto"]),
            )
            for r in rows
        ]

    def set_characters(self, cast: list[Character]) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM characters")
            for pos, ch in enumerate(cast):
                cur = c.execute(
                    "INSERT INTO characters(id, position, name, age, gender, dress, image_asset,"
                    " image_url, provider_refs, auto) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        ch.id,
                        pos,
                        ch.name,
                        ch.age,
                        ch.gender,
                        ch.dress,
                        ch.image_asset,
                        ch.image_url,
                        json.dumps(ch.provider_refs),
                        int(ch.auto),
                    ),
                )
                ch.id = cur.lastrowid

    def locations(self) -> list[Location]:
        rows = self._query("SELECT * FROM locations ORDER BY position, id")
        return [
            Location(
                name=r["name"],
                description=r["description"],
                image_asset=r["image_asset"],
                image_url=r["image_url"],
                id=r["id"],
            )
            for r in rows
        ]

    def set_locations(self, locations: list[Location]) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM locations")
            for pos, loc in enumerate(locations):
                cur = c.execute(
                    "INSERT INTO locations(id, position, name, description, image_asset,"
                    " image_url) VALUES (?,?,?,?,?,?)",
                    (loc.id, pos, loc.name, loc.description, loc.image_asset, loc.image_url),
                )
                loc.id = cur.lastrowid

    def integrity(self) -> str:
        row = self._one("PRAGMA integrity_check")
        return str(row[0]) if row else "unknown"
