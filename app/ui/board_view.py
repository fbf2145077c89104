"""The board page: a guide's questions (or its themes) against the interviews that follow it, full width.

Each cell holds the quotes that answer the question in that interview, written out in full, and each row
says "n of N interviews"; double-clicking a quote emits `quote_activated` for the window to open the
interview at that moment. The board of a thousand interviews holds ten thousand quotes, so it is built
on the thread pool (`LatestQuery`: a newer request supersedes an older one, whose answer is dropped).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.domain.wording import counted
from app.services.board import Board, BoardFilters, build_board
from app.ui.board_filters import BoardFilterBar
from app.ui.board_grid import BoardGrid
from app.ui.board_model import BoardModel
from app.ui.tasks import LatestQuery

if TYPE_CHECKING:
    from app.library import Library

REBUILD_DELAY_MS = 150  # coalesce a burst of filter or quote changes into one build
NO_GUIDE = (
    "No guide in this library yet.\nChoose a guide for an interview, tag what the customer said, "
    "and the board shows who said what."
)


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


class BoardView(QWidget):
    """The board with its guide picker and filters; self-contained, so the window can show it as a page."""

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

        self.bar = BoardFilterBar()
        self.model = BoardModel()
        self.grid = BoardGrid(self.model)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.grid)
        self.pages.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.bar)
        layout.addWidget(self.pages, 1)

        self.bar.changed.connect(self.refresh_later)
        self.bar.rows_changed.connect(self._show_board)
        self.grid.quote_opened.connect(self.quote_activated)
        self.setFocusProxy(self.grid)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the board from the library, off the GUI thread (call it when quotes change)."""
        self._rebuild.stop()
        slug, filters = self.bar.guide.currentData(), self.bar.filters()
        self.bar.status.setText("Building the board…")
        self._query.run(lambda library: _load(library, slug, filters), self._loaded, self._failed)

    def refresh_later(self) -> None:
        """Rebuild shortly: a burst of changes (quotes added one after another) costs one build."""
        self._rebuild.start()

    def _loaded(self, loaded: _Loaded) -> None:
        self._board = loaded.board
        board = loaded.board
        self.bar.offer(loaded.guides, board and board.guide.slug, board.following if board else ())
        self._show_board()
        self.board_shown.emit()

    def _failed(self, error: Exception) -> None:
        self._board = None
        self._show_board()
        self.empty.setText(f"The board could not be built: {error}")

    def _show_board(self) -> None:
        board = self._board
        self.model.show(board, themes=self.bar.by_theme())
        if board is None:
            self.bar.status.setText("")
            self.empty.setText(NO_GUIDE)
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
            self.grid.fit()
        shown, total = len(board.interviews), len(board.following)
        following = f"{counted(total, 'interview')} following {board.guide.name}"
        self.bar.status.setText(
            f"{shown} of {following}" if shown != total else f"{following} — double-click a quote to hear it"
        )
        if (
            self.model.rowCount() and board.interviews
        ):  # the keyboard starts at the top left, nothing selected
            self.grid.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
