"""The lettering editor's side panel: the selected objects' kind, size, colours, order."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.lettering import CAPTION_FILLS, DEFAULT_SIZE, KIND_LABELS, KINDS, Lettering

FACES: tuple[tuple[str, str], ...] = (
    ("", "The kind's usual"),
    ("comic", "Comic Neue"),
    ("display", "Bebas Neue"),
)
FILLS: tuple[tuple[str, str], ...] = (
    ("", "Usual"),
    *(
        (c, n)
        for c, n in zip(CAPTION_FILLS, ("Yellow", "Blue", "Pink", "Green", "Lilac"), strict=False)
    ),
    ("#ffffff", "White"),
    ("#ffd23c", "Bright yellow"),
    ("#e8412c", "Red"),
)


def _swatch(colour: str) -> QIcon:
    pm = QPixmap(14, 14)
    pm.fill(QColor(colour or CAPTION_FILLS[0]))
    return QIcon(pm)


class LetterControls(QWidget):
    """Emits what the person asked for; ``show_items`` fills it without emitting."""

    changed = Signal(dict)  # field → value, for the selected objects
    add_requested = Signal(str)  # "balloon", "caption" or "sfx"
    delete_requested = Signal()
    order_requested = Signal(int)  # -1 earlier, +1 later
    reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()
        self.show_items([])

    def _setup_ui(self) -> None:
        self.setObjectName("letterControls")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._emit(kind=self.kind.currentData()))
        self.size = QSpinBox()
        self.size.setRange(35, 800)
        self.size.setSingleStep(10)
        self.size.setSuffix(" %")
        self.size.setToolTip("Text size; 100 % is the book's usual size")
        self.size.valueChanged.connect(lambda v: self._emit(size=DEFAULT_SIZE * v / 100))
        self.face = QComboBox()
        for value, label in FACES:
            self.face.addItem(label, value)
        self.face.currentIndexChanged.connect(lambda _i: self._emit(font=self.face.currentData()))
        self.caps = QCheckBox("All capitals")
        self.caps.toggled.connect(lambda on: self._emit(all_caps=on))
        self.fill = QComboBox()
        for value, label in FILLS:
            self.fill.addItem(_swatch(value), label, value)
        self.fill.setToolTip("Caption box colour, or the letters' colour of a sound effect")
        self.fill.currentIndexChanged.connect(lambda _i: self._emit(fill=self.fill.currentData()))
        self.rotation = QSpinBox()
        self.rotation.setRange(-90, 90)
        self.rotation.setSuffix("°")
        self.rotation.setToolTip("Tilt of a sound effect")
        self.rotation.valueChanged.connect(lambda v: self._emit(rotation=float(v)))
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Size", self.size)
        form.addRow("Font", self.face)
        form.addRow("", self.caps)
        form.addRow("Fill", self.fill)
        form.addRow("Tilt", self.rotation)
        self.selected_box = QGroupBox("Selected")
        self.selected_box.setLayout(form)
        self.add_balloon = QPushButton("+ Balloon")
        self.add_caption = QPushButton("+ Caption")
        self.add_sfx = QPushButton("+ SFX")
        for button, what in (
            (self.add_balloon, "balloon"),
            (self.add_caption, "caption"),
            (self.add_sfx, "sfx"),
        ):
            button.setToolTip(f"Add a {'sound effect' if what == 'sfx' else what}")
            button.clicked.connect(lambda _c=False, w=what: self.add_requested.emit(w))
        self.delete = QPushButton("Delete")
        self.delete.setToolTip("Remove the selected objects (Delete)")
        self.delete.clicked.connect(self.delete_requested.emit)
        self.earlier = QPushButton("◀ Earlier")
        self.earlier.setToolTip("Read the selected object one place earlier")
        self.earlier.clicked.connect(lambda: self.order_requested.emit(-1))
        self.later = QPushButton("Later ▶")
        self.later.setToolTip("Read the selected object one place later")
        self.later.clicked.connect(lambda: self.order_requested.emit(1))
        self.reset = QPushButton("Reset to automatic")
        self.reset.setToolTip("Place the panel's captions and balloons again from the script")
        self.reset.clicked.connect(self.reset_requested.emit)
        grid = QGridLayout()
        grid.addWidget(self.add_balloon, 0, 0)
        grid.addWidget(self.add_caption, 0, 1)
        grid.addWidget(self.add_sfx, 1, 0)
        grid.addWidget(self.delete, 1, 1)
        grid.addWidget(self.earlier, 2, 0)
        grid.addWidget(self.later, 2, 1)
        grid.addWidget(self.reset, 3, 0, 1, 2)
        objects = QGroupBox("Objects")
        objects.setLayout(grid)
        self.hint = QLabel(
            "Click to select · drag to move · corners resize · orange dot aims the tail · "
            "double-click to retype · numbers show reading order"
        )
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.selected_box)
        layout.addWidget(objects)
        layout.addWidget(self.hint)
        layout.addStretch(1)

    # ----------------------------------------------------------------- public
    def show_items(self, items: list[Lettering]) -> None:
        """Show the first selected object's values; disable what does not apply."""
        has = bool(items)
        self.selected_box.setEnabled(has)
        self.selected_box.setTitle(
            "Selected" if len(items) <= 1 else f"Selected ({len(items)} objects)"
        )
        for button in (self.delete, self.earlier, self.later):
            button.setEnabled(has)
        widgets = (self.kind, self.size, self.face, self.caps, self.fill, self.rotation)
        for w in widgets:
            w.blockSignals(True)
        if not has:  # blank, not the values of whatever was selected before
            for combo in (self.kind, self.face, self.fill):
                combo.setCurrentIndex(-1)
            self.caps.setChecked(False)
            for spin in (self.size, self.rotation):
                spin.setSuffix("")
                spin.lineEdit().clear()
            for w in widgets:
                w.blockSignals(False)
            return
        first = items[0]
        self.size.setSuffix(" %")
        self.rotation.setSuffix("°")
        self.kind.setCurrentIndex(max(0, self.kind.findData(first.kind)))
        self.size.setValue(round(first.size / DEFAULT_SIZE * 100))
        self.face.setCurrentIndex(max(0, self.face.findData(first.font)))
        self.caps.setChecked(first.all_caps)
        fill = self.fill.findData(first.fill)
        self.fill.setCurrentIndex(fill if fill >= 0 else 0)
        self.rotation.setValue(round(first.rotation))
        for w in widgets:
            w.blockSignals(False)
        self.fill.setEnabled(first.kind in ("caption", "sfx"))
        self.rotation.setEnabled(first.kind == "sfx")

    def set_editable(self, on: bool) -> None:
        for w in (self.selected_box, self.add_balloon, self.add_caption, self.add_sfx):
            w.setEnabled(on and (w is not self.selected_box or self.delete.isEnabled()))
        self.reset.setEnabled(on)

    # ------------------------------------------------------------- internals
    def _emit(self, **change: object) -> None:
        self.changed.emit(change)
