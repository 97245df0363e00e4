"""One provider's page in Settings → Providers: key (keyring only), base URL, limit, test;
ComfyUI's page adds its checkpoint (listed by the server), workflow file, extra headers and
what the server lacks for each feature."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio import secrets
from studio.providers import registry
from studio.providers.base import Provider
from studio.providers.registry import ProviderInfo
from studio.settings import Settings
from studio.ui.dialogs.common import StatusLabel, check_base_url, describe_error, guarded
from studio.ui.tasks import TaskRunner


async def check_connection(provider: Provider) -> dict[str, Any]:
    """``provider.check()``, always closing the provider's client afterwards."""
    try:
        return await provider.check()
    finally:
        await provider.aclose()


def _stacked(top: QWidget | QHBoxLayout, below: QWidget) -> QVBoxLayout:
    """A field with its message right under it (no empty form rows)."""
    column = QVBoxLayout()
    column.setSpacing(3)
    if isinstance(top, QWidget):
        column.addWidget(top)
    else:
        column.addLayout(top)
    column.addWidget(below)
    return column


class ProviderPage(QWidget):
    """Edits ``settings.provider(info.id)`` in place (on apply) and the key in the keyring."""

    def __init__(
        self,
        info: ProviderInfo,
        settings: Settings,
        runner: TaskRunner,
        *,
        backend: str,
        usable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.info = info
        self._settings = settings
        self._runner = runner
        self._backend = backend
        self._usable = usable
        self.key_source = ""
        self.busy = False
        self._setup_ui()
        self.refresh_key_state()

    # ----------------------------------------------------------------- public
    @property
    def provider_id(self) -> str:
        return self.info.id

    def apply(self) -> None:
        """Write base URL and request limit into the settings; ValueError when invalid."""
        try:
            url = check_base_url(self.base_url_edit.text())
        except ValueError as exc:
            self.url_status.show_message(str(exc), "error")
            raise
        self.url_status.clear_message()
        ps = self._settings.provider(self.info.id)
        ps.base_url = url
        ps.requests_per_minute = float(self.rpm_spin.value())

    def refresh_key_state(self) -> None:
        """Ask (off the UI thread: keyrings may block) where the key comes from."""
        self._runner.run_in_thread(
            secrets.key_source,
            self.info.id,
            on_done=guarded(self, self._on_key_source_done),
            on_error=guarded(self, self._on_key_error),
            name=f"key-source-{self.info.id}",
        )

    # --------------------------------------------------------------------- UI
    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        title = QLabel(f"<b>{self.info.name}</b>")
        outer.addWidget(title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)

        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setClearButtonEnabled(True)
        self.set_button = QPushButton("Set")
        self.delete_button = QPushButton("Delete")
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.set_button)
        key_row.addWidget(self.delete_button)
        self.key_status = StatusLabel()
        form.addRow("API key:", _stacked(key_row, self.key_status))

        self.base_url_edit = QLineEdit(self._settings.provider(self.info.id).base_url)
        self.base_url_edit.setPlaceholderText(self.info.default_base_url or "(built in)")
        self.base_url_edit.setToolTip(
            "Leave empty for the documented default. https only (http only for this computer)."
        )
        self.url_status = StatusLabel()
        form.addRow("Base URL:", _stacked(self.base_url_edit, self.url_status))

        self.rpm_spin = QDoubleSpinBox()
        self.rpm_spin.setRange(0, 6000)
        self.rpm_spin.setDecimals(1)
        self.rpm_spin.setSuffix(" per minute")
        self.rpm_spin.setSpecialValueText("Provider default")
        self.rpm_spin.setValue(self._settings.provider(self.info.id).requests_per_minute)
        self.rpm_spin.setMinimumWidth(180)
        rpm_row = QHBoxLayout()
        rpm_row.addWidget(self.rpm_spin)
        rpm_row.addStretch(1)
        form.addRow("Request limit:", rpm_row)

        self.test_button = QPushButton("Test connection")
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", test_row)
        self.form = form
        outer.addLayout(form)

        self.test_status = StatusLabel()
        outer.addWidget(self.test_status)
        self.test_output = QPlainTextEdit()
        self.test_output.setReadOnly(True)
        self.test_output.setFont(QFont("monospace"))
        self.test_output.setMaximumHeight(140)
        self.test_output.hide()
        outer.addWidget(self.test_output)
        outer.addStretch(1)

        self.set_button.clicked.connect(self._on_set_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.key_edit.returnPressed.connect(self._on_set_clicked)
        self.key_edit.textChanged.connect(self._on_key_text_changed)
        self.base_url_edit.editingFinished.connect(self._on_base_url_edited)
        self.test_button.clicked.connect(self._on_test_clicked)
        self._update_buttons()

    def _update_buttons(self) -> None:
        stored = self.key_source == "keyring"
        self.key_edit.setEnabled(self._usable and not self.busy)
        self.set_button.setText("Replace" if stored else "Set")
        self.set_button.setEnabled(self._usable and not self.busy and bool(self.key_edit.text()))
        self.delete_button.setEnabled(self._usable and not self.busy and stored)
        self.test_button.setEnabled(not self.busy)

    # ------------------------------------------------------------------ slots
    def _on_key_text_changed(self, _text: str) -> None:
        self._update_buttons()

    def _on_key_source_done(self, source: str) -> None:
        self.key_source = source
        env = secrets.env_var(self.info.id)
        if not self._usable:
            self.key_edit.setPlaceholderText(f"No keyring: set {env} instead")
        elif source == "keyring":
            self.key_edit.setPlaceholderText(f"•••• stored in {self._backend}")
        else:
            self.key_edit.setPlaceholderText("Paste the API key")
        match source:
            case "environment":
                self.key_status.show_message(
                    f"The key comes from the environment variable {env} for this run; it wins "
                    "over any key stored in the keyring."
                )
            case "keyring":
                self.key_status.show_message(f"A key is stored in {self._backend}.", "ok")
            case _:
                self.key_status.show_message("No key is stored for this provider.")
        self._update_buttons()

    def _on_key_error(self, error: BaseException) -> None:
        self.busy = False
        self.key_status.show_message(describe_error(error, self.info.name), "error")
        self._update_buttons()

    def _on_set_clicked(self) -> None:
        key = self.key_edit.text()
        if not key.strip() or self.busy:
            return
        self.key_edit.clear()  # the key never stays in a widget
        self.busy = True
        self._update_buttons()
        self.key_status.show_message("Storing the key…")
        self._runner.run_in_thread(
            secrets.set_key,
            self.info.id,
            key,
            on_done=guarded(self, self._on_key_changed),
            on_error=guarded(self, self._on_key_error),
            name=f"set-key-{self.info.id}",
        )

    def _on_delete_clicked(self) -> None:
        self.busy = True
        self._update_buttons()
        self._runner.run_in_thread(
            secrets.delete_key,
            self.info.id,
            on_done=guarded(self, self._on_key_changed),
            on_error=guarded(self, self._on_key_error),
            name=f"delete-key-{self.info.id}",
        )

    def _on_key_changed(self, _result: object) -> None:
        self.busy = False
        self.refresh_key_state()

    def _on_base_url_edited(self) -> None:
        try:
            check_base_url(self.base_url_edit.text())
        except ValueError as exc:
            self.url_status.show_message(str(exc), "error")
        else:
            self.url_status.clear_message()

    def _on_test_clicked(self) -> None:
        self.test_output.hide()
        try:
            self.apply()
            provider = registry.create_provider(self.info.id, settings=self._settings)
        except Exception as exc:  # noqa: BLE001 - every failure is shown, none is fatal
            self.test_status.show_message(describe_error(exc, self.info.name), "error")
            return
        self.busy = True
        self.test_button.setText("Testing…")
        self._update_buttons()
        self.test_status.show_message(f"Contacting {self.info.name}…")
        self._runner.spawn(
            check_connection(provider),
            on_done=guarded(self, self._on_test_done),
            on_error=guarded(self, self._on_test_error),
            name=f"check-{self.info.id}",
        )

    def _on_test_done(self, answer: dict[str, Any]) -> None:
        self._end_test()
        self.test_status.show_message(f"Connected: {self.info.name} accepted the key.", "ok")
        if answer:
            self.test_output.setPlainText(json.dumps(answer, indent=2, default=str))
            self.test_output.show()

    def _on_test_error(self, error: BaseException) -> None:
        self._end_test()
        self.test_status.show_message(describe_error(error, self.info.name), "error")

    def _end_test(self) -> None:
        self.busy = False
        self.test_button.setText("Test connection")
        self._update_buttons()


FEATURE_NAMES = {
    "text_to_image": "Panels from text",
    "redraw": "Redraw (image to image)",
    "character_consistency": "Same face (IP-Adapter)",
    "inpaint": "Inpainting",
    "loras": "LoRAs",
}


class ComfyUIPage(ProviderPage):
    """ComfyUI: an optional token, extra headers (keyring), the checkpoint to draw with (listed
    by the server, fetched off the UI thread), an API-format workflow file, and per feature
    what the server lacks."""

    def apply(self) -> None:
        super().apply()
        ps = self._settings.provider(self.info.id)
        ps.checkpoint = self.checkpoint_box.currentText().strip()
        ps.workflow_file = self.workflow_edit.text().strip()

    def _setup_ui(self) -> None:
        super()._setup_ui()
        ps = self._settings.provider(self.info.id)
        label = self.form.itemAt(0, QFormLayout.ItemRole.LabelRole)
        if label is not None and isinstance(label.widget(), QLabel):
            label.widget().setText("Token (optional):")
        self.checkpoint_box = QComboBox()
        self.checkpoint_box.setEditable(True)
        self.checkpoint_box.setPlaceholderText("the server's first checkpoint")
        if ps.checkpoint:
            self.checkpoint_box.addItem(ps.checkpoint)
        self.refresh_button = QPushButton("List from server")
        row = QHBoxLayout()
        row.addWidget(self.checkpoint_box, 1)
        row.addWidget(self.refresh_button)
        at = self.form.rowCount() - 1  # above "Test connection"
        self.form.insertRow(at, "Checkpoint:", row)
        self.workflow_edit = QLineEdit(ps.workflow_file)
        self.workflow_edit.setPlaceholderText("built-in workflows")
        self.workflow_edit.setToolTip(
            "An API-format workflow (ComfyUI: Export (API)) with {{prompt}}, {{negative}}, "
            "{{seed}}, {{width}}, {{height}} and {{reference_image}} placeholders."
        )
        browse = QPushButton("Browse…")
        wrow = QHBoxLayout()
        wrow.addWidget(self.workflow_edit, 1)
        wrow.addWidget(browse)
        self.form.insertRow(at + 1, "Workflow file:", wrow)
        self.headers_edit = QLineEdit()
        self.headers_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.headers_edit.setPlaceholderText('{"X-Api-Key": "…"} kept in the keyring')
        self.headers_button = QPushButton("Set")
        hrow = QHBoxLayout()
        hrow.addWidget(self.headers_edit, 1)
        hrow.addWidget(self.headers_button)
        self.headers_status = StatusLabel()
        self.form.insertRow(at + 2, "Extra headers:", _stacked(hrow, self.headers_status))
        self.features_label = QLabel("Test the connection to see what this server can do.")
        self.features_label.setWordWrap(True)
        self.form.insertRow(at + 3, "Features:", self.features_label)
        self.key_edit.setToolTip("Optional: a bearer token for a hosted ComfyUI.")
        self.refresh_button.clicked.connect(self._on_test_clicked)
        browse.clicked.connect(self._on_browse_clicked)
        self.headers_button.clicked.connect(self._on_headers_set_clicked)

    def _on_browse_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "ComfyUI workflow (API format)", "", "Workflow (*.json)"
        )
        if path:
            self.workflow_edit.setText(path)

    def _on_headers_set_clicked(self) -> None:
        text = self.headers_edit.text().strip()
        try:
            headers = json.loads(text) if text else {}
            if not isinstance(headers, dict):
                raise ValueError("not an object")
        except ValueError:
            self.headers_status.show_message(
                'Write the headers as a JSON object, e.g. {"X-Api-Key": "…"}.', "error"
            )
            return
        self.headers_edit.clear()  # a token never stays in a widget
        self._runner.run_in_thread(
            secrets.set_headers,
            self.info.id,
            {str(k): str(v) for k, v in headers.items()},
            on_done=guarded(self, self._on_headers_stored),
            on_error=guarded(self, self._on_key_error),
            name="set-headers-comfyui",
        )

    def _on_headers_stored(self, _result: object) -> None:
        self.headers_status.show_message(f"Stored in {self._backend}.", "ok")

    def _on_test_done(self, answer: dict[str, Any]) -> None:
        super()._on_test_done(answer)
        current = self.checkpoint_box.currentText()
        self.checkpoint_box.clear()
        self.checkpoint_box.addItems([str(c) for c in answer.get("checkpoints") or []])
        if current:
            self.checkpoint_box.setCurrentText(current)
        version = answer.get("comfyui_version") or "?"
        device = answer.get("device") or "an unknown device"
        self.test_status.show_message(f"Connected: ComfyUI {version} on {device}.", "ok")
        missing = answer.get("missing") or {}
        lines = [f"{label}: {missing.get(key) or 'ready'}" for key, label in FEATURE_NAMES.items()]
        self.features_label.setText("\n".join(lines))
