"""The board: each guide question against the interviews, with the quotes that answer it.

"5 of 6 interviews" is counted over the interviews that use the guide (any version: question keys are
stable) and pass the filters; the same is done per theme tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.interview import Interview
from app.domain.quote import Quote
from app.guides.loader import load_guide
from app.guides.model import Guide
from app.library import Library, LibraryError


@dataclass(frozen=True, slots=True)
class BoardFilters:
    segment: str | None = None
    outcome: str | None = None
    interviewer: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def admits(self, interview: Interview) -> bool:
        date = interview.interview_date or interview.created_at[:10]
        return (
            (self.segment is None or interview.segment == self.segment)
            and (self.outcome is None or (interview.outcome and interview.outcome.value == self.outcome))
            and (self.interviewer is None or interview.interviewer == self.interviewer)
            and (self.date_from is None or date >= self.date_from)
            and (self.date_to is None or date <= self.date_to)
        )


@dataclass(frozen=True, slots=True)
class BoardRow:
    key: str
    label: str
    cells: dict[int, tuple[Quote, ...]]
    """Interview id → the quotes there (interviews with none are absent)."""

    @property
    def answered(self) -> int:
        return len(self.cells)


@dataclass(frozen=True, slots=True)
class Board:
    guide: Guide
    interviews: tuple[Interview, ...]
    questions: tuple[BoardRow, ...]
    themes: tuple[BoardRow, ...]

    def headline(self, row: BoardRow) -> str:
        return f"{row.answered} of {len(self.interviews)} interviews"


def build_board(library: Library, guide_slug: str, filters: BoardFilters | None = None) -> Board:
    filters = filters or BoardFilters()
    latest = library.guides.latest(guide_slug)
    if latest is None:
        raise LibraryError(f"No interview in this library uses the guide {guide_slug!r} yet.")
    guide = load_guide(latest.document, guide_slug)
    using = library.guides.interviews_using(guide_slug)
    interviews = tuple(
        interview for interview in library.interviews.many(sorted(using)) if filters.admits(interview)
    )
    # One pass files every quote under its question and its tags: (key, interview) -> quotes.
    by_question: dict[str, dict[int, list[Quote]]] = {}
    by_tag: dict[str, dict[int, list[Quote]]] = {}
    for quote in library.quotes.for_interviews([i.id for i in interviews]):
        if quote.question_key:
            by_question.setdefault(quote.question_key, {}).setdefault(quote.interview_id, []).append(quote)
        for tag in quote.tags:
            by_tag.setdefault(tag, {}).setdefault(quote.interview_id, []).append(quote)
    questions = tuple(BoardRow(q.key, q.text, _frozen(by_question.get(q.key, {}))) for q in guide.questions)
    themes = tuple(BoardRow(t.name, t.definition, _frozen(by_tag.get(t.name, {}))) for t in guide.tags)
    return Board(guide, interviews, questions, themes)


def _frozen(cells: dict[int, list[Quote]]) -> dict[int, tuple[Quote, ...]]:
    return {interview_id: tuple(quotes) for interview_id, quotes in cells.items()}
