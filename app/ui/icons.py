"""Earful's toolbar and button icons (`resources/icons/actions/*.svg`), drawn in the palette's colours.

The SVGs stroke in `currentColor`; each time Qt asks for a pixmap the engine fills it in with the widget
application palette's button text (or its disabled colour) and renders at the size and pixel ratio asked for, so the
icons are crisp at 200 % and turn light when the theme turns dark, without a second set.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.resources import resource_path


@cache
def _svg(name: str) -> str:
    return resource_path(f"icons/actions/{name}.svg").read_text(encoding="utf-8")


class _TintedSvgEngine(QIconEngine):
    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
        colour = QGuiApplication.palette().color(group, QPalette.ColorRole.ButtonText).name()
        svg = _svg(self._name).replace("currentColor", colour)
        QSvgRenderer(QByteArray(svg.encode())).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size * scale), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _TintedSvgEngine(self._name)


def icon(name: str) -> QIcon:
    """The icon `name` (a file in resources/icons/actions), drawn in the application's palette."""
    return QIcon(_TintedSvgEngine(name))
