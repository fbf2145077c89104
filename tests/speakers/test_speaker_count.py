"""How many people speak on a one-channel call nobody gave a count for: at least two, more when heard.

The conversations are built from real read speech of different shared speakers (`longform/`), one whole
utterance per turn with 0.5–2 s of silence between turns, as its MANIFEST says to build recordings.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from app.domain.transcript import SpeakerRole
from app.media.decode import WHISPER_RATE, decode_for_whisper
from app.services.transcribing import Transcriber, speakers_heard
from tests.speakers.conftest import transcribe

# (speaker folder prefix, utterances) per voice; turns go round the voices in this order.
TWO_VOICES = [("4088-158077", ("0000", "0001", "0002")), ("5652-19215", ("0000", "0001", "0002"))]
THREE_VOICES = [*TWO_VOICES, ("LJ001", ("0001", "0003", "0004"))]
PAUSES_MS = (700, 1500, 1000, 1900, 500, 1200, 800, 1700, 600)


def conversation(longform: Path, voices, path: Path) -> list[tuple[int, int, int]]:
    """Write turns of `voices` taking turns into a 16 kHz mono WAV; returns (voice, start_ms, end_ms)."""
    parts, turns, at = [], [], 0
    for turn in range(len(voices[0][1])):
        for voice, (prefix, utterances) in enumerate(voices):
            [samples] = decode_for_whisper(longform / f"{prefix}-{utterances[turn]}.flac", split_stereo=False)
            pause = np.zeros(WHISPER_RATE * PAUSES_MS[len(turns) % len(PAUSES_MS)] // 1000, dtype=np.int16)
            turns.append((voice, at, at + len(samples) * 1000 // WHISPER_RATE))
            parts += [samples, pause]
            at += (len(samples) + len(pause)) * 1000 // WHISPER_RATE
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(WHISPER_RATE)
        out.writeframes(np.concatenate(parts).tobytes())
    return turns


@pytest.mark.parametrize("voices", [TWO_VOICES, THREE_VOICES], ids=["two voices", "three voices"])
def test_the_voices_heard_are_counted_and_each_gets_its_words(
    library, speech, tmp_path, worker, models_dir, voices
):
    audio = tmp_path / "call.wav"
    reference = conversation(speech.parent / "longform", voices, audio)
    interview_id = transcribe(library, audio, worker, models_dir)
    assert library.transcripts.speaker_count(interview_id) is None  # nobody said how many
    speakers = library.transcripts.speakers(interview_id)
    assert len(speakers) == len(voices)
    pairs = []
    for segment in library.transcripts.segments(interview_id):
        for word in segment.words:
            middle = (word.start_ms + word.end_ms) // 2
            inside = [voice for voice, start, end in reference if start <= middle <= end]
            if inside:
                pairs.append((inside[0], segment.speaker_id))
    # Each voice's words go to one speaker of its own: the speaker most of them went to, distinct per voice.
    chosen = {
        voice: max({s for v, s in pairs if v == voice}, key=lambda s: pairs.count((voice, s)))
        for voice in range(len(voices))
    }
    assert len(set(chosen.values())) == len(voices)
    right = sum(speaker == chosen[voice] for voice, speaker in pairs) / len(pairs)
    assert right >= 0.95, right
    assert [s.role for s in speakers].count(SpeakerRole.INTERVIEWER) == 1


MONOLOGUES = (
    "jfk.flac",
    "librispeech_2412-153948-0000.flac",
    "mfa_acoustic_corpus.wav",
    "digits_10001-90210-01803.wav",
)


@pytest.mark.parametrize("clip", MONOLOGUES)
def test_one_talker_keeps_every_word_unless_the_user_says_two(library, speech, worker, models_dir, clip):
    # Two voices are looked for, but one talker's windows never stand apart: all words stay one speaker's.
    interview_id = transcribe(library, speech / clip, worker, models_dir)
    heard = [s.speaker_id for s in library.transcripts.segments(interview_id) for _ in s.words]
    assert max(heard.count(speaker) for speaker in set(heard)) / len(heard) >= 0.95
    assert speakers_heard(library, interview_id).startswith("1 voice heard")
    if clip == "mfa_acoustic_corpus.wav":  # the user's number is obeyed
        assert (
            Transcriber(library, worker, models_dir).relabel_speakers(interview_id, 2).state.value == "done"
        )
        assert len({s.speaker_id for s in library.transcripts.segments(interview_id)}) == 2
