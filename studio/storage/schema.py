"""The project file's schema: ordered migrations keyed by ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x436F6D53  # "ComS": marks a SQLite file as a Comic Studio project

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE assets (
    sha256 TEXT PRIMARY KEY, mime TEXT NOT NULL, size INTEGER NOT NULL,
    width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,
    data BLOB NOT NULL, thumb BLOB
);
CREATE TABLE characters (
    id INTEGER PRIMARY KEY, position INTEGER NOT NULL, name TEXT NOT NULL,
    age TEXT NOT NULL DEFAULT '', gender TEXT NOT NULL DEFAULT '', dress TEXT NOT NULL DEFAULT '',
    image_asset TEXT REFERENCES assets(sha256), image_url TEXT,
    provider_refs TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE locations (
    id INTEGER PRIMARY KEY, position INTEGER NOT NULL, name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '', image_asset TEXT REFERENCES assets(sha256),
    image_url TEXT
);
CREATE TABLE pages (
    id INTEGER PRIMARY KEY, idx INTEGER NOT NULL, template TEXT NOT NULL DEFAULT ''
);
CREATE TABLE panels (
    id INTEGER PRIMARY KEY, page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, description TEXT NOT NULL DEFAULT '',
    characters TEXT NOT NULL DEFAULT '[]', location TEXT, caption TEXT NOT NULL DEFAULT '',
    dialogue TEXT NOT NULL DEFAULT '[]', current_version INTEGER,
    remote_page INTEGER, remote_panel INTEGER
);
CREATE INDEX panels_page ON panels(page_id, idx);
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY, provider TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
    remote_id TEXT, progress REAL, message TEXT NOT NULL DEFAULT '', credits REAL,
    created_at REAL NOT NULL, updated_at REAL NOT NULL, error TEXT NOT NULL DEFAULT '',
    error_kind TEXT NOT NULL DEFAULT '', request TEXT NOT NULL DEFAULT '{}',
    handle TEXT NOT NULL DEFAULT '{}', target_page INTEGER, target_panel INTEGER,
    trace_id TEXT NOT NULL DEFAULT ''
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY, panel_id INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    asset TEXT NOT NULL REFERENCES assets(sha256), provider TEXT NOT NULL,
    job_id INTEGER REFERENCES jobs(id), prompt TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL, kind TEXT NOT NULL DEFAULT 'image',
    source_url TEXT NOT NULL DEFAULT '', watermarked INTEGER NOT NULL DEFAULT 0,
    width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX versions_panel ON versions(panel_id);
CREATE TABLE job_events (
    id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    at REAL NOT NULL, state TEXT NOT NULL, progress REAL, message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_events_job ON job_events(job_id);
"""

_V2 = """
ALTER TABLE versions ADD COLUMN anchors TEXT NOT NULL DEFAULT '{}';
CREATE TABLE lettering (
    id INTEGER PRIMARY KEY, panel_id INTEGER NOT NULL REFERENCES panels(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, data TEXT NOT NULL
);
CREATE INDEX lettering_panel ON lettering(panel_id, position);
CREATE TABLE extra_files (
    name TEXT PRIMARY KEY, asset TEXT NOT NULL REFERENCES assets(sha256),
    job_id INTEGER REFERENCES jobs(id), created_at REAL NOT NULL
);
"""

_V3 = """
CREATE TABLE page_cache (page_idx INTEGER PRIMARY KEY, key TEXT NOT NULL, png BLOB NOT NULL);
"""

# The shot of every panel (JSON, NULL until derived) and whether a person edited it; the
# automatic cast (characters the studio added from the story's names).
_V4 = """
ALTER TABLE panels ADD COLUMN shot TEXT;
ALTER TABLE panels ADD COLUMN shot_edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE characters ADD COLUMN auto INTEGER NOT NULL DEFAULT 0;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4)
CURRENT_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, *, target: int = CURRENT_VERSION) -> int:
    """Apply every migration above the file's ``user_version`` up to ``target``.

    The connection must be in autocommit mode (``isolation_level=None``).
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for number in range(version + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[number - 1].split(";"):
                if statement.strip():
                    conn.execute(statement)
            if number == 1:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        version = number
    return version
