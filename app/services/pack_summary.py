"""The rows of a pack's summary: the board's questions and themes restricted to the selection, with the
pack's quotes placed under them, so the pack counts exactly what the board counts (`build_pack` uses it),
then the groups the user kept in the Themes view, counted the same way.

Theme names and group labels are drawn from what customers said ("Globex payroll"), so they pass through
the pack's redactor like every other user text; question wordings are the guide's and pass as they are."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace

from app.domain.themes import KeptGroup
from app.domain.wording import readable_name
from app.export.pack.model import PackQuote, PackRow
from app.services.board import Board, BoardRow


class SummaryRows:
    """The summary's rows: questions and themes as on the board (restricted to the selection), then any
    quotes filed under neither; each quote's `home` is the first row that shows it."""

    def __init__(
        self,
        quotes: dict[int, PackQuote],
        interview_count: int,
        redact: Callable[[str, Hashable], str] = lambda text, _source: text,
    ) -> None:
        self._quotes = quotes
        self._interview_count = interview_count
        self._redact = redact

    def from_board(
        self, rows: tuple[BoardRow, ...], kind: str, guided: set[int], board: Board
    ) -> tuple[PackRow, ...]:
        colours = {tag.name: tag.colour for tag in board.guide.tags}
        pack_rows = []
        for number, row in enumerate(rows, start=1):
            cells = {i: quotes for i, quotes in row.cells.items() if i in guided}
            quotes = [self._quotes[quote.id] for held in cells.values() for quote in held]
            pack_rows.append(
                PackRow(
                    id=_row_id(kind, number),
                    kind=kind,
                    number=number,
                    label=row.label
                    if kind == "question"
                    else self._redact(readable_name(row.key), ("tag", row.key)),
                    definition=self._redact(row.label, ("theme", row.key)) if kind == "theme" else "",
                    colour=colours.get(row.key),
                    answered=len(cells),
                    total=len(guided),
                    quotes=self._ordered(quotes),
                )
            )
        return tuple(pack_rows)

    def kept(
        self, kept: dict[str, list[KeptGroup]], board: Board, guided_numbers: set[int]
    ) -> tuple[PackRow, ...]:
        """A row per group the user kept (`services/theme_groups.py`) for a question or theme of the pack's
        guide: its label, "n of N" over the guided interviews, and those of its quotes the pack holds that
        still answer that question (or carry that theme)."""
        questions = {row.key: row.label for row in board.questions}
        parents = {
            (kind, row.key): _row_id(kind, number)
            for kind, rows in (("question", board.questions), ("theme", board.themes))
            for number, row in enumerate(rows, start=1)
        }
        pack_rows: list[PackRow] = []
        for of, groups in kept.items():
            kind, _, key = of.partition(":")
            if kind == "question" and key in questions:
                source, belongs = f"answers to “{questions[key]}”", lambda q, key=key: q.question_key == key
                parent = parents[("question", key)]
            elif kind == "tag":
                theme = self._redact(readable_name(key), ("tag", key))
                source, belongs = f"quotes tagged “{theme}”", lambda q, theme=theme: theme in q.tags
                parent = parents.get(("theme", key))
            else:
                continue
            for group in groups:
                quotes = [
                    quote
                    for quote in (self._quotes.get(q) for q in group.quote_ids)
                    if quote is not None and quote.interview_number in guided_numbers and belongs(quote)
                ]
                if quotes:
                    number = len(pack_rows) + 1
                    pack_rows.append(
                        PackRow(
                            id=f"group-{number}",
                            kind="group",
                            number=number,
                            label=self._redact(group.label, ("group", of, group.label)),
                            definition=f"Grouped from the {source}",
                            colour=None,
                            answered=len({quote.interview_number for quote in quotes}),
                            total=len(guided_numbers),
                            quotes=self._ordered(quotes),
                            parent=parent,
                        )
                    )
        return tuple(pack_rows)

    def other(self) -> tuple[PackRow, ...]:
        """Quotes with neither a question nor a theme (e.g. from an interview that follows no guide)."""
        loose = [quote for quote in self._quotes.values() if not quote.question_key and not quote.tags]
        if not loose:
            return ()
        answered = len({quote.interview_number for quote in loose})
        return (
            PackRow(
                "other",
                "other",
                1,
                "Other quotes",
                "",
                None,
                answered,
                self._interview_count,
                self._ordered(loose),
            ),
        )

    @staticmethod
    def placed(
        questions: tuple[PackRow, ...], themes: tuple[PackRow, ...]
    ) -> tuple[tuple[PackRow, ...], tuple[PackRow, ...]]:
        homes: dict[int, str] = {}
        for row in (*questions, *themes):
            for quote in row.quotes:
                homes.setdefault(quote.id, row.id)

        def place(rows: tuple[PackRow, ...]) -> tuple[PackRow, ...]:
            return tuple(
                replace(row, quotes=tuple(replace(quote, home=homes[quote.id]) for quote in row.quotes))
                for row in rows
            )

        return place(questions), place(themes)

    @staticmethod
    def _ordered(quotes: list[PackQuote]) -> tuple[PackQuote, ...]:
        return tuple(sorted(quotes, key=lambda quote: (quote.interview_number, quote.start_ms, quote.id)))


def _row_id(kind: str, number: int) -> str:
    """A board row's id in the pack: `question-<n>` or `theme-<n>`, n its place on the board."""
    return f"{kind}-{number}"
