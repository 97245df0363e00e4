"""Fixtures for provider tests: fake servers on loopback and fast provider settings."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fake_llamagen import FakeLlamaGen, fast_llamagen

from studio.providers.llamagen.provider import LlamaGenProvider


@pytest.fixture
async def llamagen_fake() -> AsyncIterator[FakeLlamaGen]:
    server = await FakeLlamaGen().start()
    yield server
    await server.close()


@pytest.fixture
async def llamagen(llamagen_fake: FakeLlamaGen) -> AsyncIterator[LlamaGenProvider]:
    provider = fast_llamagen(llamagen_fake.url)
    yield provider
    await provider.aclose()
