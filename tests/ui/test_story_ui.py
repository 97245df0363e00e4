"""The story in the window: the notice after Generate, the automatic cast, the shot editor."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conftest import run_async  # noqa: F401 - the window fixture needs it loaded
from PySide6.QtWidgets import QApplication

from studio.core.models import Character
from studio.ui.main_window import MainWindow

LONG_STORY = (
    "Mira explores an old library at night and finds a magic door. She opens it with a "
    'brass key. Leo follows her inside, holding a lantern. "Where are we?" Leo whispers. '
    "The storm breaks outside. Next morning, they wake in a forest. Mira laughs. "
    "Close-up: a letter on the ground. He reads the letter. They walk to a cabin by a river."
)


def _jobs_done(qtbot: Any, window: MainWindow) -> None:
    project = window.session.project  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: all(j.state.terminal for j in project.jobs()), timeout=30_000)


def _open_story(window: MainWindow, path: Path) -> None:
    window.new_project(path)
    window.workspace.story_editor.prompt.setPlainText(LONG_STORY)
    window.workspace.story_editor.pages.setValue(2)
    window.workspace.story_editor.panels.setValue(6)


def test_generate_shows_the_notice_and_the_automatic_cast(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    _open_story(window, tmp_path / "story.comic")
    window.job_actions.generate()
    assert window.session is not None
    qtbot.waitUntil(lambda: "edit them in the Script tab" in window.toast.text())
    assert "12 panels on 2 pages" in window.toast.text()
    cast = window.session.project.characters()
    assert [c.name for c in cast if c.auto] == ["Mira", "Leo"]
    editor = window.workspace.cast_editor
    labels = [editor.list.item(i).text() for i in range(editor.list.count())]
    assert all("automatic" in label for label in labels)
    _jobs_done(qtbot, window)


def test_the_inspector_edits_the_shot_undoably_and_resets(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    _open_story(window, tmp_path / "shot.comic")
    window.job_actions.generate()
    assert window.session is not None
    session = window.session
    qtbot.waitUntil(lambda: session.project.panel_count() == 12)
    window.workspace.select_panel(0, 1)
    inspector = window.workspace.inspector
    panel = session.project.panel_at(0, 1)
    assert panel.script.shot is not None
    assert inspector.shot.framing.currentText() == panel.script.shot.framing
    inspector.shot.framing.setCurrentText("extreme-close-up")
    stored = session.project.panel_at(0, 1).script
    assert stored.shot is not None and stored.shot.framing == "extreme-close-up"
    assert stored.shot_edited
    # The edit sticks when the description changes.
    from studio.ui.undo import PanelScriptEdit

    changed = stored.__class__(**{**stored.__dict__, "description": "Mira runs away."})
    session.undo.push(PanelScriptEdit(session, panel.id, stored, changed, "description"))
    assert session.project.panel_at(0, 1).script.shot.framing == "extreme-close-up"
    inspector.shot.reset.click()
    after = session.project.panel_at(0, 1).script
    assert not after.shot_edited and after.shot is not None
    assert after.shot.figures and after.shot.figures[0].action == "run"
    session.undo.undo()
    assert session.project.panel_at(0, 1).script.shot_edited
    _jobs_done(qtbot, window)
    if os.environ.get("STORY_SHOTS"):
        window.resize(1400, 1000)
        QApplication.processEvents()
        inspector.grab().save("/tmp/story_inspector.png")
        window.grab().save("/tmp/story_window.png")
        window.workspace.tabs.setCurrentIndex(
            next(
                i
                for i in range(window.workspace.tabs.count())
                if window.workspace.tabs.tabText(i) == "Script"
            )
        )
        QApplication.processEvents()
        window.grab().save("/tmp/story_script_tab.png")


def test_a_typed_cast_is_not_duplicated(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    _open_story(window, tmp_path / "typed.comic")
    assert window.session is not None
    window.session.project.set_characters([Character("Mira", gender="female")])
    window.job_actions.generate()
    qtbot.waitUntil(lambda: window.session.project.panel_count() == 12)
    names = [c.name for c in window.session.project.characters()]
    assert names == ["Mira", "Leo"]
    _jobs_done(qtbot, window)
