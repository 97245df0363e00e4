"""A character and location library shared across projects (JSON + image files)."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.settings import data_dir
from studio.ui.dialogs.common import ImageLoader

KINDS = ("characters", "locations")
ICON_SIDE = 112


class Library:
    """``<data dir>/library/library.json`` plus ``images/<sha256>`` files.

    Entries are plain dicts (a character's or location's fields, without ids) with an
    ``image`` key naming the stored reference image, or None. Names are unique per kind.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir() / "library"
        self._lock = threading.Lock()

    @property
    def index_path(self) -> Path:
        return self.root / "library.json"

    def entries(self, kind: str) -> list[dict[str, Any]]:
        self._check(kind)
        return list(self._load()[kind])

    def find(self, kind: str, name: str) -> dict[str, Any] | None:
        key = name.casefold()
        return next((e for e in self.entries(kind) if e["name"].casefold() == key), None)

    def save(self, kind: str, entry: dict[str, Any], image: bytes | None) -> None:
        """Add or replace (by name, ignoring case) an entry and its reference image."""
        self._check(kind)
        entry = dict(entry)
        entry["image"] = self._store_image(image) if image else None
        with self._lock:
            data = self._load()
            key = entry["name"].casefold()
            items = [e for e in data[kind] if e["name"].casefold() != key]
            items.append(entry)
            data[kind] = sorted(items, key=lambda e: e["name"].casefold())
            self._write(data)

    def remove(self, kind: str, name: str) -> None:
        self._check(kind)
        with self._lock:
            data = self._load()
            data[kind] = [e for e in data[kind] if e["name"].casefold() != name.casefold()]
            self._write(data)

    def image(self, entry: dict[str, Any]) -> bytes | None:
        name = entry.get("image")
        if not name or not isinstance(name, str) or not name.isalnum():
            return None
        try:
            return (self.root / "images" / name).read_bytes()
        except OSError:
            return None

    # ---------------------------------------------------------------- private
    @staticmethod
    def _check(kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown library kind {kind!r}")

    def _load(self) -> dict[str, list[dict[str, Any]]]:
        try:
            raw = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        out: dict[str, list[dict[str, Any]]] = {}
        for kind in KINDS:
            items = raw.get(kind) if isinstance(raw, dict) else None
            out[kind] = [
                e for e in (items or []) if isinstance(e, dict) and isinstance(e.get("name"), str)
            ]
        return out

    def _write(self, data: dict[str, list[dict[str, Any]]]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.index_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.index_path)

    def _store_image(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        folder = self.root / "images"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / sha
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return sha


class LibraryPicker(QDialog):
    """Pick one or more library entries; previews are decoded off the UI thread."""

    def __init__(self, parent: QWidget | None, library: Library, kind: str) -> None:
        super().__init__(parent)
        self._library = library
        self._kind = kind
        self._entries = library.entries(kind)
        self._loader = ImageLoader(self)
        self._loader.loaded.connect(self._on_preview_loaded)
        self._setup_ui()

    def selected_entries(self) -> list[dict[str, Any]]:
        return [self._entries[self.list.row(item)] for item in self.list.selectedItems()]

    def select_names(self, names: list[str]) -> None:
        wanted = {n.casefold() for n in names}
        for row, entry in enumerate(self._entries):
            self.list.item(row).setSelected(entry["name"].casefold() in wanted)

    # --------------------------------------------------------------------- UI
    def _setup_ui(self) -> None:
        noun = "characters" if self._kind == "characters" else "locations"
        self.setWindowTitle(f"Insert {noun} from the library")
        self.resize(620, 440)
        layout = QVBoxLayout(self)
        hint = QLabel(
            f"Choose {noun} saved from your other projects (Ctrl-click to choose several)."
            if self._entries
            else f"The library has no {noun} yet: use 'Save to library' in a project first."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(ICON_SIDE, ICON_SIDE))
        self.list.setGridSize(QSize(ICON_SIDE + 32, ICON_SIDE + 40))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for row, entry in enumerate(self._entries):
            item = QListWidgetItem(entry["name"])
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            details = [str(entry.get(k, "")) for k in ("age", "gender", "dress", "description")]
            item.setToolTip("\n".join(d for d in details if d) or entry["name"])
            self.list.addItem(item)
            if entry.get("image"):
                self._loader.load(row, lambda e=entry: self._library.image(e), ICON_SIDE)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Insert")
        self.ok_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemSelectionChanged.connect(self._on_selection_changed)
        self.list.itemDoubleClicked.connect(self.accept)
        layout.addWidget(buttons)

    # ------------------------------------------------------------------ slots
    def _on_selection_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.list.selectedItems()))

    def _on_preview_loaded(self, row: object, image: object) -> None:
        if isinstance(row, int) and image is not None and row < self.list.count():
            self.list.item(row).setIcon(QIcon(QPixmap.fromImage(image)))
