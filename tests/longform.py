"""Long recordings built from distinct real utterances (`$EARFUL_SHARED/data/longform`, see its README),
with their concatenated references, for the long-form tests and `bench/longform.py`.

Never loop a clip: Whisper re-decodes repetitive windows at higher temperatures, so a looped recording
says nothing about real ones. Speakers take turns of a few consecutive utterances, 0.5–2 s apart.
"""

from __future__ import annotations

import csv
import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

SHARED = Path(os.environ.get("EARFUL_SHARED", Path(__file__).resolve().parents[2] / "shared"))
LONGFORM = SHARED / "data" / "longform"
HARD_PASSAGE = SHARED / "data" / "speech" / "ami_dev00.wav"
"""Thirty seconds of a real meeting (crosstalk, far microphone): no reference, only speech to cover."""
RATE = 16_000
TURN = 3
"""Consecutive utterances one speaker reads before the next one's turn."""


@dataclass(frozen=True, slots=True)
class LongRecording:
    path: Path
    seconds: float
    reference: str
    utterances: int
    hard_passage_ms: tuple[int, int] | None
    """Where the meeting clip sits, when one was put in."""


def available_seconds() -> float:
    """All the distinct speech the folder holds (each utterance may go in once)."""
    return sum(float(row["seconds"]) for row in _manifest())


def build_recording(minutes: float, path: Path, hard_passage: bool = False) -> LongRecording:
    """At least `minutes` of distinct utterances (the meeting clip halfway when `hard_passage`), written to
    `path` as 16-bit mono 16 kHz WAV. Refuses a length the folder cannot give without repeating a clip."""
    from faster_whisper.audio import decode_audio

    rng = random.Random(round(minutes * 60))
    order = _turn_order()
    target = minutes * 60
    parts: list[np.ndarray] = []
    references: list[str] = []
    seconds = 0.0
    for row in order:
        if seconds >= target:
            break
        clip = decode_audio(str(LONGFORM / row["file"]), sampling_rate=RATE)
        gap = np.zeros(round(rng.uniform(0.5, 2.0) * RATE), dtype=np.float32)
        parts += [clip, gap]
        references.append((LONGFORM / row["file"]).with_suffix(".ref.txt").read_text().strip())
        seconds += (len(clip) + len(gap)) / RATE
    if seconds < target:
        raise ValueError(
            f"{LONGFORM} holds {available_seconds() / 60:.1f} minutes of distinct speech: "
            f"{minutes:g} minutes would need a clip twice."
        )
    hard_ms = None
    if hard_passage:
        middle = len(parts) // 2 & ~1  # after a gap
        at_ms = sum(len(part) for part in parts[:middle]) * 1000 // RATE
        clip = decode_audio(str(HARD_PASSAGE), sampling_rate=RATE)
        parts[middle:middle] = [clip, np.zeros(RATE, dtype=np.float32)]
        hard_ms = (at_ms, at_ms + len(clip) * 1000 // RATE)
    audio = np.concatenate(parts)
    soundfile.write(path, audio, RATE, subtype="PCM_16")
    return LongRecording(path, len(audio) / RATE, " ".join(references), len(references), hard_ms)


def _manifest() -> list[dict[str, str]]:
    with open(LONGFORM / "MANIFEST.tsv", newline="") as file:
        return list(csv.DictReader(file, delimiter="\t"))


def _turn_order() -> list[dict[str, str]]:
    """Every utterance once: speakers in turn, TURN consecutive utterances each, as in a conversation."""
    by_speaker: dict[str, list[dict[str, str]]] = {}
    for row in _manifest():
        by_speaker.setdefault(row["speaker_id"], []).append(row)
    queues = [sorted(rows, key=lambda row: row["file"]) for rows in by_speaker.values()]
    order = []
    while any(queues):
        for queue in queues:
            order += queue[:TURN]
            del queue[:TURN]
    return order
