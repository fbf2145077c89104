"""Grouping windows into voices, and labelling words from them, on embeddings whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.transcript import Segment, Word
from app.speakers.attribution import segments_from_turns, turns, voices_at
from app.speakers.clustering import MAX_VOICES, MIN_VOICES, heard_voices, voice_scores
from app.speakers.windows import SpeakerWindows


def voices(pattern: list[int], seed: int = 0, room: float = 3.0) -> np.ndarray:
    """192-d embeddings: voice v around its own direction, with noise and a shared offset (the room)."""
    rng = np.random.default_rng(seed)
    directions = rng.normal(size=(max(pattern) + 1, 192))
    offset = rng.normal(size=192) * room
    return np.array([offset + directions[v] + rng.normal(size=192) * 0.3 for v in pattern], dtype=np.float32)


def test_two_voices_are_separated_and_numbered_in_the_order_heard():
    pattern = [1, 1, 0, 0, 0, 1, 0, 1, 1, 1]
    scores = voice_scores(voices(pattern), 2)
    heard = np.argmax(scores, axis=1)
    expected = [0 if v == 1 else 1 for v in pattern]  # voice 0 is the first heard, whatever its cluster
    assert heard.tolist() == expected


def test_three_voices_when_asked_for_three():
    pattern = [0, 0, 1, 1, 2, 2, 0, 1, 2, 2]
    assert np.argmax(voice_scores(voices(pattern), 3), axis=1).tolist() == pattern


def test_one_voice_and_fewer_windows_than_voices():
    assert np.argmax(voice_scores(voices([0, 1, 0]), 1), axis=1).tolist() == [0, 0, 0]
    scores = voice_scores(voices([0]), 3)
    assert scores.shape == (1, 3) and np.argmax(scores[0]) == 0
    assert voice_scores(np.zeros((0, 192), dtype=np.float32), 2).shape == (0, 2)
    with pytest.raises(ValueError, match="at least one speaker"):
        voice_scores(voices([0, 1]), 0)


def test_a_word_takes_the_voice_of_the_windows_around_it():
    windows = SpeakerWindows(np.array([0, 500, 1000, 5000], dtype=np.int64), np.zeros((4, 192), np.float32))
    scores = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32)
    # 700 ms: windows at 0 and 500 cover it (voice 0); 1800 ms: only 1000 (voice 1);
    # 3500 ms: no window covers it, the nearest centre (5500 vs 1500 → 1500) says voice 1.
    assert voices_at(np.array([700, 1800, 3500]), windows, scores).tolist() == [0, 1, 1]
    assert voices_at(np.array([700]), SpeakerWindows.empty(), np.zeros((0, 2))).tolist() == [0]


def test_a_segment_is_cut_where_the_voice_changes_and_keeps_its_id_and_wording():
    words = (Word(0, 400, "So,", 0.9), Word(400, 800, "why?", 0.9), Word(1500, 1900, "Price-wise,", 0.9))
    segment = Segment(7, 1, 0, 2000, "So, why? Price-wise,", 3, words, None)
    windows = SpeakerWindows(np.array([0, 1200], dtype=np.int64), np.zeros((2, 192), np.float32))
    plan = turns([segment], windows, np.array([[1, 0], [0, 1]], dtype=np.float32))
    assert [(t.text, t.voice, t.start_ms, t.end_ms) for t in plan] == [
        ("So, why?", 0, 0, 800),
        ("Price-wise,", 1, 1500, 1900),
    ]
    remove, add = segments_from_turns(plan, {0: 3, 1: 4})
    assert remove == [segment]
    assert [(s.id, s.speaker_id, s.text, len(s.words)) for s in add] == [
        (7, 3, "So, why?", 2),
        (0, 4, "Price-wise,", 1),
    ]
    # Labelled again with the same result: nothing to write.
    assert segments_from_turns(turns([segment], windows, np.array([[1, 0], [1, 0]], np.float32)), {0: 3}) == (
        [],
        [],
    )


def test_voices_are_counted_when_nobody_said_how_many():
    # Real windows of one voice lie within ~0.3 cosine distance of each other, two voices farther apart.
    for count in (2, 3, 5):
        pattern = [turn % count for turn in range(12 * count) for _ in range(4)]
        scores = voice_scores(voices(pattern, room=0.5))
        assert scores.shape[1] == count
        first_heard = list(dict.fromkeys(pattern))
        assert np.argmax(scores, axis=1).tolist() == [first_heard.index(v) for v in pattern]
    assert voice_scores(voices(list(range(8)) * 20, room=0.5)).shape[1] == MAX_VOICES


def test_two_voices_are_looked_for_and_one_talker_keeps_all_windows():
    one = voices([0] * 40, room=0.5)
    assert heard_voices(one) is None
    # Two-means would cut one talker in two; no window stands apart from the voice, so one voice is heard.
    assert voice_scores(one).shape[1] == 1
    assert voice_scores(one, 2).shape[1] == 2  # the user's count is obeyed
    assert voice_scores(np.zeros((0, 192), dtype=np.float32)).shape == (0, MIN_VOICES)
    # Three windows of a second voice (a word from someone else) beside one talker: only they are voice 1.
    aside = voices([0] * 20 + [1] * 3 + [0] * 20, room=0.5)
    assert np.argmax(voice_scores(aside), axis=1).tolist() == [0] * 20 + [1] * 3 + [0] * 20
    # Three windows of a third voice (a cough, a word from someone passing) among 80 of two voices.
    stray = voices([0, 1] * 40 + [2] * 3, room=0.5)
    assert [len(group) for group in heard_voices(stray)] == [40, 40]
