"""A project as a book: pages composed from current versions, lettered, cached."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from typing import Any

from PIL import Image

from studio.core.models import Page, Panel
from studio.render.compose import compose_lettered_page, compose_page, encode_png
from studio.render.layout import layout_page, page_size
from studio.render.lettering import letter_panel
from studio.storage import Project, ProjectWriteError
from studio.storage.codec import story_to_dict

RENDER_VERSION = "2"  # bump when composition or lettering changes the pixels


class ProjectBook:
    """Implements the export layer's ``ExportSource`` over a project file."""

    def __init__(
        self,
        project: Project,
        *,
        lettered: bool = True,
        page_format: str = "comic",
        app_name: str = "Comic Studio",
    ) -> None:
        self.project = project
        self.lettered = lettered
        self.size = page_size(page_format)
        story = project.story
        self.title = story.title
        self.summary = story.prompt
        self.writer = story.author
        self.language = story.language if story.language not in ("", "auto") else "en"
        self.rtl = story.rtl
        self.characters = [c.name for c in project.characters()]
        self.locations = [loc.name for loc in project.locations()]
        self.app_name = app_name
        self.has_cover = False
        self._pages: list[Page] = project.pages()

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
        out = []
        for panel in self._pages[index].panels:
            img = self.panel_image(panel, lettered=lettered)
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
    def panel_image(self, panel: Panel, *, lettered: bool) -> Image.Image | None:
        if panel.current_version is None:
            return None
        version = self.project.version(panel.current_version)
        img = Image.open(io.BytesIO(self.project.asset(version.asset)))
        img = img.convert("RGB")
        if lettered:
            anchors = self.project.version_anchors(version.id)
            img = letter_panel(img, panel.script, anchors)
        return img

    def compose(self, page: Page) -> Image.Image:
        width, height = self.size
        count = max(1, len(page.panels))
        rects = layout_page(count, width, height, template=page.template, rtl=self.rtl)
        images = [self.panel_image(p, lettered=False) for p in page.panels] or [None]
        if not self.lettered:
            return compose_page(images, rects, self.size)
        anchors = [
            self.project.version_anchors(p.current_version) if p.current_version else None
            for p in page.panels
        ]
        scripts = [p.script for p in page.panels]
        return compose_lettered_page(images, scripts, anchors, rects, self.size, rtl=self.rtl)

    def _cache_key(self, page: Page) -> str:
        parts = {
            "r": RENDER_VERSION,
            "size": self.size,
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


def _strip_query(url: str) -> str:
    """Provenance without signatures or tokens that query strings may carry."""
    return url.split("?", 1)[0]
