"""The centre area: the panel grid, or the composed page with lettering, and their controls."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.storage import Project
from studio.ui.icons import icon
from studio.ui.lettering.page import PageImage, page_frames
from studio.ui.page_layout import TemplateChooser
from studio.ui.panel_grid import PanelGridModel, PanelGridView
from studio.ui.tasks import TaskRunner


def compose_page_image(project: Project, page_index: int, lettered: bool) -> QImage:
    """Compose one page (off the UI thread) and return it as a QImage."""
    from studio.render.book import ProjectBook

    book = ProjectBook(project, lettered=lettered)
    image = book.compose(project.page(page_index)).convert("RGB")
    data = image.tobytes("raw", "RGB")
    qimage = QImage(data, image.width, image.height, image.width * 3, QImage.Format.Format_RGB888)
    return qimage.copy()


class BookView(QWidget):
    """Grid of panels (default) or one composed page, toggled from the header row."""

    panel_activated = Signal(int, int)
    letter_requested = Signal(int, int)  # page, panel: open the lettering editor
    template_chosen = Signal(int, str)  # page, layout template

    def __init__(self, model: PanelGridModel, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._model = model
        self._runner = runner
        self._project: Project | None = None
        self._page = 0
        self._compose_seq = 0  # only the latest compose is shown (older ones may finish later)
        self._composed = QPixmap()  # the page at full size; shown scaled to fit the view
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.grid = PanelGridView(self)
        self.grid.setModel(self._model)
        self.grid.panel_activated.connect(self._on_grid_activated)
        self.grid.doubleClicked.connect(lambda idx: self._request_letters(idx.row(), idx.column()))
        self.title = QLabel("")
        self.title.setObjectName("bookTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel("")
        self.summary.setEnabled(False)
        self.summary.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.page_toggle = QToolButton()
        self.page_toggle.setIcon(icon("page"))
        self.page_toggle.setText("Page view")
        self.page_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.page_toggle.setCheckable(True)
        self.page_toggle.setToolTip("Show the composed page with lettering")
        self.page_toggle.toggled.connect(self._on_page_toggle_toggled)
        self.lettering = QCheckBox("Show lettering")
        self.lettering.setToolTip("Show the page with or without its balloons and captions")
        self.lettering.setChecked(True)
        self.lettering.hide()
        self.lettering.toggled.connect(self._on_lettering_toggled)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(80)  # a long title is cut, never the summary or buttons
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 4)
        header.addWidget(self.title, 1)
        header.addSpacing(10)
        header.addWidget(self.summary)
        header.addSpacing(10)
        header.addWidget(self.page_toggle)
        self.previous_page = QToolButton()
        self.previous_page.setText("‹")
        self.previous_page.setToolTip("Previous page (Page Up)")
        self.previous_page.clicked.connect(lambda: self.step_page(-1))
        self.next_page = QToolButton()
        self.next_page.setText("›")
        self.next_page.setToolTip("Next page (Page Down)")
        self.next_page.clicked.connect(lambda: self.step_page(1))
        self.page_number = QLabel("")
        self.page_number.setMinimumWidth(90)
        self.page_number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._page_keys: list[QShortcut] = []
        for key, step in ((Qt.Key.Key_PageUp, -1), (Qt.Key.Key_PageDown, 1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setEnabled(False)  # only in the page view: the grid scrolls with them
            shortcut.activated.connect(lambda s=step: self.step_page(s))
            self._page_keys.append(shortcut)
        nav = QHBoxLayout()
        nav.setContentsMargins(12, 2, 12, 2)
        nav.addWidget(self.previous_page)
        nav.addWidget(self.page_number)
        nav.addWidget(self.next_page)
        nav.addStretch(1)
        nav.addWidget(self.lettering)
        self.page_label = PageImage()
        self.page_label.panel_double_clicked.connect(lambda n: self._request_letters(self._page, n))
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setWidget(self.page_label)
        self.page_scroll.viewport().installEventFilter(self)
        self.templates = TemplateChooser()
        self.templates.template_chosen.connect(lambda t: self.template_chosen.emit(self._page, t))
        page_area = QWidget()
        page_column = QVBoxLayout(page_area)
        page_column.setContentsMargins(0, 0, 0, 0)
        page_column.addWidget(self.templates)
        page_column.addLayout(nav)
        page_column.addWidget(self.page_scroll, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.grid)
        self.stack.addWidget(page_area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    def set_project(self, project: Project | None) -> None:
        self._project = project
        self.page_toggle.setChecked(False)
        self.refresh_header()

    def refresh_header(self) -> None:
        if self._project is None:
            self.title.setText("")
            self.summary.setText("")
            return
        story = self._project.story
        pages, panels = self._model.rowCount(), len(self._model.panel_ids())
        self.title.setText(story.title)
        self.summary.setText(
            f"{pages} page{'s' if pages != 1 else ''} · {panels} panel{'s' if panels != 1 else ''}"
        )
        self._update_page_nav()

    def show_page(self, page: int) -> None:
        if page != self._page:
            self._page = page
            self.refresh_page()
        self._update_page_nav()

    def page(self) -> int:
        return self._page

    def step_page(self, step: int) -> None:
        """Show the previous (-1) or next (+1) page; its first panel becomes the selected one."""
        target = self._page + step
        if not self.page_toggle.isChecked() or not 0 <= target < self._model.rowCount():
            return
        self._page = target
        self.grid.select_panel(target, 0)
        self._compose()
        self._update_page_nav()

    def _update_page_nav(self) -> None:
        pages = self._model.rowCount()
        self.page_number.setText(f"Page {self._page + 1} of {pages}" if pages else "No pages")
        self.previous_page.setEnabled(self._page > 0)
        self.next_page.setEnabled(self._page + 1 < pages)

    def refresh_page(self) -> None:
        """Compose the page again when it is on screen (the editor's Back composes it)."""
        if self.page_toggle.isChecked() and not self.editor_shown():
            self._compose()

    def show_editor(self, editor: QWidget) -> None:
        """Show the lettering editor in the centre area (added to the stack once)."""
        if self.stack.indexOf(editor) < 0:
            self.stack.addWidget(editor)
        self.lettering.hide()
        self.stack.setCurrentWidget(editor)

    def leave_editor(self) -> None:
        """Back to the page view or the grid, whichever was showing before."""
        on = self.page_toggle.isChecked()
        self.lettering.setVisible(on)
        self.stack.setCurrentIndex(1 if on else 0)
        self.refresh_page()

    def editor_shown(self) -> bool:
        return self.stack.currentIndex() > 1

    def _request_letters(self, page: int, panel: int) -> None:
        if self._model.panel(page, panel) is not None:
            self.letter_requested.emit(page, panel)

    def _on_grid_activated(self, page: int, panel: int) -> None:
        self._page = page
        self.panel_activated.emit(page, panel)

    def _on_page_toggle_toggled(self, on: bool) -> None:
        self.lettering.setVisible(on)
        self.stack.setCurrentIndex(1 if on else 0)
        self.page_toggle.setIcon(icon("grid" if on else "page"))
        self.page_toggle.setText("Grid view" if on else "Page view")
        for shortcut in self._page_keys:
            shortcut.setEnabled(on)
        if on:
            self._compose()
            self._update_page_nav()

    def _on_lettering_toggled(self, _on: bool) -> None:
        self._compose()

    def _compose(self) -> None:
        self.templates.show_project_page(self._project, self._page)
        if self._project is None or self._model.rowCount() == 0:
            self.page_label.setText("No pages yet: generate the comic first.")
            return
        self._composed = QPixmap()
        self.page_label.setText(f"Composing page {self._page + 1}…")
        self._compose_seq += 1
        seq = self._compose_seq
        self._runner.run_in_thread(
            compose_page_image,
            self._project,
            self._page,
            self.lettering.isChecked(),
            on_done=lambda image: (
                self._on_compose_done(image) if seq == self._compose_seq else None
            ),
            on_error=self._on_compose_failed,
            name="compose-page",
        )

    def _on_compose_done(self, image: QImage) -> None:
        self._composed = QPixmap.fromImage(image)
        self._fit_page()
        if self._project is not None:
            self.page_label.set_frames(*page_frames(self._project, self._page))

    def _fit_page(self) -> None:
        """The whole page in the view: scaled to fit its width and height, aspect kept."""
        if self._composed.isNull():
            return
        viewport = self.page_scroll.viewport().size()
        width, height = max(120, viewport.width() - 16), max(120, viewport.height() - 16)
        dpr = self.devicePixelRatioF()
        scaled = self._composed.scaled(
            int(width * dpr),
            int(height * dpr),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(dpr)
        self.page_label.setPixmap(scaled)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_page()
        return super().eventFilter(watched, event)

    def _on_compose_failed(self, exc: BaseException) -> None:
        from studio.ui.messages import describe

        title, text = describe(exc)
        self.page_label.setText(f"{title}\n{text}")
