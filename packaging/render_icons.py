"""Render resources/icons/earful.svg to the PNG sizes desktops ask for: `python packaging/render_icons.py`.

The PNGs are committed (a few KB each) rather than rendered at build time, so a build needs no SVG renderer
and the icons a user sees are the ones reviewed. Run this after changing the SVG; Qt's SVG renderer is
already a dependency, so nothing extra is installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    return ICONS / f"earful-{size}.png"


def render() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "earful.svg"))
    if not renderer.isValid():
        raise SystemExit(f"{ICONS / 'earful.svg'} is not a valid SVG.")
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(png_path(size)), "PNG"):
            raise SystemExit(f"Could not write {png_path(size)}.")
        written.append(png_path(size))
    return written


if __name__ == "__main__":
    for path in render():
        print(path)
