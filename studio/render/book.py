"""A project as a book: pages composed from current versions, lettered, cached."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from dataclasses import replace
from typing import Any

from PIL import Image, ImageOps

from studio.core.lettering import Lettering, all_auto, from_rows, to_rows
from studio.core.models import Page, Panel
from studio.export.source import PrintSetup
from studio.render.compose import (
    compose_lettered_page,
    compose_page,
    encode_png,
    fit_anchors,
    frame_size,
)
from studio.render.layout import Rect, layout_page
from studio.render.lettering.draw import auto_lettering, draw_lettering
from studio.render.page_format import geometry
from studio.storage import Project, ProjectWriteError
from studio.storage.codec import story_to_dict

RENDER_VERSION = "5"  # bump when composition or lettering changes the pixels


class ProjectBook:
    """Implements the export layer's ``ExportSource`` over a project file."""

    def __init__(
        self,
        project: Project,
        *,
        lettered: bool = True,
        page_format: str | None = None,
        app_name: str = "Comic Studio",
    ) -> None:
        self.project = project
        self.lettered = lettered
        story = project.story
        fmt = story.book_format
        if page_format is not None:
            fmt = replace(fmt, page_size=page_format)
        self.geometry = geometry(fmt)
        self.size = (self.geometry.width, self.geometry.height)
        g = self.geometry
        self.print_setup = PrintSetup(g.dpi, g.bleed, trim_pt=g.trim_pt, bleed_pt=g.bleed_pt)
        self.title = story.title
        self.summary = story.prompt
        self.writer = story.author
        self.language = story.language if story.language not in ("", "auto") else "en"
        self.rtl = story.rtl
        self.characters = [c.name for c in project.characters()]
        self.locations = [loc.name for loc in project.locations()]
        self.app_name = app_name
        self._pages: list[Page] = project.pages()
        self.has_cover = bool(self._pages)  # the first page is the cover (ZIP cover.png too)

    # ----------------------------------------------------------- ExportSource
    def page_count(self) -> int:
        return len(self._pages)

    def page_size(self, index: int) -> tuple[int, int]:
        return self.size

    def page_png(self, index: int) -> bytes:
        page = self._pages[index]
        key = self._cache_key(page)
        cached = self.project.cached_page(index, key)
        if cached is not None:
            return cached
        png = encode_png(self.compose(page))
        with contextlib.suppress(ProjectWriteError):  # read-only files still export
            self.project.cache_page(index, key, png)
        return png

    def panel_pngs(self, index: int, *, lettered: bool) -> list[bytes]:
        """Each drawn panel of a page: the clean art, or cropped to its frame and lettered."""
        page = self._pages[index]
        frames = self.frames(page)
        out = []
        for panel, rect in zip(page.panels, frames, strict=False):
            img = self.panel_image(panel, lettered=lettered, frame=rect)
            if img is not None:
                out.append(encode_png(img))
        return out

    def cover_png(self) -> bytes:
        return self.page_png(0)

    def metadata(self) -> dict[str, Any]:
        project = self.project
        current = project.current_versions()
        pages = []
        for page in self._pages:
            panels = []
            for panel in page.panels:
                versions = project.versions(panel.id)
                panels.append(
                    {
                        "index": panel.index,
                        "description": panel.script.description,
                        "characters": panel.script.characters,
                        "location": panel.script.location,
                        "caption": panel.script.caption,
                        "dialogue": [
                            {"speaker": d.speaker, "text": d.text} for d in panel.script.dialogue
                        ],
                        "current_version": current[panel.id].id if panel.id in current else None,
                        "versions": [
                            {
                                "id": v.id,
                                "provider": v.provider,
                                "job_id": v.job_id,
                                "prompt": v.prompt,
                                "created_at": v.created_at,
                                "kind": v.kind.value,
                                "sha256": v.asset,
                                "source_url": _strip_query(v.source_url),
                                "watermarked": v.watermarked,
                            }
                            for v in versions
                        ],
                    }
                )
            pages.append({"index": page.index, "template": page.template, "panels": panels})
        return {
            "story": story_to_dict(project.story),
            "characters": [
                {"name": c.name, "age": c.age, "gender": c.gender, "dress": c.dress}
                for c in project.characters()
            ],
            "locations": [
                {"name": loc.name, "description": loc.description} for loc in project.locations()
            ],
            "pages": pages,
        }

    # ------------------------------------------------------------ composition
    @property
    def page_short(self) -> float:
        """The page's shorter side in pixels (lettering sizes are fractions of it)."""
        return float(min(self.size))

    def frames(self, page: Page) -> list[Rect]:
        """The panel frames of ``page`` in pixels, one per panel (at least one)."""
        width, height = self.size
        count = max(1, len(page.panels))
        g = self.geometry
        return layout_page(
            count,
            width,
            height,
            template=page.template,
            margin=g.margin,
            gutter=g.gutter,
            rtl=self.rtl,
        )

    def art(self, panel: Panel) -> Image.Image | None:
        """The panel's current image (RGB), or None before it has one."""
        if panel.current_version is None:
            return None
        version = self.project.version(panel.current_version)
        if version.asset in getattr(self.project, "missing_assets", ()):
            return None  # a damaged file opened read-only: draw the placeholder
        return Image.open(io.BytesIO(self.project.asset(version.asset))).convert("RGB")

    def lettering(self, panel: Panel, frame: Rect, art: Image.Image | None) -> list[Lettering]:
        """The panel's stored objects, or automatic ones for its ``frame`` if none are stored."""
        stored = from_rows(self.project.lettering(panel.id))
        if stored is not None:
            return stored
        return auto_for(self.project, panel, frame, art, self.page_short, rtl=self.rtl)

    def panel_image(
        self, panel: Panel, *, lettered: bool, frame: Rect | None = None
    ) -> Image.Image | None:
        """The clean art; lettered, it is cropped to the frame's shape and lettered on it."""
        img = self.art(panel)
        if img is None or not lettered:
            return img
        if frame is None:
            frame = self._frame_of(panel)
        fw, fh = frame_size(frame)
        scale = min(img.width / fw, img.height / fh)
        crop = (max(1, round(fw * scale)), max(1, round(fh * scale)))
        art = ImageOps.fit(img, crop, Image.Resampling.LANCZOS)
        items = self.lettering(panel, frame, img)
        return draw_lettering(art, items, self.page_short * crop[0] / fw)

    def compose(self, page: Page) -> Image.Image:
        rects = self.frames(page)
        images = [self.art(p) for p in page.panels] or [None]
        if not self.lettered:
            return compose_page(images, rects, self.size)
        lettering: list[list[Lettering] | None] = [
            self.lettering(p, rect, img) if img is not None else []
            for p, rect, img in zip(page.panels, rects, images, strict=False)
        ]
        scripts = [p.script for p in page.panels]
        return compose_lettered_page(
            images, scripts, [], rects, self.size, rtl=self.rtl, lettering=lettering
        )

    def _frame_of(self, panel: Panel) -> Rect:
        for page in self._pages:
            for p, rect in zip(page.panels, self.frames(page), strict=False):
                if p.id == panel.id:
                    return rect
        return Rect(0, 0, *self.size)

    def _cache_key(self, page: Page) -> str:
        parts = {
            "r": RENDER_VERSION,
            "size": self.size,
            "margin": self.geometry.margin,
            "gutter": self.geometry.gutter,
            "rtl": self.rtl,
            "lettered": self.lettered,
            "template": page.template,
            "panels": [
                [
                    p.current_version,
                    p.script.caption,
                    [(d.speaker, d.text) for d in p.script.dialogue],
                    self.project.lettering(p.id) if self.lettered else None,
                ]
                for p in page.panels
            ],
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def auto_for(
    project: Project,
    panel: Panel,
    frame: Rect,
    art: Image.Image | None,
    page_short: float,
    *,
    rtl: bool,
) -> list[Lettering]:
    """Automatic lettering for ``panel`` in ``frame``, tails aimed at its art's anchors."""
    fw, fh = frame_size(frame)
    anchors: dict[str, tuple[float, float]] = {}
    if art is not None and panel.current_version is not None:
        raw = project.version_anchors(panel.current_version)
        anchors = fit_anchors(raw, art.size, (fw, fh))
    return auto_lettering(panel.script, anchors, (fw, fh), page_short, rtl=rtl)


def refresh_auto_lettering(
    project: Project, panel_ids: list[int] | None = None, *, page_format: str | None = None
) -> int:
    """Re-place automatic lettering for ``panel_ids`` (all panels when None).

    Only panels with no stored lettering, or whose stored objects are all still automatic,
    are updated; anything a person edited (including deleting every object, stored as an
    empty list) is left alone. Kept objects keep their ids. Returns how many panels changed.
    """
    book = ProjectBook(project, page_format=page_format)
    wanted = set(panel_ids) if panel_ids is not None else None
    changed = 0
    for page in book._pages:
        for panel, frame in zip(page.panels, book.frames(page), strict=False):
            if wanted is not None and panel.id not in wanted:
                continue
            rows = project.lettering(panel.id)
            old = from_rows(rows)
            if old is not None and (not old or not all_auto(old)):
                continue
            items = auto_for(project, panel, frame, book.art(panel), book.page_short, rtl=book.rtl)
            items = _keep_ids(items, old or [])
            new_rows = to_rows(items) if items else None
            if new_rows == rows:
                continue
            project.set_lettering(panel.id, new_rows)
            changed += 1
    return changed


def _keep_ids(items: list[Lettering], old: list[Lettering]) -> list[Lettering]:
    return [
        replace(item, id=old[i].id) if i < len(old) and old[i].kind == item.kind else item
        for i, item in enumerate(items)
    ]


def _strip_query(url: str) -> str:
    """Provenance without signatures or tokens that query strings may carry."""
    return url.split("?", 1)[0]
