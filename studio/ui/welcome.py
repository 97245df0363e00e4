"""The screen shown with no project open: New, Open, the sample story, recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Character, Layout, Location, Story
from studio.storage import Project
from studio.ui.icons import icon

SAMPLE_STORY = Story(
    title="The Lighthouse Keeper",
    prompt=(
        'Page 1: Panel 1: Caption: "The lighthouse had been dark for years." '
        'Mia climbs the spiral stairs at dusk. Mia says "Is anyone up there?" '
        "Panel 2: At the top she finds the lamp dark and a cat asleep on the logbook. "
        'Mia whispers "Hello, little one." '
        'Panel 3: A ship\'s horn sounds out in the fog. SFX: "HOOONK!" '
        'Mia shouts "A ship! And the lamp is *dark*!" '
        "Panel 4: She lights the lamp and the beam sweeps across the waves. "
        'Mia thinks "Just in time."'
    ),
    layout=Layout(pages=1, panels_per_page=4),
    provider="local",
    style="storyboard",
)
SAMPLE_CAST = [Character(name="Mia", age="12", gender="girl", dress="yellow raincoat")]
SAMPLE_LOCATIONS = [Location(name="Lighthouse", description="an old stone lighthouse by the sea")]


class WelcomeScreen(QWidget):
    new_requested = Signal()
    open_requested = Signal()
    sample_requested = Signal()
    recent_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()

    def _setup_ui(self) -> None:
        title = QLabel("Comic Studio")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        title.setFont(font)
        tagline = QLabel(
            "Write a story, cast it, let a provider (or this computer) draw it, "
            "then redraw, continue and export."
        )
        tagline.setWordWrap(True)
        tagline.setEnabled(False)
        self.new_button = self._big_button("new", "New comic", "Start from an empty story (Ctrl+N)")
        self.open_button = self._big_button("open", "Open…", "Open a .comic project (Ctrl+O)")
        self.sample_button = self._big_button(
            "generate", "Try the sample", "A four-panel story drawn offline in seconds"
        )
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.sample_button.clicked.connect(self.sample_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        for b in (self.new_button, self.open_button, self.sample_button):
            buttons.addWidget(b)
        recent_label = QLabel("Recent projects")
        rfont = recent_label.font()
        rfont.setBold(True)
        recent_label.setFont(rfont)
        self.recent = QListWidget()
        self.recent.setMinimumHeight(160)
        self.recent.itemActivated.connect(self._on_recent_activated)
        self.recent.itemDoubleClicked.connect(self._on_recent_activated)
        card = QFrame()
        card.setObjectName("welcomeCard")
        card.setMaximumWidth(720)
        card.setStyleSheet(
            "QFrame#welcomeCard { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 10px; }"
        )
        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 32, 36, 32)
        inner.setSpacing(14)
        inner.addWidget(title)
        inner.addWidget(tagline)
        inner.addSpacing(8)
        inner.addLayout(buttons)
        inner.addSpacing(8)
        inner.addWidget(recent_label)
        inner.addWidget(self.recent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for path in paths:
            p = Path(path)
            item = QListWidgetItem(icon("open"), f"{p.stem}    —    {p.parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            if not p.exists():
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setText(f"{p.stem}    —    missing: {p.parent}")
            self.recent.addItem(item)
        if not paths:
            item = QListWidgetItem("No recent projects yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(item)

    @staticmethod
    def _big_button(icon_name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(icon(icon_name), f"  {text}")
        button.setIconSize(QSize(24, 24))
        button.setMinimumHeight(54)
        button.setToolTip(tip)
        return button

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.recent_requested.emit(path)


def create_sample(path: Path) -> Project:
    """A new project at ``path`` (overwritten) with the sample story, cast and locations."""
    project = Project.create(path, SAMPLE_STORY, overwrite=True)
    project.set_characters(list(SAMPLE_CAST))
    project.set_locations(list(SAMPLE_LOCATIONS))
    return project
