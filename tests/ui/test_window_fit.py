"""The window follows the provider's capabilities, draws one state per grid cell and fits a
page's panels into the width (issues #20 items 3 and 6, #16 item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint
from test_window import PROMPT, new_story, wait_jobs_done, wait_thumbs

from studio.ui.main_window import MainWindow
from studio.ui.panel_delegate import cell_state


def _pick(window: MainWindow, provider: str) -> None:
    editor = window.workspace.story_editor
    editor.provider.setCurrentIndex(editor.provider.findData(provider))
    assert window.session is not None
    assert window.session.project.story.provider == provider


def test_actions_follow_the_provider(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    new_story(window, tmp_path / "caps.comic")
    a = window.actions_
    assert not a.continue_.isEnabled()  # an empty book has nothing to continue
    assert "generate the comic first" in a.continue_.toolTip()
    window.on_generate()
    wait_jobs_done(qtbot, window)
    window.workspace.select_panel(0, 1)
    inspector = window.workspace.inspector
    for provider, redraw, cont in (
        ("cartoonicate", False, False),
        ("storymint", True, False),
        ("depicta", True, False),
        ("llamagen", True, True),
        ("animus", True, True),
    ):
        _pick(window, provider)
        assert a.redraw.isEnabled() is redraw, provider
        assert inspector.redraw.isEnabled() is redraw, provider
        assert a.continue_.isEnabled() is cont, provider
        if not redraw:
            assert a.redraw.toolTip().startswith("Cartoonicate cannot redraw a single panel")
            assert inspector.redraw.toolTip().startswith("Cartoonicate cannot redraw")
        if not cont:
            name = window.workspace.story_editor.provider.currentText()
            assert a.continue_.toolTip().startswith(f"{name} cannot continue a story")
    _pick(window, "depicta")
    assert not a.animate.isEnabled() and "Depicta cannot animate" in a.animate.toolTip()


def test_a_drawing_cell_shows_one_state(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    new_story(window, tmp_path / "cell.comic")
    window.on_generate()
    wait_jobs_done(qtbot, window)
    wait_thumbs(qtbot, window)
    model = window.workspace.model
    index = model.index(0, 0)
    assert cell_state(index) == "image"
    panel_id = model.panel(0, 0).id
    model.set_job_progress([panel_id], 0.4)
    assert cell_state(index) == "drawing"
    # an undrawn panel with a job on it: "Drawing…" only, never "Not drawn yet" beneath
    model._current.pop(panel_id)
    assert cell_state(index) == "drawing"
    grid = window.workspace.grid
    cell = grid.viewport().grab(grid.visualRect(index)).toImage()
    assert not cell.isNull()
    model.set_job_progress([panel_id], None)
    assert cell_state(index) == "empty"


def test_four_panels_fit_at_1280(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    window.resize(1280, 800)
    new_story(window, tmp_path / "fit.comic", prompt=PROMPT)
    window.on_generate()
    wait_jobs_done(qtbot, window)
    grid = window.workspace.grid
    qtbot.waitUntil(lambda: grid.model().columnCount() == 4)
    qtbot.wait(50)
    last = grid.visualRect(grid.model().index(0, 3))
    assert last.right() <= grid.viewport().width()
    assert not grid.horizontalScrollBar().isVisible()


def test_a_notice_covers_no_control(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    window.resize(1280, 800)
    new_story(window, tmp_path / "toast.comic")
    window.on_generate()
    wait_jobs_done(qtbot, window)
    window.workspace.select_panel(0, 0)
    qtbot.waitUntil(window.toast.isVisible)  # "Generation finished" (or how it ended)
    toast = window.toast.geometry().translated(window.toast.parentWidget().mapTo(window, QPoint()))
    redraw = window.workspace.inspector.redraw
    assert redraw.isVisible()
    button = redraw.visibleRegion().boundingRect().translated(redraw.mapTo(window, QPoint()))
    assert not toast.intersects(button)
    assert window.toast.parentWidget() is window.statusBar()
