"""Cartoonicate adapter against the fake Cartoonicate: the contract and its own features."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from contract import ProviderContract
from fake_base import MP4_BYTES, make_png
from fake_cartoonicate import FakeCartoonicate, cartoon_request, fast_cartoonicate

from studio.core.models import Character, JobKind, Location, Story
from studio.providers.base import GenerationRequest, GenerationResult, Progress
from studio.providers.cartoonicate.provider import CartoonicateProvider
from studio.providers.errors import (
    ForbiddenError,
    GenerationFailed,
    NotSupported,
    OutcomeUnknown,
    ProviderError,
    QuotaError,
    ValidationRefused,
)


class TestCartoonicateContract(ProviderContract):
    billable_route = "create"
    poll_route = "cartoons"

    async def make_fake(self) -> FakeCartoonicate:
        return await FakeCartoonicate().start()

    def make_provider(self, server_url: str, api_key: str | None) -> CartoonicateProvider:
        return fast_cartoonicate(server_url, api_key)

    def make_request(self) -> GenerationRequest:
        return cartoon_request()


@pytest.fixture
async def fake() -> AsyncIterator[FakeCartoonicate]:
    server = await FakeCartoonicate().start()
    yield server
    await server.close()


@pytest.fixture
async def cartoonicate(fake: FakeCartoonicate) -> AsyncIterator[CartoonicateProvider]:
    provider = fast_cartoonicate(fake.url)
    yield provider
    await provider.aclose()


async def run(
    provider: CartoonicateProvider, request: GenerationRequest
) -> tuple[GenerationResult, list[Progress]]:
    events: list[Progress] = []
    submission = await provider.submit(request)
    return await provider.wait(submission, request, events.append), events


# ------------------------------------------------------------------ create


async def test_create_body_from_cast_location_layout_and_project(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    request = cartoon_request(panels=5, style="new_yorker", size="576x1024")
    request.cast = [Character("Dev", age="30", dress="glasses"), Character("Cat")]
    request.locations = [Location("Home office", "messy"), Location("Garden")]
    request.remote_project = {
        "holiday": "halloween",
        "tone": "savage",
        "title_banner": "FRIDAY",
        "punchline_banner": "It compiled on my machine.",
    }
    submission = await cartoonicate.submit(request)
    body = fake.requests_for("create")[0].json
    token = body["metadata"].pop("studio_request")
    assert token and body == {
        "subject": "Dev (30, glasses); Cat",
        "problem": "keeps pushing to main on a Friday",
        "location": "Home office: messy",
        "aspect_ratio": "9:16",
        "metadata": {"studio_job_id": 42},
        "format": "comic",
        "panel_count": 6,
        "style_preset": "new_yorker",
        "holiday": "halloween",
        "tone": "savage",
        "title_banner": "FRIDAY",
        "punchline_banner": "It compiled on my machine.",
        "variants": 1,
    }
    assert fake.requests_for("account") == []  # one variant needs no plan lookup
    assert submission.handle == {"kind": "create", "cartoon_id": 4821, "render_ids": [9001]}
    assert submission.trace_id.startswith("trace-")


@pytest.mark.parametrize(
    ("panels", "size", "fmt", "count", "ratio"),
    [(1, "1024x1024", "single", None, "1:1"), (9, "1024x576", "comic", 8, "16:9")],
)
async def test_format_panel_count_and_aspect(
    cartoonicate: CartoonicateProvider,
    fake: FakeCartoonicate,
    panels: int,
    size: str,
    fmt: str,
    count: int | None,
    ratio: str,
) -> None:
    await cartoonicate.submit(cartoon_request(panels=panels, size=size))
    body = fake.requests_for("create")[0].json
    assert (body["format"], body.get("panel_count"), body["aspect_ratio"]) == (fmt, count, ratio)
    assert body["subject"] == body["problem"] and body["location"] == "anywhere"


@pytest.mark.parametrize("project", [{"title_banner": "x" * 81}, {"punchline_banner": "y" * 81}])
async def test_long_banners_are_refused_locally(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate, project: dict[str, Any]
) -> None:
    request = cartoon_request()
    request.remote_project = project
    with pytest.raises(ValidationRefused, match="80 characters"):
        await cartoonicate.submit(request)
    assert fake.requests == []


async def test_variants_are_capped_by_the_plan_fetched_once(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    request = cartoon_request()
    request.remote_project = {"variants": 5}
    result, events = await run(cartoonicate, request)
    await cartoonicate.submit(request)
    assert [r.json["variants"] for r in fake.requests_for("create")] == [2, 2]
    assert len(fake.requests_for("account")) == 1
    assert [(p.page, p.panel, p.alternative, p.watermarked) for p in result.panels] == [
        (0, 0, False, True),
        (0, 0, True, True),
    ]
    assert result.panels[1].data == make_png("c4821-r9002.png")
    assert result.remote_project == {
        "cartoon_id": 4821,
        "render_id": 9001,
        "render_ids": [9001, 9002],
    }
    assert "watermarked" in result.message
    assert any(e.fraction is None and "0 of 2" in e.message for e in events)


async def test_failed_variant_is_reported_and_all_failed_is_an_error(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    request = cartoon_request()
    request.remote_project = {"variants": 2}
    fake.failed_variants = 1
    result, _ = await run(cartoonicate, request)
    assert len(result.panels) == 1 and "1 variant(s) failed" in result.message
    fake.failed_variants = 2
    with pytest.raises(GenerationFailed, match="render crashed"):
        await run(cartoonicate, request)


# ------------------------------------------------------------ reconcile, errors


async def test_dropped_create_found_in_the_list_is_not_resent(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    fake.old_cartoons = 3
    fake.drop_after_create = True
    request = cartoon_request()
    submission = await cartoonicate.submit(request)
    assert fake.billable_count() == 1
    assert submission.handle["cartoon_id"] == 4821 and submission.handle["reconciled"]
    assert "not sent again" in submission.message
    [listing] = fake.requests_for("cartoons")
    assert "id" not in listing.query
    fake.drop_after_create = False
    result = await cartoonicate.wait(submission, request, lambda _p: None)
    assert result.panels and fake.billable_count() == 1


async def test_dropped_create_of_another_job_is_outcome_unknown(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    fake.old_cartoons = 2
    fake.drop("create")
    with pytest.raises(OutcomeUnknown):
        await cartoonicate.submit(cartoon_request())
    assert fake.billable_count() == 1 and len(fake.requests_for("cartoons")) == 1


async def test_envelope_error_carries_message_and_trace_id(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    fake.reject_create = (422, "subject, problem, and location are all required.")
    with pytest.raises(ValidationRefused) as info:
        await cartoonicate.submit(cartoon_request())
    assert "all required" in str(info.value)
    assert info.value.trace_id.startswith("trace-")
    assert info.value.trace_id in info.value.user_message()


async def test_success_false_with_200_is_an_error_with_the_trace(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    fake.fail("account", 200, body={"success": False, "message": "Account suspended", "data": None})
    with pytest.raises(ProviderError, match="Account suspended"):
        await cartoonicate.usage()


# ---------------------------------------------------------------- animations


async def test_animation_from_the_stored_render(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    first, _ = await run(cartoonicate, cartoon_request())
    request = GenerationRequest(
        kind=JobKind.video, story=Story(), remote_project=first.remote_project, target_page=0
    )
    result, _ = await run(cartoonicate, request)
    assert fake.requests_for("animate")[0].json == {"render_id": 9001}
    [clip] = result.panels
    assert clip.kind == "video" and clip.data == MP4_BYTES and clip.watermarked
    assert result.remote_project == {"animation_id": 55}


@pytest.mark.parametrize(
    ("message", "error", "text"),
    [
        ("Animations are not included in your plan.", ForbiddenError, "no animations"),
        ("Monthly preview quota exhausted.", QuotaError, "quota"),
    ],
)
async def test_animation_402_plan_or_quota(
    cartoonicate: CartoonicateProvider,
    fake: FakeCartoonicate,
    message: str,
    error: type[Exception],
    text: str,
) -> None:
    fake.fail("animate", 402, body={"success": False, "message": message, "data": None})
    request = GenerationRequest(kind=JobKind.video, story=Story(), remote_project={"render_id": 1})
    with pytest.raises(error, match=text):
        await cartoonicate.submit(request)


async def test_animation_needs_a_render(cartoonicate: CartoonicateProvider) -> None:
    with pytest.raises(ValidationRefused, match="create a cartoon first"):
        await cartoonicate.submit(GenerationRequest(kind=JobKind.video, story=Story()))


# ---------------------------------------------------- account, history, caps


async def test_usage_check_and_history(
    cartoonicate: CartoonicateProvider, fake: FakeCartoonicate
) -> None:
    usage = await cartoonicate.usage()
    assert usage["quota"]["previews_remaining"] == 863 and usage["usage"]["calls_month"] == 412
    check = await cartoonicate.check()
    assert check["ping"]["plan"] == {"code": "growth"} and check["plan"]["max_variants"] == 2
    await cartoonicate.submit(cartoon_request())
    history = await cartoonicate.history(limit=10)
    assert [c["id"] for c in history["cartoons"]] == [4821]
    assert history["pagination"]["total"] == 1
    assert fake.requests_for("cartoons")[-1].query == {"limit": "10", "offset": "0"}
    with pytest.raises(ValidationRefused):
        await cartoonicate.history(limit=101)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [(JobKind.redraw, "panels cannot be redrawn"), (JobKind.continue_, "no continue")],
)
async def test_unsupported_kinds_say_why(kind: JobKind, reason: str) -> None:
    with pytest.raises(NotSupported, match=reason):
        await CartoonicateProvider(None).submit(GenerationRequest(kind=kind, story=Story()))


def test_capabilities_are_honest() -> None:
    caps = CartoonicateProvider.capabilities
    assert caps.as_dict() == {
        "create_comic": True,
        "multi_page": False,
        "panel_redraw": False,
        "continue_write": False,
        "character_refs": False,
        "location_refs": False,
        "uploads": False,
        "video": True,
        "usage": True,
        "list_history": True,
        "delete": False,
        "cancel": False,
        "upscale": False,
        "language": False,
    }
    assert caps.reason("panel_redraw") == (
        "Cartoonicate draws the whole strip as one image; panels cannot be redrawn"
    )
    assert caps.reason("multi_page") and caps.styles == (
        "new_yorker",
        "anime",
        "pixar_3d",
        "newspaper_comic",
        "sticker",
    )
