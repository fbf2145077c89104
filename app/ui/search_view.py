"""Search every interview as you type, and open a hit at the moment it was said.

Each hit shows the interview, the speaker, the time and the words around the match with the match marked.
Queries run on the thread pool with their own library connection, a short pause after the last key
(so typing a word costs one query, not one per letter); a result that arrives after a newer query started
is dropped. Opening a hit emits `hit_activated(interview_id, start_ms)`.

Keys: type in the box; Down moves into the hits, Up from the first hit goes back to the box; Enter opens the
chosen hit (from the box, the first); Escape clears the box.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from app.domain.timecode import clock
from app.library.search import SearchHit
from app.ui.rich_text import HtmlDelegate
from app.ui.tasks import LatestQuery

_ModelIndex = QModelIndex | QPersistentModelIndex

TYPING_PAUSE_MS = 200
MAX_HITS = 200
HIT_ROLE = Qt.ItemDataRole.UserRole
# The match keeps one look in light and dark themes and on a selected row: dark text on a soft yellow.
MARK = '<span style="background-color:#ffe08a; color:#1a1a1a; font-weight:600">'


def hit_html(hit: SearchHit) -> str:
    """Two lines: where (interview · speaker · time) in bold, then the snippet with the match marked."""
    where = " · ".join(part for part in (hit.interview_title, hit.speaker, clock(hit.start_ms)) if part)
    snippet = html.escape(hit.snippet).replace("\x02", MARK).replace("\x03", "</span>")
    return f"<b>{html.escape(where)}</b><br>{snippet}"


class HitModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.hits: list[SearchHit] = []

    def show(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit_html(hit)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.interview_title}, {clock(hit.start_ms)}: {hit.highlighted('', '')}"
        if role == HIT_ROLE:
            return hit
        return None


class HitList(QListView):
    """Enter opens the chosen hit; Up from the first hit hands the keyboard back to the search box."""

    opened = Signal(QModelIndex)
    left_at_top = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex())
            return
        if event.key() == Qt.Key.Key_Up and self.currentIndex().row() <= 0:
            self.left_at_top.emit()
            return
        super().keyPressEvent(event)


class SearchBox(QLineEdit):
    """The query box: Down moves into the hits, Escape clears."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            return
        super().keyPressEvent(event)


class SearchView(QWidget):
    """Search across all interviews; self-contained, so the window can dock or tab it."""

    hit_activated = Signal(int, int)
    """(interview id, ms when the first matching word is spoken)."""
    results_shown = Signal()
    """A query's hits are on screen (tests wait for it)."""

    def __init__(self, library_root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._query = LatestQuery(library_root, owner=self)
        self._open_on_arrival = False
        self._pause = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.search_now)

        self.query = SearchBox()
        self.query.setPlaceholderText('Search every interview — words, or a "quoted phrase"')
        self.query.setClearButtonEnabled(True)
        self.status = QLabel("Type to search what was said in every interview.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.model = HitModel()
        self.results = HitList()
        self.results.setModel(self.model)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setUniformItemSizes(False)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFocusProxy(self.query)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.query)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

        self.query.textChanged.connect(lambda _text: self._pause.start())
        self.query.returnPressed.connect(self._open_current_or_first)
        self.query.down.connect(self._enter_results)
        self.results.opened.connect(self._open)
        self.results.doubleClicked.connect(self._open)
        self.results.left_at_top.connect(self.query.setFocus)

    def search_now(self) -> None:
        """Run the query in the box now (typing runs it after a short pause)."""
        self._pause.stop()
        text = self.query.text()
        if not text.strip():
            self._query.drop()
            self._show(text, [])
            return
        self.status.setText("Searching…")
        self._query.run(
            lambda library: library.search(text, limit=MAX_HITS),
            lambda hits: self._show(text, hits),
            self._failed,
        )

    def _show(self, text: str, hits: list[SearchHit]) -> None:
        self.model.show(hits)
        if not text.strip():
            self.status.setText("Type to search what was said in every interview.")
        elif not hits:
            self.status.setText(f"Nothing in any interview matches “{text.strip()}”.")
        else:
            interviews = len({hit.interview_id for hit in hits})
            more = " (the best shown)" if len(hits) == MAX_HITS else ""
            self.status.setText(f"{len(hits)} passages in {interviews} interview(s){more} — Enter opens one.")
            self.results.setCurrentIndex(self.model.index(0))
        self.results_shown.emit()
        if self._open_on_arrival and hits:
            self._open(self.model.index(0))
        self._open_on_arrival = False

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"Search failed: {error}")

    def _enter_results(self) -> None:
        if self.model.rowCount():
            self.results.setFocus()
            self.results.setCurrentIndex(self.model.index(0))

    def _open_current_or_first(self) -> None:
        if self._pause.isActive():  # the hits on screen are for older text: open the first of the new ones
            self._open_on_arrival = True
            self.search_now()
            return
        index = self.results.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0)
        if index.isValid():
            self._open(index)

    def _open(self, index: QModelIndex) -> None:
        hit: SearchHit = index.data(HIT_ROLE)
        self.hit_activated.emit(hit.interview_id, hit.start_ms)
