"""The cast and locations editors embedded by the main window (undoable, with a library)."""

from __future__ import annotations

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
