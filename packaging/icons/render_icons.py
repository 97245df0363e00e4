"""Render the application icon (SVG) into the hicolor PNG set under studio/resources/icons/.

Usage: python packaging/icons/render_icons.py   (needs PySide6 with QtSvg; runs offscreen)
Output layout mirrors the freedesktop icon theme so install.sh can copy it as is:
  studio/resources/icons/hicolor/scalable/apps/io.github.comicstudio.ComicStudio.svg
  studio/resources/icons/hicolor/<N>x<N>/apps/io.github.comicstudio.ComicStudio.png
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

APP_ID = "io.github.comicstudio.ComicStudio"
SIZES = (16, 32, 48, 64, 128, 256, 512)
HERE = Path(__file__).resolve().parent
SOURCE = HERE / f"{APP_ID}.svg"
OUT = HERE.parent.parent / "studio" / "resources" / "icons" / "hicolor"


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    scalable = OUT / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable / f"{APP_ID}.svg")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        target = OUT / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            print(f"cannot write {target}", file=sys.stderr)
            return 1
        print(f"{target.relative_to(OUT.parent.parent.parent.parent)}  {size}x{size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
