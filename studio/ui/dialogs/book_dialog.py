"""Book format: page size, margins, gutters, print bleed and reading direction, with a preview."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import PAGE_SIZE_NAMES, BookFormat, ReadingDirection
from studio.render.layout import layout_for
from studio.render.page_format import PAGE_LABELS, geometry
from studio.settings import load_settings, save_settings
from studio.ui.dialogs.common import StatusLabel
from studio.ui.theme import ACCENT

PREVIEW_PANELS = 5
PREVIEW_TEMPLATE = "establishing"
_BLEED = QColor(236, 170, 170)


class FormatPreview(QWidget):
    """A page drawn to scale: the bleed (red), the trim, the margins and five panels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fmt = BookFormat()
        self._rtl = False
        self.setMinimumSize(QSize(210, 300))

    def set_format(self, fmt: BookFormat, rtl: bool) -> None:
        self._fmt, self._rtl = fmt, rtl
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        geo = geometry(self._fmt)
        full_w, full_h = geo.width + 2 * geo.bleed, geo.height + 2 * geo.bleed
        scale = min((self.width() - 16) / full_w, (self.height() - 16) / full_h)
        ox = (self.width() - full_w * scale) / 2 + geo.bleed * scale
        oy = (self.height() - full_h * scale) / 2 + geo.bleed * scale
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if geo.bleed:
            b = geo.bleed * scale
            painter.fillRect(QRectF(ox - b, oy - b, full_w * scale, full_h * scale), _BLEED)
        trim = QRectF(ox, oy, geo.width * scale, geo.height * scale)
        painter.fillRect(trim, QColor(255, 255, 255))
        painter.setPen(QPen(QColor(60, 60, 70), 1))
        painter.drawRect(trim)
        m = geo.margin * scale
        painter.setPen(QPen(QColor(120, 150, 220), 1, Qt.PenStyle.DashLine))
        painter.drawRect(trim.adjusted(m, m, -m, -m))
        rects = layout_for(PREVIEW_PANELS, self._fmt, template=PREVIEW_TEMPLATE, rtl=self._rtl)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        for i, r in enumerate(rects):
            box = QRectF(ox + r.x * scale, oy + r.y * scale, r.w * scale, r.h * scale)
            painter.setPen(QPen(QColor(30, 30, 36), 1.5))
            painter.setBrush(QColor(ACCENT).lighter(170) if i == 0 else QColor(214, 218, 226))
            painter.drawRect(box)
            painter.setPen(QColor(40, 40, 48))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(i + 1))
        painter.end()


class BookFormatDialog(QDialog):
    """Edits a book's format; the caller applies ``book_format()`` and ``direction()``."""

    def __init__(
        self,
        parent: QWidget | None,
        fmt: BookFormat,
        direction: ReadingDirection = ReadingDirection.ltr,
    ) -> None:
        super().__init__(parent)
        self._initial = fmt.clamped()
        self._direction = direction
        self._setup_ui()
        self._on_value_changed()

    def book_format(self) -> BookFormat:
        return BookFormat(
            page_size=str(self.page_size.currentData()),
            margin=round(self.margin.value() / 100, 4),
            gutter=round(self.gutter.value() / 100, 4),
            bleed=round(self.bleed.value(), 4),
        ).clamped()

    def direction(self) -> ReadingDirection:
        return ReadingDirection(str(self.reading.currentData()))

    def accept(self) -> None:
        if self.make_default.isChecked():
            settings = load_settings()
            settings.page_size = self.book_format().page_size
            try:
                save_settings(settings)
            except OSError as exc:
                self.status.show_message(f"The default could not be saved: {exc}", "error")
                return
        super().accept()

    # --------------------------------------------------------------------- UI
    def _setup_ui(self) -> None:
        self.setWindowTitle("Book format")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.page_size = QComboBox()
        for key in PAGE_SIZE_NAMES:
            self.page_size.addItem(PAGE_LABELS[key], key)
        self.page_size.setCurrentIndex(max(0, PAGE_SIZE_NAMES.index(self._initial.page_size)))
        form.addRow("Page size:", self.page_size)
        self.margin = self._spin(0, BookFormat.MARGIN_MAX * 100, 0.5, " %", self._initial.margin)
        self.margin.setToolTip("Space between the panels and the page edge")
        form.addRow("Margins:", self._with_hint(self.margin, "margin_hint"))
        self.gutter = self._spin(0, BookFormat.GUTTER_MAX * 100, 0.25, " %", self._initial.gutter)
        self.gutter.setToolTip("Space between neighbouring panels")
        form.addRow("Gutters:", self._with_hint(self.gutter, "gutter_hint"))
        self.bleed = QDoubleSpinBox()
        self.bleed.setRange(0, BookFormat.BLEED_MAX)
        self.bleed.setSingleStep(0.0625)
        self.bleed.setDecimals(3)
        self.bleed.setSuffix(" in")
        self.bleed.setValue(self._initial.bleed)
        self.bleed.setToolTip("Added around each page of a print PDF; 0.125 in is usual")
        form.addRow("Print bleed:", self._with_hint(self.bleed, "bleed_hint"))
        self.reading = QComboBox()
        self.reading.addItem("Left to right", ReadingDirection.ltr.value)
        self.reading.addItem("Right to left (manga)", ReadingDirection.rtl.value)
        self.reading.setCurrentIndex(1 if self._direction is ReadingDirection.rtl else 0)
        form.addRow("Reading:", self.reading)
        note = QLabel(
            "Margins and gutters are a share of the page's short side. The bleed goes "
            "only into PDF exports; PNG and CBZ pages stay at the trim size."
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        form.addRow(note)
        self.make_default = QCheckBox("Use this page size for new books")
        form.addRow(self.make_default)
        row.addLayout(form, 1)
        self.preview = FormatPreview()
        row.addWidget(self.preview)
        layout.addLayout(row, 1)
        self.status = StatusLabel()
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.page_size.currentIndexChanged.connect(self._on_value_changed)
        self.reading.currentIndexChanged.connect(self._on_value_changed)
        for spin in (self.margin, self.gutter, self.bleed):
            spin.valueChanged.connect(self._on_value_changed)

    def _spin(
        self, low: float, high: float, step: float, suffix: str, value: float
    ) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setSingleStep(step)
        spin.setDecimals(2)
        spin.setSuffix(suffix)
        spin.setValue(value * 100)
        return spin

    def _with_hint(self, spin: QDoubleSpinBox, name: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(spin)
        hint = QLabel("")
        hint.setEnabled(False)
        setattr(self, name, hint)
        row.addWidget(hint, 1)
        return box

    def _on_value_changed(self, *_args: object) -> None:
        fmt = self.book_format()
        geo = geometry(fmt)
        inches = 1 / geo.dpi
        self.margin_hint.setText(f"{geo.margin} px ≈ {geo.margin * inches:.2f} in")
        self.gutter_hint.setText(f"{geo.gutter} px ≈ {geo.gutter * inches:.2f} in")
        self.bleed_hint.setText(f"{geo.bleed} px per side" if geo.bleed else "no bleed")
        self.preview.set_format(fmt, self.direction() is ReadingDirection.rtl)
