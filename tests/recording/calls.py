"""Two-party calls built from real read speech, for the live-transcription tests and bench/live.py.

The interviewer's channel reads one speaker's utterances and the customer's another's, in turns: the
interviewer says one, the customer answers with one or two, 0.5–2 s apart, the other channel silent
meanwhile. Each utterance is used once (the long-form folder's README: a looped clip makes Whisper decode
again and again), its reference text kept with its place in the call.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

LONGFORM = Path(os.environ.get("EARFUL_SHARED", "/work/shared")) / "data" / "longform"
SPEAKERS = ("librispeech-4088", "librispeech-5652")
"""Interviewer, customer: the two long chapters, read by two people."""


@dataclass(frozen=True, slots=True)
class Utterance:
    channel: int
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True, slots=True)
class Call:
    tracks: tuple[Path, Path]
    """One mono 16-bit WAV per channel, the same length: play each into its own sink."""
    utterances: tuple[Utterance, ...]
    rate: int

    def reference(self, channel: int) -> str:
        return " ".join(u.text for u in self.utterances if u.channel == channel)


def build_call(seconds: float, folder: Path, rate: int = 48_000, seed: int = 16) -> Call:
    """A call at least `seconds` long (as long as the two readers' utterances allow)."""
    from scipy.signal import resample_poly

    rows = [line.split("\t") for line in (LONGFORM / "MANIFEST.tsv").read_text().splitlines()[1:]]
    queues = [sorted(row[0] for row in rows if row[2] == speaker) for speaker in SPEAKERS]
    rng = random.Random(seed)
    pieces: list[list[np.ndarray]] = [[], []]
    utterances, at = [], 0.0
    channel = 0
    while at < seconds and queues[channel]:
        for _ in range(1 if channel == 0 else rng.choice((1, 2))):
            if not queues[channel]:
                break
            name = queues[channel].pop(0)
            audio, source_rate = soundfile.read(LONGFORM / name, dtype="float32")
            audio = resample_poly(audio, rate // 100, source_rate // 100).astype(np.float32)
            gap = np.zeros(round(rng.uniform(0.5, 2.0) * rate), np.float32)
            for side in (0, 1):
                pieces[side].append(gap)
                pieces[side].append(audio if side == channel else np.zeros_like(audio))
            start = at + len(gap) / rate
            at = start + len(audio) / rate
            text = (LONGFORM / name.replace(".flac", ".ref.txt")).read_text().strip()
            utterances.append(Utterance(channel, start, at, text))
        channel = 1 - channel
    tail = np.zeros(rate, np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    tracks = []
    for side, name in enumerate(("interviewer", "customer")):
        path = folder / f"call-{name}.wav"
        soundfile.write(path, np.clip(np.concatenate([*pieces[side], tail]), -1, 1), rate, subtype="PCM_16")
        tracks.append(path)
    return Call((tracks[0], tracks[1]), tuple(utterances), rate)


def call_wav(call: Call, path: Path) -> Path:
    """The call as the recorder would have written it: both tracks as the channels of one crash-safe WAV."""
    from app.media.wav_writer import CrashSafeWav

    left, _ = soundfile.read(call.tracks[0], dtype="int16")
    right, _ = soundfile.read(call.tracks[1], dtype="int16")
    wav = CrashSafeWav(path, call.rate, 2)
    wav.append(np.stack([left, right], axis=1))
    wav.close()
    return path
