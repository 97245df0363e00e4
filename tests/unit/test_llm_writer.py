"""The language-model script writer against a loopback OpenAI-compatible fake."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from studio.core.models import Character, JobKind, JobState, Layout, Location, Story
from studio.jobs import JobManager
from studio.storage import Project
from studio.story.llm import (
    LlmConfig,
    LlmWriter,
    WriterError,
    Written,
    key_name,
    resolve_config,
    stored_key,
)
from tests.fakes_openai import FakeOpenAI, ThreadedFake, good_script, panel

KEY = "sk-test-0123456789abcdef"
STORY = "Mira explores an old library at night and finds a magic door."
CAST = [Character("Mira", age="12", gender="girl", dress="yellow raincoat")]
PLACES = [Location("Old Library", "tall dark shelves")]


@pytest.fixture
async def fake() -> AsyncIterator[FakeOpenAI]:
    server = await FakeOpenAI().start()
    yield server
    await server.close()


def writer_for(fake: FakeOpenAI, key: str | None = None, **kw: object) -> LlmWriter:
    return LlmWriter(LlmConfig(fake.url, "tiny-llm", api_key=key, **kw))  # type: ignore[arg-type]


def story(pages: int = 2, per_page: int = 2) -> Story:
    return Story(prompt=STORY, layout=Layout(pages=pages, panels_per_page=per_page))


async def write(fake: FakeOpenAI, **kw: object) -> Written:
    writer = writer_for(fake, **kw)  # type: ignore[arg-type]
    try:
        return await writer.write(story(), CAST, PLACES, pages=2, panels_per_page=2)
    finally:
        await writer.aclose()


def make_project(tmp_path: Path, pages: int = 2, per_page: int = 2) -> Project:
    project = Project.create(tmp_path / "book.comic", story(pages, per_page))
    project.set_characters(CAST)
    project.set_locations(PLACES)
    return project


async def test_good_json_becomes_the_script_and_the_request_says_what_was_asked(fake) -> None:
    written = await write(fake)
    assert written.writer == "llm"
    assert [len(p.panels) for p in written.script.pages] == [2, 2]
    first = written.script.pages[0].panels[0]
    assert first.description.startswith("Beat 1") and first.characters == ["Mira"]
    assert first.shot is not None and first.shot.figures[0].name == "Mira"
    assert first.shot.setting == "library" and first.shot.props == ["door"]
    (sent,) = fake.chats
    body = sent.json
    assert body["model"] == "tiny-llm" and body["stream"] is True
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    schema = fmt["json_schema"]["schema"]
    assert schema["properties"]["pages"]["minItems"] == 2
    shot = schema["properties"]["pages"]["items"]["properties"]["panels"]["items"]
    assert "close-up" in shot["properties"]["shot"]["properties"]["framing"]["enum"]
    prompt = body["messages"][1]["content"]
    assert "Mira (12, girl, yellow raincoat)" in prompt and "Old Library" in prompt
    assert STORY in prompt and "exactly 2 page(s) with exactly 2 panel(s)" in prompt
    assert "authorization" not in {k.lower() for k in sent.headers}  # no key configured


async def test_malformed_json_is_asked_again_with_the_error(fake) -> None:
    fake.answers = [{"kind": "content", "content": '{"pages": [ {"panels": [ oops'}]
    written = await write(fake)
    assert written.writer == "llm"
    assert len(fake.chats) == 2
    follow_up = fake.chats[1].json["messages"]
    assert follow_up[-2]["role"] == "assistant" and "oops" in follow_up[-2]["content"]
    assert "not valid JSON" in follow_up[-1]["content"]


async def test_values_outside_the_schema_are_repaired_without_asking_again(fake) -> None:
    script = good_script(2, 2)
    odd = script["pages"][0]["panels"][0]
    odd["shot"]["framing"] = "super-wide"
    odd["shot"]["location"] = "old library"  # another case: the defined name is used
    odd["shot"]["figures"][0]["expression"] = "bemused"
    odd["description"] = ""
    script["pages"][1]["panels"].append(panel())  # one panel too many
    fake.answers = [{"kind": "content", "content": "```json\n" + json.dumps(script) + "\n```"}]
    written = await write(fake)
    assert written.writer == "llm" and len(fake.chats) == 1
    fixed = written.script.pages[0].panels[0]
    assert fixed.shot.framing == "medium" and fixed.shot.location == "Old Library"
    assert fixed.location == "Old Library" and fixed.shot.figures[0].expression == "neutral"
    assert fixed.description == "Mira in the library."
    assert written.script.panel_count == 4 and "Repaired" in written.message


async def test_wrong_counts_are_asked_again_then_the_offline_writer_takes_over(fake) -> None:
    short = json.dumps(good_script(1, 1))
    fake.answers = [{"kind": "content", "content": short}] * 2
    written = await write(fake)
    assert len(fake.chats) == 2
    assert "were asked for" in fake.chats[1].json["messages"][-1]["content"]
    assert written.writer == "offline"
    assert "offline writer" in written.message and "were asked for" in written.message
    assert written.script.panel_count == 4


async def test_a_server_without_json_schema_is_asked_in_json_mode(fake) -> None:
    refusal = {"error": {"message": "response_format type json_schema is not supported"}}
    fake.answers = [{"kind": "status", "status": 400, "body": refusal}]
    written = await write(fake)
    assert written.writer == "llm"
    formats = [c.json["response_format"]["type"] for c in fake.chats]
    assert formats == ["json_schema", "json_object"]


async def test_401_is_an_auth_error_pointing_at_the_script_writer_settings(fake) -> None:
    fake.answers = [{"kind": "status", "status": 401, "body": {"error": {"message": "bad key"}}}]
    with pytest.raises(WriterError) as caught:
        await write(fake, key=KEY)
    assert caught.value.kind == "auth"
    assert "Script writer" in caught.value.user_message()
    assert KEY not in caught.value.user_message()


async def test_429_fails_the_job_with_a_clear_message(fake, tmp_path: Path) -> None:
    fake.answers = [{"kind": "status", "status": 429, "headers": {"Retry-After": "20"}}]
    with pytest.raises(WriterError) as caught:
        await write(fake)
    assert caught.value.kind == "rate_limit" and "wait 20 s" in caught.value.user_message()
    fake.answers = [{"kind": "status", "status": 429}]
    project = make_project(tmp_path)
    manager = JobManager(project, lambda pid: pytest.fail(f"no provider: {pid}"))
    job = manager.write_script(writer_for(fake))
    await manager.wait([job.id])
    job = project.job(job.id)
    assert job.state is JobState.failed and job.error_kind == "rate_limit"
    assert "rate limiting" in job.error and "Wait a minute" in job.error
    assert project.panel_count() == 0  # nothing written, nothing lost
    await manager.shutdown()


async def test_a_stream_cut_off_mid_way_is_asked_again(fake) -> None:
    content = json.dumps(good_script(2, 2))
    fake.answers = [{"kind": "cut", "content": content[: len(content) // 2]}]
    written = await write(fake)
    assert written.writer == "llm" and len(fake.chats) == 2
    assert "cut off" in fake.chats[1].json["messages"][-1]["content"]


async def test_an_answer_at_the_length_limit_counts_as_cut_off(fake) -> None:
    content = json.dumps(good_script(2, 2))[:200]
    fake.answers = [{"kind": "content", "content": content, "finish": "length"}] * 2
    written = await write(fake)
    assert written.writer == "offline" and "length limit" in written.message


async def test_a_server_that_does_not_stream_is_read_whole(fake) -> None:
    written = await write(fake, stream=False)
    assert written.writer == "llm" and fake.chats[0].json["stream"] is False


async def test_the_job_writes_the_script_into_the_project(fake, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    manager = JobManager(project, lambda pid: pytest.fail(f"no provider: {pid}"))
    events: list[tuple[str, float | None]] = []
    manager.listeners.append(lambda j, e: events.append((j.state.value, j.progress)))
    job = manager.write_script(writer_for(fake, key=KEY))
    assert job.kind is JobKind.script and job.provider == "llm"
    await manager.wait([job.id])
    job = project.job(job.id)
    assert job.state is JobState.succeeded, job.error
    assert job.request == {
        "pages": 2,
        "panels_per_page": 2,
        "base_url": fake.url,
        "model": "tiny-llm",
    }
    assert KEY not in json.dumps(job.request) and KEY not in job.message
    assert project.panel_count() == 4 and project.script_edited
    last = project.script().pages[1].panels[1]
    assert last.description == "Beat 4: Mira in the library." and last.characters == ["Mira"]
    if last.shot is not None:  # the project file stores shots once `story`'s migration lands
        assert last.shot.figures[0].name == "Mira"
    assert ("running", 0.0) in events and ("succeeded", 1.0) in events
    await manager.shutdown()


async def test_a_slow_server_is_cancelled_at_once(fake, tmp_path: Path) -> None:
    fake.answers = [{"kind": "slow", "delay": 10}]
    project = make_project(tmp_path)
    manager = JobManager(project, lambda pid: pytest.fail(f"no provider: {pid}"))
    job = manager.write_script(writer_for(fake))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if fake.chats:
            break
    assert fake.chats, "the request never left"
    loop = asyncio.get_running_loop()
    started = loop.time()
    manager.cancel(job.id)
    await manager.wait([job.id])
    assert loop.time() - started < 2
    job = project.job(job.id)
    assert job.state is JobState.cancelled and "not changed" in job.message
    assert project.panel_count() == 0
    await manager.shutdown()


async def test_an_interrupted_script_job_is_not_resumed(fake, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    job = project.create_job("llm", JobKind.script, {"pages": 2, "panels_per_page": 2})
    manager = JobManager(project, lambda pid: pytest.fail(f"no provider: {pid}"))
    assert manager.resume_all() == []
    assert project.job(job.id).state is JobState.cancelled
    await manager.shutdown()


async def test_the_key_goes_only_to_the_configured_origin(
    fake, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from studio import secrets

    caplog.set_level(logging.DEBUG)
    secrets.set_key(key_name(fake.url), KEY)
    config = resolve_config(fake.url, "tiny-llm", env={})
    assert config is not None and config.api_key == KEY and KEY not in repr(config)
    other = fake.url.replace("127.0.0.1", "localhost")
    assert stored_key(other, env={}) is None  # saved for one origin, not sent to another
    assert stored_key(other, env={"COMIC_STUDIO_LLM_API_KEY": "sk-env"}) == "sk-env"
    writer = LlmWriter(config)
    try:
        await writer.write(story(), CAST, PLACES, pages=2, panels_per_page=2)
        assert "available" in await writer.test_connection()
    finally:
        await writer.aclose()
    for seen in fake.seen:
        assert seen.headers.get("Authorization") == f"Bearer {KEY}"
        others = {k: v for k, v in seen.headers.items() if k.lower() != "authorization"}
        assert KEY not in json.dumps(others) and KEY not in json.dumps(seen.json)
    assert KEY not in caplog.text


def test_not_configured_means_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.settings import Settings

    monkeypatch.delenv("COMIC_STUDIO_LLM_BASE_URL", raising=False)
    assert resolve_config(settings=Settings(), env={}) is None
    env = {"COMIC_STUDIO_LLM_BASE_URL": "http://localhost:11434/v1", "COMIC_STUDIO_LLM_MODEL": "m"}
    config = resolve_config(settings=Settings(), env=env)
    assert config is not None and config.model == "m" and config.api_key is None
    with pytest.raises(ValueError, match="http"):
        LlmWriter(LlmConfig("http://example.com/v1", "m"))  # plain http off this computer


# ----------------------------------------------------------------------- command line
def _cli_project(tmp_path: Path) -> Path:
    make_project(tmp_path).close()
    return tmp_path / "book.comic"


def test_cli_write_with_llm(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from studio.cli import main

    path = _cli_project(tmp_path)
    with ThreadedFake() as fake:
        code = main(["write", str(path), "--with", "llm", "--base-url", fake.url,
                     "--model", "tiny-llm"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "wrote 2 page(s), 4 panel(s)" in capsys.readouterr().out
    with Project.open(path) as project:
        assert project.script().pages[0].panels[0].description.startswith("Beat 1")
        assert [j.kind for j in project.jobs()] == [JobKind.script]


def test_cli_write_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from studio.cli import main

    path = _cli_project(tmp_path)
    assert main(["write", str(path), "--with", "llm"]) == 2
    assert "No language model is configured" in capsys.readouterr().err
    with ThreadedFake() as fake:
        fake.answers = [{"kind": "status", "status": 401}]
        monkeypatch.setenv("COMIC_STUDIO_LLM_BASE_URL", fake.url)
        monkeypatch.setenv("COMIC_STUDIO_LLM_MODEL", "tiny-llm")
        monkeypatch.setenv("COMIC_STUDIO_LLM_API_KEY", KEY)
        assert main(["write", str(path), "--with", "llm", "--no-wait"]) == 3
        assert fake.chats[0].headers["Authorization"] == f"Bearer {KEY}"
    err = capsys.readouterr().err
    assert "did not accept" in err and KEY not in err
    assert main(["write", str(path), "--with", "offline", "--pages", "1"]) == 0
    assert main(["write", str(path), "--with", "llm", "--base-url", "http://127.0.0.1:9/v1",
                 "--model", "m"]) == 4  # fmt: skip


def test_cli_write_an_empty_story_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from studio.cli import main

    Project.create(tmp_path / "empty.comic", Story(prompt="")).close()
    with ThreadedFake() as fake:
        code = main(["write", str(tmp_path / "empty.comic"), "--with", "llm",
                     "--base-url", fake.url, "--model", "tiny-llm"])  # fmt: skip
        assert fake.chats == []  # nothing was sent
    assert code == 2 and "failed" in capsys.readouterr().err
