"""ComfyUI through the real command line against the loopback fake: a book, then a studio
killed mid-book that resumes without queueing any prompt twice."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_comfyui import FakeComfyUI

from tests.e2e.test_cli_llamagen import ServerThread

PROMPT = "Mia runs to the pier. Leo waves. Mia laughs. Leo sits down."


@pytest.fixture
def fake() -> Iterator[FakeComfyUI]:
    with ServerThread(FakeComfyUI()) as server:  # type: ignore[arg-type]
        yield server  # type: ignore[misc]


@pytest.fixture
def comfy_env(cli_env: dict[str, str]) -> dict[str, str]:
    cli_env["COMIC_STUDIO_POLL_INTERVAL"] = "0.05"
    return cli_env


def test_new_and_generate_with_comfyui(cli, comfy_env: dict[str, str], fake: FakeComfyUI) -> None:
    made = cli("new", "x.comic", "--provider", "comfyui", "--prompt", PROMPT, "--panels", "4")
    assert made.returncode == 0, made.stderr
    out = cli("generate", "x.comic", "--provider", "comfyui", "--base-url", fake.url)
    assert out.returncode == 0, out.stderr
    assert len(fake.accepted) == 4 == len(set(fake.accepted))
    shown = json.loads(cli("show", "x.comic", "--json").stdout)
    assert all(p["current_version"] for p in shown["pages"][0]["panels"])


def test_killed_mid_book_resumes_without_queueing_twice(
    cli, comfy_env: dict[str, str], fake: FakeComfyUI, tmp_path: Path
) -> None:
    assert cli("new", "k.comic", "--provider", "comfyui", "--prompt", PROMPT).returncode == 0
    fake.paused = True
    comfy_env["COMFYUI_BASE_URL"] = fake.url
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio.cli", "generate", "k.comic"],
        cwd=tmp_path,
        env=comfy_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while len(fake.accepted) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # the last accepted prompt id reaches the project file
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert len(fake.accepted) == 4
    fake.paused = False
    resumed = cli("resume", "k.comic")
    assert resumed.returncode == 0, resumed.stderr
    assert len(fake.accepted) == 4 == len(set(fake.accepted))
    shown = json.loads(cli("show", "k.comic", "--json").stdout)
    assert all(p["current_version"] for p in shown["pages"][0]["panels"])
