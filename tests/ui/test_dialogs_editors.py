"""Cast and locations editors: undoable edits, reference images, the shared library."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QUndoStack

from studio.core.models import Story
from studio.storage import Project
from studio.ui.dialogs import CastEditor, LocationsEditor
from studio.ui.dialogs.library import Library, LibraryPicker
from studio.ui.dialogs.ref_image import MAX_REF_BYTES
from tests.ui.dialog_fixtures import drive, isolated, loop, png_bytes  # noqa: F401


def names_in_file(path: Path) -> list[str]:
    """What another connection to the project file sees (every edit is committed)."""
    with Project.open(path) as other:
        return [c.name for c in other.characters()]


@pytest.fixture
def project(tmp_path: Path):
    p = Project.create(tmp_path / "one.comic", Story(title="One"))
    yield p
    p.close()


@pytest.fixture
def cast(qtbot, project) -> tuple[CastEditor, QUndoStack]:
    editor = CastEditor()
    qtbot.addWidget(editor)
    stack = QUndoStack()
    editor.set_project(project, stack)
    return editor, stack


def test_add_edit_remove_with_undo_redo(cast, project):
    editor, stack = cast
    changes: list[int] = []
    editor.changed.connect(lambda: changes.append(1))
    assert editor.add("Mia") and editor.add("Tom")
    assert names_in_file(project.path) == ["Mia", "Tom"]

    editor.list.setCurrentRow(0)
    editor.editors["age"].setText("12")
    editor.editors["age"].editingFinished.emit()
    editor.editors["name"].setText("Mia Rose")
    editor.editors["name"].editingFinished.emit()
    assert names_in_file(project.path) == ["Mia Rose", "Tom"]
    assert project.characters()[0].age == "12"
    assert stack.undoText() == "Rename character Mia Rose"

    editor.list.setCurrentRow(1)
    assert editor.remove_current()
    assert names_in_file(project.path) == ["Mia Rose"]

    stack.undo()
    assert names_in_file(project.path) == ["Mia Rose", "Tom"]
    stack.undo()
    assert names_in_file(project.path) == ["Mia", "Tom"]
    assert editor.editors["name"].text() == "Mia"  # the form follows undo
    stack.undo()
    assert project.characters()[0].age == ""
    stack.redo()
    stack.redo()
    stack.redo()
    assert names_in_file(project.path) == ["Mia Rose"]
    assert [i.name for i in editor.items] == ["Mia Rose"]
    assert len(changes) == 11  # 5 pushes + 3 undos + 3 redos: every write is announced


def test_default_names_are_unique(cast, project):
    editor, _ = cast
    editor.add_button.click()
    editor.add_button.click()
    assert [c.name for c in project.characters()] == ["New character", "New character 2"]


def test_duplicate_name_refused(cast, project):
    editor, stack = cast
    editor.add("Mia")
    editor.add("Tom")
    editor.list.setCurrentRow(1)
    editor.editors["name"].setText("mia")
    editor.editors["name"].editingFinished.emit()
    assert editor.status.kind == "error"
    assert "Two characters are called" in editor.status.text()
    assert names_in_file(project.path) == ["Mia", "Tom"]
    assert editor.editors["name"].text() == "Tom"  # the refused value is put back
    assert stack.count() == 2


def test_reference_image_from_png_and_drop(cast, project, tmp_path, qtbot, loop):  # noqa: F811
    editor, stack = cast
    editor.add("Mia")
    image = tmp_path / "mia.png"
    image.write_bytes(png_bytes((10, 200, 30), (300, 200)))
    assert editor.set_image_file(image)
    sha = project.characters()[0].image_asset
    assert sha and project.asset(sha) == image.read_bytes()
    qtbot.waitUntil(lambda: editor.image_box.has_image, timeout=5000)
    assert editor.image_box.pixmap().width() <= 200

    stack.undo()
    assert project.characters()[0].image_asset is None
    assert not editor.image_box.has_image

    other = tmp_path / "other.png"
    other.write_bytes(png_bytes((1, 2, 3)))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    event = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    editor.image_box.dropEvent(event)
    assert project.asset(project.characters()[0].image_asset) == other.read_bytes()


def test_non_image_and_large_file_refused(cast, project, tmp_path):
    editor, stack = cast
    editor.add("Mia")
    text = tmp_path / "notes.png"
    text.write_text("this is not a picture")
    assert not editor.set_image_file(text)
    assert "is not an image" in editor.status.text()
    big = tmp_path / "huge.png"
    with big.open("wb") as fh:
        fh.write(png_bytes())
        fh.truncate(MAX_REF_BYTES + 1)
    assert not editor.set_image_file(big)
    assert "at most 10 MB" in editor.status.text()
    assert project.characters()[0].image_asset is None
    assert stack.count() == 1


def test_library_save_then_insert_into_second_project(qtbot, cast, project, tmp_path):
    editor, _ = cast
    editor.add("Mia")
    editor.edit_current(age="12", dress="red coat")
    image = tmp_path / "mia.png"
    image.write_bytes(png_bytes((250, 10, 10)))
    editor.set_image_file(image)
    assert editor.save_current_to_library()
    assert editor.status.kind == "ok"

    second = Project.create(tmp_path / "two.comic", Story(title="Two"))
    stack = QUndoStack()
    editor2 = CastEditor()
    qtbot.addWidget(editor2)
    editor2.set_project(second, stack)
    picker = LibraryPicker(editor2, editor2.library, "characters")
    qtbot.addWidget(picker)
    assert picker.list.count() == 1
    qtbot.waitUntil(lambda: not picker.list.item(0).icon().isNull(), timeout=5000)
    picker.select_names(["mia"])
    assert picker.ok_button.isEnabled()
    assert editor2.insert_entries(picker.selected_entries())
    (mia,) = second.characters()
    assert (mia.name, mia.age, mia.dress) == ("Mia", "12", "red coat")
    assert second.asset(mia.image_asset) == image.read_bytes()
    stack.undo()
    assert second.characters() == []
    second.close()


def test_library_store_replaces_by_name(tmp_path):
    library = Library(tmp_path / "lib")
    library.save("characters", {"name": "Mia", "age": "9"}, None)
    library.save("characters", {"name": "MIA", "age": "10"}, png_bytes())
    (entry,) = library.entries("characters")
    assert entry["age"] == "10" and library.image(entry) == png_bytes()
    library.remove("characters", "mia")
    assert library.entries("characters") == []
    (tmp_path / "lib" / "library.json").write_text("{broken")
    assert library.entries("locations") == []


def test_locations_editor(qtbot, project, tmp_path):
    editor = LocationsEditor()
    qtbot.addWidget(editor)
    stack = QUndoStack()
    editor.set_project(project, stack)
    editor.add("Harbour")
    editor.editors["description"].setText("Foggy docks at dawn")
    editor.editors["description"].editingFinished.emit()
    assert project.locations()[0].description == "Foggy docks at dawn"
    assert not editor.add("harbour")
    assert "Two locations are called" in editor.status.text()
    assert editor.save_current_to_library()
    editor.remove_current()
    assert project.locations() == []
    entries = editor.library.entries("locations")
    assert editor.insert_entries(entries)
    assert project.locations()[0].description == "Foggy docks at dawn"


def test_no_project_disables_editor(qtbot):
    editor = CastEditor()
    qtbot.addWidget(editor)
    editor.set_project(None, QUndoStack())
    assert not editor.isEnabled() and not editor.add("Mia")
