"""Search all interviews as a popup over the window (Ctrl+Shift+F), like a command palette: it takes the
keyboard, leaves the transcript its full height, and closes on Esc, a click outside, or once a hit opens."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

# Of the window it opens over: wide enough for a hit's context, leaving the window visible around it.
WIDTH_SHARE, HEIGHT_SHARE = 0.6, 0.65
MIN_WIDTH, MAX_WIDTH = 520, 960
TOP_MARGIN = 56  # below the toolbar, as palettes sit


class SearchPopup(QFrame):
    def __init__(self, search: QWidget, window: QWidget) -> None:
        super().__init__(window, Qt.WindowType.Popup)
        self.setObjectName("searchPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._window = window
        self.search = search
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(search)
        self.setFocusProxy(search)

    def open_over(self) -> None:
        """Show over the window, top-centre, with the query's text selected for a new search."""
        window = self._window
        width = max(MIN_WIDTH, min(MAX_WIDTH, int(window.width() * WIDTH_SHARE)))
        height = int(window.height() * HEIGHT_SHARE)
        top_left = window.mapToGlobal(QPoint((window.width() - width) // 2, TOP_MARGIN))
        self.setGeometry(top_left.x(), top_left.y(), width, height)
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.setFocus()
        query = getattr(self.search, "query", None)
        if query is not None:
            query.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
