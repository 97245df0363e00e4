"""The main window's core flows, driven through real project files and the local provider."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import run_async

from studio.core.models import JobState
from studio.storage import Project
from studio.ui.main_window import MainWindow

SHOTS = Path("/tmp/ui_shots")


def _wait_jobs_done(qtbot: Any, w: MainWindow, timeout: int = 20_000) -> None:
    assert w.session is not None
    project = w.session.project
    qtbot.waitUntil(
        lambda: project.jobs() and all(j.state.terminal for j in project.jobs()), timeout=timeout
    )


def _wait_thumbs(qtbot: Any, w: MainWindow) -> None:
    model = w.workspace.model
    ids = model.panel_ids()

    def loaded() -> bool:
        for pid in ids:
            idx = model.index_of(pid)
            if idx.data(model.ShaRole if hasattr(model, "ShaRole") else 0x102) is None:
                return False
            if model.data(idx, 1) is None:  # DecorationRole: asks and waits for the cache
                return False
        return True

    qtbot.waitUntil(loaded, timeout=10_000)


def test_sample_story_renders_with_thumbnails(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    window.open_sample(tmp_path / "sample.comic")
    assert window.session is not None
    assert window.windowTitle().startswith("sample")
    _wait_jobs_done(qtbot, window)
    jobs = window.session.project.jobs()
    assert [j.state for j in jobs] == [JobState.succeeded]
    assert window.workspace.model.rowCount() == 1
    assert len(window.workspace.model.panel_ids()) == 4
    _wait_thumbs(qtbot, window)
    assert window.jobs.model.rowCount() == 1
    if SHOTS.exists():
        window.grab().save(str(SHOTS / "main.png"))
