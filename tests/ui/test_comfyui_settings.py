"""Settings → Providers → ComfyUI: checkpoints listed by the server (off the UI thread),
what each feature lacks, the workflow file and extra headers (keyring) saved."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_comfyui import FakeComfyUI

from studio import secrets
from studio.settings import load_settings
from studio.ui.dialogs import SettingsDialog
from tests.e2e.test_cli_llamagen import ServerThread
from tests.ui.dialog_fixtures import drive, isolated, loop, runner  # noqa: F401


def test_comfyui_page_lists_checkpoints_and_missing_features(qtbot, loop, runner, isolated):  # noqa: F811
    fake = FakeComfyUI(checkpoints=["anime.safetensors", "sdxl.safetensors"])
    with ServerThread(fake):  # type: ignore[arg-type]
        dialog = SettingsDialog(None, runner)
        qtbot.addWidget(dialog)
        dialog.show_provider("comfyui")
        page = dialog.pages["comfyui"]
        page.base_url_edit.setText(fake.url)
        page.refresh_button.click()
        drive(loop, lambda: page.checkpoint_box.count() == 2 and not page.busy)
        assert page.test_status.kind == "ok" and "Fake GPU" in page.test_status.text()
        assert "IPAdapter" in page.features_label.text()
        assert "Panels from text: ready" in page.features_label.text()
        page.checkpoint_box.setCurrentText("sdxl.safetensors")
        page.workflow_edit.setText("/tmp/mine.json")
        page.headers_edit.setText('{"X-Comfy-Token": "tok-123"}')
        page.headers_button.click()
        drive(loop, lambda: bool(page.headers_status.text()))
        assert page.headers_edit.text() == ""
        stored = isolated.store[(secrets.SERVICE, "comfyui:headers")]
        assert json.loads(stored) == {"X-Comfy-Token": "tok-123"}
        dialog.accept()
        saved = load_settings().provider("comfyui")
        assert (saved.checkpoint, saved.workflow_file) == ("sdxl.safetensors", "/tmp/mine.json")
        assert secrets.get_headers("comfyui") == {"X-Comfy-Token": "tok-123"}
