"""Where each guide question was asked, and which question each customer turn answers.

Interviewers paraphrase, ask two questions at once, go back, and skip some, but they mostly walk the guide in
order. So each interviewer question clause is compared by meaning with every guide question's wording and
probes, and one best path of "the question under discussion" is chosen through the whole interview (Viterbi,
one step per clause, so two questions in one breath can both be found): asking the next question in the guide
or returning to the current one is free, skipping ahead or going back costs a little, and a clause counts as a
guide question only where it matches better than the guide's universal probes ("What else?"), which continue a
topic rather than start one. What the customer says weighs in too: a reply about search engines is evidence
that the question was about first steps.
A customer turn answers the question under discussion; after two questions in one breath, the replies take
them in the order asked; a reply whose words favour above all a later question the interviewer never asks
answers that one (the customer got there first).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

INTERVIEWER = "interviewer"
CUSTOMER = "customer"

# Method constants, chosen on the labelled corpus (bench/analysis.py) with leave-one-interview-out checks
# and rounded: none of them names a guide, a question or an interview.
ASKED = 0.30
"""Cosine similarity above which an interviewer's clause starts to count as a guide question."""
SKIP_COST = 0.20
"""What jumping ahead over unasked questions costs (skipped questions are common)."""
BACK_COST = 0.25
"""What returning to an earlier question costs (interviewers do go back, less often)."""
PROBE_MARGIN = 0.10
"""A clause that matches a universal probe this much better than a guide question only continues."""
ANSWER_WEIGHT = 0.5
"""How much a customer turn's own words weigh, against the interviewer's, in placing the topic."""
NEIGHBOURS = 3

Embed = Callable[[list[str]], np.ndarray]


class GuideQuestion(Protocol):
    key: str
    text: str
    probes: tuple[str, ...]


class GuideWording(Protocol):
    """What the analysis reads of a guide (`app.guides.model.Guide` has it; a sibling package, so not
    imported here)."""

    @property
    def questions(self) -> tuple[GuideQuestion, ...]: ...

    universal_probes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Turn:
    """A stretch of one speaker, as the analysis sees it: who spoke, what was said, and vectors: of the
    question clauses for the interviewer (empty when the turn asks nothing), of the sentences for the
    customer."""

    role: str
    text: str
    vectors: np.ndarray
    steps: tuple[int, ...] = ()
    """For an interviewer's turn, the question each vector words (a question put twice has two wordings,
    `sentences.question_steps`); empty when each vector is a question of its own."""


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Per turn: the guide question keys an interviewer turn asks, and the key a customer turn answers."""

    asks: list[tuple[str, ...]]
    answers: list[str | None]


@dataclass(frozen=True, slots=True)
class GuideVectors:
    """A guide's wording embedded once: every question's text and probes, and the universal probes."""

    keys: tuple[str, ...]
    anchor_vectors: np.ndarray
    anchor_owner: np.ndarray
    """For each anchor row, the index of its question in `keys`."""
    probe_vectors: np.ndarray


def guide_vectors(guide: GuideWording, embed: Embed) -> GuideVectors:
    """Embed, in one call, every question's text and probes and the guide's universal probes."""
    anchors: list[str] = []
    owners: list[int] = []
    for index, question in enumerate(guide.questions):
        for text in (question.text, *question.probes):
            anchors.append(text)
            owners.append(index)
    vectors = embed(anchors + list(guide.universal_probes))
    return GuideVectors(
        keys=tuple(question.key for question in guide.questions),
        anchor_vectors=vectors[: len(anchors)],
        anchor_owner=np.array(owners),
        probe_vectors=vectors[len(anchors) :],
    )


def analyse(
    turns: Sequence[Turn], guide: GuideVectors, examples: dict[str, np.ndarray] | None = None
) -> Suggestions:
    """Which guide questions each interviewer turn asks and which question each customer turn answers,
    from one best path of "the question under discussion" through the whole interview."""
    steps: list[tuple[int, np.ndarray | None, np.ndarray | None]] = []  # (turn, ask gains, evidence)
    for index, turn in enumerate(turns):
        if len(turn.vectors) == 0:
            continue
        if turn.role == INTERVIEWER:
            # One step per question clause: "what was step one, and what were you measuring them
            # against?" can ask the next question and the one after, each where the path allows it.
            steps.extend((index, gains, None) for gains in _clause_gains(turn, guide))
        elif turn.role == CUSTOMER:
            steps.append((index, None, _topic_evidence(turn, guide, examples)))
    asked_at, topic_at = _best_path([(gain, evidence) for _, gain, evidence in steps], len(guide.keys))
    asked_by: list[dict[str, None]] = [{} for _ in turns]  # ordered sets: the clauses' order
    topics: dict[int, int | None] = {}
    evidence_at: dict[int, np.ndarray] = {}
    for (index, _, evidence), asked, topic in zip(steps, asked_at, topic_at, strict=True):
        topics[index] = topic
        if asked is not None:
            asked_by[index][guide.keys[asked]] = None
        if evidence is not None:
            evidence_at[index] = evidence
    asks = [tuple(keys) for keys in asked_by]
    answers = _answers(turns, asks, topics, guide.keys)
    _answer_in_order(turns, asks, answers, evidence_at, guide.keys)
    _answer_unasked(asks, answers, evidence_at, guide.keys)
    return Suggestions(asks=asks, answers=answers)


def _scores(vectors: np.ndarray, guide: GuideVectors) -> np.ndarray:
    """(rows, questions): each row's best similarity to any of a question's anchors."""
    similarity = vectors @ guide.anchor_vectors.T
    per_question = np.empty((len(vectors), len(guide.keys)))
    for index in range(len(guide.keys)):
        per_question[:, index] = similarity[:, guide.anchor_owner == index].max(axis=1)
    return per_question


def _clause_gains(turn: Turn, guide: GuideVectors) -> np.ndarray:
    """(questions asked, guide questions): what asking each guide question at each question the turn
    puts is worth, its similarity above ASKED; a wording that reads more like a universal probe asks
    nothing."""
    per_question = _scores(turn.vectors, guide)
    if len(guide.probe_vectors):
        probe = (turn.vectors @ guide.probe_vectors.T).max(axis=1)
        usable = per_question >= (probe[:, None] - PROBE_MARGIN)
    else:
        usable = np.ones_like(per_question, dtype=bool)
    gains = np.where(usable, per_question, -1.0) - ASKED
    if not turn.steps:
        return gains
    # A question put in several wordings asks whichever guide question one of them matches best.
    firsts = np.flatnonzero(np.diff(np.array(turn.steps), prepend=-1))
    return np.maximum.reduceat(gains, firsts, axis=0)


def _topic_evidence(turn: Turn, guide: GuideVectors, examples: dict[str, np.ndarray] | None) -> np.ndarray:
    """How much a customer turn's words favour each question being the one under discussion: how close
    its sentences come to what other customers said answering each question (the mean of the closest
    few), centred on the mean over questions."""
    if not examples:
        return np.zeros(len(guide.keys))
    close = np.zeros(len(guide.keys))
    for index, key in enumerate(guide.keys):
        known = examples.get(key)
        if known is None or not len(known):
            continue
        similarity = np.sort((turn.vectors @ known.T).ravel())[::-1]
        close[index] = similarity[:NEIGHBOURS].mean()
    present = [
        index for index, key in enumerate(guide.keys) if examples.get(key) is not None and len(examples[key])
    ]
    if present:
        close[present] -= close[present].mean()
    return ANSWER_WEIGHT * close


def _transition(previous: int, current: int) -> float:
    """The cost of the topic moving from question `previous` to `current` (-1: before any question)."""
    if current in (previous, previous + 1):
        return 0.0
    if current > previous:
        return SKIP_COST
    return BACK_COST


def _best_path(
    steps: list[tuple[np.ndarray | None, np.ndarray | None]], count: int
) -> tuple[list[int | None], list[int | None]]:
    """Viterbi over "the question under discussion" (state 0: none yet; state k + 1: question k). At an
    interviewer step the topic either stays or question k is asked (its gain minus the cost of moving
    there); at a customer step it stays, and each topic scores the turn's evidence for it. Returns, per
    step, the question asked there (or None) and the topic after it (or None)."""
    states = count + 1
    moves = np.array(
        [[_transition(previous - 1, current) for current in range(count)] for previous in range(states)]
    )
    score = np.full(states, -np.inf)
    score[0] = 0.0
    trail: list[tuple[np.ndarray, np.ndarray]] = []  # per step: (asked into this state?, from which state)
    stayed = np.arange(states)
    for gain, evidence in steps:
        if gain is None:
            score = score + np.concatenate([[0.0], evidence])
            trail.append((np.zeros(states, dtype=bool), stayed))
            continue
        via = score[:, None] - moves + gain[None, :]  # (previous state, asked question)
        origin = via.argmax(axis=0)
        ask_score = via[origin, np.arange(count)]
        asked = np.concatenate([[False], ask_score > score[1:]])
        score = np.concatenate([[score[0]], np.maximum(score[1:], ask_score)])
        trail.append((asked, np.where(asked, np.concatenate([[0], origin]), stayed)))
    state = int(score.argmax())
    asked_at: list[int | None] = [None] * len(steps)
    topic_at: list[int | None] = [None] * len(steps)
    for position in range(len(steps) - 1, -1, -1):
        asked, origin = trail[position]
        topic_at[position] = state - 1 if state else None
        if asked[state]:
            asked_at[position] = state - 1
        state = int(origin[state])
    return asked_at, topic_at


def _answers(
    turns: Sequence[Turn], asks: list[tuple[str, ...]], topics: dict[int, int | None], keys: tuple[str, ...]
) -> list[str | None]:
    """A customer turn answers the question under discussion; before the first question and after the
    interviewer's closing thanks, nothing (greetings, consent, goodbyes)."""
    answers: list[str | None] = [None] * len(turns)
    closed = False
    for index, turn in enumerate(turns):
        if turn.role == INTERVIEWER:
            closed = (closed or _is_closing(turn.text)) and not asks[index]
        elif turn.role == CUSTOMER and not closed and topics.get(index) is not None:
            answers[index] = keys[topics[index]]
    return answers


def _answer_in_order(
    turns: Sequence[Turn],
    asks: list[tuple[str, ...]],
    answers: list[str | None],
    evidence: dict[int, np.ndarray],
    keys: tuple[str, ...],
) -> None:
    """After a turn that asks several questions, the path's topic is the last one asked, but people answer
    the first first. So the replies up to the next question take the questions in the order asked: each
    reply moves on to a later one only where its words favour it (the first when nothing tells)."""
    column = {key: index for index, key in enumerate(keys)}
    for index, asked in enumerate(asks):
        if turns[index].role != INTERVIEWER or len(asked) < 2:
            continue
        replies = []
        for later in range(index + 1, len(turns)):
            if turns[later].role == INTERVIEWER and asks[later]:
                break
            if answers[later] is not None and later in evidence:
                replies.append(later)
        if replies:
            scores = np.array([[evidence[reply][column[key]] for key in asked] for reply in replies])
            for reply, choice in zip(replies, _in_order(scores), strict=True):
                answers[reply] = asked[choice]


def _answer_unasked(
    asks: list[tuple[str, ...]],
    answers: list[str | None],
    evidence: dict[int, np.ndarray],
    keys: tuple[str, ...],
) -> None:
    """A customer sometimes answers a question before it comes up, and the interviewer, hearing it, never
    asks it. So a reply whose words favour, above every other question, a later one that is never asked in
    the whole interview answers that one instead of the question under discussion."""
    asked = {key for keys_asked in asks for key in keys_asked}
    for index, answer in enumerate(answers):
        if answer is None or index not in evidence or not evidence[index].any():
            continue
        favoured = int(np.argmax(evidence[index]))
        if keys[favoured] not in asked and favoured > keys.index(answer):
            answers[index] = keys[favoured]


def _in_order(scores: np.ndarray) -> list[int]:
    """For each row, a column, never decreasing from row to row, with the largest sum of scores; among
    equal sums the earlier columns."""
    rows, columns = scores.shape
    total = scores[0] - 1e-9 * np.arange(columns)
    came_from = np.zeros((rows, columns), dtype=int)
    for row in range(1, rows):
        best_before = np.maximum.accumulate(total)
        came_from[row] = [int(np.argmax(total[: column + 1])) for column in range(columns)]
        total = best_before + scores[row] - 1e-9 * np.arange(columns)
    choice = int(np.argmax(total))
    chosen = [choice]
    for row in range(rows - 1, 0, -1):
        choice = int(came_from[row][choice])
        chosen.append(choice)
    return chosen[::-1]


def _is_closing(text: str) -> bool:
    """The interviewer thanks the customer without asking anything more: the interview is over."""
    lowered = text.lower()
    return ("thank" in lowered or "appreciate" in lowered) and "?" not in text
