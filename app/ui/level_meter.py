"""A peak meter in decibels, painted by hand so that it costs the GUI thread next to nothing.

The Record dialog moves two meters twenty times a second for the whole call. A `QProgressBar` repaints
itself synchronously on every `setValue`, and Fusion (Qt's style on Linux and offscreen) paints a progress
bar by handing work to Qt's GUI thread pool and waiting for it: about 23 pool wake-ups per change, so on a
busy machine the GUI thread waited for pool threads that had no CPU, stalling the event loop for up to
300 ms (`bench/stall_watch.py`). This meter only asks for a paint (`update`, coalesced into the event
loop's next paint) and fills two rectangles.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSize
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

METER_FLOOR_DB = -60
"""The left end of the meter; speech sits in the upper half, silence at the left end."""


class LevelMeter(QWidget):
    """Peak level of one side of the call, from `METER_FLOOR_DB` (empty) to 0 dB (full)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0
        self.setFixedHeight(12)
        self.setMinimumWidth(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Level")

    def value(self) -> int:
        """How full the meter is: 0 for silence up to `-METER_FLOOR_DB` at full scale."""
        return self._value

    def maximum(self) -> int:
        return -METER_FLOOR_DB

    def show_level(self, peak: float) -> None:
        db = 20 * math.log10(peak) if peak > 0 else METER_FLOOR_DB
        value = round(max(db, METER_FLOOR_DB) - METER_FLOOR_DB)
        if value != self._value:
            self._value = value
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 12)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        filled = self.width() * self._value // self.maximum()
        painter.fillRect(0, 0, filled, self.height(), palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()
