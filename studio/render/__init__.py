"""The offline renderer, page layouts, lettering and page composition (Pillow only, no Qt)."""

from __future__ import annotations

from studio.render.compose import (
    compose_lettered_page,
    compose_page,
    encode_png,
    fit_anchors,
    open_image,
    thumbnail_png,
)
from studio.render.layout import PAGE_SIZES, Rect, layout_page, page_size, templates_for
from studio.render.letter_draw import Sprite, auto_lettering, draw_lettering, render_item
from studio.render.looks import COLOURS, Look, character_look
from studio.render.offline import RenderedPanel, render_image, render_panel

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
