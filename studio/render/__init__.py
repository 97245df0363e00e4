"""The offline renderer, page layouts, lettering and page composition (Pillow only, no Qt).
Imports `studio.export` (print setup), `studio.storage`, `studio.resources` and `core`."""

from __future__ import annotations

import importlib

_WHERE = {
    "compose_lettered_page": "studio.render.compose",
    "compose_page": "studio.render.compose",
    "encode_png": "studio.render.compose",
    "fit_anchors": "studio.render.compose",
    "open_image": "studio.render.compose",
    "thumbnail_png": "studio.render.compose",
    "PAGE_SIZES": "studio.render.page_format",
    "Rect": "studio.render.layout",
    "layout_page": "studio.render.layout",
    "page_size": "studio.render.page_format",
    "templates_for": "studio.render.layout",
    "Sprite": "studio.render.lettering.draw",
    "auto_lettering": "studio.render.lettering.draw",
    "draw_lettering": "studio.render.lettering.draw",
    "render_item": "studio.render.lettering.draw",
    "COLOURS": "studio.render.looks",
    "Look": "studio.render.looks",
    "character_look": "studio.render.looks",
    "RenderedPanel": "studio.render.offline",
    "render_image": "studio.render.offline",
    "render_panel": "studio.render.offline",
}


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)


__all__ = [
    "COLOURS",
    "PAGE_SIZES",
    "Look",
    "Rect",
    "RenderedPanel",
    "Sprite",
    "auto_lettering",
    "character_look",
    "compose_lettered_page",
    "compose_page",
    "draw_lettering",
    "encode_png",
    "fit_anchors",
    "layout_page",
    "open_image",
    "page_size",
    "render_image",
    "render_item",
    "render_panel",
    "templates_for",
    "thumbnail_png",
]
