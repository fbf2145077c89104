"""Every stretch of speech holds words: find the ones a pass left empty or filled with a loop, decode them
again on their own, and name what still fails.

Whisper can return nothing for half a minute of a hard passage (crosstalk, a bad line), or loop on one
phrase ("We're here, we're here, …"), and nothing in its output says so (#18). The voice activity detector
(Silero, bundled with faster-whisper) knows where people spoke; a stretch of at least MIN_STRETCH_MS without
a word, or a segment that loops, is a hole. Holes are redone with other decoding settings, one after the
other, until one gives words that do not loop; a hole that survives every attempt becomes an
`UntranscribedSpan`, shown to the user with a retry.
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.transcript import MIXDOWN, Segment, TranscribedSegment, UntranscribedSpan
from app.transcription.options import TranscriptionOptions

if TYPE_CHECKING:
    import numpy as np
    from faster_whisper import WhisperModel

MIN_STRETCH_MS = 2000
# Stretches split where a speaker pauses half a second (faster-whisper's own VAD default waits 2 s), and
# at most 30 s long (one Whisper window), so a long monologue cannot pass on the words of its first sentence.
PAUSE_MS = 500
MAX_STRETCH_S = 30
# Whisper's own threshold: text that gzip shrinks more than this is a loop (faster-whisper's default).
LOOP_COMPRESSION_RATIO = 2.4
# A phrase of up to LOOP_MAX_WORDS words said LOOP_REPEATS times in a row, covering at least LOOP_MIN_WORDS
# words ("we're here, we're here, we're here"): people repeat a word ("no, no, no"), not a phrase thrice.
LOOP_REPEATS = 3
LOOP_MAX_WORDS = 8
LOOP_MIN_WORDS = 6
# Audio decoded around a hole on each side (never into the neighbouring words), so its first and last
# words are not cut.
MARGIN_MS = 300
# The VAD reads this much audio at a time (see speech_stretches).
VAD_PIECE_S = 5 * 60
# Tried in order on each hole: on its own with no earlier text to copy, then sampling (seeded) from a
# higher temperature, then the batched pipeline's way of one pass without timestamp tokens.
REPAIR_ATTEMPTS: tuple[dict, ...] = (
    {"condition_on_previous_text": False, "vad_filter": False},
    {"condition_on_previous_text": False, "vad_filter": False, "temperature": (0.4, 0.6, 0.8, 1.0)},
    {"condition_on_previous_text": False, "vad_filter": False, "without_timestamps": True},
)
# Added when the user retries an untranscribed span: a wider beam, and sampling from another seed.
RETRY_ATTEMPTS: tuple[dict, ...] = (
    {"condition_on_previous_text": False, "vad_filter": False, "beam_size": 10, "patience": 2.0},
    {"condition_on_previous_text": False, "vad_filter": False, "temperature": (0.6, 0.8, 1.0), "seed": 1},
)


@dataclass(frozen=True, slots=True)
class Hole:
    """Where a pass failed: speech stretches with no words, and the looping segments over them."""

    start_ms: int
    end_ms: int
    stretches: tuple[tuple[int, int], ...]
    loops: tuple[int, ...]
    """Ids of stored segments that loop inside the hole: the repair replaces them."""


@dataclass(frozen=True, slots=True)
class Repair:
    """What decoding a hole again gave: segments to store in place of the hole's looping ones, and the
    speech that still has no words."""

    hole: Hole
    segments: tuple[TranscribedSegment, ...]
    untranscribed: tuple[UntranscribedSpan, ...]


def speech_spans(samples: np.ndarray) -> list[tuple[int, int]]:
    """(start_ms, end_ms) of all the speech the VAD hears in int16 16 kHz `samples` (pauses of PAUSE_MS
    split it, and no span is longer than MAX_STRETCH_S): what the coverage check and the lanes' cuts read.

    The VAD goes through VAD_PIECE_S at a time: over an hour at once its float copies alone would take
    about a gigabyte. A span across a piece's edge is cut there (and each part checked on its own).
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from app.media.decode import WHISPER_RATE, to_float

    vad = VadOptions(min_silence_duration_ms=PAUSE_MS, max_speech_duration_s=MAX_STRETCH_S, speech_pad_ms=0)
    step = VAD_PIECE_S * WHISPER_RATE
    return [
        ((offset + chunk["start"]) * 1000 // WHISPER_RATE, (offset + chunk["end"]) * 1000 // WHISPER_RATE)
        for offset in range(0, len(samples), step)
        for chunk in get_speech_timestamps(to_float(samples[offset : offset + step]), vad)
    ]


def speech_stretches(
    samples: np.ndarray, spans: Sequence[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """The speech spans (`spans` when the VAD already ran on these samples) at least MIN_STRETCH_MS long."""
    spans = speech_spans(samples) if spans is None else spans
    return [(start, end) for start, end in spans if end - start >= MIN_STRETCH_MS]


def is_loop(text: str) -> bool:
    """Whether a segment's text is a decoding loop rather than speech (see LOOP_*)."""
    words = re.findall(r"[\w']+", text.lower())
    if len(words) >= LOOP_MIN_WORDS and _compression_ratio(" ".join(words)) > LOOP_COMPRESSION_RATIO:
        return True
    for size in range(1, LOOP_MAX_WORDS + 1):
        for offset in range(size):  # a repeat may start anywhere
            run = 1
            for at in range(offset + size, len(words) - size + 1, size):
                run = run + 1 if words[at : at + size] == words[at - size : at] else 1
                if run >= LOOP_REPEATS and run * size >= LOOP_MIN_WORDS:
                    return True
    return False


def _compression_ratio(text: str) -> float:
    data = text.encode()
    return len(data) / len(zlib.compress(data))


def find_holes(
    stretches: Sequence[tuple[int, int]],
    segments: Sequence[Segment],
    known: Sequence[UntranscribedSpan] = (),
) -> list[Hole]:
    """Every MIN_STRETCH_MS or more of speech without a word of a segment that does not loop, joined with
    the looping segments over it into holes, in time order. Speech inside a `known` untranscribed span is
    left alone (it was tried; the user retries it)."""
    loops = [segment for segment in segments if is_loop(segment.text)]
    words = _word_index([segment for segment in segments if segment not in loops])
    empty = [
        piece for stretch in stretches for piece in wordless(stretch, *words) if not _inside(piece, known)
    ]
    pieces = sorted(
        [(start, end, (), ((start, end),)) for start, end in empty]
        + [(s.start_ms, s.end_ms, (s.id,), ()) for s in loops]
    )
    holes: list[Hole] = []
    for start, end, ids, stretch in pieces:
        if holes and start <= holes[-1].end_ms:
            last = holes[-1]
            holes[-1] = Hole(last.start_ms, max(last.end_ms, end), last.stretches + stretch, last.loops + ids)
        else:
            holes.append(Hole(start, end, stretch, ids))
    return holes


def wordless(
    stretch: tuple[int, int], words: list[tuple[int, int]], starts: list[int]
) -> list[tuple[int, int]]:
    """The parts of a speech stretch, MIN_STRETCH_MS or longer, that no word overlaps (`words` sorted, with
    their `starts`; none is longer than a window). So a stretch that lost one sentence of several shows,
    not only a stretch with no word at all."""
    start, end = stretch
    pieces = []
    cursor = start
    for word_start, word_end in words[bisect.bisect_left(starts, start - MAX_STRETCH_S * 1000) :]:
        if word_start >= end:
            break
        if word_start - cursor >= MIN_STRETCH_MS:
            pieces.append((cursor, word_start))
        cursor = max(cursor, word_end)
    if end - cursor >= MIN_STRETCH_MS:
        pieces.append((cursor, end))
    return pieces


def _inside(stretch: tuple[int, int], spans: Sequence[UntranscribedSpan]) -> bool:
    return any(span.start_ms <= stretch[0] and stretch[1] <= span.end_ms for span in spans)


def repair_holes(
    model: WhisperModel,
    samples: np.ndarray,
    options: TranscriptionOptions,
    channel: int,
    segments: Sequence[Segment],
    known: Sequence[UntranscribedSpan] = (),
    retrying: bool = False,
    spans: Sequence[tuple[int, int]] | None = None,
) -> Iterator[Repair]:
    """Decode each hole of a pass over int16 `samples` again; one Repair per hole, in time order.

    `retrying`: the user asked for another try, so RETRY_ATTEMPTS follow the usual ones. `spans`: the
    samples' `speech_spans`, when the worker computed them beside the pass."""
    # Imported here: the caller imports this module for its values, and should not pay for PyAV.
    from app.media.decode import WHISPER_RATE, to_float
    from app.transcription.engine import decode, segment_from_whisper

    holes = find_holes(speech_stretches(samples, spans), segments, known)
    kept, _starts = _word_index([s for s in segments if not is_loop(s.text)])
    for hole in holes:
        start_ms, end_ms = _decoding_range(hole, kept, len(samples) * 1000 // WHISPER_RATE)
        piece = to_float(samples[start_ms * WHISPER_RATE // 1000 : end_ms * WHISPER_RATE // 1000])
        found: tuple[TranscribedSegment, ...] = ()
        for attempt in REPAIR_ATTEMPTS + (RETRY_ATTEMPTS if retrying else ()):
            decoded = tuple(
                segment_from_whisper(raw, start_ms, channel)
                for raw in decode(model, piece, options, **attempt)
            )
            decoded = tuple(s for s in decoded if s.words and not is_loop(s.text))
            if decoded:
                found = decoded
                if not _missing(hole, found):
                    break
        missing = _missing(hole, found)
        yield Repair(
            hole,
            found,
            tuple(
                UntranscribedSpan(start, end, None if channel == MIXDOWN else channel)
                for start, end in _joined(missing)
            ),
        )


def _decoding_range(hole: Hole, kept: list[tuple[int, int]], duration_ms: int) -> tuple[int, int]:
    """The hole with MARGIN_MS either side, stopping at the words kept around it."""
    before = max((end for _start, end in kept if end <= hole.start_ms), default=0)
    after = min((start for start, _end in kept if start >= hole.end_ms), default=duration_ms)
    return max(hole.start_ms - MARGIN_MS, before), min(hole.end_ms + MARGIN_MS, after)


def _missing(hole: Hole, found: Sequence[TranscribedSegment]) -> list[tuple[int, int]]:
    """The hole's speech that `found` still leaves without words (a loop on no speech leaves nothing)."""
    words = _word_index(found)
    return [piece for stretch in hole.stretches for piece in wordless(stretch, *words)]


def _word_index(segments: Sequence[TranscribedSegment | Segment]) -> tuple[list[tuple[int, int]], list[int]]:
    """Word (start_ms, end_ms) pairs in order, and their starts for bisection."""
    words = sorted((word.start_ms, word.end_ms) for segment in segments for word in segment.words)
    return words, [start for start, _ in words]


def _joined(stretches: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Stretches that touch or lie less than a pause apart, as one span each."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(stretches):
        if joined and start - joined[-1][1] < PAUSE_MS:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined
