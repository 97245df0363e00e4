"""Fixtures for the dialog tests: isolated dirs, an in-memory keyring, a qasync loop."""

from __future__ import annotations

import asyncio
import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
import qasync
from keyring.backend import KeyringBackend
from PIL import Image
from PySide6.QtWidgets import QApplication

from studio import secrets
from studio.core.models import ScriptPanel, Story
from studio.storage import Project
from studio.ui.tasks import TaskRunner


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in a dict, so no test ever touches the developer's keyring."""

    priority = 1  # type: ignore[assignment]
    name = "Test memory keyring"

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    monkeypatch.setenv("COMIC_STUDIO_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("COMIC_STUDIO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    for var in secrets.ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)
    for var in ("LLAMAGEN_BASE_URL", "STORYMINT_BASE_URL", "ANIMUS_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        yield memory
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    try:
        yield event_loop
    finally:
        event_loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture
def runner(loop: qasync.QEventLoop) -> TaskRunner:
    return TaskRunner()


def drive(loop: asyncio.AbstractEventLoop, condition: Callable[[], bool], timeout: float = 10):
    """Run the qasync loop (Qt events included) until ``condition()`` holds."""

    async def wait() -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("condition not reached in time")
            await asyncio.sleep(0.01)

    loop.run_until_complete(wait())


def png_bytes(colour: tuple[int, int, int] = (200, 40, 40), size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def make_project(path: Path, pages: int = 2) -> Project:
    """A small real project: ``pages`` pages of two panels, each with a PNG version."""
    project = Project.create(path, Story(title="Test comic", prompt="A cat finds a hat."))
    for p in range(pages):
        page = project.append_page([ScriptPanel(description=f"Panel {i}") for i in range(2)])
        for i, panel in enumerate(page.panels):
            project.add_version(panel.id, png_bytes((40 * p, 90 * i, 120)), provider="local")
    return project
