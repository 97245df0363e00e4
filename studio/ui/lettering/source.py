"""What the lettering editor reads for a panel: its frame, art, stored or automatic objects."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from studio.core.lettering import Lettering, from_rows
from studio.core.models import Panel
from studio.render.layout import Rect
from studio.storage import Project

if TYPE_CHECKING:  # Pillow and the renderer load on first use, not at start-up
    from PIL import Image
from studio.ui.lettering.undo import Rows


@dataclass(frozen=True)
class PanelLetters:
    """One panel as the editor sees it; ``stored`` is None when nothing was ever stored."""

    panel: Panel
    page: int
    rect: Rect  # the panel's box on the page, pixels
    page_short: float
    art: Image.Image | None  # the current version's image (RGB), None when not drawn yet
    rtl: bool
    stored: Rows
    items: list[Lettering]

    @property
    def frame(self) -> tuple[int, int]:
        return (max(1, round(self.rect.w)), max(1, round(self.rect.h)))

    def automatic(self, project: Project) -> list[Lettering]:
        """The objects automatic lettering places for this panel's script."""
        from studio.render.book import auto_for

        return auto_for(project, self.panel, self.rect, self.art, self.page_short, rtl=self.rtl)

    def draw(self, item: Lettering) -> tuple[Image.Image, int, int]:
        from studio.render.lettering.draw import render_item

        sprite = render_item(item, self.frame, self.page_short)
        return sprite.image, sprite.left, sprite.top

    def refreshed(self, project: Project) -> PanelLetters:
        """The same panel with its lettering read again from the project."""
        stored = project.lettering(self.panel.id)
        items = from_rows(stored)
        if items is None:
            items = self.automatic(project)
        return replace(self, stored=stored, items=items)


def load_panel(project: Project, page: int, index: int) -> PanelLetters:
    """Read a panel; a panel never lettered gets its automatic objects stored first.

    Raises ``ProjectError`` when the page or panel no longer exists.
    """
    from studio.render.book import ProjectBook, refresh_auto_lettering

    panel = project.panel_at(page, index)
    if project.lettering(panel.id) is None:
        refresh_auto_lettering(project, [panel.id])
    book = ProjectBook(project)
    rect = book.frames(project.page(page))[index]
    base = PanelLetters(
        panel=panel,
        page=page,
        rect=rect,
        page_short=book.page_short,
        art=book.art(panel),
        rtl=book.rtl,
        stored=None,
        items=[],
    )
    return base.refreshed(project)
