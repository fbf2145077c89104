"""Every word gets the voice of the windows around it; segments are cut where the voice changes.

Words, not segments: Whisper's segments often hold both voices of a quick exchange, and labelling whole
segments was worse than calling everyone one speaker on the AMI meeting clip (see the model's provenance).
A word takes the voice with the highest summed similarity over the windows covering its midpoint; a word
no window covers (Whisper heard it where the VAD heard silence) takes the nearest window's voice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.domain.transcript import Segment, Word
from app.speakers.windows import WINDOW_MS, SpeakerWindows


@dataclass(frozen=True, slots=True)
class Turn:
    """The words `first` to `last` (exclusive) of one stored segment, spoken by one voice."""

    source: Segment
    first: int
    last: int
    voice: int

    @property
    def whole(self) -> bool:
        return self.first == 0 and self.last == len(self.source.words)

    @property
    def words(self) -> tuple[Word, ...]:
        return self.source.words[self.first : self.last]

    @property
    def text(self) -> str:
        """This turn's part of the segment's text, as Whisper wrote it ("demi-sorry", not "demi -sorry")."""
        if self.whole:
            return self.source.text
        starts = _word_starts(self.source)
        if starts is None:  # the text was edited beyond its words: join the words
            return " ".join(word.text for word in self.words)
        end = starts[self.last] if self.last < len(starts) else len(self.source.text)
        return self.source.text[starts[self.first] : end].strip()

    @property
    def start_ms(self) -> int:
        return self.source.start_ms if self.whole else self.words[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.source.end_ms if self.whole else self.words[-1].end_ms


def _word_starts(segment: Segment) -> list[int] | None:
    """Where each word begins in the segment's text, or None if a word cannot be found there in order."""
    starts, cursor = [], 0
    for word in segment.words:
        found = segment.text.find(word.text, cursor)
        if found < 0:
            return None
        starts.append(found)
        cursor = found + len(word.text)
    return starts


def voices_at(times_ms: np.ndarray, windows: SpeakerWindows, scores: np.ndarray) -> np.ndarray:
    """The voice (column of `scores`) speaking at each of `times_ms`; all 0 when there are no windows."""
    times = np.asarray(times_ms, dtype=np.int64)
    if len(windows) == 0:
        return np.zeros(len(times), dtype=np.int64)
    starts = windows.starts_ms
    # Windows are in time order and equally long, so those covering t are a contiguous slice.
    first = np.searchsorted(starts, times - WINDOW_MS, side="left")
    last = np.searchsorted(starts, times, side="right")
    cumulative = np.vstack([np.zeros((1, scores.shape[1])), np.cumsum(scores, axis=0)])
    covered = cumulative[last] - cumulative[first]
    nearest = _nearest(windows.centres_ms, times)
    summed = np.where((last > first)[:, None], covered, scores[nearest])
    return np.argmax(summed, axis=1)


def _nearest(sorted_ms: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Index of the value of `sorted_ms` closest to each of `times` (no n×m matrix: calls are long)."""
    after = np.clip(np.searchsorted(sorted_ms, times), 0, len(sorted_ms) - 1)
    before = np.clip(after - 1, 0, len(sorted_ms) - 1)
    return np.where(np.abs(sorted_ms[after] - times) < np.abs(sorted_ms[before] - times), after, before)


def turns(segments: list[Segment], windows: SpeakerWindows, scores: np.ndarray) -> list[Turn]:
    """`segments` cut into single-voice turns, in order; a segment without words keeps its midpoint's voice."""
    midpoints = [
        [(word.start_ms + word.end_ms) // 2 for word in segment.words]
        or [(segment.start_ms + segment.end_ms) // 2]
        for segment in segments
    ]
    flat = voices_at(np.array([t for times in midpoints for t in times], dtype=np.int64), windows, scores)
    result: list[Turn] = []
    position = 0
    for segment, times in zip(segments, midpoints, strict=True):
        voices = flat[position : position + len(times)].tolist()
        position += len(times)
        result.extend(runs(segment, voices))
    return result


def runs(segment: Segment, voices: list[int]) -> list[Turn]:
    """The segment cut where the voice of its words (`voices`, one per word) changes."""
    if not segment.words:
        return [Turn(segment, 0, 0, voices[0])]
    pieces, start = [], 0
    for index in range(1, len(voices) + 1):
        if index == len(voices) or voices[index] != voices[start]:
            pieces.append(Turn(segment, start, index, voices[start]))
            start = index
    return pieces


def segments_from_turns(
    turns: list[Turn], speaker_ids: dict[int, int], channels: dict[int, int] | None = None
) -> tuple[list[Segment], list[Segment]]:
    """(remove, add) that make the stored segments read as `turns`; unchanged segments are in neither.

    `speaker_ids` maps each voice to its speaker; `channels`, on a two-channel call, maps a voice to its
    channel (a word moved to the other party moves to their channel). A segment's first turn keeps the
    segment's id, so whatever anchors to it stays; the others get new ids (id 0). Turns of voice -1 are
    left out.
    """
    remove: list[Segment] = []
    add: list[Segment] = []
    by_source: dict[int, list[Turn]] = {}
    for turn in turns:
        by_source.setdefault(turn.source.id, []).append(turn)
    for pieces in by_source.values():
        source = pieces[0].source
        kept = [piece for piece in pieces if piece.voice >= 0]
        rewritten = [
            Segment(
                id=source.id if index == 0 else 0,
                interview_id=source.interview_id,
                start_ms=piece.start_ms,
                end_ms=piece.end_ms,
                text=piece.text,
                speaker_id=speaker_ids[piece.voice],
                words=piece.words,
                channel=channels[piece.voice] if channels is not None else source.channel,
            )
            for index, piece in enumerate(kept)
        ]
        if rewritten != [source]:
            remove.append(source)
            add.extend(rewritten)
    return remove, add
