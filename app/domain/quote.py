"""Quotes: what a customer said, anchored to when they said it.

A quote is a stretch of time (on one channel of a two-party call); its words and text are read from the
transcript each time. So correcting a misheard word inside a quote changes the quote's text, and splitting
or merging segments leaves it untouched — no character offsets to go stale.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.domain.transcript import Segment, Word


@dataclass(frozen=True, slots=True)
class Quote:
    id: int
    interview_id: int
    guide_id: int | None
    question_key: str | None
    start_ms: int
    end_ms: int
    channel: int | None
    speaker_id: int | None
    note: str | None
    tags: tuple[str, ...]
    text: str
    """Read from the transcript's words in [start_ms, end_ms]; empty if those words were deleted."""


def holds_word(start_ms: int, end_ms: int, channel: int | None, word: Word, word_channel: int | None) -> bool:
    """Whether the stretch [start_ms, end_ms] on `channel` (None: any) holds `word`, heard on `word_channel`.

    The one rule for which words a quote holds, used by every reader (quote text, speaker, transcript tints,
    packs): a word belongs to a quote when its middle is inside. A word half in and half out is decided by
    where most of it lies, so adjacent quotes never share a word and a widened selection never loses one.
    """
    return (channel is None or word_channel == channel) and start_ms <= (
        word.start_ms + word.end_ms
    ) // 2 <= end_ms


def quoted_words(segments: list[Segment], start_ms: int, end_ms: int, channel: int | None) -> list[Word]:
    """The words whose middle falls in the stretch (on the channel, when one is given), in time order."""
    words = [
        word
        for segment in segments
        for word in segment.words
        if holds_word(start_ms, end_ms, channel, word, segment.channel)
    ]
    return sorted(words, key=lambda word: word.start_ms)


def quoted_text(words: list[Word]) -> str:
    return " ".join(word.text for word in words)


def main_speaker(segments: list[Segment], start_ms: int, end_ms: int, channel: int | None) -> int | None:
    """Who says most of the quoted words (quotes are attributed to a person, not to a segment)."""
    counts: Counter[int] = Counter()
    for segment in segments:
        if segment.speaker_id is not None:
            counts[segment.speaker_id] += sum(
                holds_word(start_ms, end_ms, channel, word, segment.channel) for word in segment.words
            )
    counts = +counts  # drop speakers with no quoted words
    return counts.most_common(1)[0][0] if counts else None


def nudged(words: list[Word], start_ms: int, end_ms: int, edge: str, step: int) -> tuple[int, int]:
    """A quote's bounds with its `edge` ("start" or "end") moved by `step` words (negative: earlier),
    snapped to whole words (those whose middle is inside, as `holds_word` counts them) and never past
    the other edge: at least one word stays quoted."""
    inside = [index for index, word in enumerate(words) if holds_word(start_ms, end_ms, None, word, None)]
    if not inside:
        return start_ms, end_ms
    first, last = inside[0], inside[-1]
    if edge == "start":
        first = min(max(first + step, 0), last)
    else:
        last = max(min(last + step, len(words) - 1), first)
    return words[first].start_ms, words[last].end_ms
