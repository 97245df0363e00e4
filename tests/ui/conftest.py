"""UI test fixtures: offscreen Qt, isolated settings/data dirs, an in-memory keyring, qasync."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import contextlib

import keyring
import pytest
import qasync
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication, QMessageBox


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self._store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        import keyring.errors

        if (service, username) not in self._store:
            raise keyring.errors.PasswordDeleteError("not found")
        del self._store[(service, username)]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings, data, QSettings and HOME in tmp_path; keys in memory; no real config."""
    home = tmp_path / "home"
    for name, sub in (
        ("COMIC_STUDIO_CONFIG_DIR", "config"),
        ("COMIC_STUDIO_DATA_DIR", "data"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_DATA_HOME", "xdg-data"),
        ("XDG_CACHE_HOME", "xdg-cache"),
    ):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(name, str(tmp_path / sub))
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    for var in ("LLAMAGEN_API_KEY", "STORYMINT_API_KEY", "ANIMUS_API_KEY", "DEPICTA_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield tmp_path
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def collect_on_the_ui_thread() -> Iterator[None]:
    """As the app does (studio/ui/collector.py): no cycle collection on worker or fake-server
    threads while a UI test runs (it would destroy Qt objects there); collect here after."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture
def aloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop marked running: qtbot's event processing drives the asyncio tasks."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    # As the app does (studio/asyncloop.py): async generators dropped half-read are closed
    # on this loop, not by the garbage collector without one.
    hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(
        firstiter=loop._asyncgen_firstiter_hook,  # type: ignore[attr-defined]
        finalizer=loop._asyncgen_finalizer_hook,  # type: ignore[attr-defined]
    )
    yield loop
    sys.set_asyncgen_hooks(*hooks)
    with contextlib.suppress(RuntimeError, TypeError):
        qapp.aboutToQuit.disconnect(loop._after_run_forever)
    loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
    loop._after_run_forever()
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)


def run_async(qtbot: Any, coro: Coroutine[Any, Any, Any], timeout: int = 10_000) -> Any:
    """Run a coroutine to completion on the qasync loop while Qt processes events."""
    task = asyncio.get_event_loop().create_task(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def answer_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QMessageBox.question answers Yes; the asked titles are recorded."""
    asked: list[str] = []

    def question(_parent: object, title: str, *_a: object, **_k: object) -> Any:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


@pytest.fixture
def window(qtbot: Any, aloop: qasync.QEventLoop) -> Iterator[Any]:
    from studio.app import make_session
    from studio.ui.main_window import MainWindow
    from studio.ui.tasks import TaskRunner

    runner = TaskRunner()
    w = MainWindow(runner, make_session)  # type: ignore[arg-type]
    qtbot.addWidget(w)
    w.show()
    yield w
    w._closing_confirmed = True
    w.close()
    run_async(qtbot, w.shutdown())
    run_async(qtbot, runner.cancel_all())
    gc.collect()  # collect this test's Qt wrappers here, not inside a later test's event loop
