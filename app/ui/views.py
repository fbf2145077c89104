"""The main area's views: *Interview* (list, transcript, player, details), *Board* (full width) and *Themes*
(a question's answers grouped by meaning), one at a time, switched from the View menu, the toolbar or
Ctrl+1 / Ctrl+2 / Ctrl+3.

Each view keeps its state while hidden (the board's filters and scroll, the open interview and its place),
and the widget that had the keyboard focus gets it back when its view returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from app.ui.icons import icon


@dataclass(frozen=True)
class View:
    name: str
    """As the menu and the toolbar say it."""
    icon: str
    keys: tuple[str, ...]
    tip: str


INTERVIEW = View("Interview", "interview", ("Ctrl+1",), "Read and tag one interview (Ctrl+1)")
# Ctrl+Shift+B opened the board when it was a dock: kept, so the old habit still works.
BOARD = View("Board", "board", ("Ctrl+2", "Ctrl+Shift+B"), "Questions × interviews, full width (Ctrl+2)")
THEMES = View("Themes", "themes", ("Ctrl+3",), "One question's answers grouped by meaning (Ctrl+3)")


class ViewSwitcher(QStackedWidget):
    view_changed = Signal(str)
    """The name of the view now shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self._actions: dict[str, QAction] = {}
        self._pages: dict[str, QWidget] = {}
        self._focus: dict[str, QWidget] = {}

    def add_view(self, view: View, page: QWidget) -> QAction:
        """Add `page` as `view`; returns its checkable action (for the View menu and the toolbar)."""
        action = QAction(icon(view.icon), view.name, self)
        action.setCheckable(True)
        action.setShortcuts([QKeySequence(key) for key in view.keys])
        action.setToolTip(view.tip)
        action.triggered.connect(lambda: self.show_view(view.name))
        self._group.addAction(action)
        self._actions[view.name] = action
        self._pages[view.name] = page
        self.addWidget(page)
        if self.count() == 1:
            action.setChecked(True)
        return action

    @property
    def current(self) -> str:
        return next(name for name, page in self._pages.items() if page is self.currentWidget())

    def show_view(self, name: str) -> None:
        """Show the view `name`; the focus goes back where it was when the view was last left."""
        if name != self.current:
            focused = QApplication.focusWidget()
            if focused is not None and self.currentWidget().isAncestorOf(focused):
                self._focus[self.current] = focused
            self.setCurrentWidget(self._pages[name])
            self.view_changed.emit(name)
        self._actions[name].setChecked(True)
        remembered = self._focus.get(name)
        if remembered is not None and remembered.isVisible():
            remembered.setFocus()
            return
        focused = QApplication.focusWidget()
        if focused is None or not self._pages[name].isAncestorOf(focused):
            self._pages[name].setFocus()
