"""The main window's core flows, driven through real project files and the local provider."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import run_async
from PIL import Image
from PySide6.QtCore import Qt

from studio.core.models import Character, JobKind, JobState, Story
from studio.storage import Project
from studio.ui.main_window import MainWindow, window_settings
from studio.ui.panel_grid import ShaRole
from studio.ui.undo import CastReplace

SHOTS = Path("/tmp/ui_shots")
PROMPT = (
    "Page 1: Panel 1: Mia opens the door. Panel 2: Tom waves from the garden. "
    "Panel 3: They run to the lake. Panel 4: The sun sets over the water."
)


def wait_jobs_done(qtbot: Any, w: MainWindow, timeout: int = 20_000) -> None:
    assert w.session is not None
    project = w.session.project
    qtbot.waitUntil(
        lambda: bool(project.jobs()) and all(j.state.terminal for j in project.jobs()),
        timeout=timeout,
    )


def wait_thumbs(qtbot: Any, w: MainWindow) -> None:
    model = w.workspace.model

    def loaded() -> bool:
        for pid in model.panel_ids():
            idx = model.index_of(pid)
            if idx.data(ShaRole) is None:
                return False
            if idx.data(Qt.ItemDataRole.DecorationRole) is None:  # asks the cache, then waits
                return False
        return True

    qtbot.waitUntil(loaded, timeout=10_000)


def new_story(w: MainWindow, path: Path, prompt: str = PROMPT) -> None:
    w.new_project(path)
    editor = w.workspace.story_editor
    editor.prompt.setPlainText(prompt)


def png(colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buf, "PNG")
    return buf.getvalue()


def shot(w: MainWindow, name: str) -> None:
    if SHOTS.exists():
        w.grab().save(str(SHOTS / f"{name}.png"))


# ------------------------------------------------------------------ flows
def test_welcome_then_new_project(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    assert window.stack.currentWidget() is window.welcome
    assert not window.actions_.generate.isEnabled()
    shot(window, "welcome")
    window.new_project(tmp_path / "my_comic.comic")
    assert window.session is not None
    assert window.stack.currentWidget() is window.workspace
    assert window.windowTitle() == "my_comic — Comic Studio"
    assert window.actions_.generate.isEnabled()
    assert str((tmp_path / "my_comic.comic").resolve()) in window.welcome_recent()


def test_sample_story_renders_with_thumbnails(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    window.open_sample(tmp_path / "sample.comic")
    wait_jobs_done(qtbot, window)
    assert window.session is not None
    assert [j.state for j in window.session.project.jobs()] == [JobState.succeeded]
    assert window.workspace.model.rowCount() == 1
    assert len(window.workspace.model.panel_ids()) == 4
    wait_thumbs(qtbot, window)
    assert window.jobs.model.rowCount() == 1
    assert "finished" in window.toast.text()
    shot(window, "main")


def test_story_edits_undo_redo(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    window.new_project(tmp_path / "s.comic")
    session = window.session
    assert session is not None
    editor = window.workspace.story_editor
    editor.title.setText("The Big Day")
    editor.title.editingFinished.emit()
    editor.prompt.setPlainText("A dog finds a bone.")
    editor.panels.setValue(6)
    story = session.project.story
    assert (story.title, story.prompt, story.layout.panels_per_page) == (
        "The Big Day",
        "A dog finds a bone.",
        6,
    )
    window.on_undo()
    assert session.project.story.layout.panels_per_page == 4
    window.on_undo()  # the prompt typing merged into one step
    assert session.project.story.prompt == ""
    window.on_undo()
    assert session.project.story.title == "s"
    assert editor.title.text() == "s"
    window.on_redo()
    window.on_redo()
    assert session.project.story.prompt == "A dog finds a bone."
    assert editor.prompt.toPlainText() == "A dog finds a bone."


def test_provider_capabilities_disable_fields(window: MainWindow, tmp_path: Path) -> None:
    window.new_project(tmp_path / "c.comic")
    editor = window.workspace.story_editor
    assert not editor.upscale.isEnabled()
    assert "offline renderer" in editor.upscale.toolTip()
    assert "free" in editor.price.text()
    llama = editor.provider.findData("llamagen")
    if llama >= 0:
        editor.provider.setCurrentIndex(llama)
        assert window.session is not None
        assert window.session.project.story.provider == "llamagen"
        assert editor.price.text()


def test_cast_with_reference_image(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    window.new_project(tmp_path / "cast.comic")
    session = window.session
    assert session is not None
    image = tmp_path / "mia.png"
    image.write_bytes(png())
    cast = window.workspace.cast_editor
    if cast is not None:
        assert cast.add("Mia")
        assert cast.set_image_file(image)
    else:
        sha = session.project.put_asset(image.read_bytes())
        session.undo.push(CastReplace(session, [Character("Mia", image_asset=sha)]))
    [mia] = session.project.characters()
    assert mia.name == "Mia" and mia.image_asset
    window.on_undo()
    assert not session.project.characters()[0].image_asset if cast else True


def test_generate_redraw_versions_and_undo(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    new_story(window, tmp_path / "g.comic")
    session = window.session
    assert session is not None
    states: list[JobState] = []
    session.bridge.job_changed.connect(lambda job: states.append(job.state))
    window.on_generate()
    wait_jobs_done(qtbot, window)
    assert states[0] in (JobState.submitting, JobState.draft)
    assert JobState.running in states and states[-1] is JobState.succeeded
    wait_thumbs(qtbot, window)
    assert window.jobs.model.data(window.jobs.model.index(0, 3)) == "succeeded"

    window.workspace.select_panel(0, 1)
    inspector = window.workspace.inspector
    assert inspector.where() == (0, 1)
    inspector.description.setPlainText("Tom waves, now in the rain.")
    window.on_redraw()
    qtbot.waitUntil(lambda: len(session.project.jobs()) == 2)
    wait_jobs_done(qtbot, window)
    panel = session.project.panel_at(0, 1)
    versions = session.project.versions(panel.id)
    assert len(versions) == 2 and panel.current_version == versions[1].id
    assert panel.script.description == "Tom waves, now in the rain."
    qtbot.waitUntil(lambda: inspector.strip.count() == 2)
    shot(window, "inspector")

    inspector.strip.make_current.emit(versions[0].id)  # what a double-click sends
    assert session.project.panel_at(0, 1).current_version == versions[0].id
    qtbot.waitUntil(lambda: window.workspace.model.index(0, 1).data(ShaRole) == versions[0].asset)
    window.on_undo()
    assert session.project.panel_at(0, 1).current_version == versions[1].id
    inspector.strip.item(0).setSelected(True)
    inspector.strip.item(1).setSelected(True)
    assert inspector.compare.isEnabled()


def test_script_editor_edits_are_kept(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    new_story(window, tmp_path / "sc.comic")
    session = window.session
    assert session is not None
    script = window.workspace.script_editor
    script.derive.click()
    assert session.project.panel_count() == 4
    assert not session.project.script_edited
    page = script.tree.topLevelItem(0)
    row = page.child(2)
    row.setText(4, "Later that day…")
    sp = session.project.panel_at(0, 2).script
    assert sp.caption == "Later that day…"
    assert session.project.script_edited
    row = script.tree.topLevelItem(0).child(2)
    row.setText(5, "Mia: Race you! | Tom: No fair!")
    sp = session.project.panel_at(0, 2).script
    assert [(d.speaker, d.text) for d in sp.dialogue] == [("Mia", "Race you!"), ("Tom", "No fair!")]
    window.on_undo()
    window.on_undo()
    assert session.project.panel_at(0, 2).script.caption == ""
    assert not session.project.script_edited


def test_continue_adds_pages(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    new_story(window, tmp_path / "cont.comic")
    window.on_generate()
    wait_jobs_done(qtbot, window)
    job = window.job_actions.continue_with("Next morning they sail away.", 1, 3, False)
    assert job is not None and job.kind is JobKind.continue_
    wait_jobs_done(qtbot, window)
    model = window.workspace.model
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert [model.panel(1, i) is not None for i in range(3)] == [True] * 3
    wait_thumbs(qtbot, window)


def test_job_monitor_cancel_and_retry(
    qtbot: Any, window: MainWindow, tmp_path: Path, answer_yes: list[str]
) -> None:
    new_story(window, tmp_path / "cancel.comic", prompt="A long day. " * 30)
    session = window.session
    assert session is not None
    window.workspace.story_editor.pages.setValue(3)
    window.workspace.story_editor.panels.setValue(8)
    job = window.job_actions.generate()
    assert job is not None
    window.jobs.select_job(job.id)
    assert window.jobs.cancel.isEnabled()
    window.jobs.cancel.click()
    qtbot.waitUntil(lambda: session.project.job(job.id).state is JobState.cancelled)
    assert "nothing was billed" in session.project.job(job.id).message.lower()
    qtbot.waitUntil(lambda: window.jobs.retry.isEnabled())
    window.jobs.retry.click()
    qtbot.waitUntil(lambda: session.project.job(job.id).state is JobState.succeeded, timeout=30_000)
    assert answer_yes == []  # local retries never bill, so no confirmation


def test_reopen_finds_everything_and_resumes(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "reopen.comic"
    new_story(window, path)
    window.on_generate()
    wait_jobs_done(qtbot, window)
    assert window.session is not None
    pending = window.session.project.create_job("local", JobKind.create, {"prompt": PROMPT})
    window.close_project()
    qtbot.waitUntil(lambda: window.runner.pending() == 0)
    assert window.stack.currentWidget() is window.welcome
    window.open_project(path)
    qtbot.waitUntil(lambda: window.session is not None)
    project = window.session.project
    assert project.story.prompt == PROMPT
    qtbot.waitUntil(lambda: project.job(pending.id).state is JobState.succeeded)
    assert window.jobs.model.rowCount() == 2
    assert len(project.versions(project.panel_at(0, 0).id)) == 2
    wait_thumbs(qtbot, window)


def test_close_with_running_jobs_asks_once(
    qtbot: Any, window: MainWindow, tmp_path: Path, answer_yes: list[str]
) -> None:
    new_story(window, tmp_path / "quit.comic", prompt="A long day. " * 30)
    window.workspace.story_editor.pages.setValue(4)
    window.workspace.story_editor.panels.setValue(8)
    job = window.job_actions.generate()
    assert job is not None and window.session is not None
    window.close()
    assert len(answer_yes) == 1 and "jobs run" in answer_yes[0]
    project = window.session.project
    run_async(qtbot, window.shutdown())
    reopened = Project.open(project.path)
    assert reopened.job(job.id).state.active  # left resumable
    reopened.close()


def test_generate_validates_first(window: MainWindow, tmp_path: Path) -> None:
    window.new_project(tmp_path / "empty.comic")
    assert window.job_actions.generate() is None
    assert "empty" in window.workspace.story_editor.error.text()
    assert window.session is not None and not window.session.project.jobs()


@pytest.mark.skipif(
    importlib.util.find_spec("studio.ui.dialogs.export_dialog") is None, reason="no export dialog"
)
def test_export_dialog_from_window(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    pytest.importorskip("studio.render.book")
    from studio.ui.dialogs.export_dialog import ExportDialog

    new_story(window, tmp_path / "exp.comic")
    window.on_generate()
    wait_jobs_done(qtbot, window)
    assert window.session is not None
    dialog = ExportDialog(window, window.session.project, window.runner)
    qtbot.addWidget(dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("cbz"))
    dialog.set_target(tmp_path / "exp.cbz")
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert (tmp_path / "exp.cbz").stat().st_size > 0


def test_layout_restored(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    from studio.app import make_session

    window.workspace.grid.set_zoom(4)
    window.resize(700, 500)
    window._save_layout()
    again = MainWindow(window.runner, make_session)  # type: ignore[arg-type]
    qtbot.addWidget(again)
    assert again.workspace.grid.zoom() == 4
    assert again.restoreGeometry(window_settings().value("geometry"))
    assert again.workspace.property("restored")


def test_big_book_grid_is_lazy(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    project = Project.create(tmp_path / "big.comic", Story(prompt="x"))
    data = png()
    from studio.core.models import ScriptPanel

    with project.transaction():
        for _ in range(200):
            page = project.append_page([ScriptPanel(description="d")] * 4)
            for panel in page.panels:
                project.add_version(panel.id, data, provider="local")
    project.close()
    window.open_project(tmp_path / "big.comic")
    qtbot.waitUntil(lambda: window.session is not None)
    model = window.workspace.model
    assert model.rowCount() == 200 and len(model.panel_ids()) == 800
    qtbot.waitUntil(lambda: len(window.workspace.thumbs) > 0)
    assert len(window.workspace.thumbs) < 200  # only what was painted was loaded
    window.workspace.grid.select_panel(199, 3)
    assert window.workspace.inspector.where() == (199, 3)


def test_a_project_with_missing_images_opens_read_only(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    import hashlib
    import sqlite3

    path = tmp_path / "holes.comic"
    new_story(window, path)
    window.on_generate()
    wait_jobs_done(qtbot, window)
    assert window.session is not None
    sha = window.session.project.current_versions()[window.session.project.panel_at(0, 1).id].asset
    window.close_project()
    qtbot.waitUntil(lambda: window.runner.pending() == 0)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM assets WHERE sha256=?", (sha,))
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    window.open_project(path)
    qtbot.waitUntil(lambda: window.session is not None)
    assert window.session.project.read_only
    assert "read-only" in window.windowTitle()
    assert "read-only" in window.statusBar().currentMessage()
    assert "1 image(s)" in window.read_only_notice.informativeText()
    assert not window.actions_.generate.isEnabled()
    assert not window.actions_.continue_.isEnabled()
    assert not window.workspace.tabs.isEnabled()
    assert window.workspace.model.rowCount() == 1  # the healthy part is shown
    window.read_only_notice.done(0)
    window.close_project()
    qtbot.waitUntil(lambda: window.runner.pending() == 0)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
