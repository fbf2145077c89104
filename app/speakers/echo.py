"""Two-channel calls: each word belongs to the channel that is louder for it, beyond the echo's level.

On a call recorded as microphone + the other party, the microphone also picks up the other party from the
laptop's speakers, so Whisper transcribes some of their words on the microphone channel too. No model is
needed to undo that: for each channel we measure how loud the other party's voice comes through on it
(from the stretches where only the other party speaks), and a word whose level difference is not clearly
above that echo level is the other party's. If the other channel already has the word, the echo copy is
dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.domain.transcript import Segment
from app.speakers.attribution import Turn, runs

FRAME_MS = 20
DROP = -1
"""The voice of an echo word whose original is on the other channel already: it is left out."""
_FLOOR_DB = -100.0
_ACTIVE_ABOVE_FLOOR_DB = 20.0  # a channel is speaking when this far above its own noise floor
_MIN_MARGIN_DB = 6.0
# An echo's level follows the other channel's, frame by frame (measured: r ≈ 0.8 for a delayed, noisy
# −20 dB leak, 1.0 for a clean one); two people talking over each other do not (r ≈ 0.2 on the shared
# stereo_diarization clip, 0.0 on the demo call). Below this there is no echo to undo.
_MIN_ECHO_CORRELATION = 0.5


@dataclass(frozen=True, slots=True)
class ChannelLevels:
    """(2, frames) float32 dBFS, one frame every FRAME_MS."""

    db: np.ndarray


def channel_levels(left: np.ndarray, right: np.ndarray, sample_rate: int) -> ChannelLevels:
    """Per-frame loudness of two int16 channels."""
    per_frame = sample_rate * FRAME_MS // 1000
    frames = min(len(left), len(right)) // per_frame
    levels = np.empty((2, frames), dtype=np.float32)
    for channel, samples in enumerate((left, right)):
        blocks = samples[: frames * per_frame].reshape(frames, per_frame).astype(np.float32) / 32768.0
        levels[channel] = 10 * np.log10(np.mean(blocks * blocks, axis=1) + 10 ** (_FLOOR_DB / 10))
    return ChannelLevels(levels)


def echo_thresholds(levels: ChannelLevels) -> tuple[float, float]:
    """For each channel, the level difference (own − other, dB) a word must exceed to be its own.

    Measured in the frames where the other channel speaks. Where only the other party speaks, the own
    channel carries just their echo, and the difference is the echo level; where both speak at once it is
    higher. So the echo level is the low end of those differences (their 20th percentile), and the margin
    above it is twice the spread below it (down to the 5th percentile), at least 6 dB. A channel whose
    level does not follow the other's has no echo: its threshold is -inf.
    """
    db = levels.db
    thresholds = []
    for own, other in ((0, 1), (1, 0)):
        floor = np.percentile(db[other], 10) if db.shape[1] else _FLOOR_DB
        speaking = db[other] > floor + _ACTIVE_ABOVE_FLOOR_DB
        if (
            np.count_nonzero(speaking) < 2
            or _correlation(db[own, speaking], db[other, speaking]) < _MIN_ECHO_CORRELATION
        ):
            thresholds.append(-np.inf)
            continue
        low, echo = np.percentile(db[own, speaking] - db[other, speaking], [5, 20])
        thresholds.append(float(echo + max(_MIN_MARGIN_DB, 2 * (echo - low))))
    return thresholds[0], thresholds[1]


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson's r, or 0 where a level does not vary. A float32 level that is constant but for rounding has
    a tiny non-zero spread whose square underflows: r is then NaN, and NaN < a threshold is False, which
    would have taken a steady level for an echo."""
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.corrcoef(a, b)[0, 1]
    return float(r) if np.isfinite(r) else 0.0


def channel_turns(segments: list[Segment], levels: ChannelLevels) -> list[Turn]:
    """The two channels' segments cut into turns whose voice is the channel that spoke them (or DROP)."""
    thresholds = echo_thresholds(levels)
    heard = {channel: _word_spans([s for s in segments if s.channel == channel]) for channel in (0, 1)}
    result: list[Turn] = []
    for segment in segments:
        own = segment.channel
        if own not in (0, 1) or not segment.words:
            result.append(Turn(segment, 0, len(segment.words), own if own in (0, 1) else 0))
            continue
        voices = []
        for word in segment.words:
            if _difference(levels, own, word.start_ms, word.end_ms) > thresholds[own]:
                voices.append(own)
            else:
                voices.append(DROP if _overlaps(heard[1 - own], word.start_ms, word.end_ms) else 1 - own)
        result.extend(runs(segment, voices))
    return result


def _difference(levels: ChannelLevels, own: int, start_ms: int, end_ms: int) -> float:
    """Own minus other channel's level over a word, energies averaged (a loud syllable dominates)."""
    first = start_ms // FRAME_MS
    last = max(end_ms // FRAME_MS + 1, first + 1)
    span = levels.db[:, first:last]
    if span.shape[1] == 0:
        return np.inf
    energy = np.mean(10 ** (span / 10), axis=1)
    return float(10 * np.log10(energy[own] / energy[1 - own]))


def _word_spans(segments: list[Segment]) -> np.ndarray:
    """(n, 2) start/end ms of the words on one channel, sorted by start."""
    spans = [(word.start_ms, word.end_ms) for segment in segments for word in segment.words]
    return np.array(sorted(spans), dtype=np.int64).reshape(-1, 2)


def _overlaps(spans: np.ndarray, start_ms: int, end_ms: int) -> bool:
    before = np.searchsorted(spans[:, 0], end_ms, side="right")
    return bool(np.any(spans[:before, 1] >= start_ms))
