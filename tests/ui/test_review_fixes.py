"""Fixes from a new-user review at 1280×800: room for lettering, page navigation, feedback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtTest import QTest

from studio.core.lettering import CAPTION_FILLS, Lettering
from studio.ui.main_window import MainWindow, window_settings
from tests.ui.test_letter_editor import drag, first_balloon, open_editor, view_point
from tests.ui.test_page_layout import _open, _page_pixels

SHOTS = Path("/tmp/ui_shots")


def _shown(qtbot: Any, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: _page_pixels(window) is not None, timeout=10_000)


# ------------------------------------------------------------- lettering room
def test_lettering_takes_the_room_and_back_restores_it(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    ws = window.workspace
    assert not ws.tabs.isVisible() and not ws.inspector.isVisible()
    assert not window.jobs_dock.isVisible()
    qtbot.wait(50)
    art = editor.view.mapFromScene(editor.art.sceneBoundingRect()).boundingRect()
    viewport = editor.view.viewport().rect()
    assert art.height() >= 0.8 * viewport.height() or art.width() >= 0.8 * viewport.width()
    assert viewport.contains(art.adjusted(1, 1, -1, -1))  # fitted, aspect kept, all visible
    editor.back.click()
    assert window.jobs_dock.isVisible()  # the project has jobs: the dock is back
    sizes = ws.sizes()
    ws.open_letters(0, 1)
    assert not window.jobs_dock.isVisible() and not ws.inspector.isVisible()
    QTest.keyClick(editor.view, Qt.Key.Key_Escape)
    assert not ws.book.editor_shown()
    assert ws.tabs.isVisible() and ws.inspector.isVisible() and window.jobs_dock.isVisible()
    assert ws.sizes() == sizes


def test_jobs_dock_stays_while_jobs_exist_and_remembers_being_closed(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    open_editor(qtbot, window, tmp_path)  # generates: the dock opened itself
    window.workspace.close_letters()
    assert window.jobs_dock.isVisible()  # the job ended; the dock shows how
    assert window.jobs.model.rowCount() == 1
    window.jobs_dock.close()  # the person closes it: remembered
    assert window_settings().value("jobs_closed") in (True, "true")
    window.on_generate()
    project = window.session.project  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: all(j.state.terminal for j in project.jobs()), timeout=20_000)
    assert not window.jobs_dock.isVisible()
    window.actions_.jobs.trigger()  # View ▸ Jobs opens it again, also remembered
    assert window.jobs_dock.isVisible()
    assert window_settings().value("jobs_closed") in (False, "false")


# ------------------------------------------------------------------ page view
def test_page_view_pages_through_the_book_and_fits_the_page(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    window.resize(1280, 800)
    _open(qtbot, window, tmp_path / "p.comic", [["a", "b"], ["c", "d", "e"], ["f"]])
    book = window.workspace.book
    assert not hasattr(book, "letter_button")  # one way: the toolbar, Ctrl+L, double-click
    book.page_toggle.setChecked(True)
    _shown(qtbot, window)
    assert book.page_number.text() == "Page 1 of 3" and not book.previous_page.isEnabled()
    pixmap = book.page_label.pixmap().deviceIndependentSize()
    viewport = book.page_scroll.viewport().size()
    assert pixmap.height() <= viewport.height() and pixmap.width() <= viewport.width()
    assert pixmap.height() >= viewport.height() - 20  # a tall page fills the height
    first = _page_pixels(window)
    book.next_page.click()
    assert book.page_number.text() == "Page 2 of 3"
    assert window.workspace.inspector.where() == (1, 0)
    qtbot.waitUntil(lambda: _page_pixels(window) not in (None, first), timeout=10_000)
    window.activateWindow()
    book.page_scroll.setFocus()
    QTest.keyClick(book.page_scroll, Qt.Key.Key_PageDown)
    assert book.page_number.text() == "Page 3 of 3" and not book.next_page.isEnabled()
    QTest.keyClick(book.page_scroll, Qt.Key.Key_PageUp)
    QTest.keyClick(book.page_scroll, Qt.Key.Key_PageUp)
    assert book.page_number.text() == "Page 1 of 3"
    summary = book.summary
    assert summary.text() == "3 pages · 6 panels"
    assert summary.width() >= summary.sizeHint().width()  # not clipped
    right = summary.mapTo(book, summary.rect().topRight()).x()
    assert right < book.page_toggle.mapTo(book, book.page_toggle.rect().topLeft()).x()
    if SHOTS.exists():
        window.grab().save(str(SHOTS / "page-view-nav.png"))


def test_template_row_reveals_the_current_thumbnail(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    window.resize(1280, 800)
    _open(qtbot, window, tmp_path / "t.comic", [["a", "b", "c", "d"]])
    book = window.workspace.book
    book.page_toggle.setChecked(True)
    _shown(qtbot, window)
    chooser = book.templates
    last = list(chooser.buttons())[-1]
    assert window.page_layout.set_template(0, last)
    qtbot.wait(20)
    button = chooser.buttons()[last]
    viewport = chooser.scroll.viewport()
    spot = QRect(button.mapTo(viewport, button.rect().topLeft()), button.size())
    assert viewport.rect().contains(spot), (spot, viewport.rect())


# -------------------------------------------------------------- editor details
def test_kind_change_resets_usual_fill_and_blank_selection(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    oid = first_balloon(editor)
    editor.select([oid])
    controls = editor.controls
    controls.kind.setCurrentIndex(controls.kind.findData("caption"))
    controls.fill.setCurrentIndex(controls.fill.findData(CAPTION_FILLS[1]))
    controls.kind.setCurrentIndex(controls.kind.findData("speech"))
    item = next(i for i in editor.items() if i.id == oid)
    assert (item.kind, item.fill, item.fill_colour) == ("speech", "", "#ffffff")
    controls.fill.setCurrentIndex(controls.fill.findData("#e8412c"))  # chosen by hand: kept
    controls.kind.setCurrentIndex(controls.kind.findData("shout"))
    assert next(i for i in editor.items() if i.id == oid).fill == "#e8412c"
    editor.scene.clearSelection()
    assert controls.kind.currentIndex() == -1 and controls.fill.currentIndex() == -1
    assert controls.size.text() == "" and not controls.selected_box.isEnabled()
    editor.select([oid])
    assert controls.kind.currentData() == "shout" and controls.size.text() == "100 %"


def test_drag_keeps_box_in_frame_and_new_objects_find_free_space(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    oid = first_balloon(editor)
    editor.select([oid])
    view = editor.item_view(oid)
    fw, fh = editor._source.frame  # type: ignore[union-attr]
    start = view_point(editor, view.box_rect().center())
    drag(editor, start, view_point(editor, QPointF(-0.5 * fw, 1.4 * fh)))
    moved = next(i for i in editor.items() if i.id == oid)
    assert moved.x == 0.0 and abs(moved.y + moved.h - 1.0) < 1e-9
    handle = view.handle("se")
    corner = view_point(editor, handle.scenePos())
    drag(editor, corner, view_point(editor, QPointF(1.6 * fw, 1.6 * fh)))
    resized = next(i for i in editor.items() if i.id == oid)
    assert resized.x + resized.w <= 1.0 + 1e-9 and resized.y + resized.h <= 1.0 + 1e-9
    editor.add("balloon")
    editor.editing().finish(True)  # type: ignore[union-attr]
    editor.add("caption")
    editor.editing().finish(True)  # type: ignore[union-attr]
    items = editor.items()
    boxes = [_box(i) for i in items]
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            assert not a.intersects(b), (a, b)
    caption = items[-1]
    assert caption.kind == "caption" and caption.y < 0.2


def _box(item: Lettering) -> QRectF:
    return QRectF(item.x, item.y, item.w, item.h)


# -------------------------------------------------------------------- feedback
def test_undo_redo_and_book_format_say_what_happened(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    editor = open_editor(qtbot, window, tmp_path)
    oid = first_balloon(editor)
    editor.select([oid])
    editor.delete_selected()
    window.actions_.undo.trigger()
    assert window.statusBar().currentMessage() == "Undid: Delete lettering"
    window.actions_.redo.trigger()
    assert window.statusBar().currentMessage() == "Redid: Delete lettering"


def test_story_tab_shows_the_real_book_shape(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    _open(qtbot, window, tmp_path / "s.comic", [["a", "b", "c"], ["d", "e", "f"]])
    story = window.workspace.story_editor
    assert (story.pages.value(), story.panels.value()) == (1, 4)
    assert not story.book_shape.isHidden()
    assert story.book_shape.text() == "Book: 2 pages, 6 panels (from the script)"
    story.pages.setValue(2)
    story.panels.setValue(3)
    qtbot.waitUntil(lambda: story.book_shape.isHidden())
