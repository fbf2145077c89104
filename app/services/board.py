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
    versions = [stored for stored in library.guides.all() if stored.slug == guide_slug]
    if not versions:
        raise LibraryError(f"No interview in this library uses the guide {guide_slug!r} yet.")
    guide = load_guide(versions[-1].document, guide_slug)
    using = library.guides.interviews_using(guide_slug)
    interviews = tuple(
        interview for interview in library.interviews.many(sorted(using)) if filters.admits(interview)
    )
    quotes = library.quotes.for_interviews([i.id for i in interviews])
    questions = tuple(
        BoardRow(q.key, q.text, _cells(quote for quote in quotes if quote.question_key == q.key))
        for q in guide.questions
    )
    themes = tuple(
        BoardRow(tag.name, tag.definition, _cells(quote for quote in quotes if tag.name in quote.tags))
        for tag in guide.tags
    )
    return Board(guide, interviews, questions, themes)


def _cells(quotes) -> dict[int, tuple[Quote, ...]]:
    cells: dict[int, list[Quote]] = {}
    for quote in quotes:
        cells.setdefault(quote.interview_id, []).append(quote)
    return {interview_id: tuple(found) for interview_id, found in cells.items()}
