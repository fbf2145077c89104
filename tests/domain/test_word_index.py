"""The transcript's word index without Qt: where each word was laid out and which word is said when."""

from __future__ import annotations

import pytest

from app.domain.transcript import Segment, Word
from app.domain.word_index import LINGER_MS, WordIndex, utf16_length


def laid_out(*segments: Segment, header: int = 5) -> tuple[WordIndex, str]:
    """Lay segments out as the view does: a header of `header` characters before each, then its words."""
    index, text = WordIndex(), ""
    for segment in segments:
        segment_position = utf16_length(text)
        text += "H" * header + "\n"
        text += index.add_segment(segment, segment_position, utf16_length(text)) + "\n"
    index.finish()
    return index, text


def words(*spans: tuple[int, int, str]) -> tuple[Word, ...]:
    return tuple(Word(start, end, text, 0.9) for start, end, text in spans)


FIRST = Segment(
    1, 1, 0, 2000, "", 1, words((0, 400, "Hello"), (500, 900, " there,"), (1000, 1900, "  friend")), 0
)
SECOND = Segment(2, 1, 700, 5000, "", 2, words((700, 4000, "Wait"), (4100, 4500, "🙂ok")), 1)


def test_words_are_found_where_they_were_written():
    index, text = laid_out(FIRST, SECOND)
    for word, expected in enumerate(["Hello", "there,", "friend", "Wait", "🙂ok"]):
        start, end = index.word_starts[word], index.word_ends[word]
        assert text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le") == expected
        assert index.word_at(start) == word and index.word_at(end) == word
    assert index.segment_at(0) == 0, "the header belongs to its segment"
    assert index.segment_at(index.segment_positions[1]) == 1
    assert index.word_of(2, 1) == 4
    with pytest.raises(IndexError):
        index.word_of(1, 3)
    with pytest.raises(KeyError):
        index.word_of(9, 0)
    assert index.words_between(index.word_starts[1] + 1, index.word_starts[3] + 1) == [(1, 1), (1, 2), (2, 0)]


def test_the_word_said_at_a_time_even_during_crosstalk():
    index, _text = laid_out(FIRST, SECOND)
    assert index.word_at_time(-1) is None
    assert index.word_at_time(200) == 0
    assert index.word_at_time(950) == 3, "the other channel's long word is still being said in the gap"
    assert index.word_at_time(1500) == 2
    assert index.word_at_time(3000) == 3, "a long word started before the latest one is still going on"
    assert index.word_at_time(4500 + LINGER_MS) == 4, "lingers in a short pause"
    assert index.word_at_time(4501 + LINGER_MS) is None


def test_runs_cover_the_spaces_between_words_but_not_a_header():
    index, _text = laid_out(FIRST, SECOND)
    assert index.runs([0, 1, 2, 3]) == [
        (index.word_starts[0], index.word_ends[2]),
        (index.word_starts[3], index.word_ends[3]),
    ]
    assert index.words_in(0, 5000, 0) == [0, 1, 2]
    assert index.words_in(0, 5000, None) == [0, 1, 2, 3, 4]


def test_a_selection_says_its_text_span_and_who_says_most_of_it():
    index, _text = laid_out(FIRST, SECOND)
    selection = index.selection([(1, 1), (1, 2), (2, 0)])
    assert (selection.text, selection.start_ms, selection.end_ms) == ("there, friend Wait", 500, 4000)
    assert selection.speaker_id == 1, "two of the three words are speaker 1's"
