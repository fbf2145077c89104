"""faster-whisper turned into a stream of stored-ready segments, one window of audio at a time.

faster-whisper computes the spectrogram of the whole array it is given; for an hour of audio that alone is
over a gigabyte. So long audio goes in windows of `WINDOW_MS`; each window after the first starts where the
last complete segment of the one before ended, the same rule that resumes an interrupted job. Audio up to
one window long is a single call, identical to a bare `model.transcribe(audio, **options)`.

Longer audio may go in *lanes* (`TranscriptionOptions.lanes`): cut at pauses into chunks that decode two at
a time, one model with one thread per lane. tiny.en's beam search keeps two threads of one decoder only
partly busy on two cores; two one-thread decoders keep both busy.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
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
# A lane's chunk: at least this long (or the audio left shared among the lanes, when that is less), cut in
# the middle of the first pause of LANE_PAUSE_MS or more after it. Each chunk is decoded on its own
# (Whisper's conditioning on the text before starts afresh), so fewer, longer chunks keep more context:
# bench/longform.py, two lanes beam 5 on 10 and 30 minutes, pooled WER 0.098 and 0.092 with 2.5-minute
# chunks, 0.086 and 0.091 with 5-minute ones (sequential: 0.090 on both).
LANE_CHUNK_MS = WINDOW_MS
LANE_PAUSE_MS = 500


def load_model(model_path: str, threads: int = 0) -> WhisperModel:
    """tiny.en as Earful runs it; `threads` 0: CTranslate2's default (one per core, at most four)."""
    from faster_whisper import WhisperModel

    return WhisperModel(model_path, device="cpu", compute_type="int8", cpu_threads=threads)


def lanes_for(options: TranscriptionOptions, duration_ms: int, start_ms: int) -> int:
    """How many chunks of a pass decode at once: `options.lanes` when more than one window of audio is left
    to transcribe (so audio up to a window stays one call, identical to a bare faster-whisper run), else 1.
    The batched pipeline decodes several chunks at once by itself."""
    if options.batch_size or duration_ms - start_ms <= WINDOW_MS:
        return 1
    return max(options.lanes, 1)


def lane_chunks(
    spans: Sequence[tuple[int, int]], start_ms: int, duration_ms: int, lanes: int
) -> list[tuple[int, int]]:
    """(start_ms, end_ms) pieces covering `start_ms` to `duration_ms`, cut only in pauses between the speech
    `spans` (see LANE_CHUNK_MS), so no word is cut in two; a short last piece joins the one before."""
    least = min(LANE_CHUNK_MS, (duration_ms - start_ms) // lanes)
    cuts = [start_ms]
    for (_, pause_start), (pause_end, _) in itertools.pairwise(spans):
        middle = (pause_start + pause_end) // 2
        if pause_end - pause_start >= LANE_PAUSE_MS and middle - cuts[-1] >= least:
            cuts.append(middle)
    if len(cuts) > 1 and duration_ms - cuts[-1] < least // 2:
        cuts.pop()
    return list(zip(cuts, [*cuts[1:], duration_ms], strict=True))


_CHUNK_DONE = object()


def transcribe_in_lanes(
    models: Sequence[WhisperModel],
    samples: np.ndarray,
    options: TranscriptionOptions,
    channel: int,
    start_ms: int,
    spans: Sequence[tuple[int, int]],
) -> Iterator[TranscribedSegment]:
    """Segments of int16 16 kHz `samples` from `start_ms` on, in time order, decoding one chunk per model
    at once (`spans`: the VAD's speech, see `lane_chunks`).

    Chunk k always goes to lane k % lanes, whose model serves only that lane: CTranslate2 seeds a thread's
    sampler at its first draw, so the same file gives the same text every time. A chunk's segments come as
    soon as every chunk before it is done, so the caller commits them in order with its cursor, and a
    resumed pass (a later `start_ms`) is cut again from there.
    """
    duration_ms = len(samples) * 1000 // WHISPER_RATE
    chunks = lane_chunks([span for span in spans if span[0] >= start_ms], start_ms, duration_ms, len(models))
    found: list[queue.SimpleQueue] = [queue.SimpleQueue() for _ in chunks]
    stop = threading.Event()

    def lane(first: int) -> None:
        for number in range(first, len(chunks), len(models)):
            chunk_start, chunk_end = chunks[number]
            try:
                window = to_float(samples[_index(chunk_start) : _index(chunk_end)])
                for raw in decode(models[first], window, options):
                    if stop.is_set():
                        return
                    found[number].put(segment_from_whisper(raw, chunk_start, channel))
            except Exception as error:
                found[number].put(error)
                return
            found[number].put(_CHUNK_DONE)

    for first in range(min(len(models), len(chunks))):
        threading.Thread(target=lane, args=(first,), name=f"earful-lane-{first}", daemon=True).start()
    try:
        for chunk in found:
            while (item := chunk.get()) is not _CHUNK_DONE:
                if isinstance(item, Exception):
                    raise item
                yield from _turns(item)
    finally:
        stop.set()  # a lane still decoding stops at its next segment


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
