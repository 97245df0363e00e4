"""The README's window screenshots, made from real runs against the loopback fakes.
Skipped unless COMIC_STUDIO_DOCS_SHOTS names a folder (e.g. docs):

    COMIC_STUDIO_DOCS_SHOTS=docs pytest tests/ui/test_docs_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from provider_fakes import SPECS, ThreadedFake
from test_window_providers import configure, open_book, wait_job, wait_remote

from studio.core.models import JobState
from studio.ui.history_dialog import HistoryDialog
from studio.ui.main_window import MainWindow

OUT = os.environ.get("COMIC_STUDIO_DOCS_SHOTS", "")
pytestmark = pytest.mark.skipif(not OUT, reason="set COMIC_STUDIO_DOCS_SHOTS to make them")
STORY = (
    "Page 1: Panel 1: Mia climbs the lighthouse stairs at dusk. Panel 2: The lamp is dark. "
    "Panel 3: A ship's horn in the fog. Panel 4: She lights the lamp. "
    "Page 2: Panel 1: The beam sweeps the waves. Panel 2: The ship turns. "
    "Panel 3: Sailors wave. Panel 4: Mia smiles."
)


def save(widget: Any, name: str) -> None:
    """A small PNG (palette) in the docs folder."""
    path = Path(OUT) / name
    widget.grab().save(str(path))
    Image.open(path).convert("RGB").quantize(colors=256).save(path, optimize=True)


def test_shots(
    qtbot: Any, window: MainWindow, tmp_path: Path, answer_yes: list[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("COMIC_STUDIO_POLL_INTERVAL", "0.05")
    window.resize(1280, 800)
    spec = SPECS["llamagen"]
    server = ThreadedFake(spec.fake())
    try:
        configure(qtbot, window, spec, server.url)
        open_book(window, spec, tmp_path / "The Lighthouse.comic")
        editor = window.workspace.story_editor
        editor.title.setText("The Lighthouse")
        editor.prompt.setPlainText(STORY)
        editor.panels.setValue(4)
        wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
        window.workspace.select_panel(0, 1)
        qtbot.wait(600)
        save(window, "window-remote-book.png")

        server.hold(spec.poll_routes, 60)  # a running job, a cancelled one
        cancelled = window.job_actions.generate()
        wait_remote(qtbot, window, cancelled)
        window.session.cancel(cancelled.id)  # type: ignore[union-attr]
        wait_job(qtbot, window, cancelled, JobState.cancelled)
        server.hold(spec.poll_routes, 60)
        running = window.job_actions.generate()
        wait_remote(qtbot, window, running)
        window.jobs.select_job(cancelled.id)
        qtbot.wait(1200)
        save(window.jobs_dock, "job-monitor.png")
        window.session.cancel(running.id)  # type: ignore[union-attr]
        server.call(server.fake._faults.clear)
    finally:
        server.stop()

    animus = SPECS["animus"]
    server = ThreadedFake(animus.fake())
    try:
        configure(qtbot, window, animus, server.url)
        window.close_project()
        open_book(window, animus, tmp_path / "Neon.comic")
        wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
        dialog = HistoryDialog(window, window.session, window.runner)
        qtbot.addWidget(dialog)
        dialog.resize(900, 520)
        dialog.show()
        tab = dialog.pages["animus"]
        qtbot.waitUntil(lambda: tab.remote_root.childCount() > 0, timeout=10_000)
        qtbot.wait(500)
        save(dialog, "provider-history.png")
        dialog.close()
    finally:
        server.stop()

    window.close_project()
    window.on_new()
    window.workspace.story_editor.prompt.setPlainText("A cat and a lighthouse keeper.")
    qtbot.wait(400)
    save(window, "untitled-book.png")
    window._closing_confirmed = True
