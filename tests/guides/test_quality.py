"""Question hints: leading, hypothetical, closed and double questions are flagged; open ones are not."""

from __future__ import annotations

import pytest

from app.guides import Guide, HintKind, Question, Section, builtin_guides, question_hints


def _guide(*texts: str, probes: tuple[str, ...] = ()) -> Guide:
    questions = tuple(Question(f"q{number}", text, probes) for number, text in enumerate(texts, start=1))
    return Guide("test", "Test", 1, "", "", (Section("All", questions),), ())


def _kinds(text: str) -> list[HintKind]:
    return [hint.kind for hint in question_hints(_guide(text))]


@pytest.mark.parametrize("guide", builtin_guides(), ids=lambda guide: guide.slug)
def test_builtin_guides_have_no_hints(guide: Guide):
    assert question_hints(guide) == []


LEADING = [
    ("Would you use a tool that did this?", HintKind.HYPOTHETICAL),
    ("Would it be useful to get a weekly report?", HintKind.HYPOTHETICAL),
    ("How much would you pay for this?", HintKind.HYPOTHETICAL),
    ("If we added exports, how often would you use them?", HintKind.HYPOTHETICAL),
    ("Do you think our pricing is fair?", HintKind.OPINION),
    ("Do you like the new dashboard?", HintKind.OPINION),
    ("Wouldn't you agree that setup was easy?", HintKind.LEADING),
    ("Don't you find the reports useful?", HintKind.LEADING),
    ("Isn't it frustrating to do this by hand?", HintKind.LEADING),
    (
        "Don’t you find it easier now?",
        HintKind.LEADING,
    ),  # a typographic apostrophe, as word processors type it
    ("dont you find it easier now?", HintKind.LEADING),  # and none at all
    ("Looking back, would you choose us again?", HintKind.HYPOTHETICAL),  # after a lead-in clause
]


@pytest.mark.parametrize(("text", "kind"), LEADING)
def test_leading_and_hypothetical_openers_are_flagged(text: str, kind: HintKind):
    assert _kinds(text) == [kind]
    assert not kind.is_gentle


def test_each_hint_says_why_and_suggests_an_open_rewrite():
    (hint,) = question_hints(_guide("Would you buy this again?"))
    assert hint.question_key == "q1"
    assert "poor predictors" in hint.message  # why
    assert "ask what they did, not what they would do: 'Tell me about the last time…'" in hint.message
    (price,) = question_hints(_guide("How much would you pay for it?"))
    assert "What do you spend on this now?" in price.message
    (leading,) = question_hints(_guide("Isn't it great?"))
    assert "politely agree" in leading.message


CLOSED = [
    "Do you use spreadsheets for this?",
    "Did you compare other tools?",
    "Are you happy with it?",
    "Is it easy to use?",
    "Have you recommended us to anyone?",
    "When you searched, did you find us first?",
]


@pytest.mark.parametrize("text", CLOSED)
def test_yes_no_openers_get_a_gentle_hint(text: str):
    hints = question_hints(_guide(text))
    assert [hint.kind for hint in hints] == [HintKind.CLOSED]
    assert hints[0].kind.is_gentle
    assert "Tell me about" in hints[0].message


@pytest.mark.parametrize(
    "text",
    [
        "What did you try first, and what happened?",
        "Where did you look and who did you ask?",
        "Why did you switch? What changed?",
    ],
)
def test_two_questions_in_one_are_flagged(text: str):
    assert HintKind.DOUBLE in _kinds(text)


def test_questions_about_habits_and_long_questions_are_flagged():
    assert _kinds("What do you usually do when a report is late?") == [HintKind.GENERIC]
    long = "What " + "very " * 25 + "happened?"
    assert _kinds(long) == [HintKind.LONG]


GOOD = [
    "Tell me about the last time you ran payroll.",
    "What was happening when you started looking?",
    "How did you and your manager decide?",  # " and " joining two people, not two questions
    "What changed between signing up and cancelling?",
    "Walk me through getting started.",
    "Where did you look first?",
    "Who else had a say in it?",
    "Why did that matter so much?",
    "How did our team help, or get in the way?",
    "Which options did you look at, including doing nothing?",
    "What, if anything, surprised you?",
    "When you mention us to other people, what do you tell them?",
    "Think back to the day you signed up. What happened?",
]


@pytest.mark.parametrize("text", GOOD)
def test_open_questions_pass(text: str):
    assert question_hints(_guide(text)) == []


def test_probes_are_checked_for_bias_but_may_be_short_checks():
    hints = question_hints(
        _guide("What happened next?", probes=("Wouldn't you agree?", "Did anyone else help?"))
    )
    assert [(hint.question_key, hint.kind) for hint in hints] == [("q1", HintKind.LEADING)]
    assert hints[0].message.startswith('Probe "Wouldn\'t you agree?": ')


def test_hints_come_in_question_order():
    guide = _guide("Where did you look?", "Do you think so?", "Would you?")
    assert [hint.question_key for hint in question_hints(guide)] == ["q2", "q3"]
