"""What a provider's waiter needs from the provider that starts it, as a Protocol: the
waiter gets the provider object as an argument and never imports the provider module."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from studio.providers.http import ProviderClient


class WaitHost(Protocol):
    """The settings and client a waiter reads from the provider that runs it."""

    @property
    def api(self) -> ProviderClient: ...

    clock: Callable[[], float]
    wait_timeout: float
    poll_interval: float
    max_asset_bytes: int
