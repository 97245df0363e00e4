"""Pages, panels and the script, as stored in the project file (versions: versions.py)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import AbstractContextManager
from typing import Any

from studio.core.models import (
    MAX_PANELS_PER_PAGE,
    Page,
    Panel,
    PanelMove,
    Script,
    ScriptPage,
    ScriptPanel,
)
from studio.storage import codec
from studio.storage.errors import ProjectError
from studio.storage.shots import panel_row, save_panel_shot


def _panel(row: sqlite3.Row) -> Panel:
    return Panel(
        id=row["id"],
        page_id=row["page_id"],
        index=row["idx"],
        script=codec.panel_script_from_row(row),
        current_version=row["current_version"],
        remote_page=row["remote_page"],
        remote_panel=row["remote_panel"],
    )


def _joined(a: str, b: str, sep: str) -> str:
    return sep.join(t for t in (a.strip(), b.strip()) if t)


def _panel_values(sp: ScriptPanel) -> tuple[str, str, str | None, str, str]:
    return (
        sp.description,
        json.dumps(sp.characters),
        sp.location,
        sp.caption,
        codec.dialogue_to_json(sp.dialogue),
    )


class PagesMixin:
    """Mixed into Project; relies on its ``transaction``, ``_query``, ``_one`` and ``put_asset``."""

    transaction: Any
    _query: Any
    _one: Any
    put_asset: Any

    # ------------------------------------------------------------------ pages
    def pages(self) -> list[Page]:
        """Every page with its panels, in reading order (one query each)."""
        pages = {
            r["id"]: Page(id=r["id"], index=r["idx"], template=r["template"])
            for r in self._query("SELECT * FROM pages ORDER BY idx")
        }
        for r in self._query("SELECT * FROM panels ORDER BY idx"):
            page = pages.get(r["page_id"])
            if page is not None:
                page.panels.append(_panel(r))
        return list(pages.values())

    def page_count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM pages")[0])

    def panel_count(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM panels")[0])

    def page(self, index: int) -> Page:
        row = self._one("SELECT * FROM pages WHERE idx=?", (index,))
        if row is None:
            raise ProjectError(f"There is no page {index} (the book has {self.page_count()}).")
        page = Page(id=row["id"], index=row["idx"], template=row["template"])
        page.panels = [
            _panel(r)
            for r in self._query("SELECT * FROM panels WHERE page_id=? ORDER BY idx", (page.id,))
        ]
        return page

    def panel_at(self, page: int, panel: int) -> Panel:
        p = self.page(page)
        if not 0 <= panel < len(p.panels):
            raise ProjectError(f"Page {page} has no panel {panel} (it has {len(p.panels)}).")
        return p.panels[panel]

    def panel(self, panel_id: int) -> Panel:
        row = self._one("SELECT * FROM panels WHERE id=?", (panel_id,))
        if row is None:
            raise ProjectError(f"Panel {panel_id} no longer exists.")
        return _panel(row)

    def panel_position(self, panel_id: int) -> tuple[int, int]:
        row = self._one(
            "SELECT pages.idx AS page, panels.idx AS panel FROM panels "
            "JOIN pages ON pages.id = panels.page_id WHERE panels.id=?",
            (panel_id,),
        )
        if row is None:
            raise ProjectError(f"Panel {panel_id} no longer exists.")
        return int(row["page"]), int(row["panel"])

    def set_page_template(self, page_index: int, template: str) -> None:
        """Set a page's layout template ("" = the default for its panel count)."""
        with self.transaction() as c:
            done = c.execute("UPDATE pages SET template=? WHERE idx=?", (template, page_index))
            if done.rowcount == 0:
                raise ProjectError(
                    f"There is no page {page_index + 1} (the book has {self.page_count()})."
                )

    def insert_page(self, index: int, template: str = "") -> Page:
        """Insert an empty page at ``index``; the pages from there on move one down."""
        with self.transaction() as c:
            count = int(c.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
            index = max(0, min(index, count))
            c.execute("UPDATE pages SET idx = idx + 1 WHERE idx>=?", (index,))
            c.execute("INSERT INTO pages(idx, template) VALUES (?, ?)", (index, template))
        return self.page(index)

    def append_page(self, panels: list[ScriptPanel], template: str = "") -> Page:
        with self.transaction() as c:
            idx = int(c.execute("SELECT COALESCE(MAX(idx) + 1, 0) FROM pages").fetchone()[0])
            page_id = c.execute(
                "INSERT INTO pages(idx, template) VALUES (?, ?)", (idx, template)
            ).lastrowid
            for j, sp in enumerate(panels):
                cur = c.execute(
                    "INSERT INTO panels(page_id, idx, description, characters, location, caption,"
                    " dialogue) VALUES (?,?,?,?,?,?,?)",
                    (page_id, j, *_panel_values(sp)),
                )
                save_panel_shot(c, int(cur.lastrowid), sp)
        return self.page(idx)

    def append_panel(self, page_id: int, sp: ScriptPanel) -> int:
        with self.transaction() as c:
            idx = int(
                c.execute(
                    "SELECT COALESCE(MAX(idx) + 1, 0) FROM panels WHERE page_id=?", (page_id,)
                ).fetchone()[0]
            )
            panel_id = int(
                c.execute(
                    "INSERT INTO panels(page_id, idx, description, characters, location, caption,"
                    " dialogue) VALUES (?,?,?,?,?,?,?)",
                    (page_id, idx, *_panel_values(sp)),
                ).lastrowid
            )
            save_panel_shot(c, panel_id, sp)
            return panel_id

    def update_panel_script(self, panel_id: int, sp: ScriptPanel) -> None:
        with self.transaction() as c:
            old = panel_row(c, panel_id)
            c.execute(
                "UPDATE panels SET description=?, characters=?, location=?, caption=?, "
                "dialogue=? WHERE id=?",
                (*_panel_values(sp), panel_id),
            )
            save_panel_shot(c, panel_id, sp, old)

    def set_remote_index(self, panel_id: int, page: int | None, panel: int | None) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE panels SET remote_page=?, remote_panel=? WHERE id=?",
                (page, panel, panel_id),
            )

    def fold_page_into_first(self, page_index: int) -> int:
        """Make a page one panel: panels after the first that were never drawn are folded
        into it (descriptions, captions and dialogue joined; cast merged) and removed.
        Panels that hold versions stay. Returns the first panel's id."""
        with self.transaction() as c:
            page = self.page(page_index)
            first, rest = page.panels[0], page.panels[1:]
            folded = [p for p in rest if p.current_version is None and not self.versions(p.id)]
            if not folded:
                return first.id
            merged = first.script
            for panel in folded:
                sp = panel.script
                merged = ScriptPanel(
                    description=_joined(merged.description, sp.description, " "),
                    characters=merged.characters
                    + [n for n in sp.characters if n not in merged.characters],
                    location=merged.location or sp.location,
                    caption=_joined(merged.caption, sp.caption, " "),
                    dialogue=merged.dialogue + sp.dialogue,
                    shot=merged.shot,
                    shot_edited=merged.shot_edited,
                )
                c.execute("DELETE FROM panels WHERE id=?", (panel.id,))
            self.update_panel_script(first.id, merged)
            kept = [p for p in rest if p not in folded]
            for idx, panel in enumerate(kept, start=1):
                c.execute("UPDATE panels SET idx=? WHERE id=?", (idx, panel.id))
        return first.id

    def move_panel(
        self, panel_id: int, to_page: int, to_index: int, *, remove_empty: bool = True
    ) -> PanelMove:
        """Move a panel within or across pages (versions and lettering travel with it).

        ``to_index`` is the panel's index on ``to_page`` after the move (clamped). A page
        holds at most 20 panels. With ``remove_empty`` a page left without panels is
        removed (the pages after it move up), so a book never exports a blank page.
        """
        with self.transaction() as c:
            src = self.panel(panel_id)
            from_page = self.panel_position(panel_id)[0]
            dst = self.page(to_page)
            count = int(
                c.execute(
                    "SELECT COUNT(*) FROM panels WHERE page_id=? AND id<>?", (dst.id, panel_id)
                ).fetchone()[0]
            )
            if dst.id != src.page_id and count >= MAX_PANELS_PER_PAGE:
                raise ProjectError(
                    f"Page {to_page + 1} already holds {MAX_PANELS_PER_PAGE} panels, the most "
                    "a page can hold. Move a panel off it first."
                )
            c.execute(
                "UPDATE panels SET idx = idx - 1 WHERE page_id=? AND idx>?",
                (src.page_id, src.index),
            )
            to_index = max(0, min(to_index, count))
            c.execute(
                "UPDATE panels SET idx = idx + 1 WHERE page_id=? AND idx>=? AND id<>?",
                (dst.id, to_index, panel_id),
            )
            c.execute("UPDATE panels SET page_id=?, idx=? WHERE id=?", (dst.id, to_index, panel_id))
            removed = self._remove_if_empty(c, src.page_id) if remove_empty else None
            if removed is not None and removed[0] < to_page:
                to_page -= 1
        return PanelMove(panel_id, from_page, src.index, to_page, to_index, removed)

    def undo_move_panel(self, move: PanelMove) -> None:
        """Put a moved panel back where it was, re-creating its page if the move removed it."""
        with self.transaction():
            if move.removed_page is not None:
                index, template = move.removed_page
                self.insert_page(index, template)
            self.move_panel(move.panel_id, move.from_page, move.from_index, remove_empty=False)

    @staticmethod
    def _remove_if_empty(c: sqlite3.Connection, page_id: int) -> tuple[int, str] | None:
        left = c.execute("SELECT COUNT(*) FROM panels WHERE page_id=?", (page_id,))
        if int(left.fetchone()[0]) > 0:
            return None
        row = c.execute("SELECT idx, template FROM pages WHERE id=?", (page_id,)).fetchone()
        c.execute("DELETE FROM pages WHERE id=?", (page_id,))
        c.execute("UPDATE pages SET idx = idx - 1 WHERE idx>?", (row["idx"],))
        return int(row["idx"]), str(row["template"])

    # ----------------------------------------------------------------- script
    def script(self) -> Script:
        return Script(
            pages=[ScriptPage(panels=[p.script for p in page.panels]) for page in self.pages()]
        )

    def set_script(self, script: Script) -> None:
        """Replace the script text. Existing panels keep their versions (matched by position);
        extra pages/panels are added; panels beyond the script are removed only if they
        have no versions (generated images are never dropped silently)."""
        with self.transaction() as c:
            pages = self.pages()
            for i, sp_page in enumerate(script.pages):
                if i < len(pages):
                    page = pages[i]
                    for j, sp in enumerate(sp_page.panels):
                        if j < len(page.panels):
                            self.update_panel_script(page.panels[j].id, sp)
                        else:
                            cur = c.execute(
                                "INSERT INTO panels(page_id, idx, description, characters,"
                                " location, caption, dialogue) VALUES (?,?,?,?,?,?,?)",
                                (page.id, j, *_panel_values(sp)),
                            )
                            save_panel_shot(c, int(cur.lastrowid), sp)
                    for extra in page.panels[len(sp_page.panels) :]:
                        self._drop_panel_if_empty(c, extra)
                else:
                    self.append_page(sp_page.panels)
            for page in pages[len(script.pages) :]:
                for extra in page.panels:
                    self._drop_panel_if_empty(c, extra)
                left = c.execute("SELECT COUNT(*) FROM panels WHERE page_id=?", (page.id,))
                if int(left.fetchone()[0]) == 0:
                    c.execute("DELETE FROM pages WHERE id=?", (page.id,))

    @staticmethod
    def _drop_panel_if_empty(c: sqlite3.Connection, panel: Panel) -> None:
        has = c.execute("SELECT 1 FROM versions WHERE panel_id=? LIMIT 1", (panel.id,)).fetchone()
        if not has:
            c.execute("DELETE FROM panels WHERE id=?", (panel.id,))

    def _ctx(self) -> AbstractContextManager[sqlite3.Connection]:  # pragma: no cover - typing aid
        return self.transaction()
