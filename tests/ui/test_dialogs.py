"""Settings, continue and export dialogs (offscreen, isolated dirs, in-memory keyring)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from aiohttp import web
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from studio import secrets
from studio.core.models import Layout, Story
from studio.providers import errors
from studio.settings import load_settings, settings_path
from studio.ui.dialogs import ContinueDialog, ExportDialog, SettingsDialog
from studio.ui.dialogs import export_dialog as export_module
from studio.ui.dialogs.common import check_base_url, describe_error
from tests.ui.dialog_fixtures import drive, isolated, loop, make_project, runner  # noqa: F401

SECRET = "sk-test-7f3a9c1e5b2d"


def all_texts(root: QWidget) -> list[str]:
    """Every string a person could see or hover on, in ``root`` and all its children."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out += [w.toolTip(), w.statusTip(), w.whatsThis(), w.windowTitle(), w.accessibleName()]
        if isinstance(w, QLineEdit):
            out += [w.text(), w.placeholderText(), w.displayText()]
        if isinstance(w, QPlainTextEdit):
            out += [w.toPlainText(), w.placeholderText()]
        if isinstance(w, QAbstractButton):
            out.append(w.text())
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if hasattr(w, "text") and not isinstance(w, QLineEdit | QAbstractButton):
            with contextlib.suppress(TypeError):
                out.append(str(w.text()))
    return out


def open_settings(qtbot, loop, runner) -> SettingsDialog:  # noqa: F811
    dialog = SettingsDialog(None, runner)
    qtbot.addWidget(dialog)
    page = dialog.pages["llamagen"]
    drive(loop, lambda: page.key_status.isVisible() or bool(page.key_status.text()))
    return dialog


# ------------------------------------------------------------------ settings: keys
def test_key_is_stored_in_keyring_and_never_shown(qtbot, loop, runner, isolated):  # noqa: F811
    dialog = open_settings(qtbot, loop, runner)
    page = dialog.pages["llamagen"]
    assert page.key_edit.echoMode() == QLineEdit.EchoMode.Password
    assert page.key_edit.text() == "" and "stored" not in page.key_edit.placeholderText()
    page.key_edit.setText(SECRET)
    page.set_button.click()
    assert page.key_edit.text() == ""  # cleared at once, before the keyring answers
    drive(loop, lambda: page.key_source == "keyring" and not page.busy)
    assert isolated.store[(secrets.SERVICE, "llamagen")] == SECRET
    assert page.key_edit.placeholderText() == "•••• stored in Test memory keyring"
    assert page.set_button.text() == "Replace"
    assert not any(SECRET in t for t in all_texts(dialog))
    dialog.close()

    again = open_settings(qtbot, loop, runner)
    page = again.pages["llamagen"]
    drive(loop, lambda: page.key_source == "keyring")
    assert page.key_edit.text() == ""
    assert "Test memory keyring" in again.backend_label.text()
    assert not any(SECRET in t for t in all_texts(again))


def test_delete_key(qtbot, loop, runner, isolated):  # noqa: F811
    isolated.store[(secrets.SERVICE, "llamagen")] = SECRET
    dialog = open_settings(qtbot, loop, runner)
    page = dialog.pages["llamagen"]
    drive(loop, lambda: page.key_source == "keyring")
    assert page.delete_button.isEnabled()
    page.delete_button.click()
    drive(loop, lambda: page.key_source == "" and not page.busy)
    assert (secrets.SERVICE, "llamagen") not in isolated.store
    assert not page.delete_button.isEnabled()
    assert page.key_edit.placeholderText() == "Paste the API key"


def test_environment_key_is_explained(qtbot, loop, runner, monkeypatch):  # noqa: F811
    monkeypatch.setenv("LLAMAGEN_API_KEY", SECRET)
    dialog = open_settings(qtbot, loop, runner)
    page = dialog.pages["llamagen"]
    drive(loop, lambda: page.key_source == "environment")
    assert "LLAMAGEN_API_KEY" in page.key_status.text()
    assert not any(SECRET in t for t in all_texts(dialog))


def test_unusable_keyring_warns_and_disables_keys(qtbot, loop, runner):  # noqa: F811
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = open_settings(qtbot, loop, runner)
    page = dialog.pages["llamagen"]
    dialog.show_provider("llamagen")
    assert dialog.keyring_warning.isVisibleTo(dialog)
    assert "environment variables" in dialog.keyring_warning.text()
    assert not page.key_edit.isEnabled() and not page.set_button.isEnabled()
    assert "LLAMAGEN_API_KEY" in page.key_edit.placeholderText()


def test_local_provider_needs_no_key(qtbot, loop, runner):  # noqa: F811
    dialog = open_settings(qtbot, loop, runner)
    assert "local" not in dialog.pages
    dialog.show_provider("local")
    assert "No key needed" in " ".join(all_texts(dialog.stack.currentWidget()))


# ------------------------------------------------------------- settings: values
def test_invalid_base_url_is_refused(qtbot, loop, runner):  # noqa: F811
    dialog = open_settings(qtbot, loop, runner)
    page = dialog.pages["llamagen"]
    page.base_url_edit.setText("http://example.com/v1")
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert not settings_path().exists()
    assert "https://example.com" in page.url_status.text()
    assert dialog.stack.currentWidget() is page

    page.base_url_edit.setText("https://api.example.com/v1/")
    page.rpm_spin.setValue(6)
    dialog.accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    saved = load_settings().provider("llamagen")
    assert (saved.base_url, saved.requests_per_minute) == ("https://api.example.com/v1", 6)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("", True),
        ("https://api.example.com/v1", True),
        ("http://127.0.0.1:8080/v1", True),
        ("http://localhost:9000", True),
        ("http://[::1]:9000", True),
        ("http://api.example.com", False),
        ("ftp://api.example.com", False),
        ("https://user:pw@api.example.com", False),
        ("https://api.example.com/?x=1", False),
        ("not a url", False),
        ("https://host:99999", False),
    ],
)
def test_check_base_url(url, ok):
    if ok:
        check_base_url(url)
    else:
        with pytest.raises(ValueError):
            check_base_url(url)


def test_general_page_is_saved(qtbot, loop, runner):  # noqa: F811
    dialog = open_settings(qtbot, loop, runner)
    dialog.default_provider.setCurrentIndex(dialog.default_provider.findData("llamagen"))
    dialog.page_size.setCurrentIndex(dialog.page_size.findData("webtoon"))
    dialog.show_lettering.setChecked(False)
    dialog.accept()
    saved = load_settings()
    assert (saved.default_provider, saved.page_size, saved.show_lettering) == (
        "llamagen",
        "webtoon",
        False,
    )


# ------------------------------------------------------------- test connection
@pytest.fixture
def fake_usage_server(loop):  # noqa: F811
    seen: list[str] = []

    async def usage(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        if request.headers.get("Authorization") != f"Bearer {SECRET}":
            return web.json_response({"error": "invalid api key"}, status=401)
        return web.json_response({"plan": "pro", "credits": {"available": 4200}})

    app = web.Application()
    app.router.add_get("/v1/comics/usage", usage)
    app_runner = web.AppRunner(app)
    loop.run_until_complete(app_runner.setup())
    site = web.TCPSite(app_runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/v1", seen
    loop.run_until_complete(app_runner.cleanup())


def test_connection_shows_plan_or_mapped_error(qtbot, loop, runner, isolated, fake_usage_server):  # noqa: F811
    url, seen = fake_usage_server
    dialog = open_settings(qtbot, loop, runner)
    page = dialog.pages["llamagen"]
    page.base_url_edit.setText(url)

    page.test_button.click()  # no key yet
    drive(loop, lambda: not page.busy)
    assert page.test_status.kind == "error" and "No API key" in page.test_status.text()

    isolated.store[(secrets.SERVICE, "llamagen")] = "wrong-key"
    page.test_button.click()
    assert page.test_button.text() == "Testing…" and not page.test_button.isEnabled()
    drive(loop, lambda: not page.busy)
    assert page.test_status.kind == "error"
    assert page.test_status.text().startswith("The key was refused")

    isolated.store[(secrets.SERVICE, "llamagen")] = SECRET
    page.test_button.click()
    drive(loop, lambda: not page.busy)
    assert page.test_status.kind == "ok", page.test_status.text()
    assert '"available": 4200' in page.test_output.toPlainText()
    assert seen[-1] == f"Bearer {SECRET}"
    assert not any(SECRET in t for t in all_texts(dialog))


@pytest.mark.parametrize(
    ("error", "start"),
    [
        (errors.AuthError("401"), "The key was refused by LlamaGen"),
        (errors.MissingKey("none"), "No API key is set for LlamaGen"),
        (errors.QuotaError("no credits"), "Your LlamaGen credits"),
        (errors.RateLimited("429"), "LlamaGen says there were too many requests"),
        (errors.ProviderUnavailable("down"), "Could not reach LlamaGen"),
        (errors.MalformedResponse("html"), "LlamaGen answered with something"),
        (secrets.KeyringUnavailable("No system keyring"), "No system keyring"),
        (RuntimeError("boom"), "Unexpected error (RuntimeError)"),
    ],
)
def test_describe_error(error, start):
    assert describe_error(error, "LlamaGen").startswith(start)


# ------------------------------------------------------------------ continue
def test_continue_dialog(qtbot):
    story = Story(title="Hat", layout=Layout(pages=1, panels_per_page=6))
    dialog = ContinueDialog(None, story)
    qtbot.addWidget(dialog)
    assert (dialog.pages_spin.value(), dialog.panels_spin.value()) == (1, 6)
    assert not dialog.ok_button.isEnabled()
    dialog.prompt_edit.setPlainText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.prompt_edit.setPlainText("  The cat loses the hat.  ")
    assert dialog.ok_button.isEnabled()
    assert dialog.values() == ("The cat loses the hat.", 1, 6, False)
    dialog.pages_spin.setValue(3)
    dialog.panels_spin.setValue(25)  # clamped to the maximum
    assert dialog.values() == ("The cat loses the hat.", 3, 20, True)
    assert dialog.pages_spin.maximum() == 20 and dialog.pages_spin.minimum() == 1


# -------------------------------------------------------------------- export
def test_export_dialog_real_cbz(qtbot, loop, runner, tmp_path):  # noqa: F811
    pytest.importorskip("studio.export")
    pytest.importorskip("studio.render.book", reason="ProjectBook is not importable yet")
    project = make_project(tmp_path / "book.comic")
    dialog = ExportDialog(None, project, runner)
    qtbot.addWidget(dialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("cbz"))
    assert dialog.target() == tmp_path / "book.cbz"
    dialog.start()
    drive(loop, lambda: not dialog.running, timeout=60)
    assert dialog.status.kind == "ok", dialog.status.text()
    assert (tmp_path / "book.cbz").stat().st_size > 0
    assert dialog.open_button.isVisibleTo(dialog)
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum() == 2
    project.close()


def test_export_dialog_progress_cancel_and_errors(qtbot, loop, runner, tmp_path, monkeypatch):  # noqa: F811
    project = make_project(tmp_path / "book.comic", pages=1)
    calls: list[tuple[int, int]] = []

    def fake_export(project, fmt, out, lettered, progress):
        for done in range(1, 4):
            progress(done, 3)
            calls.append((done, 3))
        if fmt == "pdf":
            raise OSError(28, "No space left on device")
        while True:  # a long export: only the cancel stops it
            time.sleep(0.01)
            progress(3, 3)

    monkeypatch.setattr(export_module, "run_export", fake_export)
    dialog = ExportDialog(None, project, runner)
    qtbot.addWidget(dialog)
    assert dialog.target() == tmp_path / "book.pdf"
    dialog.start()
    drive(loop, lambda: not dialog.running)
    assert dialog.status.kind == "error" and "No space left" in dialog.status.text()

    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("png"))
    assert dialog.target() == tmp_path / "book pages"
    dialog.start()
    assert dialog.close_button.text() == "Cancel" and not dialog.export_button.isEnabled()
    drive(loop, lambda: dialog.progress_bar.maximum() == 3)
    dialog.close_button.click()
    drive(loop, lambda: not dialog.running)
    assert "cancelled" in dialog.status.text()
    assert dialog.export_button.isEnabled() and dialog.close_button.text() == "Close"
    project.close()


def test_export_failure_is_reported_when_book_unavailable(qtbot, loop, runner, tmp_path):  # noqa: F811
    project = make_project(tmp_path / "empty.comic", pages=0)
    dialog = ExportDialog(None, project, runner)
    qtbot.addWidget(dialog)
    dialog.start()
    drive(loop, lambda: not dialog.running)
    assert dialog.status.kind == "error"  # no pages (or the renderer missing): said plainly
    assert not Path(tmp_path / "empty.pdf").exists()
    project.close()


def test_runner_loop_is_qasync(loop):  # noqa: F811
    assert asyncio.get_event_loop() is loop
