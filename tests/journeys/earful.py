"""Earful as a user meets it, for the journeys: the application's own start-up, its menus, its dialogs
answered, and clicks and keys where a person would put them.

Everything goes through what a user touches. The one stand-in is the native file dialog (it cannot be
driven offscreen): `choose_files` makes the static `QFileDialog` getters return the paths a user would pick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from app.ui.application import EarfulApplication
from app.ui.interview_list_model import Column
from app.ui.settings import AppSettings
from app.ui.workspace import Workspace
from tests.ui.helpers import word_point

SCREEN = (1366, 768)
JOB_TIMEOUT_MS = 300_000


class Earful(QObject):
    """The application's start-up (`EarfulApplication.open_library`, recovery, the welcome) run on the
    QApplication pytest-qt made: a process holds one QApplication, so the methods are borrowed rather than
    a second application built. `quit()` is what the real application does when its last window closes."""

    aboutToQuit = Signal()

    open_library = EarfulApplication.open_library
    show_window = EarfulApplication.show_window
    welcome_once = EarfulApplication.welcome_once
    switch_library = EarfulApplication.switch_library
    _close_library = EarfulApplication._close_library

    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.library = None
        self.window = None

    @classmethod
    def start(cls, qtbot, settings: AppSettings, library_dir: Path | None) -> Workspace:
        """Start as `earful` (or `earful gui LIBRARY`) does: the window, then the library, then the welcome."""
        app = cls(settings)
        window = app.show_window()
        qtbot.addWidget(window)
        window.resize(*SCREEN)
        qtbot.waitExposed(window)
        workspace = app.open_library(library_dir)
        workspace.earful = app  # the tests quit through it
        # The contents are laid out on the event loop's next turns, as on screen.
        qtbot.waitUntil(
            lambda: workspace.window.menuBar().isVisible() and workspace.transcript.height() > 100
        )
        app.welcome_once()
        return workspace


def close_welcome(qtbot, workspace: Workspace) -> None:
    """Press Start on the welcome a first start shows."""
    from app.ui.welcome_dialog import WelcomeDialog

    for welcome in workspace.window.findChildren(WelcomeDialog):
        if welcome.isVisible():
            qtbot.mouseClick(welcome.findChild(QPushButton), Qt.MouseButton.LeftButton)
    workspace.window.activateWindow()  # as the window system gives the main window back its focus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is workspace.window)


def quit_app(qtbot, workspace: Workspace, keys: bool = True) -> None:
    """Ctrl+Q (or File ▸ Quit); the window closes and, as the last window, ends the application."""
    if keys:
        qtbot.keyClick(workspace.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    else:
        menu_action(workspace, "File", "Quit").trigger()
    assert not workspace.window.isVisible(), "quitting closes the window"
    workspace.earful.aboutToQuit.emit()


def menu_action(workspace: Workspace, *path: str) -> QAction:
    """The menu bar's action at `path` ("Edit", "Speakers", "Customer (customer)", "Rename…"), named as a
    person reads them (mnemonics and dots ignored)."""
    wanted = [_plain(part) for part in path]
    for actions in menu_actions(workspace.window.menuBar().actions()):
        if [_plain(action.text()) for action in actions] == wanted:
            return actions[-1]
    raise AssertionError(f"no menu item {' ▸ '.join(path)}")


def menu_actions(actions: list[QAction]) -> Iterator[list[QAction]]:
    """Every leaf action under `actions`, with the path of menus leading to it (submenus filled first)."""
    for action in actions:
        if action.isSeparator():
            continue
        submenu = action.menu()
        if submenu is None:
            yield [action]
            continue
        submenu.aboutToShow.emit()  # menus filled when shown (Edit ▸ Speakers) fill now
        for path in menu_actions(submenu.actions()):
            yield [action, *path]


def _plain(text: str) -> str:
    return text.replace("&", "").rstrip(".…").strip()


@contextmanager
def answering(qtbot, respond: Callable[[QWidget], None] | None = None) -> Iterator[list[str]]:
    """While inside, each dialog or menu that opens is answered by `respond` (default: closed, as Esc
    would) — modal ones from inside their own event loop. Yields the titles of the dialogs met."""
    before = {id(widget) for widget in QApplication.topLevelWidgets() if widget.isVisible()}
    active = QApplication.activeWindow()
    met: list[str] = []
    seen: set[int] = set()

    def answer() -> None:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        opened = QApplication.activeModalWidget() or next(
            (
                widget
                for widget in QApplication.topLevelWidgets()
                if isinstance(widget, QDialog) and widget.isVisible() and id(widget) not in before
            ),
            None,
        )
        if opened is None:
            return
        if id(opened) not in seen:
            seen.add(id(opened))
            met.append(opened.windowTitle())
        if respond is not None:
            respond(opened)
        elif isinstance(opened, QDialog):
            opened.reject()
        else:
            opened.close()

    timer = QTimer(interval=30)
    timer.timeout.connect(answer)
    timer.start()
    try:
        yield met
    finally:
        timer.stop()
    answer()  # a non-modal dialog the last action opened
    if active is not None and active.isVisible() and QApplication.activeWindow() is not active:
        active.activateWindow()  # as the window system does when a dialog closes
        qtbot.waitUntil(lambda: QApplication.activeWindow() is active)


def fill_in(text: str) -> Callable[[QWidget], None]:
    """Answer a text dialog (QInputDialog, single or multi-line) by typing `text` and pressing OK."""

    def respond(dialog: QWidget) -> None:
        field = dialog.findChild(QPlainTextEdit) or dialog.findChild(QLineEdit)
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, text)
        ok = next(b for b in dialog.findChildren(QPushButton) if _plain(b.text()) == "OK")
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)

    return respond


@contextmanager
def choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> Iterator[None]:
    """The user picks `paths` in the file dialog (the stand-in: a native file dialog cannot be driven)."""
    with monkeypatch.context() as patched:
        names = [str(path) for path in paths]
        patched.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (names, ""))
        patched.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (names[0], ""))
        patched.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (names[0], ""))
        patched.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: names[0])
        yield


def click_interview(qtbot, workspace: Workspace, title: str) -> None:
    """Click the interview's row in the list on the left."""
    table = workspace.interviews.findChild(QTableView, "interviewTable")
    model = table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, Column.TITLE).data() == title)
    rect = table.visualRect(model.index(row, Column.TITLE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_word(qtbot, workspace: Workspace, segment_id: int, word_index: int, modifier=None) -> None:
    view = workspace.transcript
    point = word_point(view, segment_id, word_index)
    view.ensureCursorVisible()
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, modifier or Qt.KeyboardModifier.NoModifier, point
    )


def select_words(qtbot, workspace: Workspace, segment_id: int, first: int, last: int) -> None:
    """Click the first word, shift-click the end of the last: the words are selected."""
    view = workspace.transcript
    start, _ = view.word_range(segment_id, first)
    _, end = view.word_range(segment_id, last)
    view.setFocus()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point_at(view, start))
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, _point_at(view, end)
    )


def _point_at(view, position: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position)
    rect = view.cursorRect(cursor)
    return QPoint(rect.x(), rect.center().y())


def context_menu(workspace: Workspace, segment_id: int, word_index: int) -> QMenu:
    """The menu a right-click on a word shows."""
    return workspace.transcript.context_menu(word_point(workspace.transcript, segment_id, word_index))


def shoot(widget: QWidget, folder: Path, name: str) -> Path:
    """A picture of what the user sees (the whole window at 1366×768)."""
    target = folder / f"journey_{name}.png"
    widget.grab().save(str(target))
    return target
