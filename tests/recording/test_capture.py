"""Recording through real PortAudio from PulseAudio null sinks fed with real speech, into the library."""

from __future__ import annotations

import time

import numpy as np
import soundfile

from app.domain.transcript import SpeakerRole
from app.services.recording import RecordingSession, start_recording
from tests.conftest import reference_text
from tests.recording.conftest import RATE, onset_s, transcribe, words


def wait_until_capturing(session: RecordingSession) -> None:
    """Sound played before the first block arrives would not be recorded; the sound server needs a moment."""
    while not session.recorder.capturing:
        time.sleep(0.02)


def test_a_call_recorded_from_a_sink_monitor_transcribes_to_what_was_played(
    library, pulse, you, clips, tmp_path
):
    session = start_recording(library, you, title="JFK on the line")
    wait_until_capturing(session)
    assert pulse.play("you", clips["jfk"]).wait() == 0
    result = session.stop()

    assert result.interview.title == "JFK on the line"
    assert (result.recording.channels, result.recording.sample_rate) == (1, RATE)
    assert result.stats.overflows == result.stats.dropped_blocks == 0
    assert not (library.root / "recording").exists() or not any((library.root / "recording").iterdir())
    transcribe(library, result.interview.id, tmp_path / "models")
    text = " ".join(segment.text for segment in library.transcripts.segments(result.interview.id))
    assert "ask not what your country can do for you" in " ".join(words(text))


def test_two_sources_land_on_their_own_channels_and_speakers(
    library, pulse, you, customer, clips, speech, tmp_path
):
    session = start_recording(library, you, customer, title="Two-party call")
    wait_until_capturing(session)
    players = [pulse.play("you", clips["jfk"]), pulse.play("customer", clips["libri"])]
    assert [player.wait() for player in players] == [0, 0]
    result = session.stop()

    assert result.recording.channels == 2
    assert result.recording.channel_roles == (SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER)
    transcribe(library, result.interview.id, tmp_path / "models")
    roles = {s.id: s.role for s in library.transcripts.speakers(result.interview.id)}
    jfk_only = set(words(reference_text(speech, "jfk"))) - set(
        words(reference_text(speech, "librispeech_2412-153948-0000"))
    )
    libri_only = set(words(reference_text(speech, "librispeech_2412-153948-0000"))) - jfk_only
    libri_only -= set(words(reference_text(speech, "jfk")))
    right = wrong = 0
    for segment in library.transcripts.segments(result.interview.id):
        for word in words(segment.text):
            expected = (
                SpeakerRole.INTERVIEWER
                if word in jfk_only
                else SpeakerRole.CUSTOMER
                if word in libri_only
                else None
            )
            if expected is not None:
                right += roles[segment.speaker_id] is expected
                wrong += roles[segment.speaker_id] is not expected
    # Words only one clip has: each must be attributed to the speaker whose sink played it.
    assert right >= 30
    assert right / (right + wrong) >= 0.98


def test_sound_played_while_paused_is_left_out(library, pulse, you, clips):
    session = start_recording(library, you)
    wait_until_capturing(session)
    session.pause()
    assert pulse.play("you", clips["jfk"]).wait() == 0
    session.resume()
    assert pulse.play("you", clips["libri"]).wait() == 0
    result = session.stop()

    recorded, _ = soundfile.read(library.recordings.path(result.recording))
    jfk, _ = soundfile.read(clips["jfk"])
    libri, _ = soundfile.read(clips["libri"])
    assert _match(recorded, libri) > 0.9
    assert _match(recorded, jfk) < 0.3
    # Without the paused stretch the file is about as long as the clip heard after resuming, not both.
    assert len(recorded) < len(libri) + len(jfk) / 2


def test_meters_show_each_channel_s_own_level(library, pulse, you, customer, clips):
    session = start_recording(library, you, customer)
    wait_until_capturing(session)
    session.recorder.take_levels()
    assert pulse.play("you", clips["jfk"]).wait() == 0
    yours, customers = session.recorder.take_levels()
    session.stop()
    assert yours > 0.2
    assert customers == 0.0  # the customer's sink played nothing: digital silence


def _match(recording: np.ndarray, clip: np.ndarray) -> float:
    """Normalised correlation of the clip's first two seconds with where they fit best in the recording."""
    at = round(onset_s(recording, clip) * RATE)
    probe, found = clip[: RATE * 2], recording[at : at + RATE * 2]
    if len(found) < len(probe):
        return 0.0
    return float(np.dot(probe, found) / np.sqrt(np.dot(probe, probe) * np.dot(found, found) + 1e-12))


def test_one_device_for_both_sides_is_one_stream_of_its_first_two_inputs(library, pulse, you, clips):
    session = start_recording(library, you, you)
    wait_until_capturing(session)
    assert pulse.play("you", clips["jfk"]).wait() == 0
    result = session.stop()

    recorded, _ = soundfile.read(library.recordings.path(result.recording))
    jfk, _ = soundfile.read(clips["jfk"])
    assert recorded.shape[1] == 2
    # The sink's monitor carries the clip on both its channels, sample for sample the same.
    assert _match(recorded[:, 0], jfk) > 0.9
    assert np.array_equal(recorded[:, 0], recorded[:, 1])
