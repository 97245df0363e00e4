"""LlamaGen adapter against the fake LlamaGen server: the contract, request fields, jobs."""

from __future__ import annotations

from typing import Any

import pytest
from contract import ProviderContract
from fake_base import MP4_BYTES, make_png
from fake_llamagen import FakeLlamaGen, fast_llamagen, follow_up, run, story_request

from studio.core.models import (
    Character,
    DialogueLine,
    JobKind,
    Location,
    Script,
    ScriptPage,
    ScriptPanel,
    Upscale,
)
from studio.providers.base import (
    GenerationRequest,
    RefImage,
    VideoOptions,
)
from studio.providers.errors import (
    GenerationFailed,
    MalformedResponse,
    ProviderUnavailable,
    ValidationRefused,
)
from studio.providers.llamagen.provider import LlamaGenProvider


class TestLlamaGenContract(ProviderContract):
    async def make_fake(self) -> FakeLlamaGen:
        return await FakeLlamaGen().start()

    def make_provider(self, server_url: str, api_key: str | None) -> LlamaGenProvider:
        return fast_llamagen(server_url, api_key)

    def make_request(self) -> GenerationRequest:
        return story_request()


# ------------------------------------------------------------------- create


async def test_create_sends_every_field_and_uploads_bytes_only_references(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    script = Script(
        [
            ScriptPage(
                [ScriptPanel("Leo enters", caption="Night.", dialogue=[DialogueLine("Leo", "Hi")])]
            )
        ]
    )
    request = story_request(
        panels=2, style="japanese_manga", size="768x1024", language="en", upscale=Upscale.x2k
    )
    request.script, request.script_edited = script, True
    request.cast = [
        Character(
            "Leo", age="12", gender="male", dress="orange robe", image_url="https://x/leo.png"
        )
    ]
    request.locations = [Location("Library", description="quiet, dusty")]
    request.location_images = {"Library": RefImage("Library", data=b"LIBRARY-BYTES")}
    request.reference_images = [RefImage("ref", url="https://x/ref.png")]
    request.remote_project = {"prompt_url": "https://x/storyboard.png"}
    submission = await llamagen.submit(request)

    [upload] = llamagen_fake.requests_for("upload")
    assert upload.form["file"]["data"] == b"LIBRARY-BYTES"
    assert upload.form["file"]["filename"] == "Library.png"
    [create] = llamagen_fake.requests_for("create")
    body = create.json
    assert body["prompt"].startswith("Leo finds a glowing key")
    assert 'Page 1 / Panel 1: Leo enters; caption: Night.; Leo: "Hi"' in body["prompt"]
    assert body["preset"] == "japanese_manga" and body["size"] == "768x1024"
    assert body["fixPanelNum"] == 2
    assert "pagination" not in body and "totalPages" not in body and "panelsPerPage" not in body
    assert body["comicRoles"] == [
        {
            "name": "Leo",
            "age": 12,
            "gender": "male",
            "dress": "orange robe",
            "image": "https://x/leo.png",
        }
    ]
    uploaded_url = body["comicLocations"][0]["image"]
    assert uploaded_url.startswith(llamagen_fake.asset_origin)
    assert body["comicLocations"] == [
        {"name": "Library", "description": "quiet, dusty", "image": uploaded_url}
    ]
    assert body["attachments"] == [{"type": "image", "url": "https://x/ref.png"}]
    assert body["language"] == "en" and body["upscale"] == "2K"
    assert body["promptUrl"] == "https://x/storyboard.png"
    assert submission.remote_id == submission.handle["generation_id"] == "gen_0001"
    assert submission.handle["kind"] == "create"
    assert submission.credits == 300


async def test_multi_page_uses_pagination_and_keeps_remote_indexes(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    request = story_request(pages=2, panels=3, style="")
    result, events, _ = await run(llamagen, request)
    body = llamagen_fake.requests_for("create")[0].json
    assert body["pagination"] == {"totalPages": 2, "panelsPerPage": 3}
    assert "fixPanelNum" not in body and "totalPages" not in body
    assert body["preset"] == "neutral" and body["upscale"] == ""
    assert [(p.page, p.panel) for p in result.panels] == [
        (a, b) for a in range(2) for b in range(3)
    ]
    assert [(p.remote_page, p.remote_panel) for p in result.panels][-1] == (1, 2)
    assert result.panels[4].caption == "p1n1"
    assert result.panels[4].data == make_png("gen_0001-p1-n1-v0.png")
    assert result.remote_project == {"generation_id": "gen_0001", "pages": 2}
    assert {e.state for e in events} >= {"running", "downloading"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"panels": 21}, "1 to 20"), ({"size": "999x999"}, "sizes"), ({"prompt": " "}, "prompt")],
)
async def test_invalid_create_is_refused_before_sending(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen, fields: dict[str, Any], message: str
) -> None:
    request = story_request(panels=fields.pop("panels", 2))
    for name, value in fields.items():
        setattr(request.story, name, value)
    with pytest.raises(ValidationRefused, match=message):
        await llamagen.submit(request)
    assert llamagen_fake.requests == []


@pytest.mark.parametrize(
    ("answer", "shape"),
    [({"artwork": {"id": "gen_0001", "status": "LOADING"}}, "comicData"), (None, "output")],
)
async def test_legacy_shapes(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen, answer: Any, shape: str
) -> None:
    llamagen_fake.create_answer, llamagen_fake.shape = answer, shape
    result, _, _ = await run(llamagen, story_request())
    assert len(result.panels) == (2 if shape == "comicData" else 1)


async def test_create_answer_without_id_says_it_was_billed(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.create_answer = {"status": "LOADING"}
    with pytest.raises(MalformedResponse, match="billed"):
        await llamagen.submit(story_request())


@pytest.mark.parametrize(
    ("status", "word"), [("FAILED", "could not draw"), ("CANCELLED", "cancel")]
)
async def test_failed_or_cancelled_generation(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen, status: str, word: str
) -> None:
    llamagen_fake.final_status = status
    with pytest.raises(GenerationFailed, match=word):
        await run(llamagen, story_request())


async def test_deadline_gives_up_without_resubmitting(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.loading_polls = 1000
    llamagen.wait_timeout = 0.05
    with pytest.raises(ProviderUnavailable, match="still running; resume later"):
        await run(llamagen, story_request())
    assert llamagen_fake.billable_count() == 1


# ---------------------------------------------------------- continue, redraw


async def test_continue_appends_pages_and_ignores_the_stale_state(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    first, _, _ = await run(llamagen, story_request(panels=2))
    llamagen_fake.stale_polls = 2
    request = follow_up(
        JobKind.continue_,
        first.remote_project,
        prompt="They find an arcade.",
        pages=2,
        panels_per_page=3,
        paginated=True,
        reference_images=[RefImage("r", url="https://x/r.png")],
    )
    result, _, handles = await run(llamagen, request)
    patch = llamagen_fake.requests_for("patch")[0]
    assert patch.path == "/v1/comics/generations/gen_0001"
    assert patch.json == {
        "action": "continueWrite",
        "prompt": "They find an arcade.",
        "pagination": {"totalPages": 2, "panelsPerPage": 3},
        "attachments": [{"type": "image", "url": "https://x/r.png"}],
    }
    assert [(p.page, p.panel, p.remote_page) for p in result.panels][:2] == [(0, 0, 1), (0, 1, 1)]
    assert len(result.panels) == 6
    assert result.remote_project == {"generation_id": "gen_0001", "pages": 3}
    assert handles and handles[-1]["seen_running"] is True


async def test_continue_one_page_uses_fix_panel_num_and_known_page_count(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    first, _, _ = await run(llamagen, story_request(panels=2))
    llamagen_fake.continue_reports_page = False
    request = follow_up(JobKind.continue_, first.remote_project, prompt="More.", panels_per_page=4)
    submission = await llamagen.submit(request)
    body = llamagen_fake.requests_for("patch")[0].json
    assert body["fixPanelNum"] == 4 and "pagination" not in body
    assert submission.handle["first_page"] == 1 and submission.handle["expected_pages"] == 2


async def test_continue_needs_a_generation(llamagen: LlamaGenProvider) -> None:
    with pytest.raises(ValidationRefused, match="create the comic first"):
        await llamagen.submit(follow_up(JobKind.continue_, {}, prompt="More."))


async def test_redraw_sends_the_panel_fields_and_returns_the_new_image(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    first, _, _ = await run(llamagen, story_request(panels=2))
    llamagen_fake.stale_polls = 2
    request = follow_up(
        JobKind.redraw,
        first.remote_project,
        prompt="Make Leo hopeful.",
        caption="I found it.",
        target_page=0,
        target_panel=1,
        reference_images=[RefImage("r", url="https://x/r.png")],
    )
    result, _, _ = await run(llamagen, request)
    assert llamagen_fake.requests_for("patch")[0].json == {
        "action": "regeneratePanel",
        "page": 0,
        "panel": 1,
        "panelPrompt": "Make Leo hopeful.",
        "caption": "I found it.",
        "images": ["https://x/r.png"],
    }
    [panel] = result.panels
    assert (panel.page, panel.panel, panel.remote_page, panel.remote_panel) == (0, 1, 0, 1)
    assert panel.data == make_png("gen_0001-p0-n1-v1.png")
    single = [r for r in llamagen_fake.requests_for("status") if "panel" in r.query]
    assert single and single[0].query == {"page": "0", "panel": "1"}


@pytest.mark.parametrize("shape", ["top", "full", "error"])
async def test_redraw_by_remote_indexes_with_any_single_panel_shape(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen, shape: str
) -> None:
    first, _, _ = await run(llamagen, story_request(panels=2))
    llamagen_fake.single_panel_shape = shape
    llamagen_fake.loading_polls, llamagen_fake.stale_polls = 0, 2  # never seen running
    request = follow_up(
        JobKind.redraw,
        first.remote_project,
        caption="New caption",
        target_page=3,
        target_panel=5,
        remote_page=0,
        remote_panel=0,
    )
    result, _, _ = await run(llamagen, request)
    body = llamagen_fake.requests_for("patch")[0].json
    assert (body["page"], body["panel"]) == (0, 0) and "panelPrompt" not in body
    [panel] = result.panels
    assert (panel.page, panel.panel) == (3, 5)
    assert panel.data == make_png("gen_0001-p0-n0-v1.png")  # accepted on the changed URL


async def test_redraw_with_nothing_to_change_is_refused_locally(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    request = follow_up(
        JobKind.redraw, {"generation_id": "gen_0001"}, target_page=0, target_panel=0
    )
    with pytest.raises(ValidationRefused, match="what to change"):
        await llamagen.submit(request)
    assert llamagen_fake.billable_count() == 0


# ---------------------------------------------------------- video, usage, upload


async def test_video_uploads_the_first_frame_and_downloads_the_clip(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    options = VideoOptions(
        duration=5,
        resolution="1080p",
        aspect_ratio="1:1",
        generate_audio=False,
        seed=7,
        first_frame=RefImage("frame", data=b"FRAME"),
    )
    project = {"generation_id": "gen_comic", "pages": 3}
    request = follow_up(JobKind.video, project, prompt="Slow turntable.", video=options)
    result, _, _ = await run(llamagen, request)
    body = llamagen_fake.requests_for("create")[0].json
    assert body["agentType"] == "videoModel" and body["prompt"] == "Slow turntable."
    image = body["videoOptions"].pop("image")
    assert image.startswith(llamagen_fake.asset_origin)
    assert body["videoOptions"] == {
        "duration": 5,
        "resolution": "1080p",
        "aspect_ratio": "1:1",
        "generate_audio": False,
        "seed": 7,
    }
    [clip] = result.panels
    assert clip.kind == "video" and clip.mime == "video/mp4" and clip.data == MP4_BYTES
    assert result.remote_project == {"video_generation_id": "gen_0001"}  # merged by jobs


async def test_usage_and_check(llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen) -> None:
    assert await llamagen.usage() == llamagen_fake.usage_body
    assert await llamagen.check() == llamagen_fake.usage_body


@pytest.mark.parametrize("shape", ["url", "data"])
async def test_upload_is_multipart_field_file(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen, shape: str
) -> None:
    llamagen_fake.upload_shape = shape
    url = await llamagen.upload(b"PNGDATA", "a.png", "image/png")
    assert url.startswith(llamagen_fake.asset_origin)
    assert await llamagen.upload(b"PNGDATA", "a.png", "image/png") == url  # cached
    [record] = llamagen_fake.requests_for("upload")
    assert record.form["file"] == {
        "filename": "a.png",
        "content_type": "image/png",
        "data": b"PNGDATA",
    }


async def test_upload_answer_without_url_is_malformed(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    llamagen_fake.upload_shape = "none"
    with pytest.raises(MalformedResponse, match="no URL"):
        await llamagen.upload(b"x", "a.png", "image/png")
