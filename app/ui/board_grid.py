"""The board's grid: the question column kept in view, interviews sharing out the width, and each cell's
quotes written out in full, the rows as tall as their longest cell. Double-clicking a quote (or Enter on
a cell, for its first quote) asks to open it at its moment."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.ui.board_model import HEADLINE_ROLE, HTML_ROLE, BoardModel
from app.ui.rich_text import HtmlDelegate

QUESTION_WIDTH = 280
NARROW_QUESTION_WIDTH = 230
"""The question column on a small laptop's screen (a board narrower than WIDE)."""
WIDE = 1600
INTERVIEW_WIDTH = 170
"""The narrowest an interview's column gets (about 25 characters a line): six share a 1366-pixel screen
beside the questions; more scroll sideways."""
MIN_ROW_HEIGHT = 72
_PADDING = 8


class RowHeader(QHeaderView):
    """The question column, kept in view while the interviews scroll sideways: the question (or theme,
    with its colour) wrapped over several lines, and "n of N interviews" in bold underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultSectionSize(MIN_ROW_HEIGHT)
        self.setFixedWidth(QUESTION_WIDTH)

    def _text_rect(self, rect: QRect, section: int) -> QRect:
        text_rect = rect.adjusted(_PADDING, 6, -_PADDING, -6)
        if isinstance(
            self.model().headerData(section, self.orientation(), Qt.ItemDataRole.DecorationRole), QColor
        ):
            text_rect.setLeft(text_rect.left() + 18)
        return text_rect

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        """Tall enough for the whole question and the headline under it."""
        text = self.model().headerData(logicalIndex, self.orientation(), Qt.ItemDataRole.DisplayRole) or ""
        width = self._text_rect(QRect(0, 0, self.width(), 1000), logicalIndex).width()
        wrapped = (
            self.fontMetrics()
            .boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
            .height()
        )
        return QSize(self.width(), max(MIN_ROW_HEIGHT, wrapped + 2 * self.fontMetrics().height() + 12))

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = section
        self.style().drawControl(QStyle.ControlElement.CE_HeaderSection, option, painter, self)
        model = self.model()
        text_rect = self._text_rect(rect, section)
        colour = model.headerData(section, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole)
        if isinstance(colour, QColor):
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(QRect(text_rect.left() - 18, text_rect.top() + 3, 12, 12), 3, 3)
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        headline_height = self.fontMetrics().height() + 2
        painter.drawText(
            text_rect.adjusted(0, 0, 0, -headline_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            model.headerData(section, Qt.Orientation.Vertical, Qt.ItemDataRole.DisplayRole),
        )
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
            model.headerData(section, Qt.Orientation.Vertical, HEADLINE_ROLE),
        )


class BoardGrid(QTableView):
    """A few interviews share out the width; many scroll sideways under the fixed question column."""

    quote_opened = Signal(int, int)
    """(interview id, start ms) of the quote double-clicked, or of the first quote of a cell on Enter."""

    def __init__(self, model: BoardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._delegate = HtmlDelegate(self, HTML_ROLE)
        self.setItemDelegate(self._delegate)
        self.setVerticalHeader(RowHeader(self))
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # the width never jumps
        header = self.horizontalHeader()
        header.setDefaultSectionSize(INTERVIEW_WIDTH)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Not elided: Qt elides a multi-line header to one line and "…"; a long title is cut at the column's
        # edge instead (its tooltip holds it whole).
        header.setTextElideMode(Qt.TextElideMode.ElideNone)

    def board_model(self) -> BoardModel:
        model = self.model()
        assert isinstance(model, BoardModel)
        return model

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Share the width among the interviews (none narrower than INTERVIEW_WIDTH), then make each row as
        tall as its question and its longest cell at those widths."""
        columns = self.board_model().columnCount()
        if not columns:
            return
        self.verticalHeader().setFixedWidth(QUESTION_WIDTH if self.width() >= WIDE else NARROW_QUESTION_WIDTH)
        width = max(INTERVIEW_WIDTH, self.viewport().width() // columns)
        header = self.horizontalHeader()
        header.setDefaultSectionSize(width)
        for column in range(columns):
            header.resizeSection(column, width)
        self.resizeRowsToContents()

    def quote_at(self, index: QModelIndex, point) -> tuple[int, int] | None:
        """(interview id, start ms) of the quote painted under `point` in the cell `index`."""
        model = self.board_model()
        quotes = model.quotes(index)
        if not quotes:
            return None
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        paragraph = self._delegate.paragraph_at(option, index, self.visualRect(index), point)
        paragraph -= 1 if model.asked(index) else 0  # the "Asked as" line comes first
        quote = quotes[paragraph] if 0 <= paragraph < len(quotes) else quotes[0]
        return quote.interview_id, quote.start_ms

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        opened = self.quote_at(index, event.position().toPoint()) if index.isValid() else None
        if opened is None:
            super().mouseDoubleClickEvent(event)
            return
        self.quote_opened.emit(*opened)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
            quotes = self.board_model().quotes(index)
            if quotes:
                self.quote_opened.emit(quotes[0].interview_id, quotes[0].start_ms)
            return
        super().keyPressEvent(event)
