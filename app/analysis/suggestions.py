"""One interview's suggestions from its turns as text: the interviewer's question clauses and the
customer's sentences are embedded in one batch, then `questions.analyse` places the questions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.analysis.questions import CUSTOMER, INTERVIEWER, Embed, GuideVectors, Suggestions, Turn, analyse
from app.analysis.sentences import question_clauses, question_steps, sentences


@dataclass(frozen=True, slots=True)
class Utterance:
    """A speaker turn as text: `role` is "interviewer", "customer" or anything else (not analysed)."""

    role: str
    text: str


def suggest(
    utterances: Sequence[Utterance],
    guide: GuideVectors,
    embed: Embed,
    examples: dict[str, np.ndarray] | None = None,
) -> Suggestions:
    """Questions asked and answers given, one entry per utterance."""
    pieces = [_pieces(utterance) for utterance in utterances]
    flat = [piece for turn_pieces in pieces for piece in turn_pieces]
    vectors = embed(flat) if flat else np.zeros((0, guide.anchor_vectors.shape[1]), dtype=np.float32)
    turns, start = [], 0
    for utterance, turn_pieces in zip(utterances, pieces, strict=True):
        steps = question_steps(utterance.text) if utterance.role == INTERVIEWER else ()
        turns.append(Turn(utterance.role, utterance.text, vectors[start : start + len(turn_pieces)], steps))
        start += len(turn_pieces)
    return analyse(turns, guide, examples)


def _pieces(utterance: Utterance) -> list[str]:
    if utterance.role == INTERVIEWER:
        return question_clauses(utterance.text)
    if utterance.role == CUSTOMER:
        return sentences(utterance.text)
    return []
