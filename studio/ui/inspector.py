"""The selected panel: large image, its versions, and the redraw form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.core.models import Panel
from studio.providers import registry
from studio.ui.drop_image import DropImage
from studio.ui.icons import icon
from studio.ui.region_marker import MarkedPicture, RegionTools, inpaint_gate
from studio.ui.script_editor import dialogue_from_text
from studio.ui.session import Session
from studio.ui.shot_editor import ShotEdit, ShotEditor
from studio.ui.thumbs import ThumbnailCache, decode
from studio.ui.undo import CurrentVersion
from studio.ui.versions import CompareDialog, VersionStrip


class Inspector(QScrollArea):
    redraw_requested = Signal(int, int, dict)  # page, panel, what to ask
    animate_requested = Signal(int, int)

    def __init__(self, thumbs: ThumbnailCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbs = thumbs
        self._session: Session | None = None
        self._where: tuple[int, int] | None = None
        self._panel: Panel | None = None
        self._image: QPixmap | None = None
        self._setup_ui()
        self.show_panel(None)

    # ------------------------------------------------------------------ setup
    def _setup_ui(self) -> None:
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self.heading = QLabel("No panel selected")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 2)
        self.heading.setFont(font)
        self.picture = MarkedPicture()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumHeight(220)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.picture.setStyleSheet("QLabel { background: palette(base); border-radius: 6px; }")
        self.picture.marks_changed.connect(self._on_marks_changed)
        self.region = RegionTools(self.picture)
        self.strip = VersionStrip(self._thumbs)
        self.strip.make_current.connect(self._on_strip_make_current)
        self.strip.itemSelectionChanged.connect(self._on_strip_selection_changed)
        self.make_current = QPushButton("Make current")
        self.make_current.clicked.connect(self._on_make_current_clicked)
        self.compare = QPushButton("Compare two")
        self.compare.setToolTip("Select two versions (Ctrl+click) to see them side by side")
        self.compare.clicked.connect(self._on_compare_clicked)
        version_buttons = QHBoxLayout()
        version_buttons.addWidget(self.make_current)
        version_buttons.addWidget(self.compare)
        version_buttons.addStretch(1)
        versions = QGroupBox("Versions")
        vbox = QVBoxLayout(versions)
        vbox.addWidget(self.strip)
        vbox.addLayout(version_buttons)
        versions.setLayout(vbox)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText("What the panel shows")
        self.description.setFixedHeight(80)
        self.caption = QLineEdit()
        self.caption.setPlaceholderText("Narration box text")
        self.dialogue = QLineEdit()
        self.dialogue.setPlaceholderText("Mia: Look! | Tom: Where?")
        self.reference = DropImage()
        self.redraw = QPushButton(icon("redraw"), "Redraw")
        self.redraw.setToolTip("Queue a redraw of this panel; it lands as a new version (Ctrl+R)")
        self.redraw.clicked.connect(self._on_redraw_clicked)
        self.animate = QPushButton(icon("animate"), "Animate panel")
        self.animate.clicked.connect(self._on_animate_clicked)
        form = QFormLayout()
        form.addRow("Description", self.description)
        form.addRow("Caption", self.caption)
        form.addRow("Dialogue", self.dialogue)
        form.addRow("Reference", self.reference)
        buttons = QHBoxLayout()
        buttons.addWidget(self.animate)
        buttons.addStretch(1)
        buttons.addWidget(self.redraw)
        redraw_box = QGroupBox("Redraw")
        rbox = QVBoxLayout(redraw_box)
        rbox.addLayout(form)
        rbox.addLayout(buttons)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.heading)
        layout.addWidget(self.picture)
        layout.addWidget(self.region)
        layout.addWidget(versions)
        self.shot = ShotEditor()
        self.shot.edited.connect(self._on_shot_edited)
        self.shot.reset_requested.connect(self._on_shot_reset_requested)
        layout.addWidget(self.shot)
        layout.addWidget(redraw_box)
        layout.addStretch(1)
        self.setWidget(body)

    # ----------------------------------------------------------------- public
    def set_session(self, session: Session | None) -> None:
        self._session = session
        self.show_panel(None)
        if session is not None:
            session.panels_changed.connect(self._on_session_panels_changed)
            session.script_changed.connect(self.refresh)
            session.panel_texts_changed.connect(self._on_session_panels_changed)
            session.story_changed.connect(self._update_gates)

    def where(self) -> tuple[int, int] | None:
        return self._where

    def show_panel(self, where: tuple[int, int] | None) -> None:
        self._where = where
        self._panel = None
        if self._session is not None and where is not None:
            try:
                self._panel = self._session.project.panel_at(*where)
            except ValueError:
                self._panel = None
            except Exception:  # noqa: BLE001 - a removed page: show nothing
                self._panel = None
        enabled = self._panel is not None
        for w in (self.description, self.caption, self.dialogue, self.reference, self.redraw):
            w.setEnabled(enabled)
        self.shot.setEnabled(enabled)
        if self._panel is None:
            self.heading.setText("No panel selected")
            self.picture.setText("Select a panel in the grid")
            self._image = None
            self.strip.clear()
            self.picture.set_source(None, None)
            self._update_version_buttons()
            self._update_gates()
            return
        page, index = where  # type: ignore[misc]
        self.heading.setText(f"Page {page + 1} · Panel {index + 1}")
        sp = self._panel.script
        self.description.setPlainText(sp.description)
        self.caption.setText(sp.caption)
        self.dialogue.setText(" | ".join(f"{d.speaker}: {d.text}" for d in sp.dialogue))
        self.shot.show_shot(sp.shot, edited=sp.shot_edited)
        self.reference.clear_image()
        self._load_versions()
        self._update_gates()

    def refresh(self) -> None:
        self.show_panel(self._where)

    def request_redraw(self) -> None:
        self._on_redraw_clicked()

    # ------------------------------------------------------------- internals
    def _load_versions(self) -> None:
        assert self._session is not None and self._panel is not None
        versions = self._session.project.versions(self._panel.id)
        self.strip.set_versions(versions, self._panel.current_version)
        self._update_version_buttons()
        current = next((v for v in versions if v.id == self._panel.current_version), None)
        if current is None:
            self._image = None
            self.picture.set_source(None, None)
            self.picture.setText("Not drawn yet: generate the comic or redraw this panel.")
            return
        project = self._session.project
        self.picture.setText("Loading…")
        self._session.runner.run_in_thread(
            lambda sha=current.asset: decode(project.asset(sha)),
            on_done=lambda image, vid=current.id: self._on_image_loaded(vid, image),
            name="inspector-image",
        )

    def _on_image_loaded(self, version_id: int, image: QImage) -> None:
        if self._panel is None or self._panel.current_version != version_id:
            return
        self._image = QPixmap.fromImage(image)
        self.picture.set_source((self._panel.id, version_id), image.size())
        self._fit_image()

    def _fit_image(self) -> None:
        if self._image is None:
            return
        width = max(160, self.viewport().width() - 24)
        dpr = self.devicePixelRatioF()
        scaled = self._image.scaled(
            int(width * dpr),
            int(width * dpr),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(dpr)
        self.picture.setPixmap(scaled)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_image()

    def _update_version_buttons(self) -> None:
        chosen = self.strip.selected_versions()
        current = self._panel.current_version if self._panel else None
        self.make_current.setEnabled(len(chosen) == 1 and chosen[0].id != current)
        self.compare.setEnabled(len(chosen) == 2)

    def _update_gates(self) -> None:
        self._update_animate()
        has_image = self._panel is not None and self._panel.current_version is not None
        provider = self._session.project.story.provider if self._session else ""
        self.region.set_gate(*inpaint_gate(provider, has_image))

    def _on_marks_changed(self) -> None:
        marked = bool(self.picture.marks())
        self.redraw.setText("Redraw marked region" if marked else "Redraw")

    def _update_animate(self) -> None:
        if self._session is None:
            self.animate.setEnabled(False)
            return
        provider = self._session.project.story.provider
        caps = registry.info(provider).capabilities
        if not caps.video:
            reason = caps.reason("video") or "it does not make videos"
            self.animate.setEnabled(False)
            self.animate.setToolTip(f"{registry.info(provider).name} cannot animate: {reason}.")
            return
        has_image = self._panel is not None and self._panel.current_version is not None
        self.animate.setEnabled(has_image)
        self.animate.setToolTip(
            "Make a short video from this panel" if has_image else "Draw the panel first"
        )

    def _on_session_panels_changed(self, panel_ids: list[int]) -> None:
        if self._panel is not None and self._panel.id in panel_ids:
            self.refresh()

    def _on_strip_selection_changed(self) -> None:
        self._update_version_buttons()

    def _on_strip_make_current(self, version_id: int) -> None:
        if self._session is None or self._panel is None:
            return
        if version_id == self._panel.current_version:
            return
        cmd = CurrentVersion(self._session, self._panel.id, self._panel.current_version, version_id)
        self._session.undo.push(cmd)

    def _on_make_current_clicked(self) -> None:
        chosen = self.strip.selected_versions()
        if len(chosen) == 1:
            self._on_strip_make_current(chosen[0].id)

    def _on_compare_clicked(self) -> None:
        chosen = self.strip.selected_versions()
        if self._session is None or self._panel is None or len(chosen) != 2:
            return
        project = self._session.project
        all_ids = [v.id for v in project.versions(self._panel.id)]
        pairs = [(v, all_ids.index(v.id) + 1) for v in sorted(chosen, key=lambda v: v.id)]
        self._session.runner.run_in_thread(
            lambda: [decode(project.asset(v.asset)) for v, _ in pairs],
            on_done=lambda images: CompareDialog(self, pairs, images).open(),
            name="compare",
        )

    def _on_redraw_clicked(self) -> None:
        if self._where is None or self._panel is None:
            return
        asked: dict = {}
        description = self.description.toPlainText().strip()
        if description:
            asked["prompt"] = description
        if self.caption.text() != self._panel.script.caption:
            asked["caption"] = self.caption.text()
        dialogue = [(d.speaker, d.text) for d in dialogue_from_text(self.dialogue.text())]
        if dialogue != [(d.speaker, d.text) for d in self._panel.script.dialogue]:
            asked["dialogue"] = dialogue
        if self.reference.path():
            asked["image"] = self.reference.path()
        mask = self.picture.mask_png()
        if mask is not None:
            asked["mask"] = mask  # white where to redraw: the provider inpaints
        self.redraw_requested.emit(self._where[0], self._where[1], asked)

    def _on_shot_edited(self, shot: object) -> None:
        if self._session is None or self._panel is None or shot == self._panel.script.shot:
            return
        old = (self._panel.script.shot, self._panel.script.shot_edited)
        cmd = ShotEdit(self._session, self._panel.id, old, shot, "Edit what the panel shows")  # type: ignore[arg-type]
        self._session.undo.push(cmd)

    def _on_shot_reset_requested(self) -> None:
        if self._session is None or self._panel is None:
            return
        old = (self._panel.script.shot, self._panel.script.shot_edited)
        self._session.undo.push(
            ShotEdit(self._session, self._panel.id, old, None, "Reset the shot to the text")
        )

    def _on_animate_clicked(self) -> None:
        if self._where is not None:
            self.animate_requested.emit(*self._where)
