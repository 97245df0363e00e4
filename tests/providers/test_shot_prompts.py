"""Providers are sent each panel's shot in words (issue #13 item 6): the figures with their
looks from the cast, what they do and feel, the place, time and weather, not only the raw
sentence. Every provider runs against its loopback fake; the tests read the request bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fake_animus import FakeAnimus, animus_request, fast_animus
from fake_cartoonicate import FakeCartoonicate, cartoon_request, fast_cartoonicate
from fake_comfyui import FakeComfyUI
from fake_depicta import FakeDepicta, depicta_request, fast_depicta
from fake_llamagen import FakeLlamaGen, follow_up, run, story_request

from studio.core.models import (
    Character,
    JobKind,
    JobState,
    Layout,
    Location,
    Script,
    ScriptPage,
    ScriptPanel,
    Story,
)
from studio.core.shot import Figure, Shot
from studio.jobs import actions
from studio.jobs.manager import JobManager
from studio.jobs.requests import script_from_json, script_to_json
from studio.net.client import RetryPolicy
from studio.providers.base import GenerationRequest
from studio.providers.comfyui.provider import ComfyUIProvider
from studio.providers.llamagen.provider import LlamaGenProvider
from studio.providers.shot_prompt import shot_prompt, shown_names
from studio.storage import Project

MIRA = Character("Mira", age="10", gender="girl", dress="an orange wizard robe")
TOM = Character("Tom", age="40", gender="man", dress="a grey apron")
CAST = [MIRA, TOM]
MILL = Location("Old Mill", "a ruined mill by the river")
LOOKS = "Mira, a 10-year-old girl wearing an orange wizard robe"
RAW = "She is sad there."  # the raw sentence: names nobody, no place, no time


def mill_shot() -> Shot:
    return Shot(
        framing="close-up",
        angle="low",
        setting="mill",
        location="Old Mill",
        time="night",
        weather="rain",
        figures=[Figure("Mira", action="sit", expression="crying", holding=["lantern"])],
        props=["lantern", "bridge"],
    )


def kitchen_shot() -> Shot:
    return Shot(
        framing="wide",
        setting="kitchen",
        time="dawn",
        figures=[
            Figure("Tom", action="point", expression="angry", facing="left"),
            Figure("Mira", action="run", expression="scared"),
        ],
    )


def shot_panels() -> list[ScriptPanel]:
    return [
        ScriptPanel(RAW, shot=mill_shot()),
        ScriptPanel("He shouts.", ["Tom"], shot=kitchen_shot()),
    ]


def assert_mill(text: str) -> None:
    """The first panel's shot, in words."""
    for words in (LOOKS, "sitting", "crying", "holding a lantern", "Old Mill"):
        assert words in text
    for words in ("a ruined mill by the river", "at night", "in the rain", "Close-up, low angle"):
        assert words in text


def assert_kitchen(text: str) -> None:
    for words in ("Tom, a 40-year-old man wearing a grey apron", "pointing", "angry", "running"):
        assert words in text
    for words in ("scared", "In a kitchen, at dawn", "Wide shot"):
        assert words in text


# ------------------------------------------------------------------ the shared prompt


def test_shot_prompt_writes_the_shot_in_natural_language() -> None:
    panel = ScriptPanel(RAW, shot=mill_shot())
    text = shot_prompt(panel, CAST, [MILL], "manga")
    assert text.startswith(f"Close-up, low angle: {LOOKS}, sitting, crying, holding a lantern.")
    assert "At Old Mill (a ruined mill by the river), at night, in the rain." in text
    assert "With a bridge." in text and "With a lantern" not in text  # held, said once
    assert text.endswith(f"{RAW} Style: manga.")
    assert "Style" not in shot_prompt(panel, CAST, [MILL], "neutral")


def test_the_description_is_kept_only_when_it_adds_something() -> None:
    shot = Shot(figures=[Figure("Mira", action="run")], setting="forest", time="night")
    said = shot_prompt(ScriptPanel("Mira running, forest, night", shot=shot), CAST, [])
    assert said.count("night") == 1 and said.endswith("at night.")
    adds = shot_prompt(ScriptPanel("Mira chases a fox.", shot=shot), CAST, [])
    assert adds.endswith("Mira chases a fox.")
    assert "Mira chases a fox." not in shot_prompt(
        ScriptPanel("Mira chases a fox.", shot=shot), CAST, [], description=""
    )


def test_without_a_shot_the_description_with_looks_and_place() -> None:
    panel = ScriptPanel("Mira waits.", ["Mira", "Stranger"], "Old Mill")
    text = shot_prompt(panel, CAST, [MILL])
    assert text == f"Mira waits. {LOOKS}; Stranger. At Old Mill (a ruined mill by the river)"
    assert shot_prompt(ScriptPanel(), [], []) == "A comic panel"


def test_shown_names_are_the_shot_figures_as_the_cast_spells_them() -> None:
    panel = ScriptPanel("x", ["Tom"], shot=Shot(figures=[Figure("mira"), Figure("Ghost")]))
    assert shown_names(panel, CAST) == ["Mira", "Ghost"]
    assert shown_names(ScriptPanel("x", ["Tom"]), CAST) == ["Tom"]


# ------------------------------------------------------------------ job scripts


def test_shots_survive_the_job_script_round_trip() -> None:
    script = Script([ScriptPage(shot_panels())])
    script.pages[0].panels[1].shot_edited = True
    back = script_from_json(script_to_json(script))
    assert [p.shot for p in back.pages[0].panels] == [mill_shot(), kitchen_shot()]
    assert [p.shot_edited for p in back.pages[0].panels] == [False, True]


def test_old_or_broken_job_scripts_read_without_shots() -> None:
    raw: list[Any] = [
        [
            {"description": "old job"},
            {"description": "text", "shot": '{"framing": "wide", "figures": [{"name": "Tom"}]}'},
            {"description": "bad", "shot": "{not json", "shot_edited": "yes"},
            {"description": "junk", "shot": {"framing": "sideways", "figures": "x"}},
        ]
    ]
    panels = script_from_json(raw).pages[0].panels
    assert panels[0].shot is None and panels[0].shot_edited is False
    assert panels[1].shot == Shot(framing="wide", figures=[Figure("Tom")])
    assert panels[2].shot is None and panels[2].shot_edited is False
    assert panels[3].shot == Shot()


# ------------------------------------------------------------------ providers


@pytest.fixture
async def animus_fake() -> AsyncIterator[FakeAnimus]:
    server = await FakeAnimus().start()
    yield server
    await server.close()


async def test_animus_panel_prompts_come_from_the_shot(animus_fake: FakeAnimus) -> None:
    provider = fast_animus(animus_fake.url)
    try:
        await run(provider, animus_request([shot_panels()], CAST, locations=[MILL]))
    finally:
        await provider.aclose()
    prompts = [
        item["prompt"] for r in animus_fake.requests_for("batch") for item in r.json["prompts"]
    ]
    prompts += [r.json["prompt"] for r in animus_fake.requests_for("create")]
    assert len(prompts) == 2
    mill = next(p for p in prompts if "Old Mill" in p)
    kitchen = next(p for p in prompts if "kitchen" in p)
    assert_mill(mill)
    assert_kitchen(kitchen)


@pytest.fixture
async def depicta_fake() -> AsyncIterator[FakeDepicta]:
    server = await FakeDepicta().start()
    yield server
    await server.close()


async def test_depicta_scenes_and_their_characters_come_from_the_shot(
    depicta_fake: FakeDepicta,
) -> None:
    request = depicta_request(2, 2)
    request.cast, request.locations = CAST, [MILL]
    request.script = Script([ScriptPage(shot_panels())])
    provider = fast_depicta(depicta_fake.url)
    try:
        await provider.submit(request)
    finally:
        await provider.aclose()
    [story] = depicta_fake.requests_for("story")
    first, second = story.json["scenes"]
    assert_mill(first["prompt"])
    assert first["characters"] == ["Mira"] and first["location"] == "Old Mill"
    assert_kitchen(second["prompt"])
    assert second["characters"] == ["Tom", "Mira"] and "location" not in second


@pytest.fixture
async def cartoonicate_fake() -> AsyncIterator[FakeCartoonicate]:
    server = await FakeCartoonicate().start()
    yield server
    await server.close()


async def test_cartoonicate_fields_come_from_the_shots(
    cartoonicate_fake: FakeCartoonicate,
) -> None:
    request = cartoon_request(panels=2)
    request.cast, request.locations = CAST, [MILL]
    request.script = Script([ScriptPage(shot_panels())])
    provider = fast_cartoonicate(cartoonicate_fake.url)
    try:
        await provider.submit(request)
    finally:
        await provider.aclose()
    [create] = cartoonicate_fake.requests_for("create")
    body = create.json
    assert body["subject"] == f"{LOOKS}; Tom, a 40-year-old man wearing a grey apron"
    assert body["location"] == "Old Mill (a ruined mill by the river), at night, in the rain"
    problem = body["problem"]
    assert problem.startswith("keeps pushing to main on a Friday\nPanel 1: Close-up")
    assert_mill(problem.split("Panel 2:")[0])
    assert_kitchen(problem.split("Panel 2:")[1])


async def test_llamagen_redraw_prompt_comes_from_the_shot(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    first, _, _ = await run(llamagen, story_request(panels=2))
    panel = ScriptPanel("Make her sadder.", shot=mill_shot())
    request = follow_up(
        JobKind.redraw,
        first.remote_project,
        prompt="Make her sadder.",
        target_page=0,
        target_panel=1,
        cast=CAST,
        locations=[MILL],
        script=Script([ScriptPage([panel])]),
    )
    await llamagen.submit(request)
    [patch] = llamagen_fake.requests_for("patch")
    prompt = patch.json["panelPrompt"]
    assert_mill(prompt)
    assert prompt.endswith("Make her sadder.")


async def test_llamagen_script_directions_come_from_the_shots(
    llamagen: LlamaGenProvider, llamagen_fake: FakeLlamaGen
) -> None:
    request = story_request(panels=2)
    request.cast, request.locations = CAST, [MILL]
    request.script, request.script_edited = Script([ScriptPage(shot_panels())]), True
    await llamagen.submit(request)
    [create] = llamagen_fake.requests_for("create")
    lines = create.json["prompt"].split("\n")
    assert_mill(next(line for line in lines if line.startswith("Page 1 / Panel 1:")))
    assert_kitchen(next(line for line in lines if line.startswith("Page 1 / Panel 2:")))


@pytest.fixture
async def comfy_fake() -> AsyncIterator[FakeComfyUI]:
    server = await FakeComfyUI().start()
    yield server
    await server.close()


async def test_comfyui_prompt_uses_the_shared_shot_prompt(comfy_fake: FakeComfyUI) -> None:
    provider = ComfyUIProvider(None, comfy_fake.url, poll_interval=0.02)
    provider.api.retry = RetryPolicy(base_delay=0.001, max_delay=0.005, max_total=0.05)
    story = Story(prompt="Mira at the mill.", seed=7, layout=Layout(1, 2))
    request = GenerationRequest(
        kind=JobKind.create,
        story=story,
        cast=CAST,
        locations=[MILL],
        script=Script([ScriptPage(shot_panels())]),
        job_id=1,
    )
    try:
        await run(provider, request)
    finally:
        await provider.aclose()
    texts = [
        n["inputs"]["text"]
        for g in comfy_fake.graphs.values()
        for n in g.values()
        if n["class_type"] == "CLIPTextEncode"
    ]
    assert_mill(next(t for t in texts if "Old Mill" in t))
    assert_kitchen(next(t for t in texts if "kitchen" in t))


async def test_a_redraw_job_keeps_the_shot_and_reshoots_a_new_description(
    comfy_fake: FakeComfyUI, tmp_path: Path
) -> None:
    story = Story(prompt="Mira cries in the kitchen at night.", layout=Layout(1, 1))
    project = Project.create(tmp_path / "r.comic", story)
    project.set_characters([MIRA])
    actions.ensure_script(project)
    shot = project.page(0).panels[0].script.shot
    assert shot is not None and shot.figure("Mira") is not None

    def provider(_pid: str) -> ComfyUIProvider:
        made = ComfyUIProvider(None, comfy_fake.url, poll_interval=0.02)
        made.api.retry = RetryPolicy(base_delay=0.001, max_delay=0.005, max_total=0.05)
        return made

    manager = JobManager(project, provider)
    try:
        actions.generate(manager, "comfyui")
        await manager.wait()
        same = actions.redraw(manager, 0, 0, provider_id="comfyui")
        await manager.wait()
        new = actions.redraw(manager, 0, 0, provider_id="comfyui", prompt="Mira laughs.")
        await manager.wait()
    finally:
        await manager.shutdown()
    assert project.job(new.id).state is JobState.succeeded, project.job(new.id).error
    kept = script_from_json(project.job(same.id).request["script"]).pages[0].panels[0]
    assert kept.shot == shot
    redrawn = script_from_json(project.job(new.id).request["script"]).pages[0].panels[0]
    assert redrawn.shot is not None and redrawn.shot.figures[0].expression == "laughing"
    assert redrawn.shot.setting == shot.setting and redrawn.shot.time == shot.time
    texts = [
        n["inputs"]["text"]
        for n in comfy_fake.graphs[comfy_fake.accepted[-1]].values()
        if n["class_type"] == "CLIPTextEncode"
    ]
    assert LOOKS in texts[0] and "laughing" in texts[0] and "at night" in texts[0]
    stored = project.page(0).panels[0].script  # the panel keeps the shot it was drawn from
    assert stored.description == "Mira laughs." and stored.shot == redrawn.shot
    project.close()
