"""Search every interview as you type, by exact words and by meaning, and open a hit at the moment it
was said.

Each hit shows the interview, the speaker, the time and the words around the match with the match marked;
a passage found only by meaning ("cost" finding "the price was steep") says so. Hits come from
`services.search.Finder`, ranked together. Queries run on the thread pool (`LatestQuery`: read-only, the
newest query winning) a short pause after the last key, so typing a word costs one query, not one per
letter. The first time the view is shown, the sentence model is loaded and interviews not yet embedded
are embedded (a write, on a connection of its own); a line under the box says when search by meaning is
unavailable or leaves some interviews (not in English) to exact words. Opening a hit emits
`hit_activated(interview_id, start_ms)`.

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
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from app.domain.timecode import clock
from app.domain.wording import counted
from app.services.search import Finder, Found, SearchResults
from app.ui.rich_text import HtmlDelegate
from app.ui.tasks import LatestQuery, run_in_library

_ModelIndex = QModelIndex | QPersistentModelIndex

TYPING_PAUSE_MS = 200
MAX_HITS = 200
HIT_ROLE = Qt.ItemDataRole.UserRole
# The match keeps one look in light and dark themes and on a selected row: dark text on a soft yellow.
MARK = '<span style="background-color:#ffe08a; color:#1a1a1a; font-weight:600">'


SIMILAR = "similar meaning"


def hit_html(hit: Found) -> str:
    """Two lines: where (interview · speaker · time) in bold, then the snippet with the match marked; a
    passage found only by meaning says so after where it was said."""
    where = " · ".join(part for part in (hit.interview_title, hit.speaker, clock(hit.start_ms)) if part)
    snippet = html.escape(hit.snippet).replace("\x02", MARK).replace("\x03", "</span>")
    similar = "" if hit.exact else f" <i>— {SIMILAR}</i>"
    return f"<b>{html.escape(where)}</b>{similar}<br>{snippet}"


class HitModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Found] = []

    def show(self, hits: list[Found]) -> None:
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
            words = hit.snippet.replace("\x02", "").replace("\x03", "")
            return (
                f"{hit.interview_title}, {clock(hit.start_ms)}{'' if hit.exact else ', ' + SIMILAR}: {words}"
            )
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
    meaning_ready = Signal()
    """Search by meaning is ready, or it is known that it cannot be (the note says why)."""

    def __init__(
        self, library_root: Path, parent: QWidget | None = None, finder: Finder | None = None
    ) -> None:
        super().__init__(parent)
        self._root = library_root
        self._query = LatestQuery(library_root, owner=self)
        self._finder = finder or Finder()
        self._preparing = False
        self._open_on_arrival = False
        self._pause = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.search_now)

        self.query = SearchBox()
        self.query.setPlaceholderText('Search every interview — words, or a "quoted phrase"')
        self.query.setClearButtonEnabled(True)
        self.status = QLabel("Type to search what was said in every interview.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.meaning_note = QLabel()
        self.meaning_note.setTextFormat(Qt.TextFormat.PlainText)
        self.meaning_note.setWordWrap(True)
        self.meaning_note.setVisible(False)
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
        layout.addWidget(self.meaning_note)
        layout.addWidget(self.results, 1)

        self.query.textChanged.connect(lambda _text: self._pause.start())
        self.query.returnPressed.connect(self._open_current_or_first)
        self.query.down.connect(self._enter_results)
        self.results.opened.connect(self._open)
        self.results.doubleClicked.connect(self._open)
        self.results.left_at_top.connect(self.query.setFocus)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.prepare_meaning()

    def prepare_meaning(self) -> None:
        """Load the sentence model and embed what is new, off the GUI thread; the query in the box runs
        again when that is done. Cheap once done (a query finds nothing new to embed)."""
        if self._preparing:
            return
        self._preparing = True
        self._show_note(self._finder.note())
        run_in_library(self._root, self._finder.prepare, self._prepared, self._prepare_failed, owner=self)

    def search_now(self) -> None:
        """Run the query in the box now (typing runs it after a short pause)."""
        self._pause.stop()
        text = self.query.text()
        if not text.strip():
            self._query.drop()
            self._show(text)
            return
        self.status.setText("Searching…")
        finder = self._finder
        self._query.run(
            lambda library: finder.search(library, text, MAX_HITS),
            lambda results: self._show(text, results),
            self._failed,
        )

    def _show(self, text: str, results: SearchResults | None = None) -> None:
        hits = results.hits if results else []
        self.model.show(hits)
        if results is not None:
            self._show_note(results.note)
        if not text.strip():
            self.status.setText("Type to search what was said in every interview.")
        elif not hits:
            self.status.setText(f"Nothing in any interview matches “{text.strip()}”.")
        else:
            self.status.setText(f"{_summary(hits)} — Enter opens one.")
            self.results.setCurrentIndex(self.model.index(0))
        self.results_shown.emit()
        if self._open_on_arrival and hits:
            self._open(self.model.index(0))
        self._open_on_arrival = False

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"Search failed: {error}")

    def _prepared(self, _result: None) -> None:
        self._preparing = False
        self._show_note(self._finder.note())
        self.meaning_ready.emit()
        if self.query.text().strip():
            self.search_now()

    def _prepare_failed(self, error: Exception) -> None:
        self._preparing = False  # tried again the next time search is shown
        self._show_note(f"Search by meaning could not get ready ({error}); exact words are searched.")
        self.meaning_ready.emit()

    def _show_note(self, note: str | None) -> None:
        self.meaning_note.setText(note or "")
        self.meaning_note.setVisible(bool(note))

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
        hit: Found = index.data(HIT_ROLE)
        self.hit_activated.emit(hit.interview_id, hit.start_ms)


def _summary(hits: list[Found]) -> str:
    """ "12 passages in 4 interviews: 9 with these words, 3 saying something similar"."""
    interviews = len({hit.interview_id for hit in hits})
    more = " (the best)" if len(hits) == MAX_HITS else ""
    found = f"{counted(len(hits), 'passage')}{more} in {counted(interviews, 'interview')}"
    similar = sum(not hit.exact for hit in hits)
    if not similar:
        return found
    if similar == len(hits):
        return f"{found}, all saying something similar"
    return f"{found}: {len(hits) - similar} with these words, {similar} saying something similar"
