"""LlamaGen adapter faults: HTTP errors, dropped connections, bad assets, base URLs."""

from __future__ import annotations

from typing import Any

import pytest
from fake_llamagen import LLAMAGEN_KEY, FakeLlamaGen, follow_up, run, story_request

from studio.core.models import (
    JobKind,
)
from studio.providers.base import (
    Submission,
)
from studio.providers.errors import (
    AssetRejected,
    AuthError,
    ForbiddenError,
    NotFoundError,
    OutcomeUnknown,
    QuotaError,
    RateLimited,
    ValidationRefused,
)
from studio.providers.llamagen.provider import LlamaGenProvider

# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("status", "body", "error", "text"),
    [
        (401, {"error": "Invalid API token"}, AuthError, "Invalid API token"),
        (402, {"message": "Insufficient credits"}, QuotaError, "Insufficient"),
        (403, {"error": {"code": "forbidden", "msg": "Access denied"}}, ForbiddenError, "denied"),
        (422, {"detail": "prompt is required"}, ValidationRefused, "prompt is required"),
        (429, {"errorMessage": "insufficient credits"}, QuotaError, "credits"),
        (500, "Internal Server Error", OutcomeUnknown, "server error.*may have accepted"),
    ],
)
async def test_error_statuses_on_create_are_mapped_and_never_retried(
    llamagen: LlamaGenProvider,
    llamagen_fake: FakeLlamaGen,
    status: int,
    body: Any,
    error: type[Exception],
    text: str,
) -> None:
    llamagen_fake.fail("create", status, body=body)
    with pytest.raises(error, match=text):
        await llamagen.submit(story_request())
    assert llamagen_fake.billable_count() == 1


async def test_rate_limit_on_create_reports_retry_after_without_retrying(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.fail("create", 429, retry_after=30, body={"message": "Too many requests"})
    with pytest.raises(RateLimited) as info:
        await llamagen.submit(story_request())
    assert info.value.retry_after == 30
    assert llamagen_fake.billable_count() == 1


async def test_dropped_connection_on_status_is_retried(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.drop("status", times=2)
    result, _, _ = await run(llamagen, story_request())
    assert len(result.panels) == 2 and llamagen_fake.billable_count() == 1


async def test_broken_status_answers_are_waited_out_like_any_transient_failure(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.malformed("status", times=50)  # more than the test policy's 5 attempts
    result, events, _handles = await run(llamagen, story_request())
    assert result.panels and llamagen_fake.billable_count() == 1
    assert any("not reachable (malformed)" in e.message for e in events)


async def test_one_broken_status_answer_is_read_again(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.malformed("status", times=2)
    result, _events, _handles = await run(llamagen, story_request())
    assert result.panels  # the paid job is not failed by two cut-short answers


async def test_missing_generation_is_not_found(llamagen: LlamaGenProvider) -> None:
    request = follow_up(JobKind.redraw, {}, target_panel=0)
    submission = Submission("gen_missing", {"generation_id": "gen_missing", "kind": "create"})
    with pytest.raises(NotFoundError, match="could not find"):
        await llamagen.wait(submission, request, lambda _p: None)


# ------------------------------------------------------------------ assets


async def test_asset_that_stays_expired_is_rejected_clearly(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.expire_assets(forever=True)
    with pytest.raises(AssetRejected, match="expired even after"):
        await run(llamagen, story_request())
    assert llamagen_fake.billable_count() == 1


@pytest.mark.parametrize(
    ("fault", "text"),
    [("oversize", "limit"), ("not_image", "not a readable image"), ("huge", "12000 px")],
)
async def test_bad_assets_are_rejected(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen, fault: str, text: str
) -> None:
    llamagen.max_asset_bytes = 100_000
    llamagen_fake.asset_fault = fault
    with pytest.raises(AssetRejected, match=text):
        await run(llamagen, story_request())


async def test_relative_asset_urls_resolve_against_the_api_origin(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.asset_mode = "relative"
    result, _, _ = await run(llamagen, story_request())
    assert len(result.panels) == 2
    assets = llamagen_fake.asset_requests()
    assert assets and all(r.origin == "api" for r in assets)
    assert all(r.headers.get("authorization") == f"Bearer {LLAMAGEN_KEY}" for r in assets)


async def test_redirect_to_another_origin_drops_the_auth_header(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.asset_mode = "redirect"
    result, _, _ = await run(llamagen, story_request())
    assert len(result.panels) == 2
    hops = llamagen_fake.requests_for("redirect")
    assets = llamagen_fake.asset_requests()
    assert hops and all("authorization" in r.headers for r in hops)
    assert assets and all(r.origin == "asset" for r in assets)
    assert not any("authorization" in r.headers for r in assets)


# ------------------------------------------------------------------ config


@pytest.mark.parametrize(
    "url", ["http://api.example.com/v1", "ftp://api.example.com", "http://10.0.0.1/v1"]
)
def test_plain_http_to_another_host_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="https"):
        LlamaGenProvider(LLAMAGEN_KEY, url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/v1/", "http://localhost:9/v1", "http://[::1]:9/v1", None]
)
async def test_https_and_loopback_base_urls_are_accepted(url: str | None) -> None:
    provider = LlamaGenProvider(LLAMAGEN_KEY, url)
    assert not provider.base_url.endswith("/")
    await provider.aclose()


def test_capabilities_say_why_things_are_missing() -> None:
    caps = LlamaGenProvider(None).capabilities
    assert caps.panel_redraw and caps.continue_write and caps.video and caps.uploads
    assert not caps.cancel and "billed" in caps.reason("cancel")
    assert "list endpoint" in caps.reason("list_history")
    assert len(caps.sizes) == 9 and "neutral" in caps.styles
