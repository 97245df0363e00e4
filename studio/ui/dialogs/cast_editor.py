"""The cast and locations editors embedded by the main window (undoable, with a library)."""

from __future__ import annotations

from typing import Any

from studio.core.models import Character, Location
from studio.core.validation import validate_cast, validate_locations
from studio.storage import Project
from studio.ui.dialogs.entity_editor import EntityEditor, Item


class CastEditor(EntityEditor):
    """Characters: name, age, gender, dress and a reference image."""

    KIND = "characters"
    NOUN = "character"
    FIELDS = (("name", "Name", False), ("age", "Age", False), ("gender", "Gender", False),
              ("dress", "Dress", True))  # fmt: skip

    def read_items(self, project: Project) -> list[Item]:
        return list(project.characters())

    def write_items(self, project: Project, items: list[Item]) -> None:
        project.set_characters([i for i in items if isinstance(i, Character)])

    def validate(self, items: list[Item]) -> None:
        validate_cast([i for i in items if isinstance(i, Character)])

    def new_item(self, name: str) -> Item:
        return Character(name=name)

    def item_label(self, item: Item) -> str:
        """Characters the studio added from the story's names are marked "automatic"."""
        auto = isinstance(item, Character) and item.auto
        return f"{item.name}  · automatic" if auto else item.name

    def edit_current(self, **changes: Any) -> bool:
        """An edited automatic character becomes the user's own."""
        item = self.current()
        if isinstance(item, Character) and item.auto and changes:
            changes = {**changes, "auto": False}
        return super().edit_current(**changes)


class LocationsEditor(EntityEditor):
    """Locations: name, description and a reference image."""

    KIND = "locations"
    NOUN = "location"
    FIELDS = (("name", "Name", False), ("description", "Description", True))

    def read_items(self, project: Project) -> list[Item]:
        return list(project.locations())

    def write_items(self, project: Project, items: list[Item]) -> None:
        project.set_locations([i for i in items if isinstance(i, Location)])

    def validate(self, items: list[Item]) -> None:
        validate_locations([i for i in items if isinstance(i, Location)])

    def new_item(self, name: str) -> Item:
        return Location(name=name)
