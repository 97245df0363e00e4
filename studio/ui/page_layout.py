"""Page layout in the window: the template chooser, panel moves and the book format.

Every change goes through the session's undo stack; the page view and the grid re-flow
when the session says the book changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QWidget,
)

from studio.core.models import MAX_PANELS_PER_PAGE, BookFormat
from studio.render.layout import layout_for, resolve_template, template_label
from studio.render.layout import templates_for as _templates_for
from studio.render.page_format import geometry
from studio.storage import Project, ProjectError
from studio.ui.panel_grid import PanelGridModel, PanelGridView
from studio.ui.session import Session
from studio.ui.theme import ACCENT
from studio.ui.undo import MovePanel, SetBookFormat, SetPageTemplate

THUMB = QSize(46, 62)
_PAGE = QColor(255, 255, 255)
_PANEL = QColor(196, 200, 210)
_LINE = QColor(40, 40, 48)

Status = Callable[[str, int], None]


def template_pixmap(
    n: int, template: str, fmt: BookFormat, rtl: bool, box: QSize = THUMB, dpr: float = 1.0
) -> QPixmap:
    """A small drawing of a page laid out with ``template``; panel 1 is tinted."""
    geo = geometry(fmt)
    scale = min((box.width() - 4) / geo.width, (box.height() - 4) / geo.height)
    pw, ph = geo.width * scale, geo.height * scale
    ox, oy = (box.width() - pw) / 2, (box.height() - ph) / 2
    pixmap = QPixmap(int(box.width() * dpr), int(box.height() * dpr))
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(120, 120, 130), 1))
    painter.setBrush(_PAGE)
    painter.drawRect(QRectF(ox, oy, pw, ph))
    painter.setPen(QPen(_LINE, 0.8))
    first = QColor(ACCENT)
    first.setAlpha(150)
    for i, r in enumerate(layout_for(n, fmt, template=template, rtl=rtl)):
        painter.setBrush(first if i == 0 else _PANEL)
        painter.drawRect(QRectF(ox + r.x * scale, oy + r.y * scale, r.w * scale, r.h * scale))
    painter.end()
    return pixmap


class TemplateChooser(QWidget):
    """A row of template thumbnails for the current page's panel count; one is checked."""

    template_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key: tuple[int, BookFormat, bool] | None = None
        self._buttons: dict[str, QToolButton] = {}
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.setObjectName("templateChooser")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 2, 12, 4)
        self.caption = QLabel("Layout:")
        self.name = QLabel("")
        self.name.setMinimumWidth(120)
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.strip = QWidget()
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setContentsMargins(0, 0, 0, 0)
        self.strip_layout.setSpacing(4)
        self.strip_layout.addStretch(1)
        self.setStyleSheet(
            "#templateChooser QToolButton { border: 2px solid transparent; border-radius: 5px; }"
            " #templateChooser QToolButton:hover { border-color: palette(mid); }"
            f" #templateChooser QToolButton:checked {{ border-color: {ACCENT.name()};"
            " background: palette(base); }"
        )
        self.scroll = scroll = QScrollArea()
        scroll.setWidget(self.strip)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedHeight(THUMB.height() + 22)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row.addWidget(self.caption)
        row.addWidget(self.name)
        row.addWidget(scroll, 1)

    def buttons(self) -> dict[str, QToolButton]:
        """Template name → its button, in the order shown (the default first)."""
        return dict(self._buttons)

    def current(self) -> str:
        checked = self.group.checkedButton()
        return str(checked.property("template")) if checked is not None else ""

    def show_project_page(self, project: Project | None, page_index: int) -> None:
        """Show the templates for a page of ``project`` (nothing when it has no such page)."""
        try:
            page = project.page(page_index) if project is not None else None
        except ProjectError:
            page = None
        if project is None or page is None or not page.panels:
            self.show_page(0, "", BookFormat(), False)
            return
        story = project.story
        self.show_page(len(page.panels), page.template, story.book_format, story.rtl)

    def show_page(self, n: int, template: str, fmt: BookFormat, rtl: bool) -> None:
        """Thumbnails for ``n`` panels (0 = none) with ``template`` highlighted."""
        if n < 1 or n > MAX_PANELS_PER_PAGE:
            self._rebuild(None)
            self.name.setText("No panels on this page" if n < 1 else "")
            self.setEnabled(False)
            return
        self.setEnabled(True)
        self._rebuild((n, fmt, rtl))
        current = resolve_template(n, template)
        button = self._buttons.get(current)
        if button is not None:
            button.setChecked(True)
            self.reveal_current()
            QTimer.singleShot(0, self.reveal_current)  # again once a rebuilt row is laid out
        self.name.setText(template_label(current))

    def reveal_current(self) -> None:
        """Scroll the row so the checked thumbnail is in view."""
        checked = self.group.checkedButton()
        if checked is not None:
            self.strip_layout.activate()
            self.scroll.ensureWidgetVisible(checked, 8, 0)

    def _rebuild(self, key: tuple[int, BookFormat, bool] | None) -> None:
        if key == self._key:
            return
        self._key = key
        for button in self._buttons.values():
            self.group.removeButton(button)
            button.deleteLater()
        self._buttons = {}
        if key is None:
            return
        n, fmt, rtl = key
        dpr = self.devicePixelRatioF()
        for name in _templates_for(n):
            button = QToolButton()
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setProperty("template", name)
            button.setIcon(QIcon(template_pixmap(n, name, fmt, rtl, THUMB, dpr)))
            button.setIconSize(THUMB)
            button.setToolTip(f"{template_label(name)} ({n} panels)")
            button.setAccessibleName(template_label(name))
            button.clicked.connect(lambda _c=False, t=name: self._on_button_clicked(t))
            self.group.addButton(button)
            self.strip_layout.insertWidget(self.strip_layout.count() - 1, button)
            self._buttons[name] = button

    def _on_button_clicked(self, name: str) -> None:
        self.name.setText(template_label(name))
        self.template_chosen.emit(name)


class PageLayoutActions(QObject):
    """Turns layout gestures into undo commands: template choice, panel moves, book format."""

    def __init__(
        self,
        parent: QWidget,
        model: PanelGridModel,
        grid: PanelGridView,
        status: Status,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._grid = grid
        self._status = status
        self._session: Session | None = None
        model.move_requested.connect(self.move_panel)

    def set_session(self, session: Session | None) -> None:
        if self._session is not None:
            self._session.story_changed.disconnect(self._on_story_changed)
        self._session = session
        if session is not None:
            session.story_changed.connect(self._on_story_changed)
        self._on_story_changed()

    def set_template(self, page: int, template: str) -> bool:
        """Lay out ``page`` with ``template`` (an undoable step); False if nothing changed."""
        session = self._session
        if session is None:
            return False
        try:
            old = session.project.page(page)
        except ProjectError as exc:
            self._status(str(exc), 6000)
            return False
        if not old.panels or resolve_template(len(old.panels), old.template) == template:
            return False
        label = template_label(template)
        session.undo.push(SetPageTemplate(session, page, old.template, template, label))
        self._status(f"Page {page + 1}: {label}", 3000)
        return True

    def move_panel(self, panel_id: int, to_page: int, to_index: int) -> bool:
        """Move a panel (an undoable step), refusing with a status message when it cannot."""
        session = self._session
        if session is None:
            return False
        if session.active_jobs():
            self._status(
                "Panels can't move while jobs are running: their pictures go to panels by "
                "position. Wait for the jobs to finish, then drag again.",
                8000,
            )
            return False
        project = session.project
        try:
            src_page = project.panel_position(panel_id)[0]
            if src_page != to_page and len(project.page(to_page).panels) >= MAX_PANELS_PER_PAGE:
                self._status(
                    f"Page {to_page + 1} already holds {MAX_PANELS_PER_PAGE} panels, the most "
                    "a page can hold. Move a panel off it first.",
                    8000,
                )
                return False
            command = MovePanel(session, panel_id, to_page, to_index)
            session.undo.push(command)
        except ProjectError as exc:
            self._status(str(exc), 8000)
            return False
        move = command.move
        if move is not None:
            self._grid.select_panel(move.to_page, move.to_index)
            where = f"page {move.to_page + 1}, panel {move.to_index + 1}"
            gone = " (its old page was empty and was removed)" if move.removed_page else ""
            self._status(f"Moved the panel to {where}{gone}.", 5000)
        return True

    def edit_book_format(self) -> bool:
        """Open the Book format dialog; an accepted change is one undoable step."""
        session = self._session
        if session is None:
            return False
        from studio.ui.dialogs.book_dialog import BookFormatDialog

        story = session.project.story
        dialog = BookFormatDialog(self._parent, story.book_format, story.direction)
        if dialog.exec() != BookFormatDialog.DialogCode.Accepted:
            return False
        fmt, direction = dialog.book_format(), dialog.direction()
        if (fmt, direction) == (story.book_format, story.direction):
            return False
        session.undo.push(SetBookFormat(session, fmt, direction))
        rtl = getattr(direction, "value", direction) == "rtl"
        reading = "right to left" if rtl else "left to right"
        self._status(f"Book format changed: {fmt.page_size} pages, read {reading}.", 5000)
        return True

    def _on_story_changed(self) -> None:
        rtl = self._session is not None and self._session.project.story.rtl
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        self._grid.setLayoutDirection(direction)
