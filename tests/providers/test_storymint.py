"""StoryMint adapter against the fake StoryMint: the contract, books, progress, chat, audio."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from contract import ProviderContract
from fake_base import make_png
from fake_storymint import MP3_BYTES, FakeStoryMint, book_request, fast_storymint

from studio.core.models import JobKind, Story
from studio.providers.base import GenerationRequest, GenerationResult, Progress, validate_for
from studio.providers.errors import (
    ForbiddenError,
    GenerationFailed,
    NotSupported,
    OutcomeUnknown,
    QuotaError,
    ValidationRefused,
)
from studio.providers.storymint.provider import StoryMintProvider
from studio.providers.storymint.wait import COVER_FILE, PDF_FILE


class TestStoryMintContract(ProviderContract):
    billable_route = "generate"
    poll_route = "book"  # progress comes by SSE; the book GET is always made (and retried)

    async def make_fake(self) -> FakeStoryMint:
        return await FakeStoryMint().start()

    def make_provider(self, server_url: str, api_key: str | None) -> StoryMintProvider:
        return fast_storymint(server_url, api_key)

    def make_request(self) -> GenerationRequest:
        return book_request()


@pytest.fixture
async def fake() -> AsyncIterator[FakeStoryMint]:
    server = await FakeStoryMint().start()
    yield server
    await server.close()


@pytest.fixture
async def storymint(fake: FakeStoryMint) -> AsyncIterator[StoryMintProvider]:
    provider = fast_storymint(fake.url)
    yield provider
    await provider.aclose()


async def run(
    provider: StoryMintProvider, request: GenerationRequest
) -> tuple[GenerationResult, list[Progress]]:
    events: list[Progress] = []
    submission = await provider.submit(request)
    return await provider.wait(submission, request, events.append), events


def chat_request(page: int, prompt: str = "Add a rainbow", **kw: Any) -> GenerationRequest:
    return GenerationRequest(
        kind=JobKind.redraw,
        story=Story(),
        prompt=prompt,
        target_page=page,
        target_panel=0,
        remote_project={"job_id": "job0001"},
        **kw,
    )


# ------------------------------------------------------------------ create


async def test_generate_body_maps_the_story(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    request = book_request(pages=4, style="watercolor", author="Maple Leaf")
    request.remote_project = {"series": "Forest Friends", "sd_model": "juggernautXL_v9"}
    submission = await storymint.submit(request)
    [generate] = fake.requests_for("generate")
    assert generate.json == {
        "prompt": "A brave little raccoon who learns to share.",
        "book_format": "comic",
        "num_pages": 4,
        "art_style": "watercolor",
        "author": "Maple Leaf",
        "series": "Forest Friends",
        "sd_model": "juggernautXL_v9",
    }
    assert generate.headers["x-api-key"] and "authorization" not in generate.headers
    assert submission.remote_id == "job0001" and submission.handle["kind"] == "create"


async def test_format_from_project_and_single_page_layout(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    request = book_request(pages=1, style="neutral")
    request.remote_project = {"book_format": "picture"}
    await storymint.submit(request)
    body = fake.requests_for("generate")[0].json
    assert body["book_format"] == "picture" and body["num_pages"] == 1 and "art_style" not in body


@pytest.mark.parametrize("prompt", ["", "x" * 601])
async def test_bad_prompt_is_refused_before_sending(
    storymint: StoryMintProvider, fake: FakeStoryMint, prompt: str
) -> None:
    with pytest.raises(ValidationRefused):
        await storymint.submit(book_request(prompt=prompt))
    assert fake.requests == []


async def test_book_pages_become_one_panel_pages_with_cover_and_pdf(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    result, events = await run(storymint, book_request(pages=3))
    assert [(p.page, p.panel, p.remote_page) for p in result.panels] == [
        (0, 0, 1),
        (1, 0, 2),
        (2, 0, 3),
    ]
    assert result.panels[1].caption == "Text of page 2."
    assert result.panels[1].data == make_png("job0001-page02-v0.png")
    assert result.extra_files[COVER_FILE] == make_png("job0001-cover.jpg")
    assert result.extra_files[PDF_FILE].startswith(b"%PDF")
    assert result.remote_project == {"job_id": "job0001", "title": "Rusty's Big Day", "pages": 3}
    running = [e for e in events if e.state == "running"]
    assert [e.fraction for e in running] == [0.25, 0.6]
    assert running[0].message == "generating — Writing page 1..."
    assert fake.requests_for("status") == []  # SSE only


async def test_stream_sends_the_key_and_asks_only_the_api_origin(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    await run(storymint, book_request())
    [stream] = fake.requests_for("stream")
    assert stream.origin == "api" and stream.headers["x-api-key"]


@pytest.mark.parametrize("mode", ["json", "silent", "broken"])
async def test_polling_fallback_when_sse_fails(
    storymint: StoryMintProvider, fake: FakeStoryMint, mode: str
) -> None:
    if mode == "broken":
        fake.fail("stream", 500)
    else:
        fake.stream_mode = mode
    fake.running_polls = 2
    result, events = await run(storymint, book_request(pages=2))
    assert len(result.panels) == 2
    assert len(fake.requests_for("status")) == 3
    assert any(e.message == "Generating illustrations — Drawing…" for e in events)


async def test_polling_only_when_sse_is_off(fake: FakeStoryMint) -> None:
    provider = fast_storymint(fake.url, use_sse=False)
    try:
        await run(provider, book_request(pages=1))
    finally:
        await provider.aclose()
    assert fake.requests_for("stream") == [] and fake.requests_for("status")


@pytest.mark.parametrize("mode", ["sse", "json"])
async def test_error_ends_the_job(
    storymint: StoryMintProvider, fake: FakeStoryMint, mode: str
) -> None:
    fake.stream_mode, fake.fail_with = mode, "The illustrator crashed"
    with pytest.raises(GenerationFailed, match="illustrator crashed"):
        await run(storymint, book_request())


async def test_relative_image_urls_are_fetched_from_the_api_origin_with_the_key(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    fake.asset_mode = "relative"
    result, _ = await run(storymint, book_request(pages=2))
    assert len(result.panels) == 2
    assets = fake.asset_requests()
    assert assets and all(r.origin == "api" and r.headers.get("x-api-key") for r in assets)


async def test_zip_is_the_fallback_when_page_links_fail(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    fake.expire_assets(forever=True)
    result, _ = await run(storymint, book_request(pages=2))
    assert [p.data for p in result.panels] == [make_png("zip-page1"), make_png("zip-page2")]
    assert result.extra_files[COVER_FILE] == make_png("job0001-cover.jpg")  # from the ZIP


async def test_download_forbidden_by_plan_is_not_fatal(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    fake.zip_status = 403
    result, _ = await run(storymint, book_request(pages=2))
    assert len(result.panels) == 2 and PDF_FILE not in result.extra_files
    assert "no ZIP download" in result.message


async def test_text_only_pages_are_skipped_with_a_note(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    fake.text_only_pages, fake.zip_status = {2}, 403
    result, _ = await run(storymint, book_request(pages=3))
    assert [p.page for p in result.panels] == [0, 2] and "Page 2 has no image" in result.message


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("Monthly book quota exceeded (100/100)", QuotaError),
        ("Comics are not available on the Developer plan", ForbiddenError),
    ],
)
async def test_403_is_quota_or_plan_by_message(
    storymint: StoryMintProvider, fake: FakeStoryMint, message: str, error: type[Exception]
) -> None:
    fake.fail("generate", 403, body={"error": message})
    with pytest.raises(error) as info:
        await storymint.submit(book_request())
    assert type(info.value) is error and message in str(info.value)
    assert fake.billable_count() == 1


# ------------------------------------------------------------------ chat


async def test_chat_edit_names_the_page_and_returns_a_new_version(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    await run(storymint, book_request(pages=3))
    result, _ = await run(storymint, chat_request(page=1))
    [chat] = fake.requests_for("chat")
    assert chat.path == "/api/book/job0001/chat"
    assert chat.json == {"message": "On page 2: Add a rainbow"}
    [panel] = result.panels
    assert (panel.page, panel.panel, panel.remote_page, panel.alternative) == (1, 0, 2, False)
    assert panel.data == make_png("job0001-page02-v1.png")
    assert result.message.startswith("I've updated page 2.")
    assert fake.billable_count() == 2


async def test_chat_edit_other_changed_pages_go_elsewhere(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    await run(storymint, book_request(pages=3))
    fake.chat_extra_page = True
    result, _ = await run(storymint, chat_request(page=0, remote_page=1))
    assert [(p.remote_page, p.alternative, p.elsewhere) for p in result.panels] == [
        (1, False, False),
        (2, False, True),
    ]


async def test_dropped_chat_is_outcome_unknown_and_not_resent(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    await run(storymint, book_request())
    fake.drop("chat")
    with pytest.raises(OutcomeUnknown):
        await storymint.submit(chat_request(page=0))
    assert len(fake.requests_for("chat")) == 1


async def test_chat_needs_a_book_and_a_direction(storymint: StoryMintProvider) -> None:
    with pytest.raises(ValidationRefused, match="create the book first"):
        await storymint.submit(GenerationRequest(kind=JobKind.redraw, story=Story(), prompt="x"))
    with pytest.raises(ValidationRefused, match="what to change"):
        await storymint.submit(chat_request(page=0, prompt=" "))


# --------------------------------------------------- audio, usage, capabilities


async def test_audiobook_returns_mp3_bytes_sent_once(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    assert await storymint.audiobook({"job_id": "job0001"}) == MP3_BYTES
    fake.drop("audiobook")
    with pytest.raises(OutcomeUnknown):
        await storymint.audiobook({"job_id": "job0001"})
    assert len(fake.requests_for("audiobook")) == 2


async def test_check_pings_once_and_usage_never_pings(
    storymint: StoryMintProvider, fake: FakeStoryMint
) -> None:
    with pytest.raises(NotSupported, match="monthly cap"):
        await storymint.usage()
    fake.fail("ping", 503)
    with pytest.raises(Exception, match="server error"):
        await storymint.check()
    assert len(fake.requests_for("ping")) == 1  # metered: never retried
    info = await storymint.check()
    assert info["tier"] == "developer" and info["api_test_calls_limit"] == 150
    assert await storymint.usage() == info
    assert len(fake.requests_for("ping")) == 2


@pytest.mark.parametrize(
    ("kind", "reason"), [(JobKind.continue_, "no continue"), (JobKind.video, "MP3 audiobook")]
)
async def test_unsupported_kinds_say_why(kind: JobKind, reason: str) -> None:
    provider = StoryMintProvider(None)
    request = GenerationRequest(kind=kind, story=Story())
    with pytest.raises(NotSupported, match=reason):
        validate_for(provider, request)
    with pytest.raises(NotSupported, match=reason):
        await provider.submit(request)


def test_capabilities_are_honest() -> None:
    caps = StoryMintProvider.capabilities
    assert caps.as_dict() == {
        "create_comic": True,
        "multi_page": True,
        "panel_redraw": True,
        "continue_write": False,
        "character_refs": False,
        "location_refs": False,
        "uploads": False,
        "video": False,
        "usage": True,
        "list_history": False,
        "delete": False,
        "cancel": False,
        "upscale": False,
        "language": False,
    }
    assert caps.sizes == () and caps.reason("sizes") and len(caps.styles) == 8
    assert caps.reason("continue_write") == "StoryMint has no continue; use chat edit"
    assert caps.reason("video") == "MP3 audiobook only"
