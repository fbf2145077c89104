"""A recording process killed at any moment loses at most a second, and the next start imports the rest."""

from __future__ import annotations

import random
import signal
import time

import pytest
import soundfile

from app.library import Library
from app.services.recording import RECOVERED, recover_recordings
from tests.recording.conftest import onset_s, start_recording

KILLS = 20


@pytest.mark.parametrize("kill", range(KILLS))
def test_a_recording_killed_at_a_random_moment_is_recovered_with_at_most_a_second_lost(
    kill, pulse, clips, tmp_path
):
    moment = random.Random(kill).uniform(1.0, 9.0)
    root = tmp_path / "library"
    recorder = start_recording(root)
    player = pulse.play("you", clips["libri"])
    played_from = time.monotonic()
    time.sleep(moment)
    recorder.send_signal(signal.SIGKILL)
    fed_s = time.monotonic() - played_from
    player.kill()
    assert recorder.wait() == -signal.SIGKILL

    with Library.open(root) as library:
        recovery = recover_recordings(library)
        assert recovery.problems == []
        [recovered] = recovery.interviews
        assert recovered.recovered and recovered.interview.title == f"Call {RECOVERED}"
        audio, rate = soundfile.read(library.recordings.path(recovered.recording))  # it decodes
        assert recover_recordings(library).interviews == []  # and is imported once
    clip, _ = soundfile.read(clips["libri"])
    recorded_s = len(audio) / rate - onset_s(audio, clip)
    assert abs(recorded_s - fed_s) <= 1.0, f"{fed_s:.2f} s played until the kill, {recorded_s:.2f} s kept"
