"""The versions of panels, as stored in the project file: each image (or clip) of a panel."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from studio.core.models import Version, VersionKind
from studio.storage import codec
from studio.storage.errors import ProjectError


def _version(row: sqlite3.Row) -> Version:
    return Version(
        id=row["id"],
        panel_id=row["panel_id"],
        asset=row["asset"],
        provider=row["provider"],
        job_id=row["job_id"],
        prompt=row["prompt"],
        created_at=row["created_at"],
        kind=VersionKind(row["kind"]) if row["kind"] in ("image", "video") else VersionKind.image,
        source_url=row["source_url"],
        watermarked=bool(row["watermarked"]),
        width=row["width"],
        height=row["height"],
    )


class VersionsMixin:
    """Mixed into Project; relies on its ``transaction``, ``_query``, ``_one`` and ``put_asset``."""

    transaction: Any
    _query: Any
    _one: Any
    put_asset: Any

    def versions(self, panel_id: int) -> list[Version]:
        rows = self._query("SELECT * FROM versions WHERE panel_id=? ORDER BY id", (panel_id,))
        return [_version(r) for r in rows]

    def version(self, version_id: int) -> Version:
        row = self._one("SELECT * FROM versions WHERE id=?", (version_id,))
        if row is None:
            raise ProjectError(f"Version {version_id} does not exist.")
        return _version(row)

    def current_versions(self, panel_ids: list[int] | None = None) -> dict[int, Version]:
        """panel id → its current version, for every panel (or those of ``panel_ids``)."""
        sql = "SELECT versions.* FROM versions JOIN panels ON panels.current_version = versions.id"
        if panel_ids is not None and len(panel_ids) <= 500:
            marks = ",".join("?" * len(panel_ids))
            rows = self._query(f"{sql} WHERE panels.id IN ({marks})", tuple(panel_ids))
        else:
            rows = self._query(sql)
        return {r["panel_id"]: _version(r) for r in rows}

    def version_anchors(self, version_id: int) -> dict[str, tuple[float, float]]:
        row = self._one("SELECT anchors FROM versions WHERE id=?", (version_id,))
        raw = codec.loads_dict(row["anchors"] if row else "{}")
        out: dict[str, tuple[float, float]] = {}
        for name, value in raw.items():
            if isinstance(value, list) and len(value) == 2:
                out[name] = (float(value[0]), float(value[1]))
        return out

    def add_version(
        self,
        panel_id: int,
        data: bytes,
        *,
        provider: str,
        job_id: int | None = None,
        prompt: str = "",
        mime: str = "",
        source_url: str = "",
        watermarked: bool = False,
        make_current: bool = True,
        anchors: dict[str, tuple[float, float]] | None = None,
        kind: VersionKind = VersionKind.image,
    ) -> Version:
        with self.transaction() as c:
            sha = self.put_asset(data, mime)
            info = c.execute("SELECT width, height FROM assets WHERE sha256=?", (sha,)).fetchone()
            vid = c.execute(
                "INSERT INTO versions(panel_id, asset, provider, job_id, prompt, created_at, kind,"
                " source_url, watermarked, width, height, anchors)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    panel_id,
                    sha,
                    provider,
                    job_id,
                    prompt,
                    time.time(),
                    kind.value,
                    source_url,
                    int(watermarked),
                    info["width"],
                    info["height"],
                    json.dumps({k: list(v) for k, v in (anchors or {}).items()}),
                ),
            ).lastrowid
            if make_current and kind is VersionKind.image:
                c.execute("UPDATE panels SET current_version=? WHERE id=?", (vid, panel_id))
        return self.version(int(vid))

    def set_current_version(self, panel_id: int, version_id: int) -> None:
        v = self.version(version_id)
        if v.panel_id != panel_id:
            raise ProjectError(f"Version {version_id} belongs to another panel.")
        with self.transaction() as c:
            c.execute("UPDATE panels SET current_version=? WHERE id=?", (version_id, panel_id))

    def iter_current_assets(self) -> Iterator[tuple[int, int, str]]:
        """(page index, panel index, asset sha) of every panel with a current version."""
        rows = self._query(
            "SELECT pages.idx AS page, panels.idx AS panel, versions.asset AS asset FROM panels"
            " JOIN pages ON pages.id = panels.page_id"
            " JOIN versions ON versions.id = panels.current_version ORDER BY pages.idx, panels.idx"
        )
        for r in rows:
            yield int(r["page"]), int(r["panel"]), str(r["asset"])
