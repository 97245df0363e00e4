"""The dock that holds the job monitor: shown whenever the open project has jobs (it opens
itself on the first one), unless the person closed it, which the window remembers
(QSettings); it gives the lettering editor its room and takes it back afterwards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from studio.ui.window_state import window_settings

JOBS_HEIGHT = 130  # px: a few rows of jobs; the book keeps the rest


class JobsDock(QDockWidget):
    def __init__(self, monitor: QWidget, window: QMainWindow) -> None:
        super().__init__("Jobs", window)
        self._window = window
        self.setObjectName("jobsDock")
        self.setWidget(monitor)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self._fit()
        self.closed_by_person = str(window_settings().value("jobs_closed", False)).lower() == "true"
        self._before_letters = False

    def show_for_jobs(self) -> bool:
        """Jobs exist: show (small) unless the person closed the dock. True when shown."""
        if self.isVisible():
            return True
        if self.closed_by_person:
            return False
        self.show()
        self._fit()
        return True

    def toggle(self, checked: bool) -> None:
        """View ▸ Jobs: the person's choice, remembered."""
        self.remember_closed(not checked)
        self.setVisible(checked)
        if checked:
            self._fit()

    def set_letters_focus(self, lettering: bool) -> None:
        """The lettering editor gets the dock's room too; Back gives it back."""
        if lettering:
            self._before_letters = self.isVisible()
            self.hide()
        elif self._before_letters:
            self.show()

    def remember_closed(self, closed: bool) -> None:
        self.closed_by_person = closed
        qs = window_settings()
        qs.setValue("jobs_closed", closed)
        qs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.remember_closed(True)

    def _fit(self) -> None:
        self._window.resizeDocks([self], [JOBS_HEIGHT], Qt.Orientation.Vertical)
