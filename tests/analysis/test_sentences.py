"""How an interviewer's turn is cut into the questions it asks, in writing and as speech-to-text writes it,
and how a suggested answer's bounds move by whole words."""

from __future__ import annotations

from app.analysis.sentences import question_clauses, question_groups, question_steps
from app.domain.quote import nudged
from app.domain.transcript import Word


def test_a_question_restated_is_one_question_and_two_joined_by_and_are_two():
    assert question_groups("So why Shiftwise? What got it over the line?") == [
        ["So why Shiftwise?", "What got it over the line?"]
    ]
    assert question_groups(
        "How have things changed? And when you mention us to people, what do you say?"
    ) == [
        ["How have things changed?"],
        ["And when you mention us to people, what do you say?"],
    ]
    # Speech-to-text cut "what's your role, what's a normal week?" at the pause: still one question.
    text = "Cool. What's your role at Lakeside? What's a normal week? So"
    assert question_groups(text) == [["What's your role at Lakeside?", "What's a normal week?"]]
    assert question_clauses(text) == ["What's your role at Lakeside?", "What's a normal week?"]
    assert question_steps(text) == (0, 0)


def test_a_statement_between_questions_ends_the_restating_and_statements_ask_nothing():
    assert question_groups("Where did you look? Got it. Who else was involved?") == [
        ["Where did you look?"],
        ["Who else was involved?"],
    ]
    assert question_groups("What I wanted was less overtime. So what we did was call them.") == []


def test_a_question_without_its_mark_is_still_a_question():
    # As tiny.en wrote a question that ran into the customer's answer.
    text = (
        "Okay, so when you were comparing your options, what were you scoring them on, and with options were"
    )
    assert question_groups(text) == [
        [
            "Okay, so when you were comparing your options, what were you scoring them on, and with options were"
        ]
    ]


def _words(*spans: tuple[int, int]) -> list[Word]:
    return [Word(start, end, f"w{index}", 0.9) for index, (start, end) in enumerate(spans)]


def test_bounds_move_by_whole_words_and_never_past_each_other_or_the_transcript():
    words = _words((0, 100), (200, 300), (400, 500), (600, 700))
    assert nudged(words, 200, 500, "end", 1) == (200, 700)
    assert nudged(words, 200, 500, "end", 5) == (200, 700)  # the last word is as far as it goes
    assert nudged(words, 200, 500, "start", -1) == (0, 500)
    assert nudged(words, 200, 500, "start", 3) == (400, 500)  # one word stays quoted
    assert nudged(words, 200, 500, "end", -3) == (200, 300)
    assert nudged(words, 150, 520, "end", 0) == (200, 500)  # snapped to the words inside
