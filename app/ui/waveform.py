"""A recording's waveform that doubles as the seek bar.

Two-channel calls keep one voice per channel, so each channel gets its own lane and a reader sees at a
glance who speaks when; anything else is drawn as one mirrored lane. The waveform is rendered once per size,
palette or peaks into two cached pixmaps (played and unplayed colours); a position change only repaints the
columns the playhead crossed, so following playback costs almost nothing.

numpy is imported when peaks first arrive, not with this module: the widget is part of the window that
must paint before the heavy libraries load (see app.ui.application).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    import numpy as np

# Quiet recordings are scaled up to fill the lane, but never by more than this: a silent file stays flat
# instead of showing its noise floor as speech.
MAX_GAIN = 8.0
LANE_GAP_PX = 4
PLAYHEAD_WIDTH_PX = 2


class WaveformWidget(QWidget):
    """Peaks per channel with a playhead; a click or drag asks for a seek (`seek_requested(ms)`)."""

    seek_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._peaks: np.ndarray | None = None
        self._resolution_ms = 1
        self._duration_ms = 0
        self._position_ms = 0
        self._pixmaps: tuple[QPixmap, QPixmap] | None = None
        self.setMinimumHeight(40)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click or drag to move through the recording")

    def sizeHint(self) -> QSize:
        return QSize(400, 64)

    def set_peaks(self, peaks: np.ndarray, resolution_ms: int, duration_ms: int) -> None:
        """Show `peaks` (channels × n, 0..1, one value per `resolution_ms`) of a recording `duration_ms` long."""
        import numpy as np

        if resolution_ms <= 0:
            raise ValueError(f"resolution_ms must be positive, not {resolution_ms}")
        levels = np.atleast_2d(np.asarray(peaks, dtype=np.float32))
        if levels.ndim != 2:
            raise ValueError(f"peaks must have the shape (channels, n), not {levels.shape}")
        if levels.shape[0] != 2:
            levels = levels.max(axis=0, keepdims=True) if levels.size else np.zeros((1, 0), np.float32)
        loudest = float(levels.max()) if levels.size else 0.0
        self._peaks = np.clip(levels * min(MAX_GAIN, 1.0 / max(loudest, 1e-9)), 0.0, 1.0)
        self._resolution_ms = resolution_ms
        self.set_duration(duration_ms)
        self._invalidate()

    def set_duration(self, duration_ms: int) -> None:
        """Seeking works before the peaks are known: the player knows the duration as soon as it loads."""
        if duration_ms != self._duration_ms:
            self._duration_ms = max(duration_ms, 0)
            self._invalidate()

    def set_position(self, ms: int) -> None:
        old_x, self._position_ms = self._x_of(self._position_ms), ms
        new_x = self._x_of(ms)
        if new_x != old_x:
            left = min(old_x, new_x) - PLAYHEAD_WIDTH_PX
            self.update(QRect(left, 0, abs(new_x - old_x) + 2 * PLAYHEAD_WIDTH_PX + 1, self.height()))

    @property
    def position(self) -> int:
        return self._position_ms

    def ms_at(self, x: float) -> int:
        """The recording time under horizontal widget coordinate `x`, clamped to the recording."""
        if self.width() <= 0:
            return 0
        fraction = min(max(x / self.width(), 0.0), 1.0)
        return round(fraction * self._duration_ms)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._seek_to(event.position().x())
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._seek_to(event.position().x())
        else:
            super().mouseMoveEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._invalidate()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._invalidate()
        super().changeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self._pixmaps is None:
            self._pixmaps = self._render()
        played, unplayed = self._pixmaps
        playhead_x = self._x_of(self._position_ms)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        ratio = played.devicePixelRatio()
        # Source rectangles are in device pixels; the pixmaps were rendered at the screen's ratio.
        painter.drawPixmap(
            QRectF(0, 0, playhead_x, self.height()), played, QRectF(0, 0, playhead_x * ratio, played.height())
        )
        painter.drawPixmap(
            QRectF(playhead_x, 0, self.width() - playhead_x, self.height()),
            unplayed,
            QRectF(playhead_x * ratio, 0, unplayed.width() - playhead_x * ratio, unplayed.height()),
        )
        if self._duration_ms > 0:
            painter.fillRect(
                QRect(playhead_x - PLAYHEAD_WIDTH_PX // 2, 0, PLAYHEAD_WIDTH_PX, self.height()),
                self.palette().color(QPalette.ColorRole.Text),
            )
        painter.end()

    def _seek_to(self, x: float) -> None:
        if self._duration_ms <= 0:
            return
        ms = self.ms_at(x)
        self.set_position(ms)
        self.seek_requested.emit(ms)

    def _x_of(self, ms: int) -> int:
        if self._duration_ms <= 0:
            return 0
        return round(min(max(ms / self._duration_ms, 0.0), 1.0) * self.width())

    def _invalidate(self) -> None:
        self._pixmaps = None
        self.update()

    def _render(self) -> tuple[QPixmap, QPixmap]:
        """The waveform in the played and the unplayed colour, at the screen's pixel density."""
        palette = self.palette()
        played_colour = palette.color(QPalette.ColorRole.Highlight)
        unplayed_colour = palette.color(QPalette.ColorRole.PlaceholderText)
        ratio = self.devicePixelRatioF()
        width, height = max(round(self.width() * ratio), 1), max(round(self.height() * ratio), 1)
        if self._peaks is None:  # no recording yet, or its peaks are still being read: a flat line
            return _flat_pixmap(width, height, ratio, played_colour), _flat_pixmap(
                width, height, ratio, unplayed_colour
            )
        columns = column_peaks(self._peaks, self._resolution_ms, self._duration_ms, width)
        return (
            _lanes_pixmap(columns, width, height, ratio, played_colour),
            _lanes_pixmap(columns, width, height, ratio, unplayed_colour),
        )


def column_peaks(peaks: np.ndarray, resolution_ms: int, duration_ms: int, columns: int) -> np.ndarray:
    """The loudest peak under each of `columns` pixel columns (channels × columns); 0 past the peaks' end."""
    import numpy as np

    channels, count = peaks.shape
    if count == 0 or duration_ms <= 0:
        return np.zeros((channels, columns), dtype=np.float32)
    starts = (np.arange(columns) * (duration_ms / columns / resolution_ms)).astype(np.int64)
    # reduceat takes the max over [starts[i], starts[i + 1]), or just peaks[starts[i]] when a column is
    # narrower than one peak: exactly what a zoomed-in column should show.
    covered = starts < count
    levels = np.zeros((channels, columns), dtype=np.float32)
    levels[:, covered] = np.maximum.reduceat(peaks, starts[covered], axis=1)
    return levels


def _flat_pixmap(width: int, height: int, ratio: float, colour: QColor) -> QPixmap:
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.fillRect(QRectF(0, height / 2 - 0.5, width, 1), colour)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def _lanes_pixmap(columns: np.ndarray, width: int, height: int, ratio: float, colour: QColor) -> QPixmap:
    import numpy as np

    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    lanes = columns.shape[0]
    gap = LANE_GAP_PX * ratio
    lane_height = (height - gap * (lanes - 1)) / lanes
    for lane, levels in enumerate(columns):
        centre = lane * (lane_height + gap) + lane_height / 2
        # Half a device pixel at least, so silence still reads as a line rather than nothing.
        reach = np.maximum(levels * (lane_height / 2 - 1), 0.5)
        xs = np.arange(width) + 0.5
        top = [QPointF(x, centre - r) for x, r in zip(xs, reach, strict=True)]
        bottom = [QPointF(x, centre + r) for x, r in zip(xs[::-1], reach[::-1], strict=True)]
        painter.drawPolygon(QPolygonF(top + bottom))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap
