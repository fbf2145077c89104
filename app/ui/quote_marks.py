"""How filed quotes show in the transcript: a tint over their words and a chip in the right margin.

Quotes are stretches of time, so their words (`WordIndex.words_in`, the one rule `holds_word`) are found
each time the transcript is drawn: a corrected or split segment keeps its quotes. A tint alone says
"something is here" but not what: the chip names the question the quote answers (its number, as the keys
choose it) and its first tag, with a bar in the question's colour down the margin over the quote's lines.
Hovering a chip shows the quote's note; clicking it opens the quote.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextEdit, QToolTip

from app.domain.colour_scheme import ColourScheme
from app.domain.quote import Quote
from app.domain.word_index import WordIndex
from app.domain.wording import readable_name
from app.ui.colours import qcolor, rgb
from app.ui.transcript_look import TranscriptLook

# Room between the text's right edge and a chip, and between stacked chips.
GAP_PX = 6
BAR_WIDTH_PX = 3


@dataclass(frozen=True, slots=True)
class QuoteChip:
    quote_id: int
    label: str
    """"3 · Decision reason": question number and first tag."""
    tooltip: str
    colour: QColor
    """The question's colour (readable on the base): the bar and the chip's edge."""
    tint: QColor
    """The quote's tint: the chip's fill."""
    first: int
    last: int
    """Document positions of the quote's first word start and last word end."""


@dataclass(slots=True)
class QuoteMarks:
    """What the transcript draws for its quotes."""

    word_quotes: dict[int, int] = field(default_factory=dict)
    """Word (text order) → the id of the quote holding it."""
    selections: list[QTextEdit.ExtraSelection] = field(default_factory=list)
    chips: list[QuoteChip] = field(default_factory=list)


def mark_quotes(
    document: QTextDocument,
    index: WordIndex,
    quotes: list[Quote],
    colours: dict[int, QColor],
    questions: list[tuple[str, str]],
    scheme: ColourScheme,
) -> QuoteMarks:
    """Tints and chips for `quotes` (`colours` by quote id; `questions` as (key, label) in guide order)."""
    marks = QuoteMarks()
    numbers = {key: number for number, (key, _label) in enumerate(questions, start=1)}
    labels = dict(questions)
    for quote in quotes:
        words = index.words_in(quote.start_ms, quote.end_ms, quote.channel)
        if not words:
            continue
        colour = colours.get(quote.id) or qcolor(scheme.timestamp)
        tint = qcolor(scheme.tint(rgb(colour)))
        tinted = QTextCharFormat()
        tinted.setBackground(tint)
        for word in words:
            marks.word_quotes[word] = quote.id
        for start, end in index.runs(words):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = QTextCursor(document)
            selection.cursor.setPosition(start)
            selection.cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.format = tinted
            marks.selections.append(selection)
        about = labels.get(quote.question_key, "No question")
        tooltip = f"{about}\n{quote.note}" if quote.note else f"{about}\n(no note)"
        marks.chips.append(
            QuoteChip(
                quote.id,
                chip_label(numbers.get(quote.question_key), quote.tags),
                f"<p style='white-space:pre-wrap'>{html.escape(tooltip)}</p>",
                colour,
                tint,
                index.word_starts[words[0]],
                index.word_ends[words[-1]],
            )
        )
    marks.chips.sort(key=lambda chip: chip.first)
    return marks


def chip_label(number: int | None, tags: tuple[str, ...]) -> str:
    """What a chip says: the question's number and the first tag, as many as the quote has."""
    parts = ([str(number)] if number is not None else []) + ([readable_name(tags[0])] if tags else [])
    return " · ".join(parts) or "Quote"


def place_chips(
    view: QTextEdit, chips: list[QuoteChip], column: float
) -> list[tuple[QRect, QRect, QuoteChip]]:
    """(chip rectangle, bar rectangle, chip) in viewport coordinates, top to bottom; a chip that would
    overlap the one above moves down below it. Only chips near the viewport are placed."""
    metrics = QFontMetrics(view.font())
    height = metrics.height() + 6
    left = view.viewport().width() - round(column) - round(view.document().documentMargin()) + GAP_PX
    width = round(column) - GAP_PX
    visible = view.viewport().rect().adjusted(0, -height, 0, height)
    placed: list[tuple[QRect, QRect, QuoteChip]] = []
    below = -height
    for chip in sorted(chips, key=lambda chip: chip.first):
        top_rect = view.cursorRect(_cursor(view, chip.first))
        bottom_rect = view.cursorRect(_cursor(view, chip.last))
        top = max(top_rect.top(), below + GAP_PX // 2)
        bar = QRect(left, top_rect.top(), BAR_WIDTH_PX, max(bottom_rect.bottom() - top_rect.top(), height))
        rect = QRect(left + BAR_WIDTH_PX + 2, top, width - BAR_WIDTH_PX - 2, height)
        below = rect.bottom()
        if rect.intersects(visible) or bar.intersects(visible):
            placed.append((rect, bar, chip))
    return placed


def paint_chips(painter: QPainter, placed: list[tuple[QRect, QRect, QuoteChip]], text: QColor) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = painter.fontMetrics()
    for rect, bar, chip in placed:
        painter.fillRect(bar, chip.colour)
        painter.setPen(QPen(chip.colour, 1))
        painter.setBrush(chip.tint)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setPen(text)
        label = metrics.elidedText(chip.label, Qt.TextElideMode.ElideRight, rect.width() - 10)
        painter.drawText(rect.adjusted(5, 0, -5, 0), Qt.AlignmentFlag.AlignVCenter, label)


class ChipMargin:
    """The chips as last drawn in a view's margin: painted after the text, asked for tooltips and clicks."""

    def __init__(self, view: QTextEdit) -> None:
        self._view = view
        self._placed: list[tuple[QRect, QRect, QuoteChip]] = []

    def paint(self, chips: list[QuoteChip], look: TranscriptLook) -> None:
        """Place and draw `chips` (called from the view's paint event, so scrolling moves them)."""
        self._placed = place_chips(self._view, chips, look.chip_column) if chips else []
        if self._placed:
            painter = QPainter(self._view.viewport())
            painter.setFont(self._view.font())
            paint_chips(painter, self._placed, qcolor(look.colours.text))
            painter.end()

    def at(self, point: QPoint) -> QuoteChip | None:
        return next((chip for rect, _bar, chip in self._placed if rect.contains(point)), None)

    def rect_of(self, quote_id: int) -> QRect | None:
        return next((rect for rect, _bar, chip in self._placed if chip.quote_id == quote_id), None)

    def show_tooltip(self, event: QHelpEvent) -> bool:
        """Show the note of the chip under a tooltip event; False when no chip is there."""
        chip = self.at(event.pos())
        if chip is None:
            QToolTip.hideText()
            return False
        QToolTip.showText(event.globalPos(), chip.tooltip, self._view.viewport())
        return True


def _cursor(view: QTextEdit, position: int) -> QTextCursor:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    return cursor
