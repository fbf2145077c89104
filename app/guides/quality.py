"""Point out questions that would spoil an interview: leading, hypothetical, closed or double questions.

The methods Earful supports agree on one thing: people are poor at predicting what they would do and
polite enough to agree with whatever you suggest, so the only reliable material is the story of what
they actually did. A guide full of "Would you…?" and "Don't you think…?" produces compliments and
guesses; a question that can be answered "yes" ends the story before it starts. These checks run on
guides users write (the built-in guides are held to them by a test) and explain each hint with a rewrite.

The checks are deliberately simple word patterns, so they are predictable and easy to explain; a hint is
advice, never a reason to refuse a guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.guides.model import Guide, Question


class HintKind(StrEnum):
    LEADING = "leading"  # suggests the answer
    HYPOTHETICAL = "hypothetical"  # asks them to predict or imagine
    OPINION = "opinion"  # asks for a view or a compliment instead of an event
    CLOSED = "closed"  # can be answered yes or no
    DOUBLE = "double"  # two questions in one
    GENERIC = "generic"  # asks what they "usually" do
    LONG = "long"  # too long to say naturally

    @property
    def is_gentle(self) -> bool:
        """Gentle hints are worth a look; the others are worth a rewrite before the first interview."""
        return self in (HintKind.CLOSED, HintKind.GENERIC, HintKind.LONG)


@dataclass(frozen=True, slots=True)
class Hint:
    """Advice about one question: why it may get poor answers and a pattern to rewrite it with."""

    question_key: str
    message: str
    kind: HintKind


LONG_QUESTION_WORDS = 25  # about ten seconds spoken; longer, and the customer answers only the last part

_SUGGEST_STORY = "ask for the story: 'Tell me about…' or 'How did… go?'"

# Checked at the start of every clause, in this order; the first match is the question's only opener hint.
# Longer phrases come before the shorter ones they begin with ("do you think" before "do you").
_OPENERS: tuple[tuple[HintKind, tuple[str, ...], str], ...] = (
    (
        HintKind.LEADING,
        ("wouldn't you agree", "don't you", "didn't you", "isn't it", "wasn't it", "aren't you"),
        "This suggests the answer you hope for, and most people politely agree; "
        "ask what happened instead: 'How did… go?' or 'What was… like?'",
    ),
    (
        HintKind.HYPOTHETICAL,
        ("how much would you pay", "how much would you spend"),
        "Nobody knows what they would pay until they pay, and a guess costs them nothing; "
        "ask what they pay today: 'What do you spend on this now?' or 'What did you compare the price with?'",
    ),
    (
        HintKind.HYPOTHETICAL,
        ("would you", "would it be", "will you", "if we", "if you could", "if you had"),
        "This asks them to imagine, and people are poor predictors of what they would do; "
        "ask what they did, not what they would do: 'Tell me about the last time…'",
    ),
    (
        HintKind.OPINION,
        ("do you like", "did you like", "do you love"),
        "This invites a compliment rather than a fact, since customers are polite; "
        "ask what they did: 'How did you use… last week?' or 'What happened when you…?'",
    ),
    (
        HintKind.OPINION,
        ("do you think", "do you feel", "do you believe"),
        "This asks for an opinion or a guess, which is easy to give and weak as evidence; "
        "ask for the event behind it: 'What happened that made you…?'",
    ),
    (
        HintKind.CLOSED,
        (
            "do you",
            "did you",
            "does it",
            "did it",
            "are you",
            "were you",
            "is it",
            "was it",
            "is there",
            "was there",
            "have you",
            "has it",
            "had you",
        ),
        f"This can be answered with a plain yes or no; fine as a quick check, but then {_SUGGEST_STORY}",
    ),
)
# Probes are short follow-ups ("Why?"), so only the kinds that bias the answer are checked there.
_PROBE_KINDS = (HintKind.LEADING, HintKind.HYPOTHETICAL, HintKind.OPINION)


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p).replace("'", "'?") for p in phrases)  # "dont you" counts too
    return re.compile(rf"(?:{alternatives})\b")


_OPENER_PATTERNS = tuple((kind, _phrase_pattern(phrases), message) for kind, phrases, message in _OPENERS)
_CLAUSE_BREAK = re.compile(r"[.?!;:,…]+|\s[—–-]\s")
_SECOND_QUESTION = re.compile(
    r"\band\s+(?:what|why|how|who|whom|whose|where|when|which|do|does|did|is|are|was|were|have|has|had"
    r"|would|could|can|will|should)\b"
)
_GENERIC = re.compile(r"\b(?:usually|typically|normally|generally|in general)\b")

_DOUBLE_MESSAGE = (
    "This asks two questions at once, and people answer only the easier or the last one; "
    "ask one and keep the other as a probe"
)
_GENERIC_MESSAGE = (
    "Asking what people usually do gets the idealised version; anchor it to one real event: "
    "'Think of the last time…'"
)
_LONG_MESSAGE = (
    f"Over {LONG_QUESTION_WORDS} words is hard to say naturally and to keep in mind; "
    "keep one short question and move the rest into probes"
)


def question_hints(guide: Guide) -> list[Hint]:
    """Hints for the guide's questions and probes, in question order."""
    return [hint for question in guide.questions for hint in hints_for(question)]


def hints_for(question: Question) -> list[Hint]:
    """Hints for one question and its probes (the guide editor shows them while the question is typed)."""
    hints = _text_hints(question.key, question.text)
    for probe in question.probes:
        for kind, message in _opener_hints(probe, _PROBE_KINDS):
            hints.append(Hint(question.key, f'Probe "{probe}": {message}', kind))
    return hints


def _text_hints(key: str, text: str) -> list[Hint]:
    hints = [Hint(key, message, kind) for kind, message in _opener_hints(text, tuple(HintKind))]
    normal = _normal(text)
    if normal.count("?") > 1 or _SECOND_QUESTION.search(normal):
        hints.append(Hint(key, _DOUBLE_MESSAGE, HintKind.DOUBLE))
    if _GENERIC.search(normal):
        hints.append(Hint(key, _GENERIC_MESSAGE, HintKind.GENERIC))
    if len(text.split()) > LONG_QUESTION_WORDS:
        hints.append(Hint(key, _LONG_MESSAGE, HintKind.LONG))
    return hints


def _opener_hints(text: str, kinds: tuple[HintKind, ...]) -> list[tuple[HintKind, str]]:
    """The first opener rule matching any clause (so "Looking back, would you…" is caught too)."""
    clauses = [clause.strip(" \"'‘“(") for clause in _CLAUSE_BREAK.split(_normal(text))]
    for kind, pattern, message in _OPENER_PATTERNS:
        if kind in kinds and any(pattern.match(clause) for clause in clauses):
            return [(kind, message)]
    return []


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())
