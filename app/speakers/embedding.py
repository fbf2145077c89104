"""Speech of a recording turned into window embeddings, one chunk at a time (runs in the worker process).

Chunks bound the memory of a long call: the features and windows of one chunk exist at a time, and the
caller stores each chunk's embeddings with the stage's cursor, so an interrupted stage resumes there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from app.media.decode import WHISPER_RATE
from app.speakers.embedder import SpeakerEmbedder
from app.speakers.features import FRAME_SHIFT_MS, fbank
from app.speakers.speech import speech_frames
from app.speakers.windows import CHUNK_MS, HOP_MS, WINDOW_MS, SpeakerWindows

_MIN_SPEECH_SHARE = 0.5  # a window mostly of silence says little about a voice
_WINDOW_FRAMES = WINDOW_MS // FRAME_SHIFT_MS
_HOP_FRAMES = HOP_MS // FRAME_SHIFT_MS


def embed_chunks(
    blocks: Iterable[np.ndarray], embedder: SpeakerEmbedder, start_ms: int = 0, chunk_ms: int = CHUNK_MS
) -> Iterator[tuple[int, SpeakerWindows]]:
    """(cursor_ms, windows) for each chunk from `start_ms` on of a recording given as consecutive int16
    16 kHz sample `blocks` from its start.

    A chunk holds the windows that start in [chunk start, cursor_ms); its audio runs one window further so
    those windows are whole. Resuming from a yielded cursor gives exactly the windows of a single run.
    Only one chunk of audio (plus a block) is held at a time.
    """
    if start_ms % HOP_MS or chunk_ms % HOP_MS:
        raise ValueError(f"Speaker chunks must start on the {HOP_MS} ms window grid.")
    held = _Held()
    chunk_start = start_ms
    for block in blocks:
        held.append(block)
        held.forget_before(chunk_start)
        while held.end >= _index(chunk_start + chunk_ms + WINDOW_MS):
            cursor_ms = chunk_start + chunk_ms
            audio = held.between(chunk_start, cursor_ms + WINDOW_MS)
            yield cursor_ms, _embed_chunk(audio, chunk_start, chunk_ms, embedder)
            held.forget_before(cursor_ms)
            chunk_start = cursor_ms
    duration_ms = held.end * 1000 // WHISPER_RATE
    while chunk_start < duration_ms:
        cursor_ms = min(chunk_start + chunk_ms, duration_ms)
        audio = held.between(chunk_start, cursor_ms + WINDOW_MS)
        yield cursor_ms, _embed_chunk(audio, chunk_start, cursor_ms - chunk_start, embedder)
        held.forget_before(cursor_ms)
        chunk_start = cursor_ms


class _Held:
    """The samples not embedded yet: the recording's from index `start` on."""

    def __init__(self) -> None:
        self.samples = np.zeros(0, dtype=np.int16)
        self.start = 0

    @property
    def end(self) -> int:
        return self.start + len(self.samples)

    def append(self, block: np.ndarray) -> None:
        self.samples = np.concatenate([self.samples, block])

    def between(self, start_ms: int, end_ms: int) -> np.ndarray:
        return self.samples[_index(start_ms) - self.start : _index(end_ms) - self.start]

    def forget_before(self, ms: int) -> None:
        cut = min(max(_index(ms) - self.start, 0), len(self.samples))
        if cut:
            self.samples = self.samples[cut:].copy()  # a copy, so the part let go is freed
            self.start += cut


def _embed_chunk(
    audio: np.ndarray, offset_ms: int, span_ms: int, embedder: SpeakerEmbedder
) -> SpeakerWindows:
    features = fbank(audio)
    speech = speech_frames(audio, len(features))
    starts = [
        frame
        for frame in range(0, span_ms // FRAME_SHIFT_MS, _HOP_FRAMES)
        if frame + _WINDOW_FRAMES <= len(features)
        and speech[frame : frame + _WINDOW_FRAMES].mean() >= _MIN_SPEECH_SHARE
    ]
    if not starts:
        return SpeakerWindows.empty()
    windows = np.stack([features[frame : frame + _WINDOW_FRAMES] for frame in starts])
    return SpeakerWindows(
        np.array(starts, dtype=np.int64) * FRAME_SHIFT_MS + offset_ms, embedder.embed(windows)
    )


def _index(ms: int) -> int:
    return ms * WHISPER_RATE // 1000
