"""Settings: a General page and Providers (keys in the OS keyring, base URL, limits, test)."""

from __future__ import annotations

import copy

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio import secrets
from studio.providers import registry
from studio.settings import Settings, load_settings, save_settings
from studio.ui.dialogs.common import StatusLabel
from studio.ui.dialogs.provider_page import ComfyUIPage, ProviderPage
from studio.ui.dialogs.script_writer_page import ScriptWriterPage
from studio.ui.tasks import TaskRunner

PAGE_SIZES = (
    ("comic", "Comic book (6.6 × 10.2 in)"),
    ("a4", "A4"),
    ("square", "Square"),
    ("webtoon", "Webtoon (tall strip)"),
)
LOCAL_TEXT = (
    "The offline renderer draws every panel on this computer. No key is needed and nothing "
    "is sent anywhere."
)


class SettingsDialog(QDialog):
    """Edits a copy of the settings; OK validates every page, then saves them."""

    def __init__(
        self,
        parent: QWidget | None,
        runner: TaskRunner,
        *,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._settings = copy.deepcopy(settings) if settings is not None else load_settings()
        self._providers = registry.available()
        self.pages: dict[str, ProviderPage] = {}
        self._setup_ui()

    def settings(self) -> Settings:
        """The edited settings (saved on OK)."""
        return self._settings

    def show_provider(self, provider_id: str) -> None:
        """Open the Providers tab on ``provider_id``'s page."""
        ids = [p.id for p in self._providers]
        if provider_id in ids:
            self.tabs.setCurrentWidget(self.providers_tab)
            self.provider_list.setCurrentRow(ids.index(provider_id))

    def accept(self) -> None:
        for page in self.pages.values():
            try:
                page.apply()
            except ValueError as exc:
                self.tabs.setCurrentWidget(self.providers_tab)
                self.provider_list.setCurrentRow(self.stack.indexOf(page))
                self.status.show_message(f"{page.info.name}: {exc}", "error")
                return
        try:
            self.script_writer.apply()
        except ValueError as exc:
            self.tabs.setCurrentWidget(self.script_writer)
            self.status.show_message(f"Script writer: {exc}", "error")
            return
        self._settings.default_provider = str(self.default_provider.currentData())
        self._settings.page_size = str(self.page_size.currentData())
        self._settings.show_lettering = self.show_lettering.isChecked()
        try:
            save_settings(self._settings)
        except OSError as exc:
            self.status.show_message(f"The settings could not be saved: {exc}", "error")
            return
        super().accept()

    # --------------------------------------------------------------------- UI
    def _setup_ui(self) -> None:
        self.setWindowTitle("Settings")
        self.resize(760, 500)
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), "General")
        self.providers_tab = self._providers_tab()
        self.tabs.addTab(self.providers_tab, "Providers")
        self.script_writer = ScriptWriterPage(
            self._settings, self._runner, usable=secrets.keyring_usable()
        )
        self.tabs.addTab(self.script_writer, "Script writer")
        layout.addWidget(self.tabs, 1)
        self.status = StatusLabel()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _general_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        form.setContentsMargins(16, 16, 16, 16)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.default_provider = QComboBox()
        for info in self._providers:
            self.default_provider.addItem(info.name, info.id)
        index = self.default_provider.findData(self._settings.default_provider)
        self.default_provider.setCurrentIndex(max(index, 0))
        form.addRow("Default provider:", self.default_provider)
        self.page_size = QComboBox()
        for key, label in PAGE_SIZES:
            self.page_size.addItem(label, key)
        self.page_size.setCurrentIndex(max(self.page_size.findData(self._settings.page_size), 0))
        form.addRow("Page size for new books:", self.page_size)
        self.show_lettering = QCheckBox("Draw captions and speech balloons on pages")
        self.show_lettering.setChecked(self._settings.show_lettering)
        form.addRow("Lettering:", self.show_lettering)
        return tab

    def _providers_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        backend, usable = secrets.backend_name(), secrets.keyring_usable()
        self.backend_label = QLabel(f"API keys are kept in the system keyring: <b>{backend}</b>")
        layout.addWidget(self.backend_label)
        self.keyring_warning = StatusLabel()
        if not usable:
            self.keyring_warning.show_message(
                "No usable system keyring was found, so keys cannot be stored. The studio never "
                "writes keys in plain text: for this run, keys only come from environment "
                "variables such as LLAMAGEN_API_KEY.",
                "error",
            )
        layout.addWidget(self.keyring_warning)
        row = QHBoxLayout()
        self.provider_list = QListWidget()
        self.provider_list.setFixedWidth(170)
        self.stack = QStackedWidget()
        for info in self._providers:
            self.provider_list.addItem(info.name)
            if info.id == "comfyui":
                page = ComfyUIPage(
                    info, self._settings, self._runner, backend=backend, usable=usable
                )
                self.pages[info.id] = page
                self.stack.addWidget(page)
            elif info.id == "local" or not info.capabilities.needs_key:
                self.stack.addWidget(self._info_page(info.name))
            else:
                page = ProviderPage(
                    info, self._settings, self._runner, backend=backend, usable=usable
                )
                self.pages[info.id] = page
                self.stack.addWidget(page)
        self.provider_list.currentRowChanged.connect(self._on_provider_row_changed)
        row.addWidget(self.provider_list)
        row.addWidget(self.stack, 1)
        layout.addLayout(row, 1)
        self.provider_list.setCurrentRow(0)
        return tab

    def _info_page(self, name: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(QLabel(f"<b>{name}</b>"))
        text = QLabel(f"No key needed. {LOCAL_TEXT}")
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ slots
    def _on_provider_row_changed(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)
