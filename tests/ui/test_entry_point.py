"""`comic-studio FILE.comic` opens the window on that project through the package's own entry
point (studio.cli), not only through the packaged launcher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from studio.core.models import Story
from studio.storage import Project

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
        COMIC_STUDIO_CONFIG_DIR=str(tmp_path / "config"),
        COMIC_STUDIO_DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    return env


def test_cli_opens_the_window_on_a_comic_file(tmp_path: Path) -> None:
    path = tmp_path / "story.comic"
    Project.create(path, Story(title="Opened", prompt="A cat.")).close()
    done = subprocess.run(
        [sys.executable, "-m", "studio.cli", str(path)],
        env=_env(tmp_path, COMIC_STUDIO_SMOKE="paint", COMIC_STUDIO_SMOKE_TIMEOUT="40"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "invalid choice" not in done.stderr
    assert f"project {path}" in done.stderr  # the smoke hook saw it open
    settings = json.loads(next((tmp_path / "config").glob("*.json")).read_text())
    assert str(path) in settings["recent_files"]


def test_an_unknown_word_is_still_an_argparse_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "studio.cli", "frobnicate"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "invalid choice" in done.stderr
