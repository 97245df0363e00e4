"""A panel's lettering objects (automatic or edited) and the cache of composed pages, as
stored in the project file."""

from __future__ import annotations

import json
from typing import Any

from studio.storage import codec


class LetteringMixin:
    """Mixed into Project; relies on its ``transaction``, ``_query`` and ``_one``."""

    transaction: Any
    _query: Any
    _one: Any

    # -------------------------------------------------------------- lettering
    def forget_auto_lettering(self, panel_ids: list[int] | None = None) -> list[int]:
        """Drop the stored lettering of panels (all, or ``panel_ids``) whose every object is
        still automatic; a person's edits, including "no lettering", stay. One statement,
        however big the book. Returns the ids dropped."""
        untouched = (
            "SELECT panel_id FROM lettering GROUP BY panel_id HAVING SUM(CASE"
            " WHEN NOT json_valid(data) THEN 1"
            " WHEN json_extract(data, '$.auto') = 1 THEN 0 ELSE 1 END) = 0"
        )
        args: tuple[Any, ...] = ()
        if panel_ids is not None:
            if not panel_ids:
                return []
            untouched = f"SELECT panel_id FROM ({untouched}) WHERE panel_id IN ("
            untouched += ",".join("?" * len(panel_ids)) + ")"
            args = tuple(panel_ids)
        dropped = [int(r[0]) for r in self._query(untouched, args)]
        if dropped:  # a read-only file is only refused when there is something to drop
            with self.transaction() as c:
                c.executemany("DELETE FROM lettering WHERE panel_id=?", [(i,) for i in dropped])
        return dropped

    def lettering(self, panel_id: int) -> list[dict[str, Any]] | None:
        """The panel's lettering objects, or None when it was never edited (auto-lettered)."""
        rows = self._query(
            "SELECT data FROM lettering WHERE panel_id=? ORDER BY position", (panel_id,)
        )
        if not rows:
            return None
        items = [codec.loads_dict(r["data"]) for r in rows]
        return [i for i in items if i.get("kind") != "_none"]

    def set_lettering(self, panel_id: int, items: list[dict[str, Any]] | None) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM lettering WHERE panel_id=?", (panel_id,))
            if items is None:
                return
            rows = items or [{"kind": "_none"}]  # an explicit "no lettering"
            for pos, item in enumerate(rows):
                c.execute(
                    "INSERT INTO lettering(panel_id, position, data) VALUES (?,?,?)",
                    (panel_id, pos, json.dumps(item)),
                )

    # ------------------------------------------------------------- page cache
    def cached_page(self, page_idx: int, key: str) -> bytes | None:
        row = self._one("SELECT key, png FROM page_cache WHERE page_idx=?", (page_idx,))
        return bytes(row["png"]) if row is not None and row["key"] == key else None

    def cache_page(self, page_idx: int, key: str, png: bytes) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO page_cache(page_idx, key, png) VALUES (?,?,?)",
                (page_idx, key, png),
            )
