"""What every remote adapter shares: its HTTP client, the missing-key refusal, and scrubbing
the key out of failures built from provider text."""

from __future__ import annotations

import abc
import time
from typing import Any, ClassVar, Generic, TypeVar

from studio.net.assets import DEFAULT_MAX_BYTES
from studio.net.urls import validate_base_url
from studio.providers.base import (
    GenerationRequest,
    GenerationResult,
    HandleCallback,
    ProgressCallback,
    Provider,
    Submission,
)
from studio.providers.errors import MissingKey, ProviderError, redact
from studio.providers.http import ProviderClient
from studio.providers.resend import ResendPolicy

ClientT = TypeVar("ClientT", bound=ProviderClient)


class RemoteProvider(Provider, Generic[ClientT]):
    """A provider reached over HTTP with an API key.

    Subclasses set ``default_base_url``, ``default_rpm``, ``client_class`` (an
    :class:`ProviderClient`), ``poll_interval`` and ``wait_timeout``, and implement ``_wait``.
    """

    default_base_url: ClassVar[str] = ""
    default_rpm: ClassVar[float] = 10.0
    client_class: ClassVar[type[ProviderClient]] = ProviderClient
    #: Give up waiting (without resubmitting) after this many seconds.
    wait_timeout: float = 30 * 60.0

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None = None,
        *,
        requests_per_minute: float | None = None,
        poll_interval: float | None = None,
        transport: Any = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = validate_base_url(base_url or self.default_base_url)
        if poll_interval is not None:
            self.poll_interval = poll_interval
        self.max_asset_bytes = DEFAULT_MAX_BYTES
        self.clock = time.monotonic
        #: bounds for resending a billable request that a 429 refused
        self.resend = ResendPolicy()
        self._api: ClientT | None = None
        if api_key:
            self._api = self.client_class(  # type: ignore[assignment]
                self.name,
                self.base_url,
                self.auth_headers(api_key),
                requests_per_minute=requests_per_minute or self.default_rpm,
                transport=transport,
                timeout=timeout,
            )

    def auth_headers(self, api_key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key}"}

    @property
    def api(self) -> ClientT:
        """The HTTP client; raises MissingKey when no key was given."""
        if self._api is None:
            raise MissingKey(f"No {self.name} API key is set.")
        return self._api

    async def aclose(self) -> None:
        """Close the provider's HTTP client (when a key made one)."""
        if self._api is not None:
            await self._api.aclose()

    async def wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None = None,
    ) -> GenerationResult:
        try:
            return await self._wait(submission, request, progress, save_handle)
        except ProviderError as exc:
            redact(exc, self.api.scrub)  # a failure reason may echo the key
            raise

    @abc.abstractmethod
    async def _wait(
        self,
        submission: Submission,
        request: GenerationRequest,
        progress: ProgressCallback,
        save_handle: HandleCallback | None,
    ) -> GenerationResult:
        """Poll until the job ends and download its assets (see :meth:`Provider.wait`)."""
