"""Animus adapter against the fake Animus API: the contract, batches per page, groups."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from contract import ProviderContract
from fake_animus import ANIMUS_KEY, FakeAnimus, FakeGroup, animus_request, fast_animus
from fake_base import MP4_BYTES, make_png
from fake_llamagen import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.models import Character, JobKind, Location, ScriptPanel
from studio.providers.animus import parse as ap
from studio.providers.animus.provider import AnimusProvider, GroupStillReconciling
from studio.providers.base import GenerationRequest, RefImage, Submission
from studio.providers.errors import (
    GenerationFailed,
    NotSupported,
    OutcomeUnknown,
    ProviderError,
    ProviderUnavailable,
    QuotaError,
)


class TestAnimusContract(ProviderContract):
    billable_route = "batch"
    poll_route = "status"

    async def make_fake(self) -> FakeAnimus:
        return await FakeAnimus().start()

    def make_provider(self, server_url: str, api_key: str | None) -> AnimusProvider:
        return fast_animus(server_url, api_key)

    def make_request(self) -> GenerationRequest:
        return animus_request()


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnimus]:
    server = await FakeAnimus().start()
    yield server
    await server.close()


@pytest.fixture
async def animus(fake: FakeAnimus) -> AsyncIterator[AnimusProvider]:
    provider = fast_animus(fake.url)
    yield provider
    await provider.aclose()


SORA = Character("Sora", age="20", gender="woman", dress="red coat", provider_refs={"animus": "c1"})
KAI = Character("Kai", dress="blue hoodie", provider_refs={"animus": "c2"})


# ------------------------------------------------------------------ create


async def test_each_page_is_one_batch_with_the_lora_character_and_seed(
    animus: AnimusProvider, fake: FakeAnimus
) -> None:
    pages = [
        [ScriptPanel("Sora enters", ["Sora"], "Bar"), ScriptPanel("Sora sits", ["Sora"])],
        [ScriptPanel("Sora leaves", ["Sora"])],
    ]
    locations = [Location("Bar", "neon, smoky")]
    request = animus_request(pages, [SORA], locations=locations, seed=42)
    result, events, handles = await run(animus, request)
    first, second = (r.json for r in fake.requests_for("batch"))
    assert first["group_title"] == "Neon Nights" and "group_id" not in first
    assert first["character_id"] == "c1"
    assert first["prompts"][0] == {
        "prompt": "Sora enters. Sora, a 20-year-old woman wearing red coat. At Bar (neon, smoky)",
        "use_face_lora": True,
        "use_body_lora": True,
        "face_swap": True,
        "seed": 42,
    }
    assert second["group_id"] == "grp_1" and "group_title" not in second
    assert [(p.page, p.panel) for p in result.panels] == [(0, 0), (0, 1), (1, 0)]
    assert result.panels[2].data == make_png("gen_003.png")
    assert result.remote_project == {
        "group_id": "grp_1",
        "group_title": "Neon Nights",
        "remaining_balance": 88,
        "credits_per_image": 4.0,
    }
    assert result.credits == 12 and result.message == ""
    assert [u["state"] for u in handles[-1]["units"]] == ["accepted", "accepted"]
    assert any(e.fraction is not None for e in events)


async def test_other_characters_on_a_page_go_as_single_creates(
    animus: AnimusProvider, fake: FakeAnimus
) -> None:
    pages = [
        [
            ScriptPanel("A", ["Sora"]),
            ScriptPanel("B", ["Kai", "Sora"]),
            ScriptPanel("C", ["Sora", "Kai"]),
            ScriptPanel("D", []),
        ]
    ]
    request = animus_request(pages, [SORA, KAI], remote_project={"group_id": "grp_9"})
    fake.groups["grp_9"] = FakeGroup("grp_9", "old")
    result, _, _ = await run(animus, request)
    [batch] = fake.requests_for("batch")
    assert batch.json["character_id"] == "c1" and len(batch.json["prompts"]) == 2
    assert batch.json["group_id"] == "grp_9"
    singles = [r.json for r in fake.requests_for("create")]
    assert [s.get("character_id") for s in singles] == ["c2", None]
    assert "use_face_lora" not in singles[1] and singles[0]["face_swap"] is True
    assert sorted((p.page, p.panel) for p in result.panels) == [(0, i) for i in range(4)]


@pytest.mark.parametrize(("shape", "ids"), [("jobs", False), ("counts", False), ("counts", True)])
async def test_batch_results_from_any_status_shape(
    animus: AnimusProvider, fake: FakeAnimus, shape: str, ids: bool
) -> None:
    fake.batch_shape, fake.batch_lists_ids = shape, ids
    result, _, _ = await run(animus, animus_request())
    assert [p.data for p in result.panels] == [make_png("gen_001.png"), make_png("gen_002.png")]
    assert bool(fake.requests_for("group")) == (shape == "counts")


async def test_failed_generation_is_reported(animus: AnimusProvider, fake: FakeAnimus) -> None:
    fake.fail_gen = "walks"
    request = animus_request([[ScriptPanel("Sora walks", [])]], [])
    with pytest.raises(GenerationFailed, match="NSFW"):
        await run(animus, request)


async def test_multi_page_partial_failure_keeps_the_accepted_page(
    animus: AnimusProvider, fake: FakeAnimus
) -> None:
    pages = [[ScriptPanel("one", [])], [ScriptPanel("two", [])], [ScriptPanel("three", [])]]
    fake.drop("batch")  # held back while page 1 is submitted: it hits page 2
    request = animus_request(pages, [])
    submission = await _submit_with_drop_later(animus, fake, request)
    handles: list[dict[str, Any]] = []

    async def save(handle: dict[str, Any]) -> None:
        handles.append(handle)

    result = await animus.wait(submission, request, lambda _p: None, save)
    assert fake.billable_count() == 2
    assert [(p.page, p.panel) for p in result.panels] == [(0, 0)]
    assert "may or may not have been accepted" in result.message
    assert "Page 3 (1 panel(s)) was not sent" in result.message
    assert handles[0]["units"][1]["state"] == "sending"  # saved before the send
    assert [u["state"] for u in handles[-1]["units"]] == ["accepted", "unknown", "not_sent"]


async def _submit_with_drop_later(
    animus: AnimusProvider, fake: FakeAnimus, request: GenerationRequest
) -> Submission:
    faults = fake._faults.pop("batch")
    submission = await animus.submit(request)
    fake._faults["batch"] = faults
    return submission


async def test_resume_never_resends_a_unit_interrupted_while_sending(
    animus: AnimusProvider, fake: FakeAnimus
) -> None:
    request = animus_request([[ScriptPanel("one", [])], [ScriptPanel("two", [])]], [])
    submission = await animus.submit(request)
    submission.handle["units"][1]["state"] = "sending"
    result = await animus.wait(submission, request, lambda _p: None)
    assert fake.billable_count() == 1 and len(result.panels) == 1
    assert "interrupted while sending" in result.message


async def test_only_unknown_units_is_outcome_unknown(animus: AnimusProvider) -> None:
    unit = ap._unit("batch", 0, [0], ["x"], None)
    unit["state"] = "sending"
    submission = Submission("b", {"kind": "pages", "group_title": "t", "units": [unit]})
    with pytest.raises(OutcomeUnknown, match="check the Animus group"):
        await animus.wait(submission, animus_request(), lambda _p: None)


async def test_payment_required_names_balance_and_what_was_asked(
    animus: AnimusProvider, fake: FakeAnimus
) -> None:
    body = {"error": "insufficient_credits", "message": "No access", "character_id": "c1"}
    fake.fail("batch", 402, body=body)
    request = animus_request(cast=[SORA], remote_project={"remaining_balance": 3})
    with pytest.raises(QuotaError) as info:
        await animus.submit(request)
    text = info.value.user_message()
    assert "No access" in text and "2 image(s) for page 1 with character c1" in text
    assert "last known balance is 3 credits" in text


async def test_timeout_leaves_the_job_running(animus: AnimusProvider, fake: FakeAnimus) -> None:
    fake.running_polls = 1000
    animus.wait_timeout = 0.05
    with pytest.raises(ProviderUnavailable, match="still running; resume later"):
        await run(animus, animus_request())
    assert fake.billable_count() == 1


# ------------------------------------------------------- redraw, edit, video


async def test_redraw_is_one_create_into_the_same_group(
    animus: AnimusProvider, fake: FakeAnimus
) -> None:
    first, _, _ = await run(animus, animus_request(cast=[SORA]))
    request = animus_request(
        cast=[SORA],
        kind=JobKind.redraw,
        prompt="Sora laughs",
        target_page=0,
        target_panel=1,
        remote_project=first.remote_project,
    )
    result, _, _ = await run(animus, request)
    [create] = fake.requests_for("create")
    assert create.json["group_id"] == "grp_1" and create.json["prompt"] == "Sora laughs"
    assert create.json["character_id"] == "c1" and create.json["use_body_lora"] is True
    [panel] = result.panels
    assert (panel.page, panel.panel) == (0, 1) and panel.data == make_png("gen_003.png")


@pytest.mark.parametrize("kind", [JobKind.edit, JobKind.video])
async def test_edit_and_video_need_a_public_url(
    animus: AnimusProvider, fake: FakeAnimus, kind: JobKind
) -> None:
    request = animus_request(
        kind=kind, target_page=0, target_panel=0, source_image=RefImage("panel", data=b"PNG")
    )
    with pytest.raises(NotSupported, match="no upload"):
        await animus.submit(request)
    assert fake.requests == []


async def test_video_converts_the_panel_image(animus: AnimusProvider, fake: FakeAnimus) -> None:
    source = RefImage("panel", url="https://cdn.example/p.png")
    request = animus_request(
        kind=JobKind.video, prompt="slow zoom", target_page=1, target_panel=2, source_image=source
    )
    result, _, _ = await run(animus, request)
    body = fake.requests_for("create")[0].json
    assert body["source_image_url"] == "https://cdn.example/p.png"
    assert body["convert_to_video"] is True and body["group_title"] == "Neon Nights"
    [clip] = result.panels
    assert clip.kind == "video" and clip.data == MP4_BYTES and (clip.page, clip.panel) == (1, 2)


async def test_edit_sends_the_source_url(animus: AnimusProvider, fake: FakeAnimus) -> None:
    source = RefImage("panel", url="https://cdn.example/p.png")
    request = animus_request(kind=JobKind.edit, prompt="night", target_page=0, target_panel=0)
    request.source_image = source
    await run(animus, request)
    body = fake.requests_for("create")[0].json
    assert body["source_image_url"] == source.url and "convert_to_video" not in body


# ------------------------------------------------------------ groups, usage


async def test_groups_list_and_delete(animus: AnimusProvider, fake: FakeAnimus) -> None:
    await run(animus, animus_request())
    groups = await animus.list_groups(limit=5, offset=0)
    assert groups == [{"group_id": "grp_1", "title": "Neon Nights", "generation_count": 2}]
    assert fake.requests_for("groups")[0].query == {"limit": "5", "offset": "0"}
    fake.delete_conflict = True
    with pytest.raises(GroupStillReconciling) as info:
        await animus.delete_group("grp_1")
    assert "Retry the delete" in info.value.user_message()
    fake.delete_conflict = False
    assert await animus.delete_group("grp_1") == {"deleted_group": "grp_1"}
    assert len(fake.requests_for("delete_group")) == 2


async def test_usage_is_the_last_known_balance(animus: AnimusProvider) -> None:
    with pytest.raises(NotSupported, match="remaining_balance"):
        await animus.usage()
    AnimusProvider._remember_balance(animus, 55)
    assert (await animus.usage())["remaining_balance"] == 55


def test_capabilities_are_honest() -> None:
    caps = AnimusProvider(None).capabilities
    assert caps.create_comic and caps.multi_page and caps.panel_redraw and caps.continue_write
    assert caps.character_refs and caps.video and caps.list_history and caps.delete
    assert not (caps.location_refs or caps.uploads or caps.usage or caps.cancel)
    assert "composes" in caps.reason("create_comic")


async def test_continue_draws_the_new_pages_into_the_group(
    animus: AnimusProvider, fake: FakeAnimus
) -> None:
    request = animus_request(
        [[ScriptPanel("later", ["Sora"])]],
        [SORA],
        kind=JobKind.continue_,
        remote_project={"group_id": "grp_7"},
    )
    result, _, _ = await run(animus, request)
    assert fake.requests_for("batch")[0].json["group_id"] == "grp_7"
    assert [(p.page, p.panel) for p in result.panels] == [(0, 0)]


# -------------------------------------------------------------- hypothesis

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "status",
                    "error",
                    "progress",
                    "result_urls",
                    "generations",
                    "groups",
                    "batch_id",
                    "generation_id",
                    "completed",
                    "total",
                    "group_id",
                    "generation_ids",
                    "created_at",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_parsers_never_raise_on_arbitrary_json(data: Any) -> None:
    try:
        ap.submitted_id(data)
        ap.generation_ids(data)
        ap.generation_of(data)
        ap.generations_of(data)
        ap.progress_of(data)
        ap.counts(data)
        ap.groups_of(data)
        ap.error_of(data)
    except ProviderError:
        pass


def test_key_is_bearer_only_to_the_api() -> None:
    provider = AnimusProvider(ANIMUS_KEY, "https://api.animusai.co/v2/")
    assert provider.base_url == "https://api.animusai.co/v2"
