"""Lazy thumbnails: bytes → QImage in a worker thread, QPixmap on the UI thread, bounded LRU."""

from __future__ import annotations

import io
from collections import OrderedDict, deque
from collections.abc import Callable

from PIL import Image as PILImage
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage, QPixmap

from studio.ui.tasks import TaskRunner

Loader = Callable[[str], bytes]


def decode(data: bytes, max_side: int = 0) -> QImage:
    """Decode image bytes off the UI thread: Pillow decodes (without the GIL), Qt only wraps
    the pixels. Qt's own readers (``QImage.fromData``) probe plugins that connect signals
    internally; on a worker thread that deadlocked against the UI thread disconnecting a
    Python slot (one holds the GIL and waits for Qt's connection mutex, the other the
    reverse). A null QImage when the bytes are no image."""
    try:
        with PILImage.open(io.BytesIO(data)) as opened:
            if max_side and max(opened.size) > max_side:
                opened.thumbnail((max_side, max_side))
            rgba = opened.convert("RGBA")
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return QImage()
    raw = rgba.tobytes()
    image = QImage(raw, rgba.width, rgba.height, rgba.width * 4, QImage.Format.Format_RGBA8888)
    return image.copy()  # owns its pixels (``raw`` goes away)


class ThumbnailCache(QObject):
    """``get(sha)`` answers at once from the cache, else queues a load and emits ``loaded``."""

    loaded = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        loader: Loader,
        *,
        capacity: int = 600,
        workers: int = 4,
        queue_limit: int = 96,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._loader = loader
        self._capacity = capacity
        self._workers = workers
        self._queue_limit = queue_limit
        self._cache: OrderedDict[str, QPixmap] = OrderedDict()
        self._queue: deque[str] = deque()
        self._in_flight: set[str] = set()
        self._failed: set[str] = set()

    def get(self, sha: str) -> QPixmap | None:
        pixmap = self._cache.get(sha)
        if pixmap is not None:
            self._cache.move_to_end(sha)
            return pixmap
        if sha not in self._in_flight and sha not in self._failed:
            self._enqueue(sha)
        return None

    def clear(self) -> None:
        self._cache.clear()
        self._queue.clear()
        self._failed.clear()

    def set_loader(self, loader: Loader) -> None:
        self._loader = loader
        self.clear()

    def __len__(self) -> int:
        return len(self._cache)

    def _enqueue(self, sha: str) -> None:
        if sha in self._queue:
            self._queue.remove(sha)
        self._queue.append(sha)  # newest first: what is on screen now wins
        while len(self._queue) > self._queue_limit:
            self._queue.popleft()
        self._pump()

    def _pump(self) -> None:
        while self._queue and len(self._in_flight) < self._workers:
            sha = self._queue.pop()
            self._in_flight.add(sha)
            loader = self._loader
            self._runner.run_in_thread(
                lambda s=sha, ld=loader: decode(ld(s)),
                on_done=lambda image, s=sha: self._on_load_done(s, image),
                on_error=lambda _exc, s=sha: self._on_load_failed(s),
                name=f"thumb-{sha[:8]}",
            )

    def _on_load_done(self, sha: str, image: QImage) -> None:
        self._in_flight.discard(sha)
        if image.isNull():
            self._failed.add(sha)
        else:
            self._cache[sha] = QPixmap.fromImage(image)
            while len(self._cache) > self._capacity:
                self._cache.popitem(last=False)
            self.loaded.emit(sha)
        self._pump()

    def _on_load_failed(self, sha: str) -> None:
        self._in_flight.discard(sha)
        self._failed.add(sha)
        self._pump()
