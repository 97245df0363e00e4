""" "What the panel shows": an editable view of a panel's shot, undoable, with a reset."""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.shot import (
    ACTIONS,
    ANGLES,
    EXPRESSIONS,
    FACINGS,
    FRAMINGS,
    TIMES,
    WEATHERS,
    Figure,
    Shot,
)
from studio.story import ensure_shots
from studio.ui.session import Session


class ShotEdit(QUndoCommand):
    """A person's edit of one panel's shot, or "Reset to the text" (``new`` None)."""

    def __init__(
        self,
        session: Session,
        panel_id: int,
        old: tuple[Shot | None, bool],
        new: Shot | None,
        text: str,
    ) -> None:
        super().__init__(text)
        self._session = session
        self._panel_id = panel_id
        self._old = (copy.deepcopy(old[0]), old[1])
        self._new = copy.deepcopy(new)

    def redo(self) -> None:
        self._write(self._new, self._new is not None)

    def undo(self) -> None:
        self._write(*self._old)

    def _write(self, shot: Shot | None, edited: bool) -> None:
        project = self._session.project
        project.set_panel_shot(self._panel_id, shot, edited=edited)
        if shot is None or not edited:
            ensure_shots(project)
        self._session.notify_script([self._panel_id])


class ShotEditor(QGroupBox):
    """The shot of one panel as combos, a figures table and a props line.

    Emits ``edited(Shot)`` for every change a person makes and ``reset_requested`` for
    "Reset to the text"; :meth:`show_shot` fills it without emitting.
    """

    edited = Signal(object)
    reset_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What the panel shows", parent)
        self._filling = False
        self._setup_ui()
        self.show_shot(None, edited=False)

    # ----------------------------------------------------------------- public
    def show_shot(self, shot: Shot | None, *, edited: bool) -> None:
        self._filling = True
        try:
            shot = shot or Shot()
            for box, value in (
                (self.framing, shot.framing),
                (self.angle, shot.angle),
                (self.time, shot.time),
                (self.weather, shot.weather),
            ):
                box.setCurrentText(value)
            self.setting.setText(shot.setting)
            self.location.setText(shot.location or "—")
            self.props.setText(", ".join(shot.props))
            self._fill_figures(shot.figures)
            self.state.setText(
                "Edited by you: it stays when the description changes."
                if edited
                else "From the panel's text: it follows the description."
            )
            self.reset.setEnabled(edited)
        finally:
            self._filling = False

    def shot(self) -> Shot:
        """The shot as shown, values kept inside the vocabularies."""
        figures = [
            Figure(
                row.name.text(),
                row.action.currentText(),
                row.expression.currentText(),
                row.facing.currentText(),
                _words(row.holding.text()),
            )
            for row in self._rows
        ]
        return Shot.from_dict(
            {
                "framing": self.framing.currentText(),
                "angle": self.angle.currentText(),
                "setting": self.setting.text(),
                "location": None if self.location.text() == "—" else self.location.text(),
                "time": self.time.currentText(),
                "weather": self.weather.currentText(),
                "figures": [f.to_dict() for f in figures],
                "props": _words(self.props.text()),
            }
        )

    # ------------------------------------------------------------------ setup
    def _setup_ui(self) -> None:
        self.framing = self._combo(FRAMINGS, "How close the camera is")
        self.angle = self._combo(ANGLES, "Where the camera looks from")
        self.time = self._combo(TIMES, "Time of day; carries on to the next panels")
        self.weather = self._combo(WEATHERS, "Weather; carries on to the next panels")
        self.setting = QLineEdit()
        self.setting.setPlaceholderText("kind of place: library, forest, city street…")
        self.setting.editingFinished.connect(self._on_any_changed)
        self.location = QLabel("—")
        self.location.setToolTip("The defined location this panel is in (Locations tab)")
        self.props = QLineEdit()
        self.props.setPlaceholderText("things in view: key, door, lantern")
        self.props.editingFinished.connect(self._on_any_changed)
        self.figures = QWidget()
        self._grid = QGridLayout(self.figures)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._rows: list[_FigureRow] = []
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setStyleSheet("color: palette(mid);")
        self.reset = QPushButton("Reset to the text")
        self.reset.setToolTip("Forget your changes: derive the shot from the panel's text again")
        self.reset.clicked.connect(self.reset_requested)
        camera = QHBoxLayout()
        camera.addWidget(self.framing)
        camera.addWidget(self.angle)
        when = QHBoxLayout()
        when.addWidget(self.time)
        when.addWidget(self.weather)
        form = QFormLayout()
        form.addRow("Camera", camera)
        form.addRow("Place", self.setting)
        form.addRow("Location", self.location)
        form.addRow("When", when)
        form.addRow("Props", self.props)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.reset)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Figures"))
        self.no_figures = QLabel("Nobody in view.")
        self.no_figures.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.no_figures)
        layout.addWidget(self.figures)
        layout.addLayout(bottom)

    def _combo(self, values: tuple[str, ...], tip: str) -> QComboBox:
        box = QComboBox()
        box.addItems(list(values))
        box.setToolTip(tip)
        box.currentTextChanged.connect(self._on_any_changed)
        return box

    def _fill_figures(self, figures: list[Figure]) -> None:
        for row in self._rows:
            row.remove(self._grid)
        self._rows = [_FigureRow(self, figure) for figure in figures]
        for i, row in enumerate(self._rows):
            row.place(self._grid, 2 * i)
        self.no_figures.setVisible(not figures)

    def _on_any_changed(self, *_args: object) -> None:
        if not self._filling:
            self.edited.emit(self.shot())


def _words(text: str) -> list[str]:
    return [w.strip().lower() for w in text.split(",") if w.strip()]


class _FigureRow:
    """One figure as two rows of the grid: who, action, expression / facing, holding."""

    def __init__(self, editor: ShotEditor, figure: Figure) -> None:
        self.name = QLabel(figure.name)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.action = _choice(ACTIONS, figure.action, "What they do", editor)
        self.expression = _choice(EXPRESSIONS, figure.expression, "How they look", editor)
        self.facing = _choice(FACINGS, figure.facing, "Where they face", editor)
        self.holding = QLineEdit(", ".join(figure.holding))
        self.holding.setPlaceholderText("holding…")
        self.holding.editingFinished.connect(editor._on_any_changed)

    def widgets(self) -> list[QWidget]:
        return [self.name, self.action, self.expression, self.facing, self.holding]

    def place(self, grid: QGridLayout, row: int) -> None:
        grid.addWidget(self.name, row, 0)
        grid.addWidget(self.action, row, 1)
        grid.addWidget(self.expression, row, 2)
        grid.addWidget(self.facing, row + 1, 1)
        grid.addWidget(self.holding, row + 1, 2)

    def remove(self, grid: QGridLayout) -> None:
        for widget in self.widgets():
            grid.removeWidget(widget)
            widget.deleteLater()


def _choice(values: tuple[str, ...], value: str, tip: str, editor: ShotEditor) -> QComboBox:
    box = QComboBox()
    box.addItems(list(values))
    box.setCurrentText(value)
    box.setToolTip(tip)
    box.currentTextChanged.connect(editor._on_any_changed)
    return box
