"""The composition root: builds the services once and hands them to the window through constructors.

Start-up is staged so that a window is on screen at once: `main` shows the empty main window, then, on the
event loop's next turn, opens the library and attaches it. Nothing on the way to the first paint imports
sqlite-utils, numpy or PyAV (most of start-up time); they load with the library, after it. A test keeps it
so (tests/architecture/test_start_up.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.library.errors import LibraryError
from app.ui import gui_thread_gc
from app.ui.error_report import ErrorReporter
from app.ui.main_window import MainWindow
from app.ui.settings import LIBRARY_PATH, WELCOME_SHOWN, AppSettings

if TYPE_CHECKING:
    from app.library import Library
    from app.ui.workspace import Workspace

EXIT_LIBRARY = 3


class EarfulApplication(QApplication):
    def __init__(self, argv: list[str], settings: AppSettings | None = None) -> None:
        super().__init__(argv)
        self.setApplicationName("Earful")
        self.setOrganizationName("Earful")
        self.setApplicationVersion(__version__)
        self.setStyle("Fusion")
        gui_thread_gc.install(self)
        self.settings = settings or AppSettings()
        self.library: Library | None = None
        self.window: MainWindow | None = None
        self.errors = ErrorReporter(lambda: self.window or self.activeWindow())
        """Shows and logs what nobody caught, once `main` installs it."""

    def show_window(self) -> MainWindow:
        """The main window, laid out and shown, before any library is open."""
        self.window = MainWindow(self.settings)
        self.window.show()
        return self.window

    def open_library(self, root: Path | None) -> Workspace:
        """Open `root` (else the remembered library, else the demo library) in the main window; returns the
        window's contents."""
        # The second stage of start-up: what the library and its services need loads now, after the paint.
        from app.library import Library
        from app.library.location import default_demo_library_dir
        from app.services.editing import TranscriptEditor
        from app.ui.player import Player
        from app.ui.transcription_queue import TranscriptionQueue

        window = self.window or self.show_window()
        demo = root is None and self.settings.library_path() is None
        root = root or self.settings.library_path() or default_demo_library_dir()
        self.library = Library.open(root)
        demo_id = None
        if demo:
            from app.services.demo import ensure_demo_interview  # decodes the demo: PyAV only when needed

            demo_id = ensure_demo_interview(self.library).id
        queue = TranscriptionQueue(root)
        workspace = window.attach(self.library, queue, TranscriptEditor(self.library), Player())
        self.aboutToQuit.connect(self._close_library)
        workspace.library_chosen.connect(self.switch_library)
        workspace.recover_recordings()
        if demo_id is not None:
            if workspace.current_interview is None:  # else the user is back where they left off
                workspace.open_interview(demo_id)
            latest = self.library.jobs.latest_for(demo_id)
            if latest is None or latest.state.value != "done":
                queue.enqueue([demo_id])
        return workspace

    def switch_library(self, root: Path) -> Workspace | None:
        """Open the library in `root` in a new window and close the current one; the next start opens it too.

        A library that cannot be opened is refused with the reason before anything closes."""
        from app.library import Library

        try:
            Library.open(root).close()
        except LibraryError as error:
            QMessageBox.warning(self.window, "Open another library", str(error))
            return None
        old_window, old_library = self.window, self.library
        self.settings.set(LIBRARY_PATH, str(root))
        self.window = None
        # The new window shows before the old one closes, so Earful stays open.
        workspace = self.open_library(root)
        if old_window is not None:
            old_window.close()
            old_window.deleteLater()
        if old_library is not None:
            old_library.close()
        return workspace

    def welcome_once(self) -> None:
        if (
            not self.settings.get(WELCOME_SHOWN)
            and self.window is not None
            and self.window.workspace is not None
        ):
            self.settings.set(WELCOME_SHOWN, True)
            self.window.workspace.show_welcome()

    def _close_library(self) -> None:
        if self.library is not None:
            self.library.close()


class AfterFirstPaint(QObject):
    """Calls `then` once, on the event loop's turn after `widget` is first painted (a zero timer set before
    showing could fire before the window system has even exposed the window)."""

    def __init__(self, widget: QObject, then) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def start(app: EarfulApplication, library_dir: Path | None) -> MainWindow:
    """Show the window now; open the library once the window is on screen."""
    window = app.show_window()
    AfterFirstPaint(window, lambda: _open(app, library_dir))
    return window


def main(library_dir: Path | None = None) -> int:
    app = EarfulApplication(sys.argv[:1])
    app.errors.install()
    app.aboutToQuit.connect(app.errors.uninstall)
    start(app, library_dir)
    return app.exec()


def _open(app: EarfulApplication, library_dir: Path | None) -> None:
    try:
        app.open_library(library_dir)
    except LibraryError as error:
        QMessageBox.critical(app.window, "Earful", str(error))
        app.exit(EXIT_LIBRARY)
        return
    app.welcome_once()
