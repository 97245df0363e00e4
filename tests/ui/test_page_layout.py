"""Page layout in the window: template chooser, dragging panels, the Book format dialog."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog

from studio.core.models import BookFormat, ReadingDirection, Script, ScriptPage, ScriptPanel, Story
from studio.render.layout import templates_for
from studio.settings import load_settings
from studio.storage import Project
from studio.ui.book_view import compose_page_image
from studio.ui.dialogs.book_dialog import BookFormatDialog
from studio.ui.main_window import MainWindow
from studio.ui.panel_grid import PANEL_MIME

SHOTS = Path("/tmp/ui_shots")
COLOURS = [(200, 60, 60), (60, 160, 80), (60, 90, 200), (220, 190, 40), (150, 70, 190)]


def _png(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (96, 96), colour).save(buf, "PNG")
    return buf.getvalue()


def _open(qtbot: Any, window: MainWindow, path: Path, pages: list[list[str]]) -> Project:
    with Project.create(path, Story(title="Layout")) as project:
        script = Script([ScriptPage([ScriptPanel(t) for t in page]) for page in pages])
        project.set_script(script)
        for i, page in enumerate(project.pages()):
            for j, panel in enumerate(page.panels):
                colour = COLOURS[(i + j) % len(COLOURS)]
                project.add_version(panel.id, _png(colour), provider="local")
    window.open_project(path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10_000)
    assert window.session is not None
    return window.session.project


def _texts(project: Project) -> list[list[str]]:
    return [[p.script.description for p in page.panels] for page in project.pages()]


def _page_pixels(window: MainWindow) -> bytes | None:
    pixmap = window.workspace.book.page_label.pixmap()
    if pixmap is None or pixmap.isNull():
        return None
    image = pixmap.toImage()
    return bytes(image.constBits())


def test_choosing_a_template_reflows_the_page(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    project = _open(qtbot, window, tmp_path / "t.comic", [["a", "b", "c", "d"]])
    book = window.workspace.book
    book.page_toggle.setChecked(True)
    qtbot.waitUntil(lambda: _page_pixels(window) is not None, timeout=10_000)
    before_pixels = _page_pixels(window)
    before = compose_page_image(project, 0, False)
    chooser = book.templates
    buttons = chooser.buttons()
    assert list(buttons) == templates_for(4) and chooser.current() == "grid"
    assert {"establishing", "1-2-1", "wide-top"} <= set(buttons)
    qtbot.mouseClick(buttons["establishing"], Qt.MouseButton.LeftButton)
    assert project.page(0).template == "establishing"
    assert chooser.current() == "establishing"
    assert chooser.name.text() == "Establishing shot"
    assert compose_page_image(project, 0, False) != before
    qtbot.waitUntil(lambda: _page_pixels(window) not in (None, before_pixels), timeout=10_000)
    if SHOTS.exists():
        window.grab().save(str(SHOTS / "page-layout.png"))
    window.on_undo()
    assert project.page(0).template == ""
    assert chooser.current() == "grid"
    window.on_redo()
    assert project.page(0).template == "establishing"


def test_drop_a_panel_on_another_page_through_the_model(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    project = _open(qtbot, window, tmp_path / "m.comic", [["a", "b", "c"], ["d", "e"]])
    model = window.workspace.model
    moved = model.panel(0, 1)
    assert moved is not None
    mime = model.mimeData([model.index(0, 1)])
    assert mime.hasFormat(PANEL_MIME)
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, model.index(1, 0))
    assert _texts(project) == [["a", "c"], ["b", "d", "e"]]
    assert model.panel(1, 0) is not None and model.panel(1, 0).id == moved.id  # grid refreshed
    assert window.workspace.inspector.where() == (1, 0)  # the moved panel stays selected
    window.on_undo()
    assert _texts(project) == [["a", "b", "c"], ["d", "e"]]
    assert model.panel(0, 1) is not None and model.panel(0, 1).id == moved.id


def _drop_at(grid: Any, mime: QMimeData, point: QPoint) -> None:
    viewport = grid.viewport()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    enter = QDragEnterEvent(point, Qt.DropAction.MoveAction, mime, buttons, keys)
    QApplication.sendEvent(viewport, enter)  # makes the grid the drag's current target
    assert enter.isAccepted()
    move = QDragMoveEvent(
        point, Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    )
    QApplication.sendEvent(viewport, move)
    assert move.isAccepted() and grid._drop is not None  # the drop bar is shown
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier(0),
    )
    QApplication.sendEvent(viewport, drop)


@pytest.mark.parametrize("rtl", [False, True])
def test_drag_events_reorder_within_a_page(
    qtbot: Any, window: MainWindow, tmp_path: Path, rtl: bool
) -> None:
    project = _open(qtbot, window, tmp_path / "d.comic", [["a", "b", "c", "d"]])
    if rtl:
        story = project.story
        story.direction = ReadingDirection.rtl
        project.set_story(story)
        window.session.notify_story()  # type: ignore[union-attr]
    grid = window.workspace.grid
    assert (grid.layoutDirection() == Qt.LayoutDirection.RightToLeft) is rtl
    model = window.workspace.model
    mime = model.mimeData([model.index(0, 0)])
    cell = grid.visualRect(model.index(0, 2))
    after = cell.left() + 10 if rtl else cell.right() - 10  # past the middle, reading-wise
    assert grid.insertion_at(after, cell.center().y()) == (0, 3)
    _drop_at(grid, mime, QPoint(after, cell.center().y()))
    assert _texts(project) == [["b", "c", "a", "d"]]
    window.on_undo()
    assert _texts(project) == [["a", "b", "c", "d"]]


def test_a_full_page_refuses_with_a_status_message(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    full = [f"p{i}" for i in range(20)]
    project = _open(qtbot, window, tmp_path / "f.comic", [full, ["x", "y"]])
    model = window.workspace.model
    mime = model.mimeData([model.index(1, 0)])
    assert not model.accepts(model.panel(1, 0).id, 0)  # type: ignore[union-attr]
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 5, QModelIndex())
    assert _texts(project) == [full, ["x", "y"]]
    assert "already holds 20 panels" in window.statusBar().currentMessage()
    assert not window.session.undo.canUndo()  # type: ignore[union-attr]


def test_moving_the_last_panel_out_removes_its_page_and_undo_restores_it(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    project = _open(qtbot, window, tmp_path / "e.comic", [["a", "b"], ["c"], ["d"]])
    model = window.workspace.model
    model.dropMimeData(
        model.mimeData([model.index(1, 0)]), Qt.DropAction.MoveAction, 0, -1, QModelIndex()
    )
    assert _texts(project) == [["a", "b", "c"], ["d"]]
    assert model.rowCount() == 2
    assert "removed" in window.statusBar().currentMessage()
    window.on_undo()
    assert _texts(project) == [["a", "b"], ["c"], ["d"]]
    assert model.rowCount() == 3


def test_book_format_dialog_from_the_menu_is_undoable(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    project = _open(qtbot, window, tmp_path / "b.comic", [["a", "b", "c"]])
    seen: list[str] = []

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BookFormatDialog)
        dialog.page_size.setCurrentIndex(dialog.page_size.findData("a4"))
        dialog.bleed.setValue(0.125)
        dialog.margin.setValue(6)
        dialog.reading.setCurrentIndex(1)
        seen.append(dialog.bleed_hint.text())
        if SHOTS.exists():
            dialog.grab().save(str(SHOTS / "book-format.png"))
        dialog.accept()

    QTimer.singleShot(0, fill)
    window.actions_.book_format.trigger()
    assert seen == ["19 px per side"]
    story = project.story
    assert story.book_format == BookFormat(page_size="a4", margin=0.06, bleed=0.125)
    assert story.rtl
    assert window.workspace.grid.layoutDirection() == Qt.LayoutDirection.RightToLeft
    window.on_undo()
    assert project.story.book_format == BookFormat()
    assert not project.story.rtl
    assert window.workspace.grid.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_new_books_take_the_default_page_size_from_the_dialog(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    dialog = BookFormatDialog(window, BookFormat(), ReadingDirection.ltr)
    qtbot.addWidget(dialog)
    dialog.page_size.setCurrentIndex(dialog.page_size.findData("webtoon"))
    dialog.make_default.setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_settings().page_size == "webtoon"
    window.new_project(tmp_path / "w.comic")
    assert window.session is not None
    assert window.session.project.story.book_format.page_size == "webtoon"


def test_the_chooser_mirrors_for_right_to_left_books(qtbot: Any) -> None:
    from studio.ui.page_layout import TemplateChooser, template_pixmap

    chooser = TemplateChooser()
    qtbot.addWidget(chooser)
    chooser.show_page(5, "2-1-2", BookFormat(), True)
    assert chooser.current() == "2-1-2" and chooser.name.text() == "Tiers 2-1-2"
    ltr = _tinted_sides(template_pixmap(5, "2-1-2", BookFormat(), False).toImage())
    rtl = _tinted_sides(template_pixmap(5, "2-1-2", BookFormat(), True).toImage())
    assert ltr[0] > 20 and ltr[1] == 0  # panel 1 (tinted) sits top-left…
    assert rtl[1] > 20 and rtl[0] == 0  # …and top-right in a right-to-left book
    chooser.show_page(0, "", BookFormat(), False)
    assert not chooser.isEnabled() and chooser.buttons() == {}


def _tinted_sides(image: Any) -> tuple[int, int]:
    """How many clearly blue pixels the left and right halves of a thumbnail have."""
    counts = [0, 0]
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if c.alpha() > 200 and c.blue() - c.red() > 40:
                counts[0 if x < image.width() / 2 else 1] += 1
    return counts[0], counts[1]
