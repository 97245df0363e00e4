"""The lettering editor, driven through the window with real mouse and key events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from studio.core.lettering import from_rows
from studio.ui.lettering.editor import LetterEditor
from studio.ui.main_window import MainWindow

PROMPT = (
    'Page 1: Panel 1: Mia climbs the lighthouse stairs. Mia says "Is anyone up there?" '
    'Panel 2: A cat sleeps on the logbook. Mia says "Oh! Hello, little one." '
    'Panel 3: A ship horn sounds in the fog. Mia says "A ship! The lamp is dark!" '
    "Panel 4: She lights the lamp and the beam sweeps the waves."
)
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def open_editor(qtbot: Any, w: MainWindow, tmp_path: Path, panel: int = 0) -> LetterEditor:
    """A generated four-panel page (offline renderer), the editor open on ``panel``."""
    w.resize(1280, 800)
    w.new_project(tmp_path / "letters.comic")
    w.workspace.story_editor.prompt.setPlainText(PROMPT)
    w.on_generate()
    assert w.session is not None
    project = w.session.project
    qtbot.waitUntil(
        lambda: bool(project.jobs()) and all(j.state.terminal for j in project.jobs()),
        timeout=20_000,
    )
    qtbot.waitUntil(lambda: len(w.workspace.model.panel_ids()) == 4)
    w.workspace.select_panel(0, panel)
    w.actions_.letter.trigger()
    editor = w.workspace.letters
    assert w.workspace.book.stack.currentWidget() is editor
    assert editor.where() == (0, panel)
    assert editor.items(), "the script's dialogue should give an automatic balloon"
    return editor


def stored(w: MainWindow, editor: LetterEditor) -> list[dict[str, Any]] | None:
    assert w.session is not None and editor.panel() is not None
    return w.session.project.lettering(editor.panel().id)  # type: ignore[union-attr]


def view_point(editor: LetterEditor, scene: QPointF) -> QPoint:
    return editor.view.mapFromScene(scene)


def drag(editor: LetterEditor, start: QPoint, end: QPoint) -> None:
    viewport = editor.view.viewport()
    QTest.mousePress(viewport, LEFT, NONE, start)
    for step in range(1, 5):
        QTest.mouseMove(viewport, start + (end - start) * (step / 4))
    QTest.mouseRelease(viewport, LEFT, NONE, end)


def first_balloon(editor: LetterEditor) -> str:
    return next(i.id for i in editor.items() if i.kind == "speech")


# ------------------------------------------------------------------- tests
def test_opens_on_automatic_balloons(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    editor = open_editor(qtbot, window, tmp_path, panel=1)
    [balloon] = editor.items()
    assert (balloon.kind, balloon.text, balloon.auto) == ("speech", "Oh! Hello, little one.", True)
    rows = stored(window, editor)
    assert rows is not None and from_rows(rows) == editor.items()
    assert editor.item_view(balloon.id).isVisible()
    editor.next.click()
    assert editor.where() == (0, 2)
    assert window.workspace.inspector.where() == (0, 2)
    QTest.keyClick(editor.view, Qt.Key.Key_Escape)
    grid = window.workspace.grid
    assert window.workspace.book.stack.currentWidget() is grid
    grid.scrollTo(grid.model().index(0, 3))
    cell = grid.visualRect(grid.model().index(0, 3)).center()
    QTest.mouseClick(grid.viewport(), LEFT, NONE, cell)
    QTest.mouseDClick(grid.viewport(), LEFT, NONE, cell)
    assert window.workspace.book.editor_shown() and editor.where() == (0, 3)
    assert editor.items() == []  # no dialogue in panel 4: nothing placed, nothing stored
    assert stored(window, editor) is None


def test_drag_moves_balloon_and_undo_restores_rows(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    before = stored(window, editor)
    assert window.session is not None
    steps = window.session.undo.count()
    oid = first_balloon(editor)
    item = editor.item_view(oid)
    start = view_point(editor, item.box_rect().center())
    drag(editor, start, start + QPoint(40, 60))
    [row] = [r for r in stored(window, editor) or [] if r["id"] == oid]
    [old] = [r for r in before or [] if r["id"] == oid]
    assert row["x"] > old["x"] + 0.02 and row["y"] > old["y"] + 0.02
    assert row["auto"] is False
    assert row["tail"] == old["tail"]  # the tail keeps aiming at the speaker
    assert window.session.undo.count() == steps + 1  # one step per drag
    window.on_undo()
    assert stored(window, editor) == before
    assert editor.items()[0].x == old["x"]
    window.on_redo()
    assert stored(window, editor) == [row]


def test_resize_handle_and_tail_handle(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    oid = first_balloon(editor)
    item = editor.item_view(oid)
    QTest.mouseClick(
        editor.view.viewport(), LEFT, NONE, view_point(editor, item.box_rect().center())
    )
    assert editor.selected_ids() == [oid]
    assert item.handle("se").isVisible() and item.handle("tail").isVisible()
    old = editor.items()[0]
    corner = view_point(editor, item.handle("se").scenePos())
    drag(editor, corner, corner + QPoint(30, 25))
    resized = from_rows(stored(window, editor))[0]  # type: ignore[index]
    assert resized.w > old.w + 0.02 and resized.h > old.h + 0.02
    assert (resized.x, resized.y) == pytest.approx((old.x, old.y))
    tip = view_point(editor, item.handle("tail").scenePos())
    target = view_point(editor, QPointF(item.box_rect().left() - 20, item.box_rect().bottom() + 80))
    drag(editor, tip, target)
    aimed = from_rows(stored(window, editor))[0]  # type: ignore[index]
    fw, fh = editor._source.frame  # type: ignore[union-attr]
    scene_target = editor.view.mapToScene(target)
    assert aimed.tail == pytest.approx((scene_target.x() / fw, scene_target.y() / fh), abs=0.01)
    assert aimed.w == resized.w and not aimed.auto
    window.on_undo()
    window.on_undo()
    assert from_rows(stored(window, editor)) == [old]


def test_retype_text_in_place(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    oid = first_balloon(editor)
    centre = view_point(editor, editor.item_view(oid).box_rect().center())
    QTest.mouseDClick(editor.view.viewport(), LEFT, NONE, centre)
    inline = editor.editing()
    assert inline is not None and inline.text() == "Is anyone up there?"
    QTest.keyClicks(editor.view, "Hello")
    QTest.keyClick(editor.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClicks(editor.view, "keeper!")
    QTest.keyClick(editor.view, Qt.Key.Key_Return)
    assert editor.editing() is None
    [row] = stored(window, editor) or []
    assert (row["text"], row["auto"]) == ("Hello\nkeeper!", False)
    editor.start_text_edit(oid)
    QTest.keyClicks(editor.view, "thrown away")
    QTest.keyClick(editor.view, Qt.Key.Key_Escape)
    assert [r["text"] for r in stored(window, editor) or []] == ["Hello\nkeeper!"]
    window.on_undo()
    assert [r["text"] for r in stored(window, editor) or []] == ["Is anyone up there?"]


def test_kind_add_reorder_delete_and_undo_all(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    before = stored(window, editor)
    assert window.session is not None
    steps = window.session.undo.count()
    oid = first_balloon(editor)
    editor.select([oid])
    controls = editor.controls
    controls.kind.setCurrentIndex(controls.kind.findData("shout"))
    assert [r["kind"] for r in stored(window, editor) or []] == ["shout"]
    controls.add_caption.click()
    inline = editor.editing()
    assert inline is not None
    QTest.keyClicks(editor.view, "Night falls.")
    QTest.keyClick(editor.view, Qt.Key.Key_Return)
    rows = stored(window, editor) or []
    assert [(r["kind"], r["text"]) for r in rows] == [
        ("shout", "Is anyone up there?"),
        ("caption", "Night falls."),
    ]
    caption = rows[1]["id"]
    assert editor.item_view(caption)._badge.number == 2
    editor.select([caption])
    controls.earlier.click()
    assert [r["id"] for r in stored(window, editor) or []] == [caption, oid]
    assert editor.item_view(caption)._badge.number == 1
    QTest.keyClick(editor.view, Qt.Key.Key_Tab)
    assert editor.selected_ids() == [oid]
    QTest.keyClick(editor.view, Qt.Key.Key_Delete)
    assert [r["id"] for r in stored(window, editor) or []] == [caption]
    controls.add_sfx.click()
    QTest.keyClick(editor.view, Qt.Key.Key_Escape)  # keeps the default "WHAM!"
    assert [r["kind"] for r in stored(window, editor) or []] == ["caption", "sfx"]
    while window.session.undo.count() > steps and window.session.undo.index() > steps:
        window.on_undo()
    assert stored(window, editor) == before


def test_nudges_merge_and_reset_to_automatic(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    assert window.session is not None
    before = stored(window, editor)
    steps = window.session.undo.count()
    oid = first_balloon(editor)
    editor.select([oid])
    for _ in range(3):
        QTest.keyClick(editor.view, Qt.Key.Key_Right)
    assert window.session.undo.count() == steps + 1
    moved = from_rows(stored(window, editor))[0]  # type: ignore[index]
    assert moved.x == pytest.approx(before[0]["x"] + 0.015)  # type: ignore[index]
    editor.controls.reset.click()
    assert window.session.undo.count() == steps + 2
    reset = from_rows(stored(window, editor))[0]  # type: ignore[index]
    assert reset.auto and reset.x == pytest.approx(before[0]["x"])  # type: ignore[index]
    window.on_undo()
    assert from_rows(stored(window, editor))[0] == moved  # type: ignore[index]


def test_show_lettering_toggle_hides_objects(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    oid = first_balloon(editor)
    editor.show_letters.setChecked(False)
    assert not editor.item_view(oid).isVisible()
    assert not editor.controls.add_balloon.isEnabled()
    editor.show_letters.setChecked(True)
    assert editor.item_view(oid).isVisible() and editor.controls.add_balloon.isEnabled()


def test_page_view_recomposes_and_double_click_letters(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    book = window.workspace.book
    book.page_toggle.setChecked(True)
    assert book.lettering.isVisible() and book.lettering.text() == "Show lettering"
    qtbot.waitUntil(
        lambda: book.page_label.pixmap() is not None and not book.page_label.pixmap().isNull()
    )
    first = book.page_label.pixmap().toImage()
    window.workspace.open_letters(0, 0)
    oid = first_balloon(editor)
    editor.select([oid])
    editor.controls.kind.setCurrentIndex(editor.controls.kind.findData("caption"))
    editor.back.click()
    assert book.stack.currentIndex() == 1 and not book.editor_shown()  # the page view
    assert book.page_label.pixmap().isNull()  # "Composing page 1…" with the edit
    qtbot.waitUntil(lambda: not book.page_label.pixmap().isNull(), timeout=10_000)
    assert book.page_label.pixmap().toImage() != first  # the stored caption is drawn now
    qtbot.waitUntil(lambda: book.page_label.panel_at(book.page_label.point_of(1)) == 1)
    QTest.mouseDClick(book.page_label, LEFT, NONE, book.page_label.point_of(1))
    assert book.stack.currentWidget() is editor and editor.where() == (0, 1)
