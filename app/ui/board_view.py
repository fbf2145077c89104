"""The board: a guide's questions (or its themes) against the interviews that follow it.

Each cell lists the quotes that answer the question in that interview; each row says "n of N interviews",
and the quotes of the chosen row are listed underneath, where opening one emits `quote_activated` for the
window to open the interview at that moment. The board of a thousand interviews holds ten thousand quotes,
so it is built on the thread pool with a library connection of its own; a newer request supersedes an
older one, whose result is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.interview import Interview, Outcome
from app.domain.timecode import clock
from app.domain.wording import counted
from app.library import Library
from app.library.quotes import QuoteLine
from app.services.board import Board, BoardFilters, BoardRow, build_board
from app.ui.tasks import LatestQuery

_ModelIndex = QModelIndex | QPersistentModelIndex

ANY = "Any"
NO_DATE = QDate(2000, 1, 1)
"""A date edit showing this date means "no limit" (it displays "Any")."""
REBUILD_DELAY_MS = 150  # coalesce a burst of filter or quote changes into one build
ROW_HEIGHT = 118
QUESTION_WIDTH = 320
INTERVIEW_WIDTH = 260
QUOTE_ROLE = Qt.ItemDataRole.UserRole
"""A quote in the list underneath: (interview id, start ms)."""


@dataclass(frozen=True, slots=True)
class _Loaded:
    guides: list[tuple[str, str]]
    """(slug, name) of every guide the library holds, by name."""
    board: Board | None


def _load(library: Library, slug: str | None, filters: BoardFilters) -> _Loaded:
    """On a pool thread: the guides to choose from and the chosen one's board."""
    latest = {stored.slug: stored.name for stored in library.guides.all()}  # ordered by version
    guides = sorted(latest.items(), key=lambda item: item[1].casefold())
    if slug not in latest:
        slug = guides[0][0] if guides else None
    return _Loaded(guides, build_board(library, slug, filters) if slug else None)


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

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() or self.board is None else len(self.board.interviews)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        quotes = self.quotes(index)
        # An interview that followed an older version of the guide shows the wording it was asked.
        asked = (
            None
            if self.themes
            else self.board.asked(self.row(index.row()), self.interview(index.column()).id)
        )
        heading = [f"Asked as: {asked}"] if asked else []
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n\n".join([*heading, *(f"“{q.text}” ({clock(q.start_ms)})" for q in quotes)]) or "—"
        if role == Qt.ItemDataRole.ToolTipRole and quotes:
            return "\n\n".join([*heading, *(f"{clock(q.start_ms)}  “{q.text}”" for q in quotes)])
        if role == Qt.ItemDataRole.ForegroundRole and not quotes:
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
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
                return f"{row.key}: {row.label}" if row.label else row.key
            return f"{section + 1}. {row.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.label
        if role == HEADLINE_ROLE:
            return self.board.headline(row)
        if role == Qt.ItemDataRole.DecorationRole and self.themes:
            return QColor(self.board.guide.tags[section].colour)
        return None


HEADLINE_ROLE = Qt.ItemDataRole.UserRole + 1
"""Row header: "n of N interviews"."""


def describe(interview: Interview) -> list[str]:
    """The details a researcher compares interviews by, in two short lines (a column is narrow)."""
    lines = [
        (interview.segment, interview.outcome.value if interview.outcome else None),
        (interview.interview_date or interview.created_at[:10], interview.interviewer),
    ]
    return [" · ".join(part for part in line if part) for line in lines]


class RowHeader(QHeaderView):
    """The question column, kept in view while the interviews scroll sideways: the question (or theme,
    with its colour) wrapped over several lines, and "n of N interviews" in bold underneath."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setDefaultSectionSize(ROW_HEIGHT)
        self.setFixedWidth(QUESTION_WIDTH)

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = section
        self.style().drawControl(QStyle.ControlElement.CE_HeaderSection, option, painter, self)
        model = self.model()
        text_rect = rect.adjusted(8, 6, -8, -6)
        colour = model.headerData(section, Qt.Orientation.Vertical, Qt.ItemDataRole.DecorationRole)
        if isinstance(colour, QColor):
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(QRect(text_rect.left(), text_rect.top() + 3, 12, 12), 3, 3)
            text_rect.setLeft(text_rect.left() + 18)
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


class QuoteList(QListWidget):
    """The chosen row's quotes, one per item; Enter or a double-click opens one."""

    opened = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setSpacing(3)
        self.setAlternatingRowColors(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.itemActivated.connect(self._open)

    def show_quotes(self, quotes: list[tuple[QuoteLine, Interview]]) -> None:
        self.clear()
        for quote, interview in quotes:
            tags = f" · {', '.join(quote.tags)}" if quote.tags else ""
            item = QListWidgetItem(f"“{quote.text}”\n{interview.title} · {clock(quote.start_ms)}{tags}")
            item.setData(QUOTE_ROLE, (quote.interview_id, quote.start_ms))
            item.setToolTip(quote.note or "")
            self.addItem(item)

    def select_interview(self, interview_id: int) -> None:
        for number in range(self.count()):
            if self.item(number).data(QUOTE_ROLE)[0] == interview_id:
                self.setCurrentRow(number)
                self.scrollToItem(self.item(number), QAbstractItemView.ScrollHint.PositionAtTop)
                return

    def _open(self, item: QListWidgetItem) -> None:
        self.opened.emit(*item.data(QUOTE_ROLE))


class BoardGrid(QTableView):
    """The grid; Enter on a cell opens its first quote, as a double-click does. A few interviews share out
    the width; many scroll sideways under the fixed question column."""

    cell_opened = Signal(QModelIndex)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        columns = self.model().columnCount() if self.model() else 0
        if columns:
            self.horizontalHeader().setDefaultSectionSize(
                max(INTERVIEW_WIDTH, self.viewport().width() // columns)
            )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.cell_opened.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class BoardView(QWidget):
    """The board with its guide picker and filters; self-contained, so the window can dock or tab it."""

    quote_activated = Signal(int, int)
    """(interview id, start ms) of the quote the user opened."""
    board_shown = Signal()
    """A build finished and its board is on screen (tests and the window wait for it)."""

    def __init__(self, library_root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._query = LatestQuery(library_root, owner=self)
        self._board: Board | None = None
        self._rebuild = QTimer(self, singleShot=True, interval=REBUILD_DELAY_MS)
        self._rebuild.timeout.connect(self.refresh)

        self.guide = QComboBox()
        self.guide.setToolTip("The guide whose questions form the rows")
        self.rows = QComboBox()
        self.rows.addItems(["By question", "By theme"])
        self.rows.setToolTip("Rows: the guide's questions, or its theme tags")
        self.segment = QComboBox()
        self.outcome = QComboBox()
        self.outcome.addItems([ANY, *(outcome.value for outcome in Outcome)])
        self.interviewer = QComboBox()
        self.date_from, self.date_to = _date_edit(), _date_edit()
        clear = QPushButton("Clear filters")
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.model = BoardModel()
        self.grid = BoardGrid()
        self.grid.setModel(self.model)
        self.grid.setVerticalHeader(RowHeader(self.grid))
        self.grid.setWordWrap(True)
        self.grid.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.grid.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.grid.horizontalHeader().setDefaultSectionSize(INTERVIEW_WIDTH)
        self.grid.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.grid)
        self.pages.addWidget(self.empty)

        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        heading_font = self.heading.font()
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.quotes = QuoteList()
        underneath = QWidget()
        underneath_layout = QVBoxLayout(underneath)
        underneath_layout.setContentsMargins(0, 4, 0, 0)
        underneath_layout.addWidget(self.heading)
        underneath_layout.addWidget(self.quotes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.pages)
        splitter.addWidget(underneath)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        for label, widget in (("&Guide", self.guide), ("&Rows", self.rows)):
            top.addWidget(_buddy(label, widget))
            top.addWidget(widget)
        top.addWidget(self.status, 1)
        filters = QHBoxLayout()
        for label, widget in (
            ("&Segment", self.segment),
            ("&Outcome", self.outcome),
            ("&Interviewer", self.interviewer),
            ("&From", self.date_from),
            ("&Until", self.date_to),
        ):
            filters.addWidget(_buddy(label, widget))
            filters.addWidget(widget)
        filters.addWidget(clear)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        for combo in (self.guide, self.segment, self.outcome, self.interviewer):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.refresh_later)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.refresh_later)
        self.rows.currentIndexChanged.connect(self._show_board)
        clear.clicked.connect(self.clear_filters)
        self.grid.selectionModel().currentChanged.connect(self._cell_chosen)
        self.grid.doubleClicked.connect(self._open_cell)
        self.grid.cell_opened.connect(self._open_cell)
        self.quotes.opened.connect(self.quote_activated)
        self.refresh()

    # Public ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the board from the library, off the GUI thread (call it when quotes change)."""
        self._rebuild.stop()
        slug, filters = self.guide.currentData(), self.filters()
        self.status.setText("Building the board…")
        self._query.run(lambda library: _load(library, slug, filters), self._loaded, self._failed)

    def refresh_later(self) -> None:
        """Rebuild shortly: a burst of changes (quotes added one after another) costs one build."""
        self._rebuild.start()

    def filters(self) -> BoardFilters:
        return BoardFilters(
            segment=_chosen(self.segment),
            outcome=_chosen(self.outcome),
            interviewer=_chosen(self.interviewer),
            date_from=_date(self.date_from),
            date_to=_date(self.date_to),
        )

    def clear_filters(self) -> None:
        for combo in (self.segment, self.outcome, self.interviewer):
            combo.setCurrentIndex(0)
        for edit in (self.date_from, self.date_to):
            edit.setDate(NO_DATE)

    # Reactions -------------------------------------------------------------------------------------

    def _loaded(self, loaded: _Loaded) -> None:
        self._board = loaded.board
        _refill(
            self.guide,
            [(name, slug) for slug, name in loaded.guides],
            loaded.board and loaded.board.guide.slug,
        )
        following = loaded.board.following if loaded.board else ()
        _refill_choices(self.segment, {i.segment for i in following if i.segment})
        _refill_choices(self.interviewer, {i.interviewer for i in following if i.interviewer})
        self._show_board()
        self.board_shown.emit()

    def _failed(self, error: Exception) -> None:
        self._board = None
        self._show_board()
        self.empty.setText(f"The board could not be built: {error}")

    def _show_board(self) -> None:
        board = self._board
        self.model.show(board, themes=self.rows.currentIndex() == 1)
        self.heading.clear()
        self.quotes.clear()
        if board is None:
            self.status.setText("")
            self.empty.setText(
                "No guide in this library yet.\nChoose a guide for an interview, tag what the customer said, "
                "and the board shows who said what."
            )
            self.pages.setCurrentWidget(self.empty)
            return
        if not board.interviews:
            self.empty.setText(
                "No interview matches these filters."
                if board.following
                else "No interview follows this guide yet."
            )
            self.pages.setCurrentWidget(self.empty)
        else:
            self.pages.setCurrentWidget(self.grid)
            self.grid.fit_columns()
        shown, total = len(board.interviews), len(board.following)
        self.status.setText(
            f"{shown} of {counted(total, 'interview')} following {board.guide.name}"
            if shown != total
            else f"{counted(total, 'interview')} following {board.guide.name}"
        )
        if self.model.rowCount() and board.interviews:
            self.grid.setCurrentIndex(self.model.index(0, 0))

    def _cell_chosen(self, current: QModelIndex) -> None:
        if not current.isValid() or self._board is None:
            return
        row = self.model.row(current.row())
        title = row.key if self.model.themes else row.label
        self.heading.setText(f"{title} — {self._board.headline(row)}")
        interviews = {interview.id: interview for interview in self._board.interviews}
        self.quotes.show_quotes(
            [
                (quote, interviews[interview_id])
                for interview_id, quotes in row.cells.items()
                for quote in quotes
            ]
        )
        self.quotes.select_interview(self.model.interview(current.column()).id)

    def _open_cell(self, index: QModelIndex) -> None:
        quotes = self.model.quotes(index)
        if quotes:
            self.quote_activated.emit(quotes[0].interview_id, quotes[0].start_ms)


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(ANY)
    edit.setDate(NO_DATE)
    return edit


def _date(edit: QDateEdit) -> str | None:
    return None if edit.date() == NO_DATE else edit.date().toString(Qt.DateFormat.ISODate)


def _chosen(combo: QComboBox) -> str | None:
    return None if combo.currentIndex() <= 0 else combo.currentText()


def _refill(combo: QComboBox, items: list[tuple[str, Any]], current: Any) -> None:
    """Replace a combo's items without emitting changes, keeping `current` chosen."""
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def _refill_choices(combo: QComboBox, values: set[str]) -> None:
    """A filter's choices: "Any", then the values the interviews have (the current one kept)."""
    current = combo.currentText() if combo.currentIndex() > 0 else ANY
    _refill(combo, [(ANY, ANY), *((value, value) for value in sorted(values, key=str.casefold))], current)
