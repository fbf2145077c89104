"""Two-channel calls with the other party leaking into the microphone: each word goes to whoever said it."""

from __future__ import annotations

import warnings
import wave
from pathlib import Path

import numpy as np
import pytest

from app.domain.interview import JobState
from app.domain.transcript import MIXDOWN, Segment, Word
from app.library import Library
from app.media.decode import WHISPER_RATE, decode_for_whisper
from app.services.transcribing import Transcriber
from app.speakers.echo import DROP, ChannelLevels, channel_turns, echo_thresholds
from tests.speakers.conftest import transcribe_without_stage

LEAK_DB = -20.0
ATTRIBUTED = 0.98

# Who speaks when on the synthetic call: (channel of the speaker, clip, start s). Real speech, turn by turn.
SCRIPT = (
    (0, "jfk.flac", 0.5),
    (1, "librispeech_2412-153948-0000.flac", 12.5),
    (0, "mfa_acoustic_corpus.wav", 25.0),
    (1, "digits_10001-90210-01803.wav", 52.5),
)


@pytest.fixture(scope="module")
def leaky_call(
    tmp_path_factory: pytest.TempPathFactory, speech: Path
) -> tuple[Path, list[tuple[int, int, int]]]:
    """A stereo WAV: left = the microphone (its speaker, plus the right channel at −20 dB), right = the
    other party; and the reference turns (channel, start ms, end ms)."""
    clips = [
        (channel, decode_for_whisper(speech / name, split_stereo=False)[0], start)
        for channel, name, start in SCRIPT
    ]
    length = max(round(start * WHISPER_RATE) + len(samples) for _, samples, start in clips) + WHISPER_RATE
    voices = np.zeros((2, length), dtype=np.float32)
    turns = []
    for channel, samples, start in clips:
        first = round(start * WHISPER_RATE)
        voices[channel, first : first + len(samples)] += samples
        turns.append((channel, first * 1000 // WHISPER_RATE, (first + len(samples)) * 1000 // WHISPER_RATE))
    microphone = voices[0] + voices[1] * 10 ** (LEAK_DB / 20)
    stereo = np.stack([microphone, voices[1]], axis=1).clip(-32768, 32767).astype(np.int16)
    path = tmp_path_factory.mktemp("echo") / "leaky_call.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(WHISPER_RATE)
        out.writeframes(stereo.tobytes())
    return path, turns


def test_echo_words_go_to_the_party_who_said_them(library: Library, leaky_call, models_dir, worker):
    path, reference = leaky_call
    # Transcribed first without the stage, to see the echo the rule has to undo.
    recording, job = transcribe_without_stage(library, path, worker, models_dir)
    assert recording.split_channels
    before = library.transcripts.segments(recording.interview_id)
    echo = [w for s in before if s.channel == 0 for w in s.words if _truth(reference, w) == 1]
    assert len(echo) >= 10, "the leak should make Whisper hear the other party on the microphone"
    assert _attributed(library, recording.interview_id, reference) < ATTRIBUTED

    library.jobs.add_speaker_stage(job.id)
    assert Transcriber(library, worker, models_dir).run(job).state is JobState.DONE
    assert _attributed(library, recording.interview_id, reference) >= ATTRIBUTED
    after = library.transcripts.segments(recording.interview_id)
    own = [w.text for s in before if s.channel == 0 for w in s.words if _truth(reference, w) == 0]
    assert [w.text for s in after if s.channel == 0 for w in s.words] == own  # no own word lost
    assert [w.text for s in after if s.channel == 1 for w in s.words] == [
        w.text for s in before if s.channel == 1 for w in s.words
    ]  # the echo copies were dropped, not added to the other party a second time


def test_a_call_without_echo_is_left_as_it_was():
    left = np.r_[-20.0 * np.ones(50), -100.0 * np.ones(50)]
    levels = ChannelLevels(np.stack([left, left[::-1]]).astype(np.float32))
    segments = [
        Segment(1, 1, 0, 900, "hello there", 1, (Word(0, 400, "hello", 1), Word(500, 900, "there", 1)), 0),
        Segment(2, 1, 1000, 1900, "hi", 2, (Word(1000, 1900, "hi", 1),), 1),
    ]
    assert [(t.source.id, t.voice) for t in channel_turns(segments, levels)] == [(1, 0), (2, 1)]
    assert echo_thresholds(levels) == (-np.inf, -np.inf)  # neither level follows the other: no echo


def test_a_steady_level_is_never_taken_for_an_echo():
    """A line's steady hum on the left while the other side talks (after 10 frames of silence). The hum's
    37 frames have a float32 mean one rounding step off, so numpy gives them a spread, yet no correlation."""
    hum = np.full(47, -71.3, np.float32)
    talk = np.r_[[-100.0] * 10, -20.0 + 6 * np.sin(np.arange(37) / 3)]
    levels = ChannelLevels(np.stack([hum, talk]).astype(np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "invalid value" would be the undefined correlation
        assert echo_thresholds(levels) == (-np.inf, -np.inf)


def test_an_echo_word_the_other_channel_missed_is_moved_to_it():
    # 0–1 s: the microphone's own speaker; 1–2 s: the other party, and their echo 20 dB down on the left.
    other = -20.0 + 6 * np.sin(np.arange(50) / 3)  # a voice's level rises and falls; its echo follows
    levels = ChannelLevels(
        np.array([np.r_[[-20.0] * 50, other - 20], np.r_[[-100.0] * 50, other]], np.float32)
    )
    mic = Segment(1, 1, 0, 1900, "yes well", 1, (Word(0, 900, "yes", 1), Word(1000, 1900, "well", 1)), 0)
    turns = channel_turns([mic], levels)
    assert [(t.text, t.voice) for t in turns] == [("yes", 0), ("well", 1)]
    other_side = Segment(2, 1, 1000, 1900, "well", 2, (Word(1000, 1900, "well", 1),), 1)
    assert [t.voice for t in channel_turns([mic, other_side], levels)] == [0, DROP, 1]


def _truth(reference: list[tuple[int, int, int]], word: Word) -> int | None:
    middle = (word.start_ms + word.end_ms) // 2
    inside = [channel for channel, start, end in reference if start <= middle <= end]
    return inside[0] if len(inside) == 1 else None


def _attributed(library: Library, interview_id: int, reference) -> float:
    speakers = {s.id: s.channel for s in library.transcripts.speakers(interview_id)}
    judged = [
        speakers[s.speaker_id] == _truth(reference, w)
        for s in library.transcripts.segments(interview_id)
        for w in s.words
        if _truth(reference, w) is not None
    ]
    assert len(judged) >= 100 and MIXDOWN not in speakers.values()
    return sum(judged) / len(judged)
