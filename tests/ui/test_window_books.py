"""Untitled books (#16.3), keyboard shortcuts (#16.6) and provider history (#16.5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import run_async
from provider_fakes import SPECS, ThreadedFake
from test_window_providers import configure, open_book, wait_job, wait_remote

from studio.core.models import JobState
from studio.settings import data_dir, load_settings
from studio.ui import book_files
from studio.ui.history_dialog import HistoryDialog
from studio.ui.main_window import MainWindow
from studio.ui.shortcuts_dialog import ShortcutsDialog, menu_rows


def test_new_comic_is_an_untitled_book_saved_as_a_named_file(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.on_new()  # no file dialog: the book opens at once
    assert window.session is not None
    untitled = Path(window.session.project.path)
    assert untitled.parent == data_dir() / "untitled" and untitled.exists()
    assert str(untitled.resolve()) in load_settings().recent_files
    window.workspace.story_editor.prompt.setPlainText("A lighthouse at dusk.")
    qtbot.waitUntil(lambda: window.session.project.story.prompt == "A lighthouse at dusk.")  # type: ignore[union-attr]

    target = tmp_path / "Lighthouse.comic"
    monkeypatch.setattr(
        book_files.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    window.on_save()  # an untitled book: Save asks for a name
    qtbot.waitUntil(
        lambda: window.session is not None and Path(window.session.project.path) == target,
        timeout=10_000,
    )
    assert window.session.project.story.prompt == "A lighthouse at dusk."
    qtbot.waitUntil(lambda: not untitled.exists())
    recent = load_settings().recent_files
    assert str(target.resolve()) in recent and str(untitled.resolve()) not in recent
    assert not window.files.untitled()


def test_closing_an_untitled_book_asks(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.on_new()
    path = Path(window.session.project.path)  # type: ignore[union-attr]
    asked: list[str] = []
    answer = "cancel"

    def ask(_parent: object, verb: str) -> str:
        asked.append(verb)
        return answer

    monkeypatch.setattr(book_files, "ask_untitled", ask)
    window.close()
    assert asked == ["Quit"] and window.isVisible() and window.session is not None
    answer = "discard"
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    run_async(qtbot, window.shutdown())
    assert not path.exists()
    assert str(path.resolve()) not in load_settings().recent_files


def test_an_untitled_book_is_recovered_after_a_crash(qtbot: Any, window: MainWindow) -> None:
    from studio.ui.main import create_window

    window.on_new()
    window.workspace.story_editor.prompt.setPlainText("Kept after a crash.")
    path = Path(window.session.project.path)  # type: ignore[union-attr]
    window._closing_confirmed = True  # (the fixture's close: no question)
    # the process dies here; the next start opens the last project: the untitled book
    again = create_window(window.runner)
    qtbot.addWidget(again)
    try:
        qtbot.waitUntil(lambda: again.session is not None, timeout=10_000)
        assert Path(again.session.project.path) == path  # type: ignore[union-attr]
        assert again.session.project.story.prompt == "Kept after a crash."  # type: ignore[union-attr]
        assert again.files.untitled()
    finally:
        again._closing_confirmed = True
        again.close()
        run_async(qtbot, again.shutdown())


def test_every_menu_action_has_a_key_and_is_listed(qtbot: Any, window: MainWindow) -> None:
    rows = menu_rows(window.menuBar())
    assert len(rows) >= 20
    missing = [f"{menu} ▸ {name}" for menu, name, keys in rows if not keys]
    assert missing == []
    shortcuts = {name: keys for _m, name, keys in rows}
    assert shortcuts["Keyboard shortcuts"].startswith("Ctrl+/")
    assert "Alt+F, S" in shortcuts["Save"]
    dialog = ShortcutsDialog(window, window.menuBar())
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(rows)
    toolbar = [a for a in window.findChildren(type(window.actions_.new)) if a.text()]
    for action in (window.actions_.generate, window.actions_.redraw, window.actions_.export):
        assert action in toolbar and not action.shortcut().isEmpty()


def test_provider_history_imports_and_deletes(
    qtbot: Any, window: MainWindow, tmp_path: Path, answer_yes: list[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("COMIC_STUDIO_POLL_INTERVAL", "0.05")
    spec = SPECS["animus"]
    server = ThreadedFake(spec.fake())
    try:
        configure(qtbot, window, spec, server.url)
        open_book(window, spec, tmp_path / "history.comic")
        editor = window.workspace.story_editor  # one page, one batch: cancelled while polled
        editor.prompt.setPlainText("Page 1: Panel 1: Mia waves. Panel 2: Tom runs.")
        editor.pages.setValue(1)
        wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
        server.hold(spec.poll_routes)  # a second job, cancelled before its images came
        job = window.job_actions.generate()
        wait_remote(qtbot, window, job)
        window.session.cancel(job.id)  # type: ignore[union-attr]
        wait_job(qtbot, window, job, JobState.cancelled)
        server.call(server.fake._faults.clear)
        billed = server.billable()

        dialog = HistoryDialog(window, window.session, window.runner)
        qtbot.addWidget(dialog)
        dialog.show()
        tab = dialog.pages["animus"]
        assert dialog.tabs.currentWidget() is tab
        qtbot.waitUntil(lambda: tab.remote_root.childCount() == len(server.fake.groups))
        assert tab.book_root.childCount() == 2
        assert not dialog.pages["llamagen"].refresh.isEnabled()
        assert "cannot list" in dialog.pages["llamagen"].refresh.toolTip()
        assert not dialog.pages["depicta"].delete.isEnabled()

        row = next(
            tab.remote_root.child(i)
            for i in range(tab.remote_root.childCount())
            if tab._match(tab.remote_root.child(i).text(2)) is not None
            and tab._match(tab.remote_root.child(i).text(2)).id == job.id  # type: ignore[union-attr]
        )
        tab.tree.setCurrentItem(row)
        assert tab.fetch.isEnabled(), tab.fetch.toolTip()
        tab.fetch.click()  # polled again, not resubmitted
        wait_job(qtbot, window, job, JobState.succeeded)
        assert server.billable() == billed

        server.fake.delete_conflict = True
        tab.tree.setCurrentItem(row)
        tab.delete.click()
        qtbot.waitUntil(lambda: "409" in tab.status.text(), timeout=10_000)
        assert "nothing was deleted" in tab.status.text()
        dialog.grab().save(str(tmp_path / "history.png"))
    finally:
        server.stop()
