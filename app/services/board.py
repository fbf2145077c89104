"""The board: each guide question against the interviews, with the quotes that answer it.

"5 of 6 interviews" is counted over the interviews that use the guide (any version: question keys are
stable) and pass the filters; the same is done per theme tag.

Interviews may follow different versions of the guide, and a question may have been reworded between
them. A row is one question *key*: it is labelled with the latest wording (and questions that only an
older version asks come after the latest's, under their last wording), while each interview keeps the
wording it was asked: `Board.asked(row, interview_id)` gives it where it differs from the row's label,
and views show it in that interview's cell.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from app.domain.interview import Interview
from app.guides.loader import load_guide
from app.guides.model import Guide, Question
from app.library import Library, LibraryError
from app.library.quotes import QuoteLine
from app.services.tagging import parsed_guide


@dataclass(frozen=True, slots=True)
class BoardFilters:
    persona_segment: str | None = None
    outcome: str | None = None
    interviewer: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def admits(self, interview: Interview) -> bool:
        date = interview.interview_date or interview.created_at[:10]
        return (
            (self.persona_segment is None or interview.persona_segment == self.persona_segment)
            and (self.outcome is None or (interview.outcome and interview.outcome.value == self.outcome))
            and (self.interviewer is None or interview.interviewer == self.interviewer)
            and (self.date_from is None or date >= self.date_from)
            and (self.date_to is None or date <= self.date_to)
        )


@dataclass(frozen=True, slots=True)
class BoardRow:
    key: str
    label: str
    cells: dict[int, tuple[QuoteLine, ...]]
    """Interview id → the quotes there (interviews with none are absent)."""

    @property
    def answered(self) -> int:
        return len(self.cells)


@dataclass(frozen=True, slots=True)
class Board:
    guide: Guide
    interviews: tuple[Interview, ...]
    """Those that follow the guide and pass the filters: the N of "n of N"."""
    questions: tuple[BoardRow, ...]
    themes: tuple[BoardRow, ...]
    following: tuple[Interview, ...]
    """Every interview that follows the guide, filtered or not: what the filters can choose from."""
    followed: dict[int, Guide]
    """Interview id → the version of the guide it follows (what it was asked)."""

    def headline(self, row: BoardRow) -> str:
        return f"{row.answered} of {len(self.interviews)} interviews"

    def asked(self, row: BoardRow, interview_id: int) -> str | None:
        """The wording `interview_id` was asked for the question of `row`, when it is not the row's label."""
        wording = asked_wording(self.followed.get(interview_id), row.key)
        return wording if wording is not None and wording != row.label else None


def asked_wording(followed: Guide | None, key: str) -> str | None:
    """How the question `key` was worded in the guide version an interview followed (None: not in it).

    The one owner of "an interview shows the wording it was asked": the board, the pack and every format
    read a question's text through here, never from the latest version of the guide.
    """
    if followed is None:
        return None
    try:
        return followed.question(key).text
    except KeyError:
        return None


def guides_followed(library: Library, interview_ids: list[int]) -> dict[int, Guide]:
    """Interview id → the guide version it follows, each stored version parsed once."""
    parsed: dict[int, Guide] = {}
    followed = {}
    for interview_id in interview_ids:
        stored = library.guides.of_interview(interview_id)
        if stored is not None:
            if stored.id not in parsed:
                parsed[stored.id] = parsed_guide(stored)
            followed[interview_id] = parsed[stored.id]
    return followed


def build_board(library: Library, guide_slug: str, filters: BoardFilters | None = None) -> Board:
    with _collector_paused():
        return _build(library, guide_slug, filters or BoardFilters())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while the board is built.

    At 1,000 interviews the board makes some 40,000 small objects and no reference cycles; the collector ran
    dozens of times during the build, walking them again each time, and took ~35 of its ~85 ms. Paused, the
    objects are walked once by the next collection. Left as found when the caller had paused it already.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(library: Library, guide_slug: str, filters: BoardFilters) -> Board:
    latest = library.guides.latest(guide_slug)
    if latest is None:
        raise LibraryError(f"No interview in this library uses the guide {guide_slug!r} yet.")
    guide = load_guide(latest.document, guide_slug)
    using = library.guides.interviews_using(guide_slug)
    following = tuple(library.interviews.many(sorted(using)))
    interviews = tuple(interview for interview in following if filters.admits(interview))
    # One pass files every quote under its question and its tags: (key, interview) -> quotes.
    by_question: dict[str, dict[int, list[QuoteLine]]] = {}
    by_tag: dict[str, dict[int, list[QuoteLine]]] = {}
    for quote in library.quotes.lines_for([i.id for i in interviews]):
        if quote.question_key:
            by_question.setdefault(quote.question_key, {}).setdefault(quote.interview_id, []).append(quote)
        for tag in quote.tags:
            by_tag.setdefault(tag, {}).setdefault(quote.interview_id, []).append(quote)
    versions = {gid: parsed_guide(library.guides.get(gid)) for gid in set(using.values()) - {latest.id}}
    versions[latest.id] = guide
    followed = {interview_id: versions[guide_id] for interview_id, guide_id in using.items()}
    questions = tuple(
        BoardRow(q.key, q.text, _frozen(by_question.get(q.key, {})))
        for q in _every_question(guide, versions, set(by_question))
    )
    themes = tuple(BoardRow(t.name, t.definition, _frozen(by_tag.get(t.name, {}))) for t in guide.tags)
    return Board(guide, interviews, questions, themes, following, followed)


def _every_question(latest: Guide, versions: dict[int, Guide], answered: set[str]) -> list[Question]:
    """The latest version's questions, then any question since removed that a quote still answers (under
    its last wording), so no quote drops off the board."""
    questions = {q.key: q for q in latest.questions}
    for version in sorted(versions.values(), key=lambda g: g.version, reverse=True):
        for question in version.questions:
            if question.key in answered:
                questions.setdefault(question.key, question)
    return list(questions.values())


def _frozen(cells: dict[int, list[QuoteLine]]) -> dict[int, tuple[QuoteLine, ...]]:
    return {interview_id: tuple(quotes) for interview_id, quotes in cells.items()}
