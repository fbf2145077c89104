"""The rows of a pack's summary: the board's questions and themes restricted to the selection, with the
pack's quotes placed under them, so the pack counts exactly what the board counts (`build_pack` uses it)."""

from __future__ import annotations

from dataclasses import replace

from app.domain.wording import readable_name
from app.export.pack.model import PackQuote, PackRow
from app.services.board import Board, BoardRow


class SummaryRows:
    """The summary's rows: questions and themes as on the board (restricted to the selection), then any
    quotes filed under neither; each quote's `home` is the first row that shows it."""

    def __init__(self, quotes: dict[int, PackQuote], interview_count: int) -> None:
        self._quotes = quotes
        self._interview_count = interview_count

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
                    id=f"{kind}-{number}",
                    kind=kind,
                    number=number,
                    label=row.label if kind == "question" else readable_name(row.key),  # as quotes' tags
                    definition=row.label if kind == "theme" else "",
                    colour=colours.get(row.key),
                    answered=len(cells),
                    total=len(guided),
                    quotes=self._ordered(quotes),
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
