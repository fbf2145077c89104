"""Where every word of a laid-out transcript sits: its place in the text and its time, found by bisection.

A view lays segments out as one text and records, as it goes, the character range of each word (in UTF-16
code units, as Qt's documents count them). Clicks, selections, the playback highlight and quote tints are
then lookups in sorted lists, never searches through the text, which keeps a two-hour interview (~20k
words) responsive while it plays. No Qt here: the index is plain lists, tested on its own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from app.domain.quote import holds_word
from app.domain.transcript import Segment, Word

# A word stays highlighted this long into the pause after it, so the eye does not lose its place between
# phrases; after a longer silence nothing is highlighted.
LINGER_MS = 1500
# How far before a stretch's start a word may begin and still have its middle inside (Whisper words are
# short); bounds the bisection that finds a quote's words.
LONGEST_WORD_MS = 10_000


@dataclass(frozen=True, slots=True)
class WordSelection:
    """Selected words, as the quote bar needs them."""

    words: list[tuple[int, int]]
    """(segment id, word index) in reading order."""
    text: str
    start_ms: int
    end_ms: int
    speaker_id: int | None
    """Who says most of the selected words."""


@dataclass(slots=True)
class WordIndex:
    """Segments and words in text order as they were laid out, plus the words in time order.

    `segment_positions[row]` is where a click selects that segment (its turn's header for the first segment
    of a turn, else its first character); `text_positions[row]` is where its words begin.
    """

    segment_ids: list[int] = field(default_factory=list)
    segment_starts_ms: list[int] = field(default_factory=list)
    segment_speakers: list[int | None] = field(default_factory=list)
    segment_channels: list[int | None] = field(default_factory=list)
    segment_positions: list[int] = field(default_factory=list)
    text_positions: list[int] = field(default_factory=list)
    first_words: list[int] = field(default_factory=list)
    word_starts: list[int] = field(default_factory=list)
    word_ends: list[int] = field(default_factory=list)
    word_keys: list[tuple[int, int]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    by_time: list[int] = field(default_factory=list)
    time_starts: list[int] = field(default_factory=list)
    time_max_ends: list[int] = field(default_factory=list)
    rows: dict[int, int] = field(default_factory=dict)

    def add_segment(self, segment: Segment, segment_position: int, text_position: int) -> str:
        """Record `segment` laid out from `text_position` on; returns the text to insert there (its words
        with runs of whitespace made single spaces, or its text when it has no word times)."""
        self.segment_ids.append(segment.id)
        self.segment_starts_ms.append(segment.start_ms)
        self.segment_speakers.append(segment.speaker_id)
        self.segment_channels.append(segment.channel)
        self.segment_positions.append(segment_position)
        self.text_positions.append(text_position)
        self.first_words.append(len(self.word_keys))
        texts = [" ".join(word.text.split()) for word in segment.words]
        position = text_position
        for word_index, (text, word) in enumerate(zip(texts, segment.words, strict=True)):
            self.word_starts.append(position)
            position += utf16_length(text)
            self.word_ends.append(position)
            position += 1
            self.word_keys.append((segment.id, word_index))
            self.words.append(word)
        return " ".join(texts) if texts else " ".join(segment.text.split())

    def finish(self) -> None:
        """Order the words by time: the two channels of a call overlap, so text order is not time order."""
        self.by_time = sorted(range(len(self.words)), key=lambda word: self.words[word].start_ms)
        self.time_starts = [self.words[word].start_ms for word in self.by_time]
        self.time_max_ends = list(accumulate((self.words[word].end_ms for word in self.by_time), max))
        self.rows = {segment_id: row for row, segment_id in enumerate(self.segment_ids)}

    def segment_at(self, position: int) -> int | None:
        """The row of the segment a text `position` belongs to (headers belong to their turn's first)."""
        row = bisect_right(self.segment_positions, position) - 1
        return row if row >= 0 else None

    def word_at(self, position: int) -> int | None:
        """The word touching `position` (a caret between two characters), in text order."""
        word = bisect_right(self.word_starts, position) - 1
        return word if word >= 0 and position <= self.word_ends[word] else None

    def word_of(self, segment_id: int, word_index: int) -> int:
        """The word's number in text order; KeyError/IndexError if it is not laid out."""
        row = self.rows[segment_id]
        word = self.first_words[row] + word_index
        if word_index < 0 or word >= len(self.word_keys) or self.word_keys[word][0] != segment_id:
            raise IndexError(f"segment {segment_id} has no word {word_index}")
        return word

    def words_between(self, start: int, end: int) -> list[tuple[int, int]]:
        """(segment id, word index) of every word a selection from `start` to `end` touches."""
        return self.word_keys[bisect_right(self.word_ends, start) : bisect_left(self.word_starts, end)]

    def selection(self, keys: list[tuple[int, int]]) -> WordSelection:
        """The text, time span and main speaker of the (non-empty, consecutive) words `keys`."""
        first = self.word_of(*keys[0])
        words = [self.words[word] for word in range(first, first + len(keys))]
        speakers = Counter(self.segment_speakers[self.rows[segment_id]] for segment_id, _ in keys)
        return WordSelection(
            words=keys,
            text=" ".join(word.text.strip() for word in words),
            start_ms=min(word.start_ms for word in words),
            end_ms=max(word.end_ms for word in words),
            speaker_id=speakers.most_common(1)[0][0],
        )

    def word_at_time(self, ms: int) -> int | None:
        """The word being said at `ms`, or the one just said if the pause after it is short."""
        latest = bisect_right(self.time_starts, ms) - 1
        if latest < 0:
            return None
        # Usually the latest word to start is the one being spoken; during crosstalk an earlier, longer
        # word may still be going on. Walk back only while some earlier word still ends after `ms`.
        candidate = latest
        while candidate >= 0 and self.time_max_ends[candidate] > ms:
            if self.words[self.by_time[candidate]].end_ms > ms:
                return self.by_time[candidate]
            candidate -= 1
        word = self.by_time[latest]
        return word if ms - self.words[word].end_ms <= LINGER_MS else None

    def words_in(self, start_ms: int, end_ms: int, channel: int | None) -> list[int]:
        """The words a stretch holds (the quote rule, `holds_word`), in text order."""
        low = bisect_left(self.time_starts, start_ms - LONGEST_WORD_MS)
        high = bisect_right(self.time_starts, end_ms)
        return sorted(
            word
            for word in self.by_time[low:high]
            if holds_word(
                start_ms, end_ms, channel, self.words[word], self.segment_channels[self.row_of(word)]
            )
        )

    def row_of(self, word: int) -> int:
        """The row of the segment that holds `word`."""
        return self.rows[self.word_keys[word][0]]

    def runs(self, words: list[int]) -> list[tuple[int, int]]:
        """Text ranges covering `words` (in text order), one per run of words one space apart, so the spaces
        between the words of a run are covered too but nothing between runs (a header, a new paragraph)."""
        ranges: list[tuple[int, int]] = []
        for word in words:
            if ranges and self.word_starts[word] == ranges[-1][1] + 1:
                ranges[-1] = (ranges[-1][0], self.word_ends[word])
            else:
                ranges.append((self.word_starts[word], self.word_ends[word]))
        return ranges


def utf16_length(text: str) -> int:
    """Document positions count UTF-16 code units: a character outside the BMP (an emoji) takes two."""
    return len(text.encode("utf-16-le")) // 2
