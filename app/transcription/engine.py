"""faster-whisper turned into a stream of stored-ready segments, one window of audio at a time.

faster-whisper computes the spectrogram of the whole array it is given; for an hour of audio that alone is
over a gigabyte. So long audio goes in windows of `WINDOW_MS`; each window after the first starts where the
last complete segment of the one before ended, the same rule that resumes an interrupted job. Audio up to
one window long is a single call, identical to a bare `model.transcribe(audio, **options)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from app.domain.transcript import MIXDOWN, TranscribedSegment, Word
from app.media.decode import WHISPER_RATE, to_float
from app.transcription.options import TranscriptionOptions

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

# 5 minutes keeps an hour-long call under ~1 GB in the worker (10-minute windows peaked near 1.2 GB).
WINDOW_MS = 5 * 60 * 1000
# Whisper falls back to sampling at higher temperatures when a window's text looks wrong; CTranslate2's
# sampler is seeded with this before every call, so the same file gives the same text every time (#12).
SAMPLING_SEED = 0
# On one channel of a two-party call the other side's turns are silence, and Whisper's VAD glues the turns
# around them into one segment; a pause this long between words starts a new segment instead.
CHANNEL_PAUSE_MS = 1000


def load_model(model_path: str) -> WhisperModel:
    from faster_whisper import WhisperModel

    return WhisperModel(model_path, device="cpu", compute_type="int8")


def transcribe_samples(
    model: WhisperModel,
    samples: np.ndarray,
    options: TranscriptionOptions,
    channel: int,
    start_ms: int = 0,
    window_ms: int = WINDOW_MS,
) -> Iterator[TranscribedSegment]:
    """Segments of int16 16 kHz `samples` from `start_ms` on, with absolute times."""
    duration_ms = len(samples) * 1000 // WHISPER_RATE
    cursor_ms = start_ms
    while cursor_ms < duration_ms:
        window_end_ms = min(cursor_ms + window_ms, duration_ms)
        last_window = window_end_ms >= duration_ms
        window = to_float(samples[_index(cursor_ms) : _index(window_end_ms) if not last_window else None])
        held: TranscribedSegment | None = None
        for raw in decode(model, window, options):
            if held is not None:
                yield from _turns(held)
            held = segment_from_whisper(raw, cursor_ms, channel)
        if held is not None and (last_window or held.start_ms <= cursor_ms):
            yield from _turns(held)
            cursor_ms = max(held.end_ms, cursor_ms + 1)
        elif held is not None:
            # The window's last segment may be cut off by the window's end: transcribe it again with the next.
            cursor_ms = held.start_ms
        else:
            cursor_ms = window_end_ms
        if last_window:
            return


def decode(model: WhisperModel, audio: np.ndarray, options: TranscriptionOptions, **overrides) -> Iterable:
    """faster-whisper's segments for float `audio`: the bare call these options stand for, seeded.

    `overrides` replace keyword arguments of that call (the coverage repair decodes a stretch again with
    other settings), and `seed` is added to SAMPLING_SEED.
    """
    import ctranslate2

    kwargs = {**options.whisper_kwargs(), **overrides}
    ctranslate2.set_random_seed(SAMPLING_SEED + kwargs.pop("seed", 0))
    if kwargs.get("batch_size") and kwargs.get("vad_filter"):
        from faster_whisper import BatchedInferencePipeline

        segments, _info = BatchedInferencePipeline(model).transcribe(audio, **kwargs)
    else:
        # Without VAD the batched pipeline has no way to cut audio longer than 30 s: decode sequentially.
        kwargs.pop("batch_size", None)
        segments, _info = model.transcribe(audio, **kwargs)
    return segments


def _turns(segment: TranscribedSegment) -> list[TranscribedSegment]:
    """A channel's segment split where its words pause (see CHANNEL_PAUSE_MS); the mixdown is left as
    Whisper made it, so it stays identical to a bare faster-whisper run."""
    if segment.channel is None or len(segment.words) < 2:
        return [segment]
    groups: list[list[Word]] = [[segment.words[0]]]
    for previous, word in zip(segment.words, segment.words[1:], strict=False):
        if word.start_ms - previous.end_ms >= CHANNEL_PAUSE_MS:
            groups.append([])
        groups[-1].append(word)
    if len(groups) == 1:
        return [segment]
    return [
        TranscribedSegment(
            start_ms=group[0].start_ms,
            end_ms=group[-1].end_ms,
            text=" ".join(word.text for word in group),
            words=tuple(group),
            channel=segment.channel,
        )
        for group in groups
    ]


def _index(ms: int) -> int:
    return ms * WHISPER_RATE // 1000


def segment_from_whisper(raw, offset_ms: int, channel: int) -> TranscribedSegment:
    """A faster-whisper segment of audio that starts at `offset_ms`, in absolute integer milliseconds."""
    words = tuple(
        Word(
            start_ms=offset_ms + round(word.start * 1000),
            end_ms=offset_ms + round(word.end * 1000),
            text=word.word.strip(),
            probability=float(word.probability),
        )
        for word in raw.words or ()
    )
    return TranscribedSegment(
        start_ms=offset_ms + round(raw.start * 1000),
        end_ms=offset_ms + round(raw.end * 1000),
        text=raw.text.strip(),
        words=words,
        channel=None if channel == MIXDOWN else channel,
    )
