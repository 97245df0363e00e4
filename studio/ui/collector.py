"""Python's cycle collector runs on the UI thread only.

The collector runs in whichever thread happens to allocate when a threshold is crossed: a
worker of ``asyncio.to_thread`` or an HTTP thread. A Qt object caught in a reference cycle
(a closed window or dialog whose slots capture ``self``) would then be destroyed on that
thread, and Qt later crashes delivering a timer event to it (seen as a segfault in
``QTimerInfoList::activateTimers``). So automatic collection is switched off and the UI
thread collects on a timer instead, with the same generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class UiThreadCollector(QObject):
    """Collects cyclic garbage on the thread that owns it, every ``interval_ms``."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect the generations whose counts are over their thresholds (cheap when not)."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
