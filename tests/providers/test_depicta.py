"""Depicta adapter against the fake Depicta API: the contract, stories, uploads, edits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from contract import ProviderContract
from fake_base import make_png
from fake_depicta import FakeDepicta, depicta_request, fast_depicta
from fake_llamagen import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.models import JobKind
from studio.providers.base import GenerationRequest, RefImage
from studio.providers.depicta import parse as dp
from studio.providers.depicta.provider import DepictaProvider
from studio.providers.errors import (
    AuthError,
    ContentRejected,
    ForbiddenError,
    NotSupported,
    ProviderError,
    ProviderUnavailable,
    QuotaError,
    ValidationRefused,
)


class TestDepictaContract(ProviderContract):
    billable_route = "story"
    poll_route = "poll"

    async def make_fake(self) -> FakeDepicta:
        return await FakeDepicta().start()

    def make_provider(self, server_url: str, api_key: str | None) -> DepictaProvider:
        return fast_depicta(server_url, api_key)

    def make_request(self) -> GenerationRequest:
        return depicta_request()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDepicta]:
    server = await FakeDepicta().start()
    yield server
    await server.close()


@pytest.fixture
async def depicta(fake: FakeDepicta) -> AsyncIterator[DepictaProvider]:
    provider = fast_depicta(fake.url)
    yield provider
    await provider.aclose()


# ------------------------------------------------------------------ stories


async def test_storyboard_fields_poll_url_progress_and_pages(
    depicta: DepictaProvider, fake: FakeDepicta
) -> None:
    request = depicta_request(panels=3, per_page=2)
    request.character_images = {"Aria": RefImage("Aria", data=b"ARIA-PNG")}
    request.location_images = {"Library": RefImage("Library", url="https://x/lib.png")}
    result, events, _ = await run(depicta, request)
    [story] = fake.requests_for("story")
    [upload] = fake.requests_for("upload")
    assert upload.form["image"]["data"] == b"ARIA-PNG"
    body = story.json
    assert body["model"] == "story-2" and body["aspect_ratio"] == "4:3"
    assert body["style"] == "watercolor" and body["title"] == "Aria"
    assert body["characters"] == [
        {
            "name": "Aria",
            "appearance": "30, woman, green cloak",
            "reference_url": body["characters"][0]["reference_url"],
        }
    ]
    assert body["characters"][0]["reference_url"].endswith("upload-1.png?sig=v0")
    assert body["locations"] == [
        {"name": "Library", "description": "ancient, dusty", "reference_url": "https://x/lib.png"}
    ]
    assert body["scenes"][0] == {
        "prompt": "Aria scene 0",
        "characters": ["Aria"],
        "location": "Library",
    }
    assert all(r.path == "/v1/generate/story/a1b2-1" for r in fake.requests_for("poll"))
    assert [(p.page, p.panel) for p in result.panels] == [(0, 0), (0, 1), (1, 0)]
    assert result.panels[2].data == make_png("a1b2-1-s2.png")
    assert [e.fraction for e in events if e.fraction] == [1 / 3, 2 / 3]
    assert events[0].state == "queued"
    assert result.character_refs == {"Aria": make_png("char-Aria.png")}
    assert result.location_refs == {"Library": make_png("loc-Library.png")}
    assert result.credits == 1.2
    assert result.remote_project == {
        "story_job_id": "a1b2-1",
        "story_model": "story-2",
        "last_cost_eur": 1.2,
        "balance_eur": 8.8,
    }
    assert len(fake.requests_for("models")) == 1


@pytest.mark.parametrize(("shape", "id_key"), [("images", "id"), ("formats", "job_id")])
async def test_scene_image_shapes_and_id_keys(
    depicta: DepictaProvider, fake: FakeDepicta, shape: str, id_key: str
) -> None:
    fake.scene_shape, fake.id_key = shape, id_key
    result, _, _ = await run(depicta, depicta_request(panels=2))
    assert [p.data for p in result.panels] == [make_png("a1b2-1-s0.png"), make_png("a1b2-1-s1.png")]


async def test_model_is_fetched_once(depicta: DepictaProvider, fake: FakeDepicta) -> None:
    fake.models_body = [{"id": "bare", "supports_multiturn": True}]
    await depicta.submit(depicta_request())
    await depicta.submit(depicta_request())
    assert len(fake.requests_for("models")) == 1
    assert fake.requests_for("story")[1].json["model"] == "bare"


async def test_model_not_capable_is_clear(depicta: DepictaProvider, fake: FakeDepicta) -> None:
    fake.fail("story", 422, body={"error": "model_not_capable", "message": "no multiturn"})
    with pytest.raises(ValidationRefused, match=r"refused the model .* no multiturn"):
        await depicta.submit(depicta_request())


@pytest.mark.parametrize(
    "models",
    [
        {"models": [{"id": "a", "name": "A", "can_generate": True}, {"id": "b"}]},
        [{"id": "flat", "supports_multiturn": False}],
        [],
    ],
)
async def test_story_goes_without_a_model_when_none_is_flagged(
    depicta: DepictaProvider, fake: FakeDepicta, models: object
) -> None:
    fake.models_body = models
    result, _, _ = await run(depicta, depicta_request(panels=2))
    assert "model" not in fake.requests_for("story")[0].json
    assert len(result.panels) == 2


async def test_story_without_a_model_list_still_goes(
    depicta: DepictaProvider, fake: FakeDepicta
) -> None:
    fake.fail("models", 404, body={"error": "not_found", "message": "no such endpoint"})
    await depicta.submit(depicta_request())
    assert "model" not in fake.requests_for("story")[0].json


async def test_the_users_model_is_sent_and_a_422_names_it(
    depicta: DepictaProvider, fake: FakeDepicta
) -> None:
    request = depicta_request()
    request.remote_project = {"model": "flat-1"}
    with pytest.raises(ValidationRefused, match="Model flat-1 cannot draw stories") as caught:
        await depicta.submit(request)
    assert "choose another one or none" in caught.value.message
    assert fake.requests_for("models") == []  # the user's choice needs no list


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (451, "content_rejected", ContentRejected),
        (403, "content_rejected", ContentRejected),
        (402, "credit_insufficient", QuotaError),
        (400, "insufficient_credits", QuotaError),
        (403, "auth_email_not_verified", AuthError),
        (403, "account_suspended", ForbiddenError),
    ],
)
async def test_error_codes(
    depicta: DepictaProvider, fake: FakeDepicta, status: int, code: str, error: type
) -> None:
    fake.fail("story", status, body={"error": code, "message": "nope", "request_id": "r1"})
    with pytest.raises(error) as info:
        await depicta.submit(depicta_request())
    assert info.value.trace_id == "r1" and fake.billable_count() == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("content_rejected", ContentRejected),
        ("insufficient_credits", QuotaError),
        ("credit_insufficient", QuotaError),
        ("internal_error", ProviderError),
    ],
)
async def test_job_level_failures(
    depicta: DepictaProvider, fake: FakeDepicta, code: str, error: type
) -> None:
    fake.fail_code = code
    with pytest.raises(error, match="not this time"):
        await run(depicta, depicta_request())


async def test_timeout_leaves_the_story_resumable(
    depicta: DepictaProvider, fake: FakeDepicta
) -> None:
    fake.stuck = True
    depicta.wait_timeout = 0.05
    request = depicta_request()
    submission = await depicta.submit(request)
    with pytest.raises(ProviderUnavailable, match="still running; resume later"):
        await depicta.wait(submission, request, lambda _p: None)
    fake.stuck = False
    depicta.wait_timeout = 5
    result = await depicta.wait(submission, request, lambda _p: None)
    assert len(result.panels) == 3 and fake.billable_count() == 1


async def test_expired_links_are_refreshed_from_the_job(
    depicta: DepictaProvider, fake: FakeDepicta
) -> None:
    fake.expire_assets()
    result, _, _ = await run(depicta, depicta_request(panels=1))
    assert len(result.panels) == 1 and fake.requests_for("job")


# ------------------------------------------------------------ uploads, edit


async def test_upload_is_field_image_sent_once_and_capped(
    depicta: DepictaProvider, fake: FakeDepicta
) -> None:
    with pytest.raises(ValidationRefused, match="50 MB"):
        await depicta.upload(RefImage("big", data=b"x" * (50 * 1024 * 1024 + 1)))
    fake.fail("upload", 503)
    with pytest.raises(ProviderUnavailable):
        await depicta.upload(RefImage("a", data=b"A"))
    assert len(fake.requests_for("upload")) == 1  # never retried
    url = await depicta.upload(RefImage("a", data=b"A"))
    assert await depicta.upload(RefImage("a", data=b"A")) == url


async def test_redraw_uploads_the_panel_then_edits_it(
    depicta: DepictaProvider, fake: FakeDepicta
) -> None:
    request = depicta_request(
        kind=JobKind.redraw, prompt="Aria smiles", target_page=1, target_panel=0
    )
    request.source_image = RefImage("panel", data=b"PANEL")
    submission = await depicta.submit(request)
    assert submission.remote_id == "job-edit-1"
    body = fake.requests_for("edit")[0].json
    assert body["prompt"] == "Aria smiles"
    assert body["input_image_url"].endswith("upload-1.png?sig=v0")
    result = await depicta.wait(submission, request, lambda _p: None)
    [panel] = result.panels
    assert (panel.page, panel.panel) == (1, 0) and panel.data == make_png("edit-1.png")
    assert result.credits == 0.04 and fake.billable_count() == 1


async def test_redraw_without_the_panel_image_is_refused(depicta: DepictaProvider) -> None:
    request = depicta_request(kind=JobKind.redraw, prompt="x", target_page=0, target_panel=0)
    with pytest.raises(ValidationRefused, match="current image"):
        await depicta.submit(request)


@pytest.mark.parametrize("kind", [JobKind.continue_, JobKind.video])
async def test_unsupported_kinds_say_why(depicta: DepictaProvider, kind: JobKind) -> None:
    with pytest.raises(NotSupported):
        await depicta.submit(depicta_request(kind=kind))


# ----------------------------------------------------------- usage, history


async def test_usage_is_balance_minus_held(depicta: DepictaProvider) -> None:
    assert await depicta.usage() == {"balance_eur": 12.5, "held_eur": 2.25, "available_eur": 10.25}


async def test_history_lists_jobs(depicta: DepictaProvider, fake: FakeDepicta) -> None:
    await depicta.submit(depicta_request())
    assert await depicta.list_jobs() == [
        {"job_id": "a1b2-1", "status": "completed", "created_at": "2026"}
    ]


def test_capabilities() -> None:
    caps = DepictaProvider(None).capabilities
    assert caps.panel_redraw and caps.usage and caps.list_history and caps.uploads
    assert caps.character_refs and caps.location_refs
    assert not (caps.continue_write or caps.video or caps.delete or caps.cancel)
    assert "start a new story" in caps.reason("continue_write")


# -------------------------------------------------------------- hypothesis

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "job_id",
                    "id",
                    "status",
                    "result",
                    "scenes",
                    "image_url",
                    "images",
                    "formats",
                    "png",
                    "url",
                    "error",
                    "code",
                    "scenes_total",
                    "scenes_completed",
                    "characters",
                    "name",
                    "reference_url",
                    "models",
                    "supports_multiturn",
                    "user",
                    "balance_eur",
                    "generations",
                    "cost_eur",
                    "upload_url",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_parsers_never_raise_on_arbitrary_json(data: Any) -> None:
    try:
        dp.story_state(data)
        dp.sync_url_of(data)
        dp.references_of(data, "characters")
        dp.story_model(data)
        dp.profile_of(data)
        dp.jobs_of(data)
        dp.upload_url_of(data)
        dp.cost_of(data)
        dp.job_id_of(data)
    except ProviderError:
        pass
