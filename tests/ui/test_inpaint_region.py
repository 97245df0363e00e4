"""Issue #17: redraw only a region the user marks on the inspector's picture (inpainting)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from test_window import new_story, wait_jobs_done

from studio.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "providers"))
from fake_comfyui import FakeComfyUI

from tests.e2e.test_cli_llamagen import ServerThread

ONE_PANEL = "Page 1: Panel 1: Mia opens the door. Panel 2: Tom waves from the garden."


def _pick(window: MainWindow, provider: str) -> None:
    editor = window.workspace.story_editor
    editor.provider.setCurrentIndex(editor.provider.findData(provider))
    assert window.session is not None and window.session.project.story.provider == provider


def _drawn_panel(qtbot: Any, window: MainWindow, tmp_path: Path, name: str) -> Any:
    new_story(window, tmp_path / name, ONE_PANEL)
    window.on_generate()
    wait_jobs_done(qtbot, window)
    window.workspace.select_panel(0, 0)
    inspector = window.workspace.inspector
    qtbot.waitUntil(lambda: not inspector.picture.shown_rect().isEmpty(), timeout=10_000)
    return inspector


def _drag(qtbot: Any, picture: Any, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(picture, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(picture, pos=end)
    qtbot.mouseRelease(picture, Qt.MouseButton.LeftButton, pos=end)


def _mark(qtbot: Any, inspector: Any) -> QRect:
    """Drag over the middle of the picture; the marked rectangle in image pixels."""
    picture = inspector.picture
    shown = picture.shown_rect()
    start = QPoint(int(shown.x() + shown.width() * 0.25), int(shown.y() + shown.height() * 0.3))
    end = QPoint(int(shown.x() + shown.width() * 0.6), int(shown.y() + shown.height() * 0.7))
    _drag(qtbot, picture, start, end)
    a, b = picture.to_image(start), picture.to_image(end)
    return QRect(a.x(), a.y(), b.x() - a.x(), b.y() - a.y())


def test_a_marked_rectangle_is_the_mask_at_the_versions_size(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    inspector = _drawn_panel(qtbot, window, tmp_path, "mark.comic")
    tools = inspector.region
    assert not tools.mark.isEnabled()  # the offline renderer draws whole panels
    assert tools.mark.toolTip().startswith("Offline renderer cannot redraw a marked region")
    _pick(window, "comfyui")
    assert tools.mark.isEnabled()
    tools.mark.click()
    assert inspector.picture.marking()
    expected = _mark(qtbot, inspector)
    assert expected.width() > 4 and expected.height() > 4
    assert inspector.picture.marks() == [expected]
    assert inspector.redraw.text() == "Redraw marked region"
    assert tools.clear.isEnabled() and "1 region marked" in tools.hint.text()

    session = window.session
    assert session is not None
    panel = session.project.panel_at(0, 0)
    [version] = session.project.versions(panel.id)
    drawn = QImage.fromData(session.project.asset(version.asset))
    mask = QImage.fromData(inspector.picture.mask_png())
    assert mask.size() == drawn.size()
    white = [
        (x, y)
        for y in range(mask.height())
        for x in range(mask.width())
        if mask.pixelColor(x, y).red() > 127
    ]
    inside = [
        (x, y)
        for y in range(expected.top(), expected.top() + expected.height())
        for x in range(expected.left(), expected.left() + expected.width())
    ]
    assert white == inside
    assert {mask.pixelColor(x, y).name() for x, y in inside} == {"#ffffff"}
    button = inspector.redraw
    qtbot.waitUntil(lambda: button.width() >= button.sizeHint().width())  # laid out again
    inspector.grab().save("/tmp/inpaint.png")
    inspector.widget().grab().save("/tmp/inpaint_full.png")

    qtbot.keyClick(inspector.picture, Qt.Key.Key_Escape)
    assert inspector.picture.marks() == [] and inspector.picture.mask_png() is None
    assert inspector.redraw.text() == "Redraw"
    _mark(qtbot, inspector)
    tools.clear.click()
    assert inspector.picture.marks() == []
    _mark(qtbot, inspector)
    _pick(window, "local")  # back to a provider that cannot: the marks go
    assert not tools.mark.isEnabled() and inspector.picture.marks() == []


@pytest.fixture
def comfy_env(monkeypatch: pytest.MonkeyPatch) -> Any:
    with ServerThread(FakeComfyUI()) as fake:  # type: ignore[arg-type]
        monkeypatch.setenv("COMFYUI_BASE_URL", fake.url)
        monkeypatch.setenv("COMIC_STUDIO_POLL_INTERVAL", "0.05")
        yield fake


def test_redraw_of_the_marked_region_is_inpainted_by_comfyui(
    qtbot: Any, window: MainWindow, tmp_path: Path, comfy_env: Any, answer_yes: list[str]
) -> None:
    new_story(window, tmp_path / "comfy.comic", ONE_PANEL)
    _pick(window, "comfyui")
    window.on_generate()
    wait_jobs_done(qtbot, window)
    session = window.session
    assert session is not None
    assert all(j.state.value == "succeeded" for j in session.project.jobs())
    window.workspace.select_panel(0, 0)
    inspector = window.workspace.inspector
    qtbot.waitUntil(lambda: not inspector.picture.shown_rect().isEmpty(), timeout=10_000)
    inspector.region.mark.click()
    _mark(qtbot, inspector)
    inspector.redraw.click()
    qtbot.waitUntil(lambda: len(session.project.jobs()) == 2, timeout=10_000)
    wait_jobs_done(qtbot, window)
    job = session.project.jobs()[-1]
    assert job.state.value == "succeeded", job.error
    assert job.kind.value == "redraw" and job.request.get("mask_asset")
    panel = session.project.panel_at(0, 0)
    first = session.project.versions(panel.id)[0]
    mask = QImage.fromData(session.project.asset(job.request["mask_asset"]))
    assert mask.size() == QImage.fromData(session.project.asset(first.asset)).size()
    graph = comfy_env.graphs[comfy_env.accepted[-1]]
    classes = {n["class_type"] for n in graph.values()}
    assert {"LoadImageMask", "VAEEncodeForInpaint"} <= classes
    assert len(session.project.versions(panel.id)) == 2
    # the new version is shown: the marks belonged to the old one
    qtbot.waitUntil(lambda: inspector.strip.count() == 2)
    qtbot.waitUntil(lambda: inspector.picture.marks() == [], timeout=10_000)
    assert inspector.redraw.text() == "Redraw"
