"""Until the user says how many people speak, a recording with one voice keeps one speaker."""

from __future__ import annotations

import pytest

from tests.speakers.conftest import transcribe


@pytest.mark.parametrize(
    ("clip", "voices"),
    [
        ("jfk.flac", 1),
        ("librispeech_2412-153948-0000.flac", 1),
        ("mfa_acoustic_corpus.wav", 1),
        ("digits_10001-90210-01803.wav", 1),
        ("ami_dev00.wav", 2),
    ],
)
def test_a_monologue_is_not_cut_into_made_up_speakers(library, speech, worker, models_dir, clip, voices):
    interview_id = transcribe(library, speech / clip, worker, models_dir)
    speakers = library.transcripts.speakers(interview_id)
    assert len({s.speaker_id for s in library.transcripts.segments(interview_id)}) == voices
    assert len(speakers) == voices
    if voices == 1:
        assert [s.label for s in speakers] == ["Speaker 1"]
