"""The story form: title, prompt, provider and its options, layout; Generate."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Layout, ReadingDirection, Story, Upscale
from studio.providers import registry
from studio.providers.base import Capabilities
from studio.providers.costs import cost_line
from studio.ui.icons import icon
from studio.ui.session import Session
from studio.ui.undo import StoryEdit

PROMPT_HINT = (
    "What happens in the comic. Direct it panel by panel if you like:\n"
    "Page 1: Panel 1: Mia finds a map in the attic. Panel 2: …"
)
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ja", "ko", "zh", "auto")


class StoryEditor(QWidget):
    generate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: Session | None = None
        self._loading = False
        self._setup_ui()
        self.setEnabled(False)

    # ------------------------------------------------------------------ setup
    def _setup_ui(self) -> None:
        self.title = QLineEdit()
        self.title.setPlaceholderText("Title of the comic")
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(PROMPT_HINT)
        self.prompt.setMinimumHeight(150)
        self.provider = QComboBox()
        for info in registry.available():
            self.provider.addItem(info.name, info.id)
        self.style_box = QComboBox()
        self.size = QComboBox()
        self.pages = QSpinBox()
        self.pages.setRange(1, 20)
        self.pages.setSuffix(" page(s)")
        self.panels = QSpinBox()
        self.panels.setRange(1, 20)
        self.panels.setSuffix(" panels")
        layout_row = QHBoxLayout()
        layout_row.addWidget(self.pages)
        layout_row.addWidget(QLabel("×"))
        layout_row.addWidget(self.panels)
        layout_row.addStretch(1)
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.addItems(LANGUAGES)
        self.upscale = QComboBox()
        for item in Upscale:
            self.upscale.addItem(item.value or "None", item.value)
        self.direction = QComboBox()
        self.direction.addItem("Left to right", ReadingDirection.ltr.value)
        self.direction.addItem("Right to left (manga)", ReadingDirection.rtl.value)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Title", self.title)
        form.addRow("Prompt", self.prompt)
        form.addRow("Provider", self.provider)
        form.addRow("Style", self.style_box)
        form.addRow("Size", self.size)
        form.addRow("Layout", layout_row)
        self.book_shape = QLabel()
        self.book_shape.setWordWrap(True)
        self.book_shape.setEnabled(False)
        self.book_shape.setToolTip(
            "The book as it is now. The script's Page/Panel headings decide the shape; "
            "Layout applies to prompts without them."
        )
        self.book_shape.hide()
        form.addRow("", self.book_shape)
        form.addRow("Language", self.language)
        form.addRow("Upscale", self.upscale)
        form.addRow("Reading", self.direction)
        self.price = QLabel()
        self.price.setWordWrap(True)
        self.price.setEnabled(False)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d9534f;")
        self.error.hide()
        self.generate = QPushButton(icon("generate"), "Generate")
        self.generate.setDefault(True)
        self.generate.setMinimumHeight(34)
        self.generate.setToolTip("Validate the story and queue a generation job (Ctrl+G)")
        self.generate.clicked.connect(self.generate_requested)
        root = QVBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        root.addLayout(form)
        root.addWidget(self.error)
        root.addStretch(1)
        root.addWidget(self.price)
        root.addWidget(self.generate)
        self._connect_fields()

    def _connect_fields(self) -> None:
        self.title.editingFinished.connect(lambda: self._on_field_edited("title"))
        self.prompt.textChanged.connect(lambda: self._on_field_edited("prompt"))
        self.provider.currentIndexChanged.connect(self._on_provider_changed)
        for name, box in (
            ("style", self.style_box),
            ("size", self.size),
            ("upscale", self.upscale),
            ("direction", self.direction),
        ):
            box.currentIndexChanged.connect(lambda _i, n=name: self._on_field_edited(n))
        self.language.currentTextChanged.connect(lambda _t: self._on_field_edited("language"))
        self.pages.valueChanged.connect(lambda _v: self._on_field_edited("layout"))
        self.panels.valueChanged.connect(lambda _v: self._on_field_edited("layout"))

    # ----------------------------------------------------------------- public
    def set_session(self, session: Session | None) -> None:
        self._session = session
        self.setEnabled(session is not None)
        if session is not None:
            session.story_changed.connect(self.reload)
            for signal in (session.book_changed, session.script_changed):
                signal.connect(self._update_book_shape)
            # a job brings the provider's prices and balance: the cost line shows them
            session.bridge.job_finished.connect(lambda _job: self.refresh_price())
            self.reload()

    def reload(self) -> None:
        if self._session is None:
            return
        story = self._session.story()
        self._loading = True
        try:
            self.title.setText(story.title)
            if self.prompt.toPlainText() != story.prompt:
                self.prompt.setPlainText(story.prompt)
            idx = self.provider.findData(story.provider)
            self.provider.setCurrentIndex(max(0, idx))
            self._apply_capabilities(story)
            self.pages.setValue(story.layout.pages)
            self.panels.setValue(story.layout.panels_per_page)
            self.language.setCurrentText(story.language)
            self.upscale.setCurrentIndex(max(0, self.upscale.findData(story.upscale.value)))
            self.direction.setCurrentIndex(max(0, self.direction.findData(story.direction.value)))
        finally:
            self._loading = False
        self._update_book_shape()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def capabilities(self) -> Capabilities:
        return registry.info(self.provider.currentData() or "local").capabilities

    # ------------------------------------------------------------- internals
    def _update_book_shape(self) -> None:
        """Say what the book really holds when it differs from the Layout fields."""
        if self._session is None:
            self.book_shape.hide()
            return
        counts = [len(page.panels) for page in self._session.project.pages()]
        story = self._session.story()
        wanted = [story.layout.panels_per_page] * story.layout.pages
        if not counts or counts == wanted:
            self.book_shape.hide()
            return
        pages, panels = len(counts), sum(counts)
        self.book_shape.setText(
            f"Book: {pages} page{'s' if pages != 1 else ''}, "
            f"{panels} panel{'s' if panels != 1 else ''} (from the script)"
        )
        self.book_shape.show()

    def _apply_capabilities(self, story: Story) -> None:
        caps = self.capabilities()
        _fill(self.style_box, caps.styles or ("neutral",), story.style)
        _fill(self.size, caps.sizes or (story.size,), story.size)
        self.pages.setMaximum(caps.max_pages if caps.multi_page else 1)
        self.panels.setMaximum(caps.max_panels_per_page)
        for widget, cap in (
            (self.upscale, "upscale"),
            (self.language, "language"),
        ):
            supported = bool(getattr(caps, cap))
            widget.setEnabled(supported)
            widget.setToolTip("" if supported else _why(caps, cap))
        self.pages.setEnabled(caps.multi_page)
        self.pages.setToolTip("" if caps.multi_page else _why(caps, "multi_page"))
        self.refresh_price(story.provider)

    def refresh_price(self, provider: str | None = None) -> None:
        """The cost line: the provider's prices and balance, in words, as it last gave them
        (a finished job may have brought new ones)."""
        if self._session is None:
            self.price.clear()
            return
        provider = provider or self._session.story().provider
        self.price.setText(cost_line(provider, self._session.project.remote_project(provider)))

    def _on_provider_changed(self, _index: int) -> None:
        if self._loading or self._session is None:
            return
        story = self._session.story()
        self._loading = True
        try:
            story.provider = self.provider.currentData()
            self._apply_capabilities(story)
        finally:
            self._loading = False
        self._on_field_edited("provider")

    def _on_field_edited(self, field: str) -> None:
        if self._loading or self._session is None:
            return
        old = self._session.story()
        new = copy.deepcopy(old)
        new.title = self.title.text().strip() or "Untitled comic"
        new.prompt = self.prompt.toPlainText()
        new.provider = self.provider.currentData() or new.provider
        new.style = self.style_box.currentText() or new.style
        new.size = self.size.currentText() or new.size
        pages = self.pages.value()
        new.layout = Layout(pages, self.panels.value(), paginated=pages > 1)
        new.language = self.language.currentText().strip() or new.language
        new.upscale = Upscale(self.upscale.currentData() or "")
        new.direction = ReadingDirection(self.direction.currentData() or "ltr")
        if new == old:
            return
        self.show_error("")
        self._loading = True  # the command's notify reloads the form; keep the cursor
        try:
            self._session.undo.push(StoryEdit(self._session, old, new, field))
        finally:
            self._loading = False


def _fill(box: QComboBox, items: tuple[str, ...], current: str) -> None:
    box.blockSignals(True)
    box.clear()
    box.addItems(list(items))
    if current not in items:
        box.insertItem(0, current)
    box.setCurrentText(current)
    box.blockSignals(False)


def _why(caps: Capabilities, capability: str) -> str:
    reason = caps.reason(capability) or "this provider does not offer it"
    return f"Not available: {reason}."
