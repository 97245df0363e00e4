"""The window, end to end, with every remote provider against its loopback fake (#16 item 1):
Settings (key + base URL) → pick the provider in the Story tab → Generate (monitor: progress,
provider job id) → Redraw / Continue where the provider can (else disabled with the reason)
→ cancel a running job → quit in the middle of a job, reopen → it resumes with no new
billable request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_async
from provider_fakes import SPECS, Spec, ThreadedFake

from studio import secrets
from studio.core.models import Character, Job, JobState
from studio.ui.dialogs import SettingsDialog
from studio.ui.job_monitor import COLUMNS
from studio.ui.main_window import MainWindow
from studio.ui.undo import CastReplace

PROMPT = (
    "Page 1: Panel 1: Mia opens the door. Panel 2: Tom waves from the garden. "
    "Panel 3: They run to the lake. Page 2: Panel 1: The sun sets. Panel 2: Stars come out. "
    "Panel 3: They walk home."
)
WAIT = 15_000


@pytest.fixture
def fast_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMIC_STUDIO_POLL_INTERVAL", "0.05")
    monkeypatch.setenv("COMIC_STUDIO_HTTP_TIMEOUT", "20")


@pytest.fixture(params=list(SPECS))
def spec(request: pytest.FixtureRequest) -> Iterator[tuple[Spec, ThreadedFake]]:
    s = SPECS[request.param]
    server = ThreadedFake(s.fake())
    yield s, server
    server.stop()


def configure(qtbot: Any, window: MainWindow, s: Spec, url: str) -> None:
    """Settings ▸ Providers: the key (into the keyring) and the base URL of the fake."""
    dialog = SettingsDialog(window, window.runner)
    qtbot.addWidget(dialog)
    dialog.show_provider(s.provider)
    page = dialog.pages[s.provider]
    page.key_edit.setText(s.key)
    page.set_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    page.base_url_edit.setText(url)
    page.rpm_spin.setValue(6000)
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert secrets.get_key(s.provider) == s.key


def open_book(window: MainWindow, s: Spec, path: Path) -> None:
    window.new_project(path)
    editor = window.workspace.story_editor
    editor.prompt.setPlainText(PROMPT)
    editor.provider.setCurrentIndex(editor.provider.findData(s.provider))
    editor.pages.setValue(s.pages)
    editor.panels.setValue(s.panels)
    assert window.session is not None
    cast = window.workspace.cast_editor
    if cast is not None:  # Depicta wants a cast: through the Cast tab
        assert cast.add("Mia")
    else:
        session = window.session
        session.undo.push(CastReplace(session, [Character("Mia", age="10", gender="girl")]))
    assert window.session.project.story.provider == s.provider


def wait_job(qtbot: Any, window: MainWindow, job: Job | None, state: JobState) -> Job:
    assert job is not None and window.session is not None
    project = window.session.project
    qtbot.waitUntil(lambda: project.job(job.id).state.terminal, timeout=WAIT)
    done = project.job(job.id)
    assert done.state is state, (done.state, done.error, done.message)
    return done


def all_sent(job: Job) -> bool:
    """Every billable request of the job has its answer (Animus keeps them as ``units``)."""
    units = job.handle.get("units") or []
    return all(u.get("state") not in ("planned", "sending") for u in units)


def wait_remote(qtbot: Any, window: MainWindow, job: Job | None) -> None:
    assert job is not None and window.session is not None
    project = window.session.project
    qtbot.waitUntil(lambda: bool(project.job(job.id).remote_id), timeout=WAIT)


def test_window_with_provider(
    qtbot: Any,
    window: MainWindow,
    tmp_path: Path,
    answer_yes: list[str],
    fast_env: None,
    spec: tuple[Spec, ThreadedFake],
) -> None:
    s, server = spec
    configure(qtbot, window, s, server.url)
    path = tmp_path / f"{s.provider}.comic"
    open_book(window, s, path)
    actions = window.actions_
    assert not actions.continue_.isEnabled()  # an empty book

    # Generate: one billable create; the monitor shows the job, its provider and its id
    seen: list[tuple[JobState, float | None]] = []  # the Job object is updated in place
    window.session.bridge.job_changed.connect(lambda j: seen.append((j.state, j.progress)))  # type: ignore[union-attr]
    job = wait_job(qtbot, window, window.job_actions.generate(), JobState.succeeded)
    created = server.billable()  # one create (Animus: one per page of images)
    assert created >= 1
    assert answer_yes and "billable" in answer_yes[-1]
    assert window.jobs_dock.isVisible()
    row = window.jobs.model.row_of(job.id)
    cell = lambda col: window.jobs.model.index(row, COLUMNS.index(col)).data()  # noqa: E731
    assert (cell("Provider"), cell("State")) == (s.provider, "succeeded")
    assert cell("Provider job") == job.remote_id
    assert any(state.active for state, _ in seen)  # followed live in the monitor
    project = window.session.project  # type: ignore[union-attr]
    assert any(project.versions(p.id) for page in project.pages() for p in page.panels)

    # Redraw a panel where the provider can; else the control says why
    window.workspace.select_panel(0, 0)
    if s.redraw:
        assert actions.redraw.isEnabled()
        before = len(project.versions(project.panel_at(0, 0).id))
        window.on_redraw()
        qtbot.waitUntil(lambda: len(project.jobs()) == 2, timeout=WAIT)
        wait_job(qtbot, window, project.jobs()[-1], JobState.succeeded)
        assert len(project.versions(project.panel_at(0, 0).id)) == before + 1
        assert server.billable() == created + 1
    else:
        assert not actions.redraw.isEnabled()
        assert actions.redraw.toolTip().startswith(f"{s.fake.__name__[4:]} cannot redraw")
    billed = server.billable()

    # Continue where the provider can
    if s.continue_:
        assert actions.continue_.isEnabled()
        pages = project.page_count()
        cont = window.job_actions.continue_with("Next morning they sail.", 1, s.panels, True)
        wait_job(qtbot, window, cont, JobState.succeeded)
        assert project.page_count() == pages + 1
        billed += 1
        assert server.billable() == billed
    else:
        assert not actions.continue_.isEnabled()
        assert "cannot continue a story" in actions.continue_.toolTip()

    # Cancel a running job from the monitor
    server.hold(s.poll_routes)
    running = window.job_actions.generate()
    wait_remote(qtbot, window, running)
    assert running is not None
    window.jobs.select_job(running.id)
    qtbot.waitUntil(window.jobs.cancel.isEnabled, timeout=WAIT)
    window.jobs.cancel.click()
    wait_job(qtbot, window, running, JobState.cancelled)
    assert server.billable() >= billed + 1  # Animus may have sent a later page before
    billed = server.billable()
    server.call(server.fake._faults.clear)

    # Quit in the middle of a job; reopen: it resumes without a new billable request
    server.hold(s.poll_routes)
    pending = window.job_actions.generate()
    wait_remote(qtbot, window, pending)
    assert pending is not None
    billed += 1
    # Quit while the job waits, not while a billable request is on its way: a request cut
    # off mid-send is never resent (it would end unknown). Animus sends later pages itself.
    qtbot.waitUntil(lambda: all_sent(window.session.project.job(pending.id)), timeout=WAIT)
    assert server.billable() >= billed
    billed = server.billable()  # Animus: one billable request per page
    window.close()  # asks (jobs run), answered Yes
    run_async(qtbot, window.shutdown())
    server.call(server.fake._faults.clear)
    from studio.app import make_session
    from studio.ui.tasks import TaskRunner

    runner = TaskRunner()
    again = MainWindow(runner, make_session)  # type: ignore[arg-type]
    qtbot.addWidget(again)
    again.show()
    try:
        again.open_project(path)
        qtbot.waitUntil(lambda: again.session is not None, timeout=WAIT)
        assert again.jobs_dock.isVisible()
        wait_job(qtbot, again, again.session.project.job(pending.id), JobState.succeeded)  # type: ignore[union-attr]
        assert server.billable() == billed
    finally:
        again._closing_confirmed = True
        again.close()
        run_async(qtbot, again.shutdown())
        run_async(qtbot, runner.cancel_all())
