"""The ComfyUI provider against a loopback fake ComfyUI that checks every graph it is sent."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from fake_comfyui import FakeComfyUI
from PIL import Image

from studio.core.models import (
    Character,
    JobKind,
    JobState,
    Layout,
    Script,
    ScriptPage,
    ScriptPanel,
    Story,
)
from studio.core.shot import Figure, Shot
from studio.jobs import actions
from studio.jobs.manager import JobManager
from studio.net.client import RetryPolicy
from studio.net.ws import SocketLost
from studio.providers.base import GenerationRequest, Progress, RefImage, Submission
from studio.providers.comfyui import parse as cp
from studio.providers.comfyui import prompts
from studio.providers.comfyui.provider import ComfyUIProvider
from studio.providers.errors import (
    GenerationFailed,
    NotSupported,
    ProviderUnavailable,
    ValidationRefused,
)
from studio.storage import Project
from tests.helpers import png

CKPT = "sdxl-base.safetensors"


def make_provider(url: str, **options: Any) -> ComfyUIProvider:
    provider = ComfyUIProvider(None, url, poll_interval=0.02, **options)
    provider.api.retry = RetryPolicy(base_delay=0.001, max_delay=0.005, max_total=0.05)
    return provider


@pytest.fixture
async def fake() -> AsyncIterator[FakeComfyUI]:
    server = await FakeComfyUI().start()
    yield server
    await server.close()


@pytest.fixture
async def comfy(fake: FakeComfyUI) -> AsyncIterator[ComfyUIProvider]:
    provider = make_provider(fake.url)
    yield provider
    await provider.aclose()


CAST = [
    Character("Mia", age="30", gender="woman", dress="a red coat"),
    Character("Leo", age="8", gender="boy", dress="a yellow raincoat"),
]


def shot_panel(name: str, action: str = "run", expression: str = "happy") -> ScriptPanel:
    shot = Shot(
        framing="close-up",
        setting="harbour",
        time="night",
        weather="rain",
        figures=[Figure(name, action=action, expression=expression, holding=["umbrella"])],
    )
    return ScriptPanel(description=f"{name} at the harbour.", characters=[name], shot=shot)


def book_request(pages: int = 2, per_page: int = 3) -> GenerationRequest:
    names = ["Mia", "Leo", ""]
    script = Script(
        pages=[
            ScriptPage(
                panels=[
                    shot_panel(names[j % 3]) if names[j % 3] else ScriptPanel("An empty pier.")
                    for j in range(per_page)
                ]
            )
            for _ in range(pages)
        ]
    )
    story = Story(prompt="Mia and Leo at the harbour.", seed=7, layout=Layout(pages, per_page))
    return GenerationRequest(kind=JobKind.create, story=story, cast=CAST, script=script, job_id=1)


async def run(
    provider: ComfyUIProvider, request: GenerationRequest, handles: list[dict] | None = None
) -> tuple[Any, list[Progress]]:
    events: list[Progress] = []
    handles = handles if handles is not None else []

    async def save(handle: dict[str, Any]) -> None:
        handles.append(json.loads(json.dumps(handle)))

    sub = await provider.submit(request)
    result = await provider.wait(sub, request, events.append, save)
    return result, events


# ------------------------------------------------------------------ discovery


async def test_discovery_lists_checkpoints_and_what_each_feature_lacks(
    comfy: ComfyUIProvider,
) -> None:
    report = await comfy.check()
    assert report["checkpoints"] == ["sdxl-base.safetensors"]
    assert report["device"] == "cuda:0 Fake GPU"
    assert "IPAdapter" in report["missing"]["character_consistency"]
    assert "text_to_image" not in report["missing"]


# --------------------------------------------------------------------- a book


async def test_a_book_is_queued_panel_by_panel_with_valid_graphs(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.step_delay = 0.05
    result, events = await run(comfy, book_request())
    assert len(fake.accepted) == 6 == len(set(fake.accepted))
    assert sorted((p.page, p.panel) for p in result.panels) == [
        (p, j) for p in range(2) for j in range(3)
    ]
    for panel in result.panels:
        with Image.open(io.BytesIO(panel.data)) as image:
            assert image.format == "PNG"
    for graph in fake.graphs.values():
        latent = next(n for n in graph.values() if n["class_type"] == "EmptyLatentImage")
        assert latent["inputs"]["width"] % 64 == 0 and latent["inputs"]["height"] % 64 == 0
    messages = " ".join(e.message for e in events)
    assert "ComfyUI is drawing page" in messages and "step" in messages
    assert "Queued in ComfyUI at position" not in messages  # one of ours is always running
    assert any(e.state == "downloading" for e in events)
    assert fake.socket_opens >= 1


async def test_the_prompt_comes_from_the_shot_and_the_cast(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    await run(comfy, book_request(1, 3))
    texts = [
        [n["inputs"]["text"] for n in g.values() if n["class_type"] == "CLIPTextEncode"]
        for g in fake.graphs.values()
    ]
    positive, negative = texts[0]
    for words in ("Close-up", "Mia, a 30-year-old woman wearing a red coat", "running"):
        assert words in positive
    for words in ("happy", "holding an umbrella", "a harbour", "at night", "in the rain"):
        assert words in positive
    assert "watermark" in negative
    assert "An empty pier" in texts[2][0]


async def test_without_ip_adapter_each_character_keeps_one_seed(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    await run(comfy, book_request(2, 3))
    seeds = [
        next(n["inputs"]["seed"] for n in g.values() if n["class_type"] == "KSampler")
        for g in fake.graphs.values()
    ]
    assert seeds[0] == seeds[3]  # Mia on both pages
    assert seeds[1] == seeds[4] != seeds[0]  # Leo
    assert seeds[2] != seeds[5]  # nobody: story seed + panel index


async def test_ip_adapter_with_the_reference_uploaded_once() -> None:
    fake = await FakeComfyUI(ipadapter=True).start()
    provider = make_provider(fake.url)
    try:
        request = book_request(2, 3)
        request.character_images["Mia"] = RefImage("Mia", data=png("red"))
        await run(provider, request)
    finally:
        await provider.aclose()
        await fake.close()
    uploads = fake.requests_for("upload")
    assert len(uploads) == 1 and uploads[0].form["image"]["data"] == png("red")
    with_ip = [
        g for g in fake.graphs.values() if any(n["class_type"] == "IPAdapter" for n in g.values())
    ]
    assert len(with_ip) == 2  # Mia's two panels; Leo has no reference
    loader = next(n for n in with_ip[0].values() if n["class_type"] == "LoadImage")
    assert loader["inputs"]["image"] in fake.inputs


async def test_redraw_is_image_to_image_of_the_current_version(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    request = book_request(1, 1)
    request.kind = JobKind.redraw
    request.target_page, request.target_panel = 0, 0
    request.source_image = RefImage("panel", data=png("green", (96, 64)))
    request.seed = 2
    result, _ = await run(comfy, request)
    (graph,) = fake.graphs.values()
    classes = {n["class_type"] for n in graph.values()}
    assert {"LoadImage", "VAEEncode"} <= classes and "EmptyLatentImage" not in classes
    sampler = next(n for n in graph.values() if n["class_type"] == "KSampler")
    assert 0 < sampler["inputs"]["denoise"] < 1
    assert [(p.page, p.panel) for p in result.panels] == [(0, 0)]


async def test_a_users_workflow_with_placeholders(fake: FakeComfyUI, tmp_path: Path) -> None:
    workflow = {
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": CKPT}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "ink, {{prompt}}", "clip": ["4", 1]}},  # noqa: E501
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "{{negative}}", "clip": ["4", 1]}},
        "5": {
            "class_type": "EmptyLatentImage",
            "inputs": {"width": "{{width}}", "height": "{{height}}", "batch_size": 1},
        },
        "3": {
            "class_type": "KSampler",
            "inputs": {
                "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0],
                "latent_image": ["5", 0], "seed": "{{seed}}", "steps": 4, "cfg": 7.0,
                "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0,
            },
        },
        "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
        "9": {"class_type": "SaveImage", "inputs": {"images": ["8", 0], "filename_prefix": "mine"}},
    }  # fmt: skip
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(workflow))
    provider = make_provider(fake.url, workflow_file=str(path))
    try:
        result, _ = await run(provider, book_request(1, 2))
    finally:
        await provider.aclose()
    assert len(result.panels) == 2
    graph = fake.graphs[fake.accepted[0]]
    assert graph["6"]["inputs"]["text"].startswith("ink, comic book")
    assert isinstance(graph["3"]["inputs"]["seed"], int)
    assert isinstance(graph["5"]["inputs"]["width"], int)


# --------------------------------------------------------------------- errors


async def test_a_node_the_server_lacks_is_named_before_anything_is_queued(
    fake: FakeComfyUI, tmp_path: Path
) -> None:
    path = tmp_path / "w.json"
    path.write_text(
        json.dumps(
            {
                "1": {"class_type": "FancyUpscaler", "inputs": {"text": "{{prompt}}"}},
                "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0]}},
            }
        )
    )
    provider = make_provider(fake.url, workflow_file=str(path))
    try:
        with pytest.raises(NotSupported, match="FancyUpscaler"):
            await provider.submit(book_request(1, 1))
    finally:
        await provider.aclose()
    assert fake.accepted == []


async def test_a_missing_model_is_named(fake: FakeComfyUI) -> None:
    provider = make_provider(fake.url, checkpoint="dreamy-v9.safetensors")
    try:
        with pytest.raises(ValidationRefused, match="dreamy-v9") as info:
            await provider.submit(book_request(1, 1))
    finally:
        await provider.aclose()
    assert "sdxl-base.safetensors" in str(info.value) and fake.accepted == []


async def test_a_validation_error_from_prompt_names_node_and_input(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    body = {
        "error": {"type": "prompt_outputs_failed_validation", "message": "failed validation"},
        "node_errors": {
            "1": {
                "errors": [
                    {
                        "type": "value_not_in_list",
                        "message": "Value not in list",
                        "details": "ckpt_name: 'gone.safetensors' not in []",
                        "extra_info": {"input_name": "ckpt_name"},
                    }
                ],
                "class_type": "CheckpointLoaderSimple",
            }
        },
    }  # fmt: skip
    fake.fail("prompt", 400, body=body)
    handles: list[dict] = []
    with pytest.raises(ValidationRefused, match="CheckpointLoaderSimple") as info:
        await run(comfy, book_request(1, 2), handles)
    assert info.value.code == "model_missing" and "gone.safetensors" in str(info.value)
    assert handles[-1]["units"][0]["state"] == "failed"  # kept, nothing lost


def test_prompt_errors_in_comfyuis_shapes() -> None:
    missing = {
        "error": {
            "type": "missing_node_type",
            "message": "Node 'X' not found.",
            "details": "Node ID '#3'",
        }
    }
    assert isinstance(cp.prompt_error(missing), NotSupported)
    old = {
        "error": {
            "type": "invalid_prompt",
            "message": "Cannot execute because node Y does not exist.",
        }
    }
    assert "node Y" in cp.prompt_error(old).message  # type: ignore[union-attr]
    steps = {
        "error": {"type": "prompt_outputs_failed_validation", "message": "failed"},
        "node_errors": {"5": {"class_type": "KSampler", "errors": [
            {"type": "value_smaller_than_min", "message": "too small", "details": "steps: 0 < 1",
             "extra_info": {"input_name": "steps"}}]}},
    }  # fmt: skip
    error = cp.prompt_error(steps)
    assert (
        isinstance(error, ValidationRefused) and "KSampler (node 5), input 'steps'" in error.message
    )


async def test_out_of_memory_keeps_the_panels_drawn_and_says_so(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.inject.error_on[2] = True
    comfy.window = 1
    result, _ = await run(comfy, book_request(1, 3))
    assert [(p.page, p.panel) for p in result.panels] == [(0, 0)]
    assert "out of GPU memory in KSampler (node 5)" in result.message
    assert "not queued" in result.message and len(fake.accepted) == 2


async def test_an_execution_error_on_the_only_panel_fails_the_job(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.inject.error_on[1] = False
    with pytest.raises(GenerationFailed, match="mat1 and mat2"):
        await run(comfy, book_request(1, 1))


async def test_an_interrupt_on_the_server_stops_the_book(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.inject.interrupt_on.add(2)
    comfy.window = 1
    result, _ = await run(comfy, book_request(1, 3))
    assert len(result.panels) == 1 and "interrupted" in result.message


async def test_a_dropped_socket_falls_back_to_polling_and_reconnects(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.step_delay = 0.01
    fake.drop_sockets_after(4)
    result, _ = await run(comfy, book_request(1, 3))
    assert len(result.panels) == 3
    assert fake.socket_opens >= 2
    assert len(fake.accepted) == 3
    assert fake.requests_for("history")


async def test_without_any_websocket_polling_alone_finishes(
    fake: FakeComfyUI, comfy: ComfyUIProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refuse(*_a: Any, **_k: Any) -> Any:
        raise SocketLost("no websockets here")

    monkeypatch.setattr("studio.providers.comfyui.provider.open_socket", refuse)
    result, _ = await run(comfy, book_request(1, 2))
    assert len(result.panels) == 2 and fake.socket_opens == 0


async def test_a_server_that_is_gone_fails_clearly(fake: FakeComfyUI) -> None:
    provider = make_provider(fake.url)
    request = book_request(1, 2)
    sub = await provider.submit(request)
    await fake.close()
    try:
        with pytest.raises(ProviderUnavailable):
            await provider.wait(sub, request, lambda _p: None, None)
    finally:
        await provider.aclose()


# ------------------------------------------------------------- cancel, resume


async def _until(check: Any, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not check():
        assert loop.time() < end, "timed out"
        await asyncio.sleep(0.01)


async def test_cancel_takes_the_prompts_off_the_queue(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.paused = True
    handles: list[dict] = []
    events: list[Progress] = []
    request = book_request(1, 3)
    sub = await comfy.submit(request)

    async def save(handle: dict[str, Any]) -> None:
        handles.append(json.loads(json.dumps(handle)))

    task = asyncio.ensure_future(comfy.wait(sub, request, events.append, save))
    await _until(lambda: len(fake.pending) == 3)
    await _until(lambda: any("position 1" in e.message for e in events))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    note = await comfy.cancel_remote(handles[-1])
    assert fake.pending == [] and sorted(fake.deleted) == sorted(fake.accepted)
    assert "Removed 3 queued prompt(s)" in note


async def test_a_studio_restart_resumes_without_queueing_anything_twice(
    fake: FakeComfyUI,
) -> None:
    fake.paused = True
    first = make_provider(fake.url)
    request = book_request(2, 3)
    handles: list[dict] = []
    first.window = 4
    task = asyncio.ensure_future(run(first, request, handles))
    await _until(lambda: len(fake.accepted) == 4 and handles[-1]["units"][3].get("number"))
    task.cancel()  # the studio stops (its process dies) with 4 prompts in ComfyUI's queue
    with pytest.raises(asyncio.CancelledError):
        await task
    await first.aclose()
    fake.paused = False
    second = make_provider(fake.url)
    try:
        sub = Submission(remote_id=handles[-1]["client_id"], handle=handles[-1])
        result = await second.wait(sub, request, lambda _p: None, None)
    finally:
        await second.aclose()
    assert len(result.panels) == 6
    assert len(fake.accepted) == 6 == len(set(fake.accepted))


async def test_a_comfyui_restart_mid_book_requeues_only_the_lost_prompts(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.step_delay = 0.02
    comfy.window = 6
    task = asyncio.ensure_future(run(comfy, book_request(2, 3)))
    await _until(lambda: len(fake.history) >= 2)
    done_before = set(fake.history)
    await fake.restart()
    result, _ = await task
    assert len(result.panels) == 6
    counts = {pid: fake.accepted.count(pid) for pid in fake.accepted}
    assert all(counts[pid] == 1 for pid in done_before)  # finished work is never redone
    assert max(counts.values()) <= 2 and len(fake.history) >= 6


async def test_through_the_job_manager_a_restart_queues_each_prompt_once(
    fake: FakeComfyUI, tmp_path: Path
) -> None:
    fake.paused = True
    story = Story(prompt="Mia runs. Leo jumps. Mia laughs. Leo sits.", layout=Layout(1, 4))
    story.provider = "comfyui"
    project = Project.create(tmp_path / "c.comic", story)
    actions.ensure_script(project)
    manager = JobManager(project, lambda _pid: make_provider(fake.url))
    job = actions.generate(manager, "comfyui")
    await _until(lambda: len(fake.accepted) == 4)
    await _until(lambda: all(u.get("number") for u in project.job(job.id).handle["units"]))
    await manager.shutdown()  # the studio closes; the job stays resumable
    fake.paused = False
    manager = JobManager(project, lambda _pid: make_provider(fake.url))
    manager.resume_all()
    await manager.wait()
    await manager.shutdown()
    final = project.job(job.id)
    assert final.state is JobState.succeeded, final.error
    assert len(fake.accepted) == 4 == len(set(fake.accepted))
    assert all(p.current_version for p in project.page(0).panels)
    project.close()


async def test_cancel_through_the_job_manager_empties_comfyuis_queue(
    fake: FakeComfyUI, tmp_path: Path
) -> None:
    fake.paused = True
    project = Project.create(
        tmp_path / "x.comic", Story(prompt="Mia runs. Leo sits.", layout=Layout(1, 2))
    )
    actions.ensure_script(project)
    manager = JobManager(project, lambda _pid: make_provider(fake.url))
    job = actions.generate(manager, "comfyui")
    await _until(
        lambda: all(u.get("number") for u in project.job(job.id).handle.get("units", [{}]))
    )
    manager.cancel(job.id)
    await manager.wait()
    await manager.shutdown()
    final = project.job(job.id)
    assert final.state is JobState.cancelled and "Removed 2 queued prompt(s)" in final.message
    assert fake.pending == []
    project.close()


def test_seeds_are_stable_and_per_character() -> None:
    assert prompts.panel_seed(7, 3) == prompts.panel_seed(7, 3)
    assert prompts.panel_seed(7, 3, "Mia") == prompts.panel_seed(7, 9, "mia")
    assert prompts.panel_seed(7, 3, "Mia", variation=1) != prompts.panel_seed(7, 3, "Mia")


async def test_continue_adds_pages_with_the_same_settings(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    first = book_request(1, 2)
    await run(comfy, first)
    more = book_request(1, 2)
    more.kind = JobKind.continue_
    more.remote_project = {"first_page": 1}
    result, _ = await run(comfy, more)
    assert [(p.page, p.panel) for p in result.panels] == [(0, 0), (0, 1)]  # relative pages
    graphs = [fake.graphs[pid] for pid in fake.accepted]

    def ksampler(graph: dict) -> dict:
        return next(n for n in graph.values() if n["class_type"] == "KSampler")["inputs"]

    def checkpoint(graph: dict) -> str:
        return graph["1"]["inputs"]["ckpt_name"]

    assert {checkpoint(g) for g in graphs} == {CKPT}
    assert ksampler(graphs[0])["seed"] == ksampler(graphs[2])["seed"]  # Mia keeps her seed
    assert ksampler(graphs[0])["steps"] == ksampler(graphs[2])["steps"]


async def test_extra_headers_go_to_comfyui_and_never_into_errors(fake: FakeComfyUI) -> None:
    token = "tok-SECRET-8c1f0e"
    provider = make_provider(fake.url, headers={"X-Comfy-Token": token})
    try:
        await run(provider, book_request(1, 1))
        fake.fail("prompt", 400, body={"error": {"type": "x", "message": f"bad {token}"}})
        with pytest.raises(ValidationRefused) as info:
            await run(provider, book_request(1, 1))
    finally:
        await provider.aclose()
    api = [r for r in fake.requests if r.route]
    assert any(r.route == "ws" for r in api)  # the socket carries them too
    assert all(r.headers.get("x-comfy-token") == token for r in api)
    assert token not in str(info.value) and token not in info.value.user_message()


async def test_a_lost_answer_is_found_by_its_prompt_id_not_sent_again(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    lost: list[str] = []

    async def lose_first_answer(request: Any, record: Any, respond: Any) -> Any:
        if record.route == "prompt" and not lost:
            lost.append(record.json["prompt_id"])
            await respond()  # ComfyUI queued it…
            request.transport.abort()  # …and the answer never arrived
            return web.Response()
        return await respond()

    fake.chaos = lose_first_answer
    result, _ = await run(comfy, book_request(1, 3))
    assert len(result.panels) == 3
    assert len(fake.requests_for("prompt")) == 3 == len(set(fake.accepted))
    assert lost[0] in fake.accepted


async def test_a_request_that_never_arrived_is_sent_again_once(
    fake: FakeComfyUI, comfy: ComfyUIProvider
) -> None:
    fake.drop("prompt")  # the connection closes before ComfyUI reads the prompt
    result, _ = await run(comfy, book_request(1, 3))
    assert len(result.panels) == 3
    assert len(fake.requests_for("prompt")) == 4
    assert len(fake.accepted) == 3 == len(set(fake.accepted))


async def test_a_marked_region_is_inpainted(fake: FakeComfyUI, comfy: ComfyUIProvider) -> None:
    request = book_request(1, 1)
    request.kind = JobKind.redraw
    request.target_page, request.target_panel = 0, 0
    request.source_image = RefImage("panel", data=png("green", (96, 64)))
    request.mask = RefImage("mask", data=png("white", (96, 64)))
    await run(comfy, request)
    (graph,) = fake.graphs.values()
    classes = {n["class_type"] for n in graph.values()}
    assert {"LoadImageMask", "VAEEncodeForInpaint"} <= classes
    assert len(fake.requests_for("upload")) == 2


async def test_redraw_of_a_region_through_the_job_manager(
    fake: FakeComfyUI, tmp_path: Path
) -> None:
    project = Project.create(tmp_path / "r.comic", Story(prompt="Mia runs.", layout=Layout(1, 1)))
    actions.ensure_script(project)
    manager = JobManager(project, lambda _pid: make_provider(fake.url))
    try:
        actions.generate(manager, "comfyui")
        await manager.wait()
        job = actions.redraw(manager, 0, 0, provider_id="comfyui", mask=png("white"))
        await manager.wait()
        final = project.job(job.id)
    finally:
        await manager.shutdown()
    assert final.state is JobState.succeeded, final.error
    graph = fake.graphs[fake.accepted[-1]]
    assert any(n["class_type"] == "VAEEncodeForInpaint" for n in graph.values())
    assert len(project.versions(project.page(0).panels[0].id)) == 2
    project.close()
