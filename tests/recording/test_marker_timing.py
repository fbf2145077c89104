"""A marker is stamped at the moment in the recording that was being heard when it was pressed (±50 ms)."""

from __future__ import annotations

import os
import time

import numpy as np
import soundfile

from app.media.devices import sounddevice
from app.services.recording import start_recording
from tests.recording.conftest import RATE

TOLERANCE_MS = 50
CLICK_S = 0.005


class ClickPlayer:
    """Plays a click into a sink at a chosen PortAudio stream time (the clock markers are stamped by)."""

    def __init__(self, sink: str) -> None:
        sd = sounddevice()
        self.click_at: float | None = None
        os.environ["PULSE_SINK"] = sink  # read by libpulse when ALSA's `pulse` device connects
        try:
            self.stream = sd.OutputStream(
                device=sd.query_devices("pulse", "output")["index"],
                channels=1,
                samplerate=RATE,
                dtype="float32",
                callback=self._fill,
            )
        finally:
            del os.environ["PULSE_SINK"]
        self.stream.start()

    def _fill(self, outdata, frames, times, status) -> None:
        outdata.fill(0)
        if self.click_at is None:
            return
        first = round((self.click_at - times.outputBufferDacTime) * RATE)
        if -round(CLICK_S * RATE) < first < frames:
            outdata[max(first, 0) : max(first + round(CLICK_S * RATE), 0), 0] = 0.8

    def close(self) -> None:
        self.stream.close()


def test_markers_land_on_the_sound_heard_when_they_were_stamped(library, pulse, you):
    player = ClickPlayer("you")
    session = start_recording(library, you)
    try:
        # Both streams' reported times settle during their first ~0.3 s (see Recorder._place); a click
        # scheduled before the player's have settled would be played at the wrong moment.
        while not session.recorder.capturing:
            time.sleep(0.01)
        settled = player.stream.time + 1.0
        while player.stream.time < settled:
            time.sleep(0.01)
        stamped = []
        for _ in range(3):
            # Blocks are filled one output latency before they play: schedule beyond it.
            player.click_at = player.stream.time + player.stream.latency + 0.5
            while player.stream.time < player.click_at:
                time.sleep(0.001)
            stamped.append(session.mark("bookmark").at_ms)
        # Let the last click reach the recording before stopping.
        deadline = player.stream.time + 0.5
        while player.stream.time < deadline:
            time.sleep(0.01)
    finally:
        player.close()
    result = session.stop()

    audio, rate = soundfile.read(library.recordings.path(result.recording))
    loud = np.flatnonzero(np.abs(audio) > 0.4)
    starts = loud[np.insert(np.diff(loud) > rate // 10, 0, True)]
    heard = [round(start * 1000 / rate) for start in starts]
    assert len(heard) == 3, heard
    errors = [abs(marker - click) for marker, click in zip(stamped, heard, strict=True)]
    assert max(errors) <= TOLERANCE_MS, f"stamped at {stamped} ms, the clicks are at {heard} ms"
    assert [m.at_ms for m in library.markers.of_interview(result.interview.id)] == stamped
