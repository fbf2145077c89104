"""Playing an interview's recording, with a position smooth enough to highlight words as they are spoken.

QMediaPlayer reports its position only every 50–100 ms, and a word lasts 200–400 ms, so a highlight driven
by the raw reports lags and stutters. `Player` extrapolates between reports on a 30 ms timer (last report
+ elapsed × rate, re-anchored at every report) and never runs more than 100 ms of audio past a report, so
a stalled decoder cannot carry the highlight away.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QIcon, QPainter, QPalette
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from app.domain.timecode import clock
from app.ui.waveform import WaveformWidget

SPEEDS = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
TICK_MS = 30
# How far past the last reported position the smoothed position may run (in wall-clock ms, × rate).
MAX_EXTRAPOLATION_MS = 100
PLAY_ICON_PX = 24


class Player(QObject):
    """One recording at a time: play, pause, seek, speed; `position_changed` follows playback smoothly."""

    position_changed = Signal(int)
    state_changed = Signal(bool)
    duration_changed = Signal(int)
    speed_changed = Signal(float)
    error = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._devices = QMediaDevices(self)
        self._path: Path | None = None
        self._duration_ms = 0
        self._reported_ms = 0
        self._since_report = QElapsedTimer()
        self._last_emitted: int | None = None
        self._pending_seek: int | None = None
        self._told_silent = False
        self._ticker = QTimer(self)
        self._ticker.setTimerType(Qt.TimerType.PreciseTimer)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self._player.positionChanged.connect(self._on_reported)
        self._player.playbackStateChanged.connect(self._on_state)
        self._player.mediaStatusChanged.connect(self._on_media_status)
        self._player.durationChanged.connect(self._on_qt_duration)
        self._player.errorOccurred.connect(self._on_error)
        # Qt 6 keeps playing on the device it started with; follow the system default when it changes
        # (headphones plugged in or out).
        self._devices.audioOutputsChanged.connect(
            lambda: self._output.setDevice(QMediaDevices.defaultAudioOutput())
        )

    def load(self, path: Path, duration_ms: int) -> None:
        """Open `path`; `duration_ms` is the library's measured duration (headers of cut-off files lie)."""
        self._player.stop()
        self._path = Path(path)
        self._duration_ms = max(duration_ms, 0)
        self._pending_seek = None
        self._reported_ms = 0
        self._last_emitted = None
        self.duration_changed.emit(self._duration_ms)
        self._emit(0)
        if not self._path.is_file():
            self._player.setSource(QUrl())
            self.error.emit(
                f"Can't play {self._path.name}: the file is missing from the library's audio folder."
            )
            return
        self._player.setSource(QUrl.fromLocalFile(str(self._path)))

    def play(self) -> None:
        if self._path is None:
            return
        if not QMediaDevices.audioOutputs() and not self._told_silent:
            self._told_silent = True
            self.error.emit("No sound output device was found: the recording plays silently.")
        self._player.play()

    def pause(self) -> None:
        self._player.pause()

    def toggle(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play()

    def seek(self, ms: int) -> None:
        """Move to `ms` (clamped to the recording); the new position is emitted at once."""
        ms = min(max(int(ms), 0), self._duration_ms) if self._duration_ms else max(int(ms), 0)
        self._anchor(ms)
        self._emit(ms)
        if self._player.mediaStatus() in (
            QMediaPlayer.MediaStatus.NoMedia,
            QMediaPlayer.MediaStatus.LoadingMedia,
        ):
            # QMediaPlayer ignores setPosition until the media is loaded; apply it then.
            self._pending_seek = ms
        else:
            self._player.setPosition(ms)

    def skip(self, delta_ms: int) -> None:
        self.seek(self.position + delta_ms)

    def set_speed(self, rate: float) -> None:
        """Play at `rate`, clamped to 0.75–2.0 (beyond that speech stops being intelligible)."""
        rate = min(max(rate, SPEEDS[0]), SPEEDS[-1])
        if rate != self._player.playbackRate():
            self._player.setPlaybackRate(rate)
            self.speed_changed.emit(rate)

    @property
    def speed(self) -> float:
        return self._player.playbackRate()

    @property
    def position(self) -> int:
        """The smoothed position in ms: what the listener is hearing now, within about ±100 ms.

        While playing it never goes back (short of a seek): when a report lands a few ms behind the
        extrapolation, the position waits for it rather than making the highlight flicker backwards.
        """
        if not self.playing:
            return self._reported_ms
        elapsed = min(self._since_report.elapsed(), MAX_EXTRAPOLATION_MS)
        extrapolated = self._reported_ms + round(elapsed * self._player.playbackRate())
        if self._duration_ms:
            extrapolated = min(extrapolated, self._duration_ms)
        return max(extrapolated, self._last_emitted or 0)

    @property
    def duration(self) -> int:
        return self._duration_ms

    @property
    def playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def _anchor(self, ms: int) -> None:
        self._reported_ms = ms
        self._since_report.restart()

    def _emit(self, ms: int) -> None:
        if ms != self._last_emitted:
            self._last_emitted = ms
            self.position_changed.emit(ms)

    def _tick(self) -> None:
        self._emit(self.position)

    def _on_reported(self, ms: int) -> None:
        if self._pending_seek is not None:
            return  # still loading: the position the caller asked for stands
        self._anchor(ms)
        # Smoothing overshoots a report by at most the extrapolation limit; a report further back is a real
        # jump (playing again from the end restarts at 0) and must be shown, not waited for.
        overshoot = MAX_EXTRAPOLATION_MS * self._player.playbackRate()
        jumped_back = self._last_emitted is not None and ms < self._last_emitted - overshoot
        if not self.playing or jumped_back:
            self._emit(ms)

    def _on_state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        if playing:
            self._anchor(self._player.position())
            self._ticker.start()
        else:
            self._ticker.stop()
            self._anchor(self._player.position())
            self._emit(self._reported_ms)
        self.state_changed.emit(playing)

    def _on_media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._pending_seek is not None:
            pending, self._pending_seek = self._pending_seek, None
            self._player.setPosition(pending)

    def _on_qt_duration(self, duration_ms: int) -> None:
        if not self._duration_ms and duration_ms > 0:
            self._duration_ms = duration_ms
            self.duration_changed.emit(duration_ms)

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        name = self._path.name if self._path else "the recording"
        self.error.emit(f"Can't play {name}: {message or 'the file could not be opened'}.")


class PlayerBar(QWidget):
    """Play/pause, the waveform as the seek bar, time and speed, all wired to one `Player`.

    The peaks arrive after the bar is shown (read from the library, or computed on the thread pool the
    first time): the workspace passes them to `bar.waveform.set_peaks(...)`.
    """

    def __init__(self, player: Player, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._player = player
        self.play_button = QToolButton(self)
        self.play_button.setAutoRaise(True)
        self.play_button.setIconSize(QSize(PLAY_ICON_PX, PLAY_ICON_PX))
        self.play_button.clicked.connect(player.toggle)
        self.waveform = WaveformWidget(self)
        self.waveform.seek_requested.connect(player.seek)
        self.time_label = QLabel(self)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.speed_box = QComboBox(self)
        self.speed_box.setToolTip("Playback speed")
        for rate in SPEEDS:
            self.speed_box.addItem(f"{rate:g}×", rate)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.activated.connect(lambda index: player.set_speed(self.speed_box.itemData(index)))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        # Aligned items do not cap the row's height at theirs (a combo box is fixed-height), so the
        # waveform gets the height it asks for.
        centred = Qt.AlignmentFlag.AlignVCenter
        layout.addWidget(self.play_button, 0, centred)
        layout.addWidget(self.waveform, 1)
        layout.addWidget(self.time_label, 0, centred)
        layout.addWidget(self.speed_box, 0, centred)

        player.position_changed.connect(self._on_position)
        player.state_changed.connect(self._on_state)
        player.duration_changed.connect(self._on_duration)
        player.speed_changed.connect(self._on_speed)
        self._on_state(player.playing)
        self._on_duration(player.duration)

    def _on_position(self, ms: int) -> None:
        self.waveform.set_position(ms)
        self.time_label.setText(f"{clock(ms)} / {clock(self._player.duration)}")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._on_state(self._player.playing)

    def _on_state(self, playing: bool) -> None:
        standard = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        # Styles draw these icons in a fixed dark grey that disappears on a dark palette: paint them in
        # the palette's button text colour instead.
        pixmap = self.style().standardIcon(standard).pixmap(self.play_button.iconSize())
        painter = QPainter(pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(pixmap.rect(), self.palette().color(QPalette.ColorRole.ButtonText))
        painter.end()
        self.play_button.setIcon(QIcon(pixmap))
        self.play_button.setToolTip("Pause" if playing else "Play")

    def _on_duration(self, duration_ms: int) -> None:
        self.waveform.set_duration(duration_ms)
        # Room for the longest time this recording can show, so the label does not jitter as digits change.
        longest = f"{clock(duration_ms)} / {clock(duration_ms)}"
        widest = "".join("0" if char.isdigit() else char for char in longest)
        metrics = self.time_label.fontMetrics()
        self.time_label.setMinimumWidth(metrics.horizontalAdvance(widest) + metrics.averageCharWidth())
        self._on_position(self._player.position)

    def _on_speed(self, rate: float) -> None:
        index = self.speed_box.findData(rate)
        if index >= 0:
            self.speed_box.setCurrentIndex(index)
