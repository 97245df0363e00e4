"""Helpers for end-to-end tests: run the real `comic-studio` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_BASE_URL"))}
    env.update(
        COMIC_STUDIO_CONFIG_DIR=str(tmp_path / "config"),
        COMIC_STUDIO_DATA_DIR=str(tmp_path / "data"),
        # Never the developer's keyring: the null backend (the studio must say so clearly).
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        QT_QPA_PLATFORM="offscreen",
    )
    return env


@pytest.fixture
def cli(cli_env: dict[str, str], tmp_path: Path) -> Run:
    def run(
        *args: str, stdin: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "studio.cli", *args],
            cwd=tmp_path,
            env=cli_env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
