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


def quoted_words(segments: list[Segment], start_ms: int, end_ms: int, channel: int | None) -> list[Word]:
    """The words whose middle falls in the stretch (on the channel, when one is given), in time order."""
    words = [
        word
        for segment in segments
        if channel is None or segment.channel == channel
        for word in segment.words
        if start_ms <= (word.start_ms + word.end_ms) // 2 <= end_ms
    ]
    return sorted(words, key=lambda word: word.start_ms)


def quoted_text(words: list[Word]) -> str:
    return " ".join(word.text for word in words)


def main_speaker(segments: list[Segment], start_ms: int, end_ms: int, channel: int | None) -> int | None:
    """Who says most of the quoted words (quotes are attributed to a person, not to a segment)."""
    counts: Counter[int] = Counter()
    for segment in segments:
        if segment.speaker_id is None or (channel is not None and segment.channel != channel):
            continue
        counts[segment.speaker_id] += sum(
            1 for word in segment.words if start_ms <= (word.start_ms + word.end_ms) // 2 <= end_ms
        )
    counts = +counts  # drop speakers with no quoted words
    return counts.most_common(1)[0][0] if counts else None
