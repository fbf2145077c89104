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
# Requests that ask a question without a question mark ("Tell me about...", "Walk me through...").
_REQUEST = re.compile(
    r"\b(?:tell|walk|take|talk)\s+me\b|\bdescribe\b|\bI(?:'d| would) love to hear\b|\bI'm curious\b",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    """The sentences of a turn, in order (punctuation as the transcript has it)."""
    return [part for part in _SENTENCE_END.split(text.strip()) if part]


def is_question(sentence: str) -> bool:
    """Whether a sentence asks something: a question mark, or a request such as "Tell me about…"."""
    return sentence.rstrip().endswith("?") or bool(_REQUEST.search(sentence))


def question_clauses(text: str) -> list[str]:
    """The questions a turn asks, each cut at "…, and what/how/…" so two questions in one breath are two."""
    clauses: list[str] = []
    for sentence in sentences(text):
        if is_question(sentence):
            clauses.extend(part.strip() for part in _CLAUSE.split(sentence) if part.strip())
    return clauses
