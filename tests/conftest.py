"""Test isolation for every test: settings, data and keys never touch the developer's."""

from __future__ import annotations

import logging
import os

import keyring
import pytest
from hypothesis import settings
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# CI explores the same hypothesis examples every run (a red build can be reproduced);
# developers' runs keep drawing new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

PROVIDER_ENV = (
    "LLAMAGEN_API_KEY STORYMINT_API_KEY ANIMUS_API_KEY DEPICTA_API_KEY CARTOONICATE_API_KEY "
    "LLAMAGEN_BASE_URL STORYMINT_BASE_URL ANIMUS_BASE_URL DEPICTA_BASE_URL CARTOONICATE_BASE_URL"
).split()


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring for tests (priority > 0 so the studio treats it as usable)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def _isolate(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, monkeypatch
) -> None:
    base = tmp_path_factory.mktemp("studio-home")
    monkeypatch.setenv("COMIC_STUDIO_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("COMIC_STUDIO_DATA_DIR", str(base / "data"))
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)
    if request.node.get_closest_marker("keyring") is None:
        previous = keyring.get_keyring()
        keyring.set_keyring(MemoryKeyring())
        yield
        keyring.set_keyring(previous)
    else:
        yield


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    kr = keyring.get_keyring()
    assert isinstance(kr, MemoryKeyring)
    return kr


class _UnseenAsyncioErrors(logging.Handler):
    """Collects asyncio's reports of errors nobody awaited ("Task exception was never
    retrieved", "an error occurred during closing of asynchronous generator", ...)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage().splitlines()[0])


@pytest.fixture(autouse=True)
def _no_unseen_async_errors() -> None:
    """Fail a test during which asyncio logged an error that no code ever looked at."""
    handler = _UnseenAsyncioErrors()
    logger = logging.getLogger("asyncio")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.seen:
        pytest.fail("asyncio reported an unhandled error: " + "; ".join(handler.seen))
