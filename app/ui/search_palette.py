"""Search as a command palette: a panel that drops over the top of the window it is given, finds what was
said in every interview (exact words and by meaning) and closes when a hit is opened, on Escape, or on a
click anywhere else in the application.

The window binds the shortcut (Ctrl+Shift+F) to `popup()` and connects `hit_activated(interview_id, ms)`
to opening the interview at that moment; nothing else is needed. The panel is a child of the window, not
a window of its own, so it never takes a place in the window manager's list and a screenshot of the
window shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsDropShadowEffect, QVBoxLayout, QWidget

from app.ui.search_view import SearchView

WIDTH = 820
"""At most; narrower windows leave a margin on each side."""
MARGIN = 24
HEIGHT_SHARE = 0.7
"""Of the window's height, at most: the page underneath stays in sight."""


class SearchPalette(QFrame):
    """Search every interview, over `host` (the main window's central area, usually)."""

    hit_activated = Signal(int, int)
    """(interview id, ms when the passage is said): the window opens the interview there and plays."""

    def __init__(self, library_root: Path, host: QWidget) -> None:
        super().__init__(host)
        self._host = host
        self.setObjectName("searchPalette")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        shadow = QGraphicsDropShadowEffect(self, blurRadius=28, offset=0)
        shadow.setColor(self.palette().color(QPalette.ColorRole.Shadow))
        self.setGraphicsEffect(shadow)
        self.view = SearchView(library_root)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)
        self.view.hit_activated.connect(self._opened)
        self.view.results_shown.connect(self._place)
        host.installEventFilter(self)
        self.hide()

    def popup(self) -> None:
        """Show over the top of the window with the keyboard in the box, the last search selected so
        typing replaces it (and Enter opens its first hit again)."""
        self._place()
        self.show()
        self.raise_()
        QApplication.instance().installEventFilter(self)  # a click elsewhere closes it, as a palette does
        self.view.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.view.query.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Escape reaches here once the box is empty (the box clears itself first)."""
        if event.key() == Qt.Key.Key_Escape:
            self.close_popup()
            return
        super().keyPressEvent(event)

    def close_popup(self) -> None:
        QApplication.instance().removeEventFilter(self)
        self.hide()
        self._host.setFocus(Qt.FocusReason.PopupFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        elif (
            event.type() == QEvent.Type.MouseButtonPress
            and self.isVisible()
            and isinstance(watched, QWidget)
            and not self.isAncestorOf(watched)
            and watched is not self
        ):
            self.close_popup()  # and the click goes on to what was clicked
        return False

    def _place(self) -> None:
        """Top centre of the host; as tall as the hits need (a few hits leave no empty panel), at most
        HEIGHT_SHARE of it."""
        host = self._host.rect()
        width = min(WIDTH, host.width() - 2 * MARGIN)
        self.setGeometry((host.width() - width) // 2, MARGIN, width, self.height())
        self.layout().activate()
        results = self.view.results
        rows = sum(results.sizeHintForRow(row) for row in range(min(results.model().rowCount(), 30)))
        chrome = self.height() - results.height()  # the box, the lines under it and the margins
        wanted = chrome + max(rows, results.fontMetrics().height() * 3) + 2 * results.frameWidth() + 4
        self.resize(width, min(wanted, int(host.height() * HEIGHT_SHARE)))

    def _opened(self, interview_id: int, start_ms: int) -> None:
        self.close_popup()
        self.hit_activated.emit(interview_id, start_ms)
