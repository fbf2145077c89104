"""Player, PlayerBar and WaveformWidget with a real QMediaPlayer and real audio (no sound device needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtMultimedia import QMediaPlayer

from app.media.decode import WHISPER_RATE, decode_for_whisper
from app.resources import resource_path
from app.ui.player import MAX_EXTRAPOLATION_MS, Player, PlayerBar
from app.ui.transcript_view import TranscriptView
from app.ui.waveform import WaveformWidget, column_peaks
from tests.conftest import REPO
from tests.ui.helpers import DEMO, find_word, transcribe_into_library, word_point

PEAK_MS = 20
JFK_MS = 11_000


def peaks_of(path: Path, split_stereo: bool) -> np.ndarray:
    """Max |sample| per 20 ms, 0..1, per channel: what the library will compute for the waveform."""
    hop = WHISPER_RATE * PEAK_MS // 1000
    lanes = []
    for samples in decode_for_whisper(path, split_stereo=split_stereo):
        padded = np.pad(samples.astype(np.int32), (0, -len(samples) % hop))
        lanes.append(np.abs(padded.reshape(-1, hop)).max(axis=1) / 32768.0)
    return np.stack(lanes).astype(np.float32)


@pytest.fixture
def player(qtbot, speech: Path) -> Player:
    loaded = Player()
    with qtbot.waitSignal(loaded.duration_changed):
        loaded.load(speech / "jfk.flac", JFK_MS)
    yield loaded
    loaded.pause()


def media_player(player: Player) -> QMediaPlayer:
    return player.findChild(QMediaPlayer)


def test_play_advances_and_pause_stops(player, qtbot):
    positions: list[int] = []
    player.position_changed.connect(positions.append)
    with qtbot.waitSignal(player.state_changed) as started:
        player.play()
    assert started.args == [True] and player.playing
    qtbot.waitUntil(lambda: player.position > 500)
    assert positions == sorted(positions)

    with qtbot.waitSignal(player.state_changed) as stopped:
        player.pause()
    assert stopped.args == [False] and not player.playing
    paused_at = player.position
    emitted = len(positions)
    qtbot.wait(300)  # several report and tick intervals, with the event loop running
    assert player.position == paused_at == media_player(player).position()
    assert len(positions) == emitted


def test_toggle_and_skip_stay_inside_the_recording(player, qtbot):
    with qtbot.waitSignal(player.state_changed, check_params_cb=lambda playing: playing):
        player.toggle()
    with qtbot.waitSignal(player.state_changed, check_params_cb=lambda playing: not playing):
        player.toggle()
    player.seek(1000)
    player.skip(-5000)
    assert player.position == 0
    player.skip(JFK_MS + 5000)
    assert player.position == JFK_MS


def test_playing_again_after_the_end_starts_from_the_beginning(player, qtbot):
    player.seek(JFK_MS - 300)
    with qtbot.waitSignal(player.state_changed, check_params_cb=lambda playing: not playing):
        player.play()  # plays to the end, where QMediaPlayer stops by itself
    assert abs(player.position - JFK_MS) <= 100
    with qtbot.waitSignal(player.state_changed):
        player.play()
    qtbot.waitUntil(lambda: 0 < player.position < 1000)


@pytest.mark.parametrize("playing", [False, True])
def test_seek_lands_within_100_ms(player, qtbot, playing):
    if playing:
        with qtbot.waitSignal(player.state_changed):
            player.play()
    with qtbot.waitSignal(player.position_changed) as moved:
        player.seek(5000)
    assert moved.args == [5000], "the new position is announced at once"
    qtbot.waitUntil(lambda: abs(media_player(player).position() - 5000) <= 100)
    assert abs(player.position - 5000) <= 100 + (MAX_EXTRAPOLATION_MS if playing else 0)


def test_a_seek_right_after_load_is_applied_once_the_media_is_loaded(qtbot, speech):
    player = Player()
    player.load(speech / "jfk.flac", JFK_MS)
    player.seek(7000)  # QMediaPlayer itself would ignore this while it is still loading
    qtbot.waitUntil(lambda: media_player(player).position() == 7000)
    assert player.position == 7000


def test_speed_is_applied_to_the_media_player_and_clamped(player, qtbot):
    with qtbot.waitSignal(player.speed_changed) as changed:
        player.set_speed(1.5)
    assert changed.args == [1.5]
    assert media_player(player).playbackRate() == 1.5 == player.speed
    player.set_speed(3.0)
    assert player.speed == 2.0
    player.set_speed(0.1)
    assert player.speed == 0.75


def test_smoothed_position_fills_in_between_reports_without_running_ahead(player, qtbot):
    player.set_speed(1.5)
    samples: list[tuple[int, int]] = []
    player.position_changed.connect(lambda ms: samples.append((ms, media_player(player).position())))
    with qtbot.waitSignal(player.state_changed):
        player.play()
    qtbot.waitUntil(lambda: len(samples) >= 40, timeout=10_000)
    player.pause()
    playing = samples[1:40]
    assert all(0 <= smoothed - reported <= MAX_EXTRAPOLATION_MS * 1.5 for smoothed, reported in playing)
    reported = {reported for _smoothed, reported in playing}
    assert len({smoothed for smoothed, _reported in playing}) > len(reported), "positions between reports"


def test_a_missing_file_is_reported_in_words(qtbot, tmp_path):
    player = Player()
    with qtbot.waitSignal(player.error) as failed:
        player.load(tmp_path / "gone.flac", 1000)
    assert failed.args == ["Can't play gone.flac: the file is missing from the library's audio folder."]


# Plays jfk in a process of its own, where no sound server answers: this process may have a test's
# PulseAudio null sinks in reach (the `pulse` fixture stays for the session), and Qt lists them as outputs.
NO_DEVICE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QApplication
from app.ui.player import Player

app = QApplication(["test", "-platform", "offscreen"])
if QMediaDevices.audioOutputs():
    print("DEVICE")
    sys.exit(0)
player, told = Player(), []
player.error.connect(told.append)
player.duration_changed.connect(lambda _ms: QTimer.singleShot(0, player.play))  # once loaded, as a user would
player.load(sys.argv[1], 11_000)
ticks = QTimer(interval=20)
ticks.timeout.connect(lambda: app.quit() if told and player.position > 200 else None)
ticks.start()
QTimer.singleShot(20_000, app.quit)  # a bound for a hang, not a timing
app.exec()
print(told, player.position > 200)
"""


def test_without_a_sound_device_playback_runs_silently_and_says_so(speech, tmp_path):
    nowhere = {"PULSE_SERVER": f"unix:{tmp_path}/no-server", "PULSE_RUNTIME_PATH": str(tmp_path)}
    played = subprocess.run(
        [sys.executable, "-c", NO_DEVICE, str(speech / "jfk.flac")],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **nowhere},
    )
    assert played.returncode == 0, played.stderr
    if played.stdout.strip() == "DEVICE":
        pytest.skip("this machine has a sound output device of its own (not a sound server)")
    said = "No sound output device was found: the recording plays silently."
    assert played.stdout.strip().splitlines()[-1] == f"[{said!r}] True"


def test_player_bar_shows_state_time_and_speed(player, qtbot):
    bar = PlayerBar(player)
    qtbot.addWidget(bar)
    assert bar.play_button.toolTip() == "Play"
    assert bar.time_label.text() == "0:00 / 0:11"
    player.seek(5000)
    assert bar.time_label.text() == "0:05 / 0:11"
    assert bar.waveform.position == 5000
    with qtbot.waitSignal(player.state_changed):
        bar.play_button.click()
    assert bar.play_button.toolTip() == "Pause"
    bar.speed_box.setCurrentIndex(bar.speed_box.findText("1.25×"))
    bar.speed_box.activated.emit(bar.speed_box.currentIndex())
    assert player.speed == 1.25
    player.set_speed(2.0)
    assert bar.speed_box.currentText() == "2×"


def test_clicking_the_waveform_seeks(player, qtbot, speech):
    bar = PlayerBar(player)
    qtbot.addWidget(bar)
    bar.resize(800, 60)
    bar.show()
    qtbot.waitExposed(bar)
    waveform = bar.waveform
    waveform.set_peaks(peaks_of(speech / "jfk.flac", split_stereo=False), PEAK_MS, JFK_MS)
    one_pixel = JFK_MS / waveform.width()
    for x in (0, waveform.width() // 3, waveform.width() - 1):
        with qtbot.waitSignal(waveform.seek_requested) as sought:
            qtbot.mouseClick(waveform, Qt.MouseButton.LeftButton, pos=QPoint(x, waveform.height() // 2))
        assert abs(sought.args[0] - x / waveform.width() * JFK_MS) <= one_pixel
        qtbot.waitUntil(lambda wanted=sought.args[0]: abs(media_player(player).position() - wanted) <= 100)


def test_column_peaks_keep_the_loudest_peak_under_each_pixel():
    peaks = np.array([[0.1, 0.9, 0.2, 0.3, 0.0, 0.5, 0.4, 0.1]], dtype=np.float32)  # 8 × 10 ms
    assert column_peaks(peaks, 10, 80, 4).tolist() == [[pytest.approx(v) for v in (0.9, 0.3, 0.5, 0.4)]]
    # Zoomed in further than the peaks go: each column shows the peak it lies in.
    assert column_peaks(peaks[:, :2], 10, 20, 4).tolist() == [
        [pytest.approx(v) for v in (0.1, 0.1, 0.9, 0.9)]
    ]
    # Peaks still being computed for the rest of the recording: nothing drawn past them.
    assert column_peaks(peaks[:, :4], 10, 80, 4).tolist() == [[pytest.approx(v) for v in (0.9, 0.3, 0, 0)]]


def test_two_channels_get_one_lane_each(qtbot):
    """The demo call: the interviewer's words appear in the top lane, the customer's in the bottom one."""
    waveform = WaveformWidget()
    qtbot.addWidget(waveform)
    waveform.resize(700, 80)
    peaks = peaks_of(resource_path(DEMO), split_stereo=True)
    duration = peaks.shape[1] * PEAK_MS
    assert peaks.shape[0] == 2
    waveform.set_peaks(peaks, PEAK_MS, duration)
    image = waveform.grab().toImage()
    base = waveform.palette().color(QPalette.ColorRole.Base)

    def inked(x: int, top: bool) -> int:
        rows = range(0, 38) if top else range(42, 80)
        return sum(image.pixelColor(x, y) != base for y in rows)

    # Mid-turn for the interviewer (left channel), then for the customer (right channel).
    interviewer_x, customer_x = round(1_500 / duration * 700), round(10_000 / duration * 700)
    assert inked(interviewer_x, top=True) > 3 * max(inked(interviewer_x, top=False), 1)
    assert inked(customer_x, top=False) > 3 * max(inked(customer_x, top=True), 1)


def test_empty_waveform_draws_a_flat_line_and_still_seeks_once_the_duration_is_known(qtbot):
    waveform = WaveformWidget()
    qtbot.addWidget(waveform)
    waveform.resize(400, 50)
    image = waveform.grab().toImage()
    base = waveform.palette().color(QPalette.ColorRole.Base)
    inked_rows = {y for y in range(50) for x in (50, 200, 350) if image.pixelColor(x, y) != base}
    assert inked_rows and max(inked_rows) - min(inked_rows) <= 2, "a thin flat line"
    waveform.set_duration(10_000)
    with qtbot.waitSignal(waveform.seek_requested) as sought:
        qtbot.mouseClick(waveform, Qt.MouseButton.LeftButton, pos=QPoint(200, 25))
    assert sought.args == [5000]


@pytest.fixture(scope="module")
def jfk_transcript(tmp_path_factory: pytest.TempPathFactory, speech: Path):
    library, ids = transcribe_into_library(
        tmp_path_factory.mktemp("ui-player"), {"jfk": (speech / "jfk.flac", None)}
    )
    transcript = library.transcripts.segments(ids["jfk"]), library.transcripts.speakers(ids["jfk"])
    library.close()
    return transcript


def test_clicking_a_word_plays_from_it_and_highlights_it(player, qtbot, jfk_transcript):
    """Wired as the main window wires them: clicks seek the player, the player drives the highlight."""
    segments, speakers = jfk_transcript
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(640, 300)
    view.show()
    qtbot.waitExposed(view)
    view.set_transcript(segments, speakers)
    view.word_clicked.connect(player.seek)
    player.position_changed.connect(view.highlight_time)

    segment_id, index = find_word(segments, "country")
    start_ms = next(s for s in segments if s.id == segment_id).words[index].start_ms
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=word_point(view, segment_id, index))
    qtbot.waitUntil(lambda: abs(media_player(player).position() - start_ms) <= 100)
    assert abs(player.position - start_ms) <= 100
    assert view.highlighted_word == (segment_id, index)

    with qtbot.waitSignal(player.state_changed):
        player.play()
    qtbot.waitUntil(lambda: view.highlighted_word != (segment_id, index), timeout=5000)
    assert view.highlighted_word == (segment_id, index + 1), "playback moves the highlight on word by word"
