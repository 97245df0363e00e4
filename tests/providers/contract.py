"""Contract tests every remote provider adapter must pass, against its local fake server.

How to use it for a new provider (``test_<provider>.py``)::

    from contract import ProviderContract
    from fake_myprov import FakeMyProv

    class TestMyProvContract(ProviderContract):
        billable_route = "create"   # the fake's route name of the billable submit
        poll_route = "status"       # a GET route the provider polls (retried)

        async def make_fake(self): return await FakeMyProv().start()
        def make_provider(self, server_url, api_key): return MyProvider(api_key, server_url, ...)
        def make_request(self): return GenerationRequest(kind=JobKind.create, story=...)

Hooks: ``make_fake()`` (or override the ``fake_server`` fixture), ``make_provider(server_url,
api_key)``, ``make_request()``, and ``api_client(provider)`` (default ``provider.api``: the
:class:`studio.net.client.ApiClient`; the contract swaps in a fast RetryPolicy whose
sleeps are recorded in ``self.sleeps``). Providers should poll fast in tests (make the poll
interval tiny in ``make_provider``) and use a high ``requests_per_minute``.

The fake server interface (``fake_base.FakeServer``), which every fake must offer:

- ``url``: the API base URL; ``api_origin`` / ``asset_origin``: the two origins.
- ``requests``: list of ``Recorded(origin, route, method, path, path_qs, query, headers,
  json, form, raw)``; header names lower-case; ``origin`` is "api" or "asset".
- ``fail(route, status, times=1, retry_after=None, body=None)``: answer with an error.
- ``drop(route, times=1)``: read the request, then close the connection without answering.
- ``malformed(route, times=1)``: answer 200 with a body that is not JSON.
- ``slow(route, seconds, times=1)``: delay the answer.
- ``expire_assets(forever=False)``: asset links answer 403 until the job status is read again
  (the fake calls ``status_was_read()``; old links stay invalid), or always.
- ``billable_count()``: how many requests hit ``billable_routes``.
- ``asset_requests()``, ``requests_for(route)``; ``auth_header_names``.
- Assets are real PNGs (``make_png``) served from ``asset_link(name)`` — by default on the
  second origin, which must never see an auth header.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from fake_base import FakeServer
from PIL import Image

from studio.providers.base import GenerationRequest, GenerationResult, Progress, Provider
from studio.providers.errors import (
    AuthError,
    MalformedResponse,
    MissingKey,
    OutcomeUnknown,
    ProviderError,
    QuotaError,
)
from studio.providers.http import ProviderClient as ApiClient
from studio.providers.http import RetryPolicy

SECRET_KEY = "sk-contract-SECRET-7f3a9c1e5d"


class ProviderContract:
    """Base class of the provider contract tests (not collected: no ``Test`` prefix)."""

    billable_route = "create"
    poll_route = "status"
    api_key = SECRET_KEY

    # ----------------------------------------------------------------- hooks

    async def make_fake(self) -> FakeServer:
        raise NotImplementedError

    def make_provider(self, server_url: str, api_key: str | None) -> Provider:
        raise NotImplementedError

    def make_request(self) -> GenerationRequest:
        raise NotImplementedError

    def api_client(self, provider: Provider) -> ApiClient:
        return provider.api  # type: ignore[attr-defined]

    # -------------------------------------------------------------- fixtures

    @pytest.fixture
    async def fake_server(self) -> Any:
        server = await self.make_fake()
        yield server
        await server.close()

    @pytest.fixture
    async def provider(self, fake_server: FakeServer) -> Any:
        provider = self.make_provider(fake_server.url, self.api_key)
        self.sleeps: list[float] = []

        async def record_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        self.api_client(provider).retry = RetryPolicy(
            attempts=5, base_delay=0.001, max_delay=0.005, sleep=record_sleep
        )
        yield provider
        await provider.aclose()

    async def run_job(
        self, provider: Provider, request: GenerationRequest | None = None
    ) -> tuple[GenerationResult, list[Progress]]:
        request = request or self.make_request()
        events: list[Progress] = []
        handles: list[dict[str, Any]] = []

        async def save(handle: dict[str, Any]) -> None:
            handles.append(handle)

        submission = await provider.submit(request)
        result = await provider.wait(submission, request, events.append, save)
        return result, events

    # ----------------------------------------------------------------- tests

    async def test_create_reports_progress_and_downloads_images(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        result, events = await self.run_job(provider)
        assert result.panels, "a finished job returns panels"
        for panel in result.panels:
            with Image.open(io.BytesIO(panel.data)) as image:
                image.load()
            assert panel.mime.startswith("image/")
        assert any(e.state == "downloading" for e in events)
        assert fake_server.billable_count() == 1

    async def test_auth_failure_is_auth_error(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        fake_server.fail(self.billable_route, 401)
        with pytest.raises(AuthError):
            await provider.submit(self.make_request())

    async def test_payment_required_is_quota_error(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        fake_server.fail(self.billable_route, 402, body={"message": "Insufficient credits"})
        with pytest.raises(QuotaError):
            await provider.submit(self.make_request())

    async def test_rate_limit_on_poll_honours_retry_after(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        fake_server.fail(self.poll_route, 429, retry_after=7, body={"message": "slow down"})
        result, _ = await self.run_job(provider)
        assert result.panels
        assert 7.0 in self.sleeps
        assert fake_server.billable_count() == 1

    async def test_transient_server_error_on_poll_is_retried(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        fake_server.fail(self.poll_route, 503, times=2)
        result, _ = await self.run_job(provider)
        assert result.panels
        assert len(self.sleeps) >= 2
        assert fake_server.billable_count() == 1

    async def test_dropped_billable_request_is_outcome_unknown_and_not_resent(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        fake_server.drop(self.billable_route)
        with pytest.raises(OutcomeUnknown):
            await provider.submit(self.make_request())
        assert fake_server.billable_count() == 1

    async def test_malformed_billable_answer_is_malformed_response(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        fake_server.malformed(self.billable_route)
        with pytest.raises(MalformedResponse):
            await provider.submit(self.make_request())
        assert fake_server.billable_count() == 1

    async def test_expired_asset_is_refetched(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        fake_server.expire_assets()
        result, _ = await self.run_job(provider)
        assert result.panels
        # every panel was tried with an expired link, then again with a fresh one
        assert len(fake_server.asset_requests()) > len(result.panels)
        assert fake_server.billable_count() == 1

    async def test_missing_key_refuses_before_any_request(self, fake_server: FakeServer) -> None:
        provider = self.make_provider(fake_server.url, None)
        try:
            with pytest.raises(MissingKey):
                await provider.submit(self.make_request())
        finally:
            await provider.aclose()
        assert fake_server.requests == []

    async def test_auth_header_never_reaches_the_asset_origin(
        self, provider: Provider, fake_server: FakeServer
    ) -> None:
        await self.run_job(provider)
        api = [r for r in fake_server.requests if r.origin == "api"]
        assets = [r for r in fake_server.requests if r.origin == "asset"]
        assert assets, "the fake serves assets from its second origin"
        assert all(any(h in r.headers for h in fake_server.auth_header_names) for r in api)
        for record in assets:
            assert not any(h in record.headers for h in fake_server.auth_header_names)

    async def test_key_never_in_urls_logs_or_errors(
        self, provider: Provider, fake_server: FakeServer, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        texts: list[str] = []
        result, _ = await self.run_job(provider)
        texts.append(json.dumps(result.remote_project))
        echo = {"error": {"message": f"invalid token {self.api_key}", "code": self.api_key}}
        for status in (401, 422, 429, 500):
            fake_server.fail(self.billable_route, status, body=echo)
            with pytest.raises(ProviderError) as info:
                await provider.submit(self.make_request())
            texts += [str(info.value), info.value.user_message(), info.value.code]
        texts += [r.getMessage() for r in caplog.records]
        texts += [r.path_qs for r in fake_server.requests]
        leaked = [text for text in texts if self.api_key in text]
        assert leaked == []
