"""The version strip of a panel (make current, compare) and the side-by-side compare dialog."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from studio.core.models import Version
from studio.ui.thumbs import ThumbnailCache

VersionRole = Qt.ItemDataRole.UserRole + 1


def version_text(v: Version, n: int) -> str:
    """`n` is the version's number 1..n among its panel's versions, as the command line
    (`versions`, `use-version --version N`, `show`) counts them."""
    when = dt.datetime.fromtimestamp(v.created_at).strftime("%d %b %H:%M")
    return f"Version {n} · {v.provider} · {when}"


class VersionStrip(QListWidget):
    """Every version of the panel as a thumbnail; the current one is marked ★."""

    make_current = Signal(int)  # version id

    def __init__(self, thumbs: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbs = thumbs
        self._shas: dict[str, list[QListWidgetItem]] = {}
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(96, 96))
        self.setSpacing(4)
        self.setFixedHeight(150)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.itemDoubleClicked.connect(self._on_item_double_clicked)
        thumbs.loaded.connect(self._on_thumbs_loaded)

    def clear(self) -> None:
        self._shas.clear()
        super().clear()

    def set_versions(self, versions: list[Version], current: int | None) -> None:
        self.clear()
        for n, v in enumerate(versions, start=1):
            star = "★ " if v.id == current else ""
            item = QListWidgetItem(f"{star}Version {n}\n{v.provider}")
            item.setData(VersionRole, v)
            when = dt.datetime.fromtimestamp(v.created_at).strftime("%Y-%m-%d %H:%M:%S")
            item.setToolTip(
                f"Version {n} of {len(versions)}{' (current)' if v.id == current else ''}"
                f"\nProvider: {v.provider}\n"
                f"Made: {when}\nPrompt: {v.prompt[:300] or '—'}\n\nDouble-click to make current"
            )
            item.setSizeHint(QSize(112, 130))
            pixmap = self._thumbs.get(v.asset)
            if pixmap is not None:
                item.setIcon(QIcon(pixmap))
            self._shas.setdefault(v.asset, []).append(item)
            self.addItem(item)
            if v.id == current:
                self.setCurrentItem(item)

    def selected_versions(self) -> list[Version]:
        return [i.data(VersionRole) for i in self.selectedItems()]

    def _on_item_double_clicked(self, item: QListWidgetItem) -> None:
        self.make_current.emit(item.data(VersionRole).id)

    def _on_thumbs_loaded(self, sha: str) -> None:
        pixmap = self._thumbs.get(sha) if sha in self._shas else None
        if pixmap is None:
            return
        for item in self._shas[sha]:
            item.setIcon(QIcon(pixmap))


class CompareDialog(QDialog):
    """Two versions side by side (images decoded off the UI thread by the caller)."""

    def __init__(
        self, parent: QWidget | None, versions: list[tuple[Version, int]], images: list[QImage]
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare versions")
        grid = QGridLayout(self)
        for col, ((v, n), image) in enumerate(zip(versions, images, strict=True)):
            picture = QLabel()
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setPixmap(
                QPixmap.fromImage(image).scaled(
                    520,
                    520,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            caption = QLabel(f"<b>{version_text(v, n)}</b><br>{v.prompt[:200]}")
            caption.setWordWrap(True)
            caption.setMaximumWidth(520)
            grid.addWidget(picture, 0, col)
            grid.addWidget(caption, 1, col)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        grid.addWidget(buttons, 2, 0, 1, max(1, len(images)))
