"""The worker-process half of the speaker stage: what runs where a crash or a cancel ends only the worker.

The services layer sends these functions to the transcription worker in a `StageRequest` (pickled by
name); they decode the recording once and stream small picklable results back. Their heavy imports (PyAV,
kaldi-native-fbank, onnxruntime) happen inside them, in the worker, never in the GUI's or CLI's process,
which imports this module to name them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.speakers.windows import CHUNK_MS, SpeakerWindows

_embedders: dict[str, object] = {}  # the worker keeps the model loaded between jobs


@dataclass(frozen=True, slots=True)
class EmbedRequest:
    """Embed the speech of a recording's mixdown from `start_ms` (a stored cursor) to its end."""

    audio_path: str
    model_path: str
    start_ms: int
    duration_ms: int
    """The recording's length as imported, for the progress of each chunk (the stream's end is not known
    before it is reached)."""
    chunk_ms: int = CHUNK_MS
    threads: int = 0
    """The model's threads: 0 for one per core; 1 beside Whisper's transcription, which keeps its own (one
    thread also took less CPU per window: 19 against 21 ms on a 2-core machine)."""


@dataclass(frozen=True, slots=True)
class WindowsReady:
    """One chunk's windows; everything before `cursor_ms` is now embedded."""

    cursor_ms: int
    duration_ms: int
    windows: SpeakerWindows

    @property
    def progress(self) -> float:
        return min(self.cursor_ms / self.duration_ms, 1.0) if self.duration_ms else 1.0


@dataclass(frozen=True, slots=True)
class LevelsRequest:
    """Measure the loudness of both channels of a two-channel recording."""

    audio_path: str


def embed_recording(request: EmbedRequest, send: Callable[[object], None]) -> None:
    from app.media.blocks import mono_blocks
    from app.speakers.embedder import SpeakerEmbedder
    from app.speakers.embedding import embed_chunks

    key = f"{request.model_path} ({request.threads} threads)"
    if key not in _embedders:
        _embedders.clear()
        _embedders[key] = SpeakerEmbedder(Path(request.model_path), request.threads)
    embedder = _embedders[key]
    blocks = mono_blocks(Path(request.audio_path))
    for cursor_ms, windows in embed_chunks(blocks, embedder, request.start_ms, request.chunk_ms):
        send(WindowsReady(cursor_ms, request.duration_ms, windows))


def measure_levels(request: LevelsRequest, send: Callable[[object], None]) -> None:
    from app.media.decode import WHISPER_RATE, decode_for_whisper
    from app.speakers.echo import channel_levels

    left, right = decode_for_whisper(Path(request.audio_path), split_stereo=True)
    send(channel_levels(left, right, WHISPER_RATE))
