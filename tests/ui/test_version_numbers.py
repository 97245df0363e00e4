"""The window's version strip numbers a panel's versions 1..n, as the command line does."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from studio.core.models import Version
from studio.core.versions import pick_version, version_number
from studio.ui.versions import VersionStrip, version_text


class _Thumbs(QObject):
    loaded = Signal(str)

    def get(self, _sha: str) -> None:
        return None


def _versions() -> list[Version]:
    return [Version(id=i, panel_id=3, asset=f"s{i}", provider="local", job_id=None,
                    prompt="", created_at=0.0) for i in (7, 12, 30)]  # fmt: skip


def test_strip_labels_are_the_numbers_use_version_takes(qtbot) -> None:
    versions = _versions()
    strip = VersionStrip(_Thumbs())  # type: ignore[arg-type]
    qtbot.addWidget(strip)
    strip.set_versions(versions, current=12)
    labels = [strip.item(i).text() for i in range(strip.count())]
    assert labels == ["Version 1\nlocal", "★ Version 2\nlocal", "Version 3\nlocal"]
    assert strip.item(1).toolTip().startswith("Version 2 of 3 (current)")
    assert version_text(versions[2], 3).startswith("Version 3 · local")


def test_numbers_and_old_global_ids() -> None:
    versions = _versions()
    assert version_number(versions, 30) == 3 and version_number(versions, 5) is None
    assert pick_version(versions, 2) is versions[1]  # a number wins
    assert pick_version(versions, 12) is versions[1]  # else a global id of this panel
    assert pick_version(versions, 8) is None
