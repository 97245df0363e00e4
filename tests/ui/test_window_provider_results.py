"""Issue #20, item by item, through the real window against the providers' loopback fakes:
what a Cartoonicate strip becomes on its page (1), the monitor's progress bar while a job
runs (2), a StoryMint redraw's versions (5), the Story tab's cost line (7) and a StoryMint
job quit in the middle of its event stream with nothing in the log (4)."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_async
from provider_fakes import SPECS, ThreadedFake
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem
from test_window_providers import configure, open_book, wait_job, wait_remote

from studio.asyncloop import finalize_async_generators
from studio.core.models import Job, JobState
from studio.ui import job_table
from studio.ui.job_monitor import COLUMNS
from studio.ui.main_window import MainWindow
from studio.ui.panel_delegate import STATE_TEXT, cell_state

WAIT = 15_000
ONE_PAGE = "Panel 1: Mia opens the door. Panel 2: Tom waves from the garden. Panel 3: They run."


@pytest.fixture
def fast_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMIC_STUDIO_POLL_INTERVAL", "0.05")
    monkeypatch.setenv("COMIC_STUDIO_HTTP_TIMEOUT", "20")


@pytest.fixture
def serve() -> Iterator[Any]:
    """``serve(provider)``: its fake, started in a thread, stopped at the end."""
    started: list[ThreadedFake] = []

    def start(provider: str) -> ThreadedFake:
        server = ThreadedFake(SPECS[provider].fake())
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _book(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    server: ThreadedFake,
    provider: str,
    **shape: int,
) -> None:
    """Settings ▸ Providers, then a new book with this provider (``pages``/``panels``)."""
    s = dataclasses.replace(SPECS[provider], **shape)
    configure(qtbot, window, s, server.url)
    open_book(window, s, tmp_path / f"{provider}.comic")


def _monitor_cell(window: MainWindow, job: Job, column: str) -> Any:
    model = window.jobs.model
    return model.index(model.row_of(job.id), COLUMNS.index(column)).data()


def _bar(
    window: MainWindow, job: Job, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, int, int, str]:
    """What the monitor's progress delegate draws for the job's row: (minimum, maximum,
    progress, text) of the progress bar it hands to the style."""
    drawn: list[tuple[int, int, int, str]] = []
    real_style = job_table.QApplication.style()

    class Style:
        def drawControl(self, element: Any, bar: Any, painter: QPainter, *a: Any) -> None:
            drawn.append((bar.minimum, bar.maximum, bar.progress, bar.text))
            real_style.drawControl(element, bar, painter, *a)

    class App:
        @staticmethod
        def style() -> Style:
            return Style()

    model = window.jobs.model
    column = COLUMNS.index("Progress")
    index = model.index(model.row_of(job.id), column)
    delegate = window.jobs.table.itemDelegateForColumn(column)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 150, 26)
    image = QImage(150, 26, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    with monkeypatch.context() as m:
        m.setattr(job_table, "QApplication", App)
        delegate.paint(painter, option, index)
    painter.end()
    assert len(drawn) == 1
    return drawn[0]


def _versions_in_strip(qtbot: Any, window: MainWindow, page: int, panel: int) -> int:
    """Select the panel in the book; the inspector's version strip shows its versions."""
    window.workspace.select_panel(page, panel)
    inspector = window.workspace.inspector
    qtbot.waitUntil(lambda: inspector.where() == (page, panel), timeout=WAIT)
    return inspector.strip.count()


# ------------------------------------------------------------ 1. Cartoonicate strip


def test_cartoonicate_strip_fills_its_page_in_the_window(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    serve: Any,
) -> None:
    server = serve("cartoonicate")
    _book(qtbot, window, tmp_path, server, "cartoonicate", pages=1, panels=3)
    window.workspace.story_editor.prompt.setPlainText(ONE_PAGE)
    model = window.workspace.model
    job = wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
    body = server.call(lambda: server.fake.requests_for("create")[0].json)
    assert (body["format"], body["panel_count"]) == ("comic", 3)  # the format that fits

    # The grid: one panel holding the whole strip, and no "Not drawn yet" cell on the page
    assert model.panel_count(0) == 1
    assert (model.rowCount(), model.columnCount()) == (1, 1)
    cell = model.index(0, 0)
    qtbot.waitUntil(lambda: cell_state(cell) == "image", timeout=WAIT)  # what the grid paints
    assert STATE_TEXT[cell_state(cell)] != STATE_TEXT["empty"]
    # …and the page view composes that one drawn panel
    book = window.workspace.book
    book.page_toggle.setChecked(True)
    qtbot.waitUntil(lambda: not book.page_label.pixmap().isNull(), timeout=WAIT)
    # the monitor says what was done with the strip
    message = _monitor_cell(window, job, "Message")
    assert "one panel holding the whole image" in message
    assert "one panel holding the whole image" in job.message
    project = window.session.project  # type: ignore[union-attr]
    assert [len(project.versions(p.id)) for p in project.page(0).panels] == [1]


# ---------------------------------------------------------------------- 2. progress


def test_animus_progress_shows_in_the_monitor_while_the_job_runs(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    serve: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = serve("animus")
    _book(qtbot, window, tmp_path, server, "animus", pages=1, panels=1)
    wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
    server.call(setattr, server.fake, "running_polls", 60)  # ≈ 3 s of "rendering", 40 %
    window.workspace.select_panel(0, 0)
    window.on_redraw()
    project = window.session.project  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(project.jobs()) == 2, timeout=WAIT)
    running = project.jobs()[-1]
    # while it runs, the monitor shows the provider's percentage, not 0 % until the end
    qtbot.waitUntil(
        lambda: (
            project.job(running.id).state.active
            and _monitor_cell(window, running, "Progress") == "40%"
        ),
        timeout=WAIT,
    )
    low, high, value, text = _bar(window, project.job(running.id), monkeypatch)
    assert (low, high, value, text) == (0, 100, 40, "40%")
    assert 0 < value < 100
    wait_job(qtbot, window, running, JobState.succeeded)
    assert _bar(window, project.job(running.id), monkeypatch)[2] == 100


def test_llamagen_busy_bar_with_elapsed_time_until_it_gives_numbers(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    serve: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = serve("llamagen")
    # LOADING with no panel yet for the first ~20 polls, then the panels as they arrive
    server.call(setattr, server.fake, "loading_polls", 40)
    _book(qtbot, window, tmp_path, server, "llamagen", pages=1, panels=2)
    job = window.job_actions.generate()
    wait_remote(qtbot, window, job)
    assert job is not None
    project = window.session.project  # type: ignore[union-attr]
    statuses = lambda: len(server.call(lambda: server.fake.requests_for("status")))  # noqa: E731
    qtbot.waitUntil(lambda: statuses() >= 3, timeout=WAIT)
    now = project.job(job.id)
    assert now.state.active and now.progress is None  # the provider gave no numbers yet
    low, high, _value, text = _bar(window, now, monkeypatch)
    assert (low, high) == (0, 0)  # Qt's busy indicator, no invented 0 %
    assert text.startswith("working · 0:0")  # with the time it has been working
    assert _monitor_cell(window, now, "Progress") == ""
    assert _monitor_cell(window, now, "Elapsed").startswith("0:0")
    # once panels arrive, real counts replace the busy bar
    seen: list[float | None] = []
    window.session.bridge.job_changed.connect(lambda j: seen.append(j.progress))  # type: ignore[union-attr]
    wait_job(qtbot, window, job, JobState.succeeded)
    assert any(p is not None and 0 < p < 1 for p in seen), seen


# ------------------------------------------------------------ 5. StoryMint redraw


def test_storymint_redraw_adds_one_version_to_that_panel(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    serve: Any,
) -> None:
    server = serve("storymint")
    _book(qtbot, window, tmp_path, server, "storymint", pages=3, panels=1)
    wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
    before = [_versions_in_strip(qtbot, window, page, 0) for page in range(3)]
    assert before == [1, 1, 1]
    # the chat edit of page 2 also changes pages 1 and 3 (StoryMint may do that)
    server.call(setattr, server.fake, "chat_extra_pages", (-1, 1))
    window.workspace.select_panel(1, 0)
    assert window.actions_.redraw.isEnabled()
    window.on_redraw()
    project = window.session.project  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(project.jobs()) == 2, timeout=WAIT)
    wait_job(qtbot, window, project.jobs()[-1], JobState.succeeded)
    assert server.billable() == 2  # one book, one chat
    after = [_versions_in_strip(qtbot, window, page, 0) for page in range(3)]
    assert after[1] == before[1] + 1  # exactly one new version on the redrawn panel
    # nothing of pages 1 and 3 is stored on page 2's panel: each went to its own panel
    assert after == [before[0] + 1, before[1] + 1, before[2] + 1]


def test_storymint_redraw_of_a_page_it_alone_changed_touches_no_other_panel(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    serve: Any,
) -> None:
    server = serve("storymint")
    _book(qtbot, window, tmp_path, server, "storymint", pages=3, panels=1)
    wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
    window.workspace.select_panel(2, 0)
    window.on_redraw()
    project = window.session.project  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: len(project.jobs()) == 2, timeout=WAIT)
    wait_job(qtbot, window, project.jobs()[-1], JobState.succeeded)
    assert [_versions_in_strip(qtbot, window, page, 0) for page in range(3)] == [1, 1, 2]


# ------------------------------------------------------------------ 7. cost line


def test_story_tab_cost_line_speaks_in_words_after_a_job(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    serve: Any,
) -> None:
    server = serve("animus")
    _book(qtbot, window, tmp_path, server, "animus", pages=1, panels=2)
    price = window.workspace.story_editor.price
    wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
    balance = server.call(lambda: server.fake.balance)
    expected = f"Animus: 4 credits per image · {balance} credits left"
    qtbot.waitUntil(lambda: price.text() == expected, timeout=3000)
    for jargon in ("_", "remaining_balance", "deducted at submission", "see "):
        assert jargon not in price.text()


# ------------------------------------------------ 4. no traceback when quitting


def test_storymint_quit_mid_job_leaves_nothing_in_the_log(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    serve: Any,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The event stream says "done" and stays open, as StoryMint's does: the studio stops
    reading it early and closes it; the job then downloads the book, and the window quits
    in the middle of that. Nothing reaches the log at ERROR from asyncio ("async generator
    ignored GeneratorExit", "Task exception was never retrieved") and no exception is
    unraisable (tests/conftest.py and pyproject's filterwarnings fail on those too)."""
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    caplog.set_level(logging.ERROR, logger="asyncio")
    # The loop as the app's main() leaves it: qasync's own (no asyncgen hooks), then
    # finalize_async_generators() — not the hooks the test fixture installs.
    hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(firstiter=None, finalizer=None)
    run_async(qtbot, _finalize_on_loop())
    assert sys.get_asyncgen_hooks().finalizer is not None
    server = serve("storymint")
    server.call(setattr, server.fake, "stream_mode", "open")
    server.hold(("book",))  # the job stays in its download once the stream said done
    _book(qtbot, window, tmp_path, server, "storymint", pages=2, panels=1)
    seen: list[float | None] = []
    window.session.bridge.job_changed.connect(lambda j: seen.append(j.progress))  # type: ignore[union-attr]
    job = window.job_actions.generate()
    assert job is not None
    project = window.session.project  # type: ignore[union-attr]
    fake = server.fake
    qtbot.waitUntil(lambda: bool(server.call(lambda: fake.requests_for("book"))), timeout=WAIT)
    assert server.call(lambda: fake.requests_for("stream"))  # it followed the event stream
    assert project.job(job.id).state.active  # mid-job: downloading
    assert 0.6 in seen  # the stream's "pct" reached the monitor before "done"
    window.close()  # asks (a job runs), answered Yes
    run_async(qtbot, window.shutdown())
    for _ in range(3):  # whatever was dropped half-read is finalized now, on the loop
        gc.collect()
        run_async(qtbot, asyncio.sleep(0.05))
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
    assert not unraisable, [(u.exc_type, u.exc_value, u.object) for u in unraisable]
    sys.set_asyncgen_hooks(*hooks)


async def _finalize_on_loop() -> None:
    finalize_async_generators()
