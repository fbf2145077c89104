"""Corrections to a transcript as pure functions: new segment values from old ones, never I/O.

Word times survive a text correction: the new words are aligned to the old ones, matched words keep their
times, and a word with no match takes its time from its neighbours. Quotes anchor to those times, so fixing
a misheard product name never detaches a quote.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

from app.domain.transcript import Segment, Word

TYPED_PROBABILITY = 1.0  # a word the user typed is as certain as it gets
_NORMAL = re.compile(r"[^\w']+", re.UNICODE)


class EditError(ValueError):
    """The edit makes no sense for this segment; the message says why."""


def realign_words(old: tuple[Word, ...], new_text: str, start_ms: int, end_ms: int) -> tuple[Word, ...]:
    """Words for `new_text`, timed from `old` (segment bounds used where there are no old words)."""
    tokens = new_text.split()
    if not tokens:
        return ()
    if not old:
        return _spread(tokens, start_ms, end_ms)
    matcher = difflib.SequenceMatcher(
        a=[_normal(w.text) for w in old], b=[_normal(t) for t in tokens], autojunk=False
    )
    words: list[Word] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            words.extend(replace(old[a0 + i], text=tokens[b0 + i]) for i in range(b1 - b0))
        elif tag == "replace":
            if a1 - a0 == b1 - b0:
                words.extend(
                    Word(old[a0 + i].start_ms, old[a0 + i].end_ms, tokens[b0 + i], TYPED_PROBABILITY)
                    for i in range(b1 - b0)
                )
            else:
                words.extend(_spread(tokens[b0:b1], old[a0].start_ms, old[a1 - 1].end_ms))
        elif tag == "insert":
            at = words[-1].end_ms if words else old[0].start_ms
            words.extend(Word(at, at, token, TYPED_PROBABILITY) for token in tokens[b0:b1])
    return tuple(words)


def corrected(segment: Segment, new_text: str) -> Segment:
    text = " ".join(new_text.split())
    if not text:
        raise EditError("A segment cannot be empty; delete it instead.")
    return replace(
        segment, text=text, words=realign_words(segment.words, text, segment.start_ms, segment.end_ms)
    )


def split(segment: Segment, word_index: int) -> tuple[Segment, Segment]:
    """Two segments: words before `word_index` and the rest. The second gets id 0 (a new row)."""
    if not 0 < word_index < len(segment.words):
        raise EditError("Split between two words of the segment.")
    left, right = segment.words[:word_index], segment.words[word_index:]
    return (
        replace(segment, end_ms=left[-1].end_ms, text=_text(left), words=left),
        replace(segment, id=0, start_ms=right[0].start_ms, text=_text(right), words=right),
    )


def reassigned_words(segment: Segment, first: int, last: int, speaker_id: int) -> list[Segment]:
    """The segment cut so that words `first`..`last` are spoken by `speaker_id` (the model gave a turn's
    start or end to the wrong voice): up to three pieces in order, the first keeping the segment's id."""
    if not 0 <= first <= last < len(segment.words):
        raise EditError("Choose words of the segment to give to another speaker.")
    runs = [
        (0, first, segment.speaker_id),
        (first, last + 1, speaker_id),
        (last + 1, len(segment.words), segment.speaker_id),
    ]
    pieces = []
    for start, end, speaker in runs:
        if start < end:
            words = segment.words[start:end]
            pieces.append(
                replace(
                    segment,
                    id=0,
                    start_ms=segment.start_ms if start == 0 else words[0].start_ms,
                    end_ms=segment.end_ms if end == len(segment.words) else words[-1].end_ms,
                    text=_text(words),
                    words=words,
                    speaker_id=speaker,
                )
            )
    pieces[0] = replace(pieces[0], id=segment.id)
    return pieces


def merged(first: Segment, second: Segment) -> Segment:
    """One segment holding both, spoken by the first's speaker."""
    if first.interview_id != second.interview_id:
        raise EditError("Only segments of the same interview can be merged.")
    return replace(
        first,
        start_ms=min(first.start_ms, second.start_ms),
        end_ms=max(first.end_ms, second.end_ms),
        text=f"{first.text} {second.text}",
        words=first.words + second.words,
    )


def _text(words: tuple[Word, ...]) -> str:
    return " ".join(word.text for word in words)


def _normal(token: str) -> str:
    return _NORMAL.sub("", token.lower())


def _spread(tokens: list[str], start_ms: int, end_ms: int) -> list[Word]:
    """Share a stretch of time evenly between words the model never heard."""
    step = max(end_ms - start_ms, 0) / len(tokens)
    return [
        Word(round(start_ms + i * step), round(start_ms + (i + 1) * step), token, TYPED_PROBABILITY)
        for i, token in enumerate(tokens)
    ]
