"""The board's table model: rows are a guide's questions (or its theme tags), columns the interviews, and a
cell the quotes that answer the row in that interview, written out in full so they read in the cell."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette

from app.domain.interview import Interview
from app.domain.timecode import clock
from app.domain.wording import readable_name
from app.library.quotes import QuoteLine
from app.services.board import Board, BoardRow

_ModelIndex = QModelIndex | QPersistentModelIndex

HEADLINE_ROLE = Qt.ItemDataRole.UserRole + 1
"""Row header: "n of N interviews"."""
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
"""A cell as rich text: one paragraph per quote (the wording asked first, when it differs)."""


class BoardModel(QAbstractTableModel):
    """Rows are the guide's questions (or themes), columns the interviews; a cell shows its quotes."""

    def __init__(self) -> None:
        super().__init__()
        self.board: Board | None = None
        self.themes = False

    def show(self, board: Board | None, themes: bool) -> None:
        self.beginResetModel()
        self.board, self.themes = board, themes
        self.endResetModel()

    def rows(self) -> tuple[BoardRow, ...]:
        if self.board is None:
            return ()
        return self.board.themes if self.themes else self.board.questions

    def row(self, number: int) -> BoardRow:
        return self.rows()[number]

    def interview(self, column: int) -> Interview:
        assert self.board is not None
        return self.board.interviews[column]

    def quotes(self, index: _ModelIndex) -> tuple[QuoteLine, ...]:
        return self.row(index.row()).cells.get(self.interview(index.column()).id, ())

    def asked(self, index: _ModelIndex) -> str | None:
        """The wording this interview was asked, when an older version of the guide put it otherwise."""
        if self.themes or self.board is None:
            return None
        return self.board.asked(self.row(index.row()), self.interview(index.column()).id)

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() or self.board is None else len(self.board.interviews)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        quotes = self.quotes(index)
        asked = self.asked(index)
        heading = [f"Asked as: {asked}"] if asked else []
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n\n".join([*heading, *(f"“{q.text}” ({clock(q.start_ms)})" for q in quotes)]) or "—"
        if role == HTML_ROLE:
            return cell_html(asked, quotes)
        if role == Qt.ItemDataRole.ToolTipRole and quotes:
            return "\n\n".join(
                [
                    *heading,
                    *(f"{clock(q.start_ms)}  “{q.text}”" + (f"\n{q.note}" if q.note else "") for q in quotes),
                ]
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index)
        if role == Qt.ItemDataRole.ForegroundRole and not quotes:
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.board is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            interview = self.board.interviews[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return "\n".join([interview.title, *describe(interview)])
            if role == Qt.ItemDataRole.ToolTipRole:
                return interview.title
            return None
        row = self.row(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if self.themes:
                name = readable_name(row.key)
                return f"{name}: {row.label}" if row.label else name
            return f"{section + 1}. {row.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.label
        if role == HEADLINE_ROLE:
            return self.board.headline(row)
        if role == Qt.ItemDataRole.DecorationRole and self.themes:
            return QColor(self.board.guide.tags[section].colour)
        return None


def cell_html(asked: str | None, quotes: tuple[QuoteLine, ...]) -> str:
    """One paragraph per quote, in order, so a click's paragraph is the quote clicked (`BoardGrid`); the
    time and tags quieter than the customer's words; the wording asked, when it differs, in italics first."""
    if not quotes:
        return "<p style='color:palette(placeholder-text)'>—</p>" if not asked else ""
    paragraphs = [f"<p><i>Asked as: {html.escape(asked)}</i></p>"] if asked else []
    for quote in quotes:
        tags = " · ".join(readable_name(tag) for tag in quote.tags)
        details = " · ".join(part for part in (clock(quote.start_ms), tags) if part)
        paragraphs.append(
            f"<p style='margin-bottom:8px'>“{html.escape(quote.text)}”"
            f"<br><span style='font-size:small; color:{QUIET}'>{html.escape(details)}</span></p>"
        )
    return "".join(paragraphs)


QUIET = "#7a7a7a"
"""Times and tags under a quote: readable on light and dark, quieter than the words."""


def describe(interview: Interview) -> list[str]:
    """The details a researcher compares interviews by, in two short lines (a column is narrow)."""
    lines = [
        (interview.persona_segment, interview.outcome.value if interview.outcome else None),
        (interview.interview_date or interview.created_at[:10], interview.interviewer),
    ]
    return [" · ".join(part for part in line if part) for line in lines]
