"""Continue the story: what happens next, and how many pages and panels to add."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Story
from studio.core.validation import MAX_PAGES, MAX_PANELS, MAX_PROMPT_CHARS


class ContinueDialog(QDialog):
    """``values()`` → (prompt, pages, panels_per_page, paginated) once accepted."""

    def __init__(self, parent: QWidget | None, story: Story) -> None:
        super().__init__(parent)
        self._story = story
        self._setup_ui()
        self._on_prompt_changed()

    def values(self) -> tuple[str, int, int, bool]:
        pages = self.pages_spin.value()
        return self.prompt_edit.toPlainText().strip(), pages, self.panels_spin.value(), pages > 1

    # --------------------------------------------------------------------- UI
    def _setup_ui(self) -> None:
        self.setWindowTitle("Continue the story")
        self.resize(520, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(f"What happens next in <b>{self._story.title}</b>?")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.prompt_edit = QPlainTextEdit()
        self.prompt_edit.setPlaceholderText(
            "For example: The next morning, Mia finds the map has changed…"
        )
        self.prompt_edit.setTabChangesFocus(True)
        layout.addWidget(self.prompt_edit, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout_defaults = self._story.layout
        self.pages_spin = QSpinBox()
        self.pages_spin.setRange(1, MAX_PAGES)
        self.pages_spin.setValue(min(max(layout_defaults.pages, 1), MAX_PAGES))
        self.pages_spin.setSuffix(" page(s)")
        form.addRow("New pages:", self.pages_spin)
        self.panels_spin = QSpinBox()
        self.panels_spin.setRange(1, MAX_PANELS)
        self.panels_spin.setValue(min(max(layout_defaults.panels_per_page, 1), MAX_PANELS))
        self.panels_spin.setSuffix(" panel(s)")
        form.addRow("Panels per page:", self.panels_spin)
        layout.addLayout(form)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Continue")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.prompt_edit.textChanged.connect(self._on_prompt_changed)
        self.pages_spin.valueChanged.connect(self._on_prompt_changed)
        self.panels_spin.valueChanged.connect(self._on_prompt_changed)
        self.prompt_edit.setFocus()

    # ------------------------------------------------------------------ slots
    def _on_prompt_changed(self, *_args: object) -> None:
        text = self.prompt_edit.toPlainText().strip()
        too_long = len(text) > MAX_PROMPT_CHARS
        self.ok_button.setEnabled(bool(text) and not too_long)
        total = self.pages_spin.value() * self.panels_spin.value()
        note = f"{total} new panel{'s' if total != 1 else ''}"
        if too_long:
            note = f"The prompt is longer than {MAX_PROMPT_CHARS:,} characters."
        self.count_label.setText(note)
