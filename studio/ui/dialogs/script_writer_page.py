"""Settings → Script writer: the optional language model (base URL, model, key, test)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio import secrets
from studio.settings import Settings
from studio.story.llm import LlmConfig, LlmWriter, key_name, stored_key
from studio.ui.dialogs.common import StatusLabel, describe_error, guarded
from studio.ui.tasks import TaskRunner

INTRO = (
    "Optionally, a language model can write the script from your story: any OpenAI-compatible "
    "chat completions endpoint (Ollama, llama.cpp's server, LM Studio, vLLM, a hosted "
    "service). Leave the base URL empty to keep writing offline; nothing is sent anywhere "
    "until you fill it in and choose Script → Write with… → Language model."
)


class ScriptWriterPage(QWidget):
    """Edits ``settings.script_writer``; the key goes to the keyring, bound to the origin."""

    def __init__(self, settings: Settings, runner: TaskRunner, *, usable: bool) -> None:
        super().__init__()
        self._settings = settings
        self._runner = runner
        self._usable = usable
        self.busy = False
        self._setup_ui()

    def apply(self) -> None:
        """Copy the fields into the settings; ValueError for a base URL the studio refuses."""
        url, model = self.base_url_edit.text().strip(), self.model_edit.text().strip()
        if url:
            key_name(url)  # validates: https, or http on this computer only
        self._settings.script_writer.base_url = url
        self._settings.script_writer.model = model

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        saved = self._settings.script_writer
        self.base_url_edit = QLineEdit(saved.base_url)
        self.base_url_edit.setPlaceholderText("http://localhost:11434/v1")
        form.addRow("Base URL:", self.base_url_edit)
        self.model_edit = QLineEdit(saved.model)
        self.model_edit.setPlaceholderText("e.g. llama3.1")
        form.addRow("Model:", self.model_edit)
        self.key_edit = QLineEdit()
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText("Optional: only hosted services need a key")
        self.save_key = QPushButton("Save key")
        self.remove_key = QPushButton("Remove key")
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.save_key)
        key_row.addWidget(self.remove_key)
        form.addRow("API key:", key_row)
        layout.addLayout(form)
        self.key_status = StatusLabel()
        layout.addWidget(self.key_status)
        self.test_button = QPushButton("Test connection")
        layout.addWidget(self.test_button)
        self.test_status = StatusLabel()
        layout.addWidget(self.test_status)
        note = QLabel(
            "The key is kept in the system keyring for this base URL's server only, and is "
            f"sent only there. For one run: {secrets.env_var('llm')}."
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        layout.addWidget(note)
        layout.addStretch(1)
        self.save_key.clicked.connect(self._on_save_key_clicked)
        self.remove_key.clicked.connect(self._on_remove_key_clicked)
        self.test_button.clicked.connect(self._on_test_clicked)
        self.save_key.setEnabled(self._usable)
        self.remove_key.setEnabled(self._usable)
        if not self._usable:
            self.key_edit.setPlaceholderText(f"No keyring: set {secrets.env_var('llm')}")

    def _on_save_key_clicked(self) -> None:
        key = self.key_edit.text()
        try:
            name = key_name(self.base_url_edit.text())
        except ValueError as exc:
            self.key_status.show_message(str(exc), "error")
            return
        self.key_edit.clear()  # the key never stays in a widget
        self._runner.run_in_thread(
            secrets.set_key,
            name,
            key,
            on_done=guarded(self, lambda _r: self.key_status.show_message("Key saved.", "ok")),
            on_error=guarded(self, self._on_key_error),
            name="set-key-llm",
        )

    def _on_remove_key_clicked(self) -> None:
        try:
            name = key_name(self.base_url_edit.text())
        except ValueError as exc:
            self.key_status.show_message(str(exc), "error")
            return
        self._runner.run_in_thread(
            secrets.delete_key,
            name,
            on_done=guarded(self, lambda _r: self.key_status.show_message("Key removed.", "ok")),
            on_error=guarded(self, self._on_key_error),
            name="delete-key-llm",
        )

    def _on_key_error(self, error: BaseException) -> None:
        self.key_status.show_message(describe_error(error, "The keyring"), "error")

    def _on_test_clicked(self) -> None:
        url, model = self.base_url_edit.text().strip(), self.model_edit.text().strip()
        if not url or not model:
            self.test_status.show_message("Fill in the base URL and the model first.", "error")
            return
        try:
            writer = LlmWriter(LlmConfig(url, model, api_key=stored_key(url), timeout=20))
        except ValueError as exc:
            self.test_status.show_message(str(exc), "error")
            return
        self.test_button.setEnabled(False)
        self.test_status.show_message("Contacting the server…")

        async def check() -> str:
            try:
                return await writer.test_connection()
            finally:
                await writer.aclose()

        self._runner.spawn(
            check(),
            on_done=guarded(self, self._on_test_done),
            on_error=guarded(self, self._on_test_error),
            name="check-llm",
        )

    def _on_test_done(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self.test_status.show_message(text, "ok")

    def _on_test_error(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        text = getattr(error, "user_message", None)
        message = text() if callable(text) else describe_error(error, "The server")
        self.test_status.show_message(message, "error")
