"""The one rule for which words a quote holds, and its readers that must agree with it."""

from __future__ import annotations

from app.domain.quote import holds_word, main_speaker, quoted_words
from app.domain.transcript import Segment, Word
from app.domain.word_index import WordIndex


def test_a_word_belongs_to_a_stretch_when_its_middle_is_inside():
    word = Word(1000, 1400, "price", 0.9)  # middle 1200
    assert holds_word(1200, 2000, None, word, 0), "the middle on the start edge counts"
    assert holds_word(0, 1200, None, word, 0), "the middle on the end edge counts"
    assert not holds_word(1201, 2000, None, word, 0), "mostly before the stretch"
    assert not holds_word(0, 1199, None, word, 0), "mostly after the stretch"
    assert holds_word(0, 2000, 1, word, 1) and not holds_word(0, 2000, 1, word, 0), (
        "on the quote's channel only"
    )
    assert holds_word(0, 2000, None, word, 1), "a quote of the mixdown holds either channel's words"


def test_the_transcript_index_finds_the_same_words_as_the_quote_text():
    """The transcript's tints and the quote's stored text must never disagree about a word."""
    left = Segment(
        1, 1, 0, 3000, "", 1, tuple(Word(i * 300, i * 300 + 280, f"l{i}", 0.9) for i in range(10)), 0
    )
    right = Segment(
        2, 1, 150, 3150, "", 2, tuple(Word(150 + i * 300, 430 + i * 300, f"r{i}", 0.9) for i in range(10)), 1
    )
    index = WordIndex()
    position = 0
    for segment in (left, right):
        position += len(index.add_segment(segment, position, position)) + 1
    index.finish()
    for start, end in [(0, 3000), (420, 1310), (1290, 1290), (5000, 6000)]:
        for channel in (None, 0, 1):
            shown = [index.words[word] for word in index.words_in(start, end, channel)]
            assert sorted(shown, key=lambda w: w.start_ms) == quoted_words([left, right], start, end, channel)
    assert main_speaker([left, right], 420, 1310, 1) == 2
    assert main_speaker([left, right], 5000, 6000, None) is None
