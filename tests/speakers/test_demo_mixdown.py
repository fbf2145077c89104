"""The demo interview's two channels mixed to one: voices told apart, and the interviewer named as such.

The demo's reference says who speaks each turn by role, so this checks the interviewer guess too, over
a longer call (about 2 minutes, 16 turns) than the AMI clip.
"""

from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np

from app.media.decode import WHISPER_RATE, decode_for_whisper
from app.resources import resource_path
from tests.speakers.conftest import transcribe


def test_every_word_goes_to_the_right_role(library, tmp_path: Path, worker, models_dir):
    left, right = decode_for_whisper(resource_path("demo/interview.flac"), split_stereo=True)
    mono = tmp_path / "demo_mono.wav"
    with wave.open(str(mono), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(WHISPER_RATE)
        out.writeframes(((left.astype(np.int32) + right) // 2).astype(np.int16).tobytes())
    interview_id = transcribe(library, mono, worker, models_dir)
    reference = json.loads(resource_path("demo/interview.ref.json").read_text())
    roles = {speaker.id: speaker.role.value for speaker in library.transcripts.speakers(interview_id)}
    judged = []
    for segment in library.transcripts.segments(interview_id):
        for word in segment.words:
            middle = (word.start_ms + word.end_ms) // 2
            inside = [turn["speaker"] for turn in reference if turn["start_ms"] <= middle <= turn["end_ms"]]
            if len(inside) == 1:
                judged.append(inside[0] == roles[segment.speaker_id])
    assert len(judged) >= 150
    assert sum(judged) / len(judged) >= 0.95, sum(judged) / len(judged)
