"""Cutting a speaker's turn into the pieces the analysis compares with a guide's wording.

An interviewer often asks two guide questions in one breath ("what was step one, and what were you
measuring them against?"), so a question is cut further at its clauses; statements around a question
("Got it.", "This isn't a sales call.") are not questions and must not match one.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_CLAUSE = re.compile(
    r",?\s+\b(?:and|or|but)\b\s+(?=(?:like,\s+)?(?:what|when|how|why|who|which|where|once|if|did|do|does|was|were|is|are|has|have|had|would|could|can)\b)",
    re.IGNORECASE,
)
# A question word followed by an auxiliary, at the start or after a comma: "what were you…", "how did…".
_ASKING = re.compile(
    r"(?:^|,\s*)(?:(?:so|and|okay|like),?\s+)*(?:what|how|why|which|who|where)(?:'s|'re)?\s+"
    r"(?:(?:else|kind of|sort of)\s+)?(?:was|were|is|are|did|do|does|would|could|can|had|have|has|made|got)\b",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"\s*(?:and|or|but)\b", re.IGNORECASE)
# Requests that ask a question without a question mark ("Tell me about...", "Walk me through...").
_REQUEST = re.compile(
    r"\b(?:tell|walk|take|talk)\s+me\b|\bdescribe\b|\bI(?:'d| would) love to hear\b|\bI'm curious\b",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    """The sentences of a turn, in order (punctuation as the transcript has it)."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def is_question(sentence: str) -> bool:
    """Whether a sentence asks something: a question mark, a request such as "Tell me about…", or a
    question's word order ("…, what were you scoring them on") where speech-to-text left out the mark."""
    return (
        sentence.rstrip().endswith("?") or bool(_REQUEST.search(sentence)) or bool(_ASKING.search(sentence))
    )


def question_groups(text: str) -> list[list[str]]:
    """The questions a turn asks, each as the wordings it was put in. Questions back to back are one
    question put twice ("So why Shiftwise? What got it over the line?"), unless joined by "and"/"or"/"but":
    two questions in one breath ("what was step one? And what were you measuring them against?", "…, and
    what…") are two. Speech-to-text ends a sentence where the speaker pauses, so a question restated after
    a comma in writing is often two sentences there."""
    groups: list[list[str]] = []
    joined = False  # the previous sentence was a question this one may restate
    for sentence in sentences(text):
        if not is_question(sentence):
            joined = False
            continue
        parts = [part.strip() for part in _CLAUSE.split(sentence) if part.strip()]
        if joined and not _CONJUNCTION.match(sentence):
            groups[-1].append(parts.pop(0))
        groups.extend([part] for part in parts)
        joined = True
    return groups


def question_clauses(text: str) -> list[str]:
    """Every wording of every question a turn asks, in order (what is embedded for it)."""
    return [clause for group in question_groups(text) for clause in group]


def question_steps(text: str) -> tuple[int, ...]:
    """For each of `question_clauses(text)`, the index of the question it words."""
    return tuple(index for index, group in enumerate(question_groups(text)) for _ in group)
