"""The composition root: builds the services once and hands them to the window through constructors."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.library import Library, LibraryError
from app.library.location import default_demo_library_dir
from app.services.editing import TranscriptEditor
from app.ui.main_window import MainWindow
from app.ui.player import Player
from app.ui.settings import WELCOME_SHOWN, AppSettings
from app.ui.transcription_queue import TranscriptionQueue
from app.ui.welcome_dialog import WelcomeDialog

EXIT_LIBRARY = 3


class EarfulApplication(QApplication):
    def __init__(self, argv: list[str], settings: AppSettings | None = None) -> None:
        super().__init__(argv)
        self.setApplicationName("Earful")
        self.setOrganizationName("Earful")
        self.setApplicationVersion(__version__)
        self.setStyle("Fusion")
        self.settings = settings or AppSettings()
        self.library: Library | None = None
        self.window: MainWindow | None = None

    def open_library(self, root: Path | None) -> MainWindow:
        """Open `root` (else the remembered library, else the demo library) in a new main window."""
        demo = root is None and self.settings.library_path() is None
        root = root or self.settings.library_path() or default_demo_library_dir()
        self.library = Library.open(root)
        demo_id = None
        if demo:
            from app.services.demo import ensure_demo_interview  # decodes the demo: PyAV only when needed

            demo_id = ensure_demo_interview(self.library).id
        queue = TranscriptionQueue(root)
        self.window = MainWindow(self.library, self.settings, queue, TranscriptEditor(self.library), Player())
        self.aboutToQuit.connect(self._close_library)
        if demo_id is not None:
            self.window.open_interview(demo_id)
            latest = self.library.jobs.latest_for(demo_id)
            if latest is None or latest.state.value != "done":
                queue.enqueue([demo_id])
        return self.window

    def welcome_once(self) -> None:
        if not self.settings.get(WELCOME_SHOWN) and self.window is not None:
            self.settings.set(WELCOME_SHOWN, True)
            WelcomeDialog(self.window).open()

    def _close_library(self) -> None:
        if self.library is not None:
            self.library.close()


def main(library_dir: Path | None = None) -> int:
    app = EarfulApplication(sys.argv[:1])
    try:
        window = app.open_library(library_dir)
    except LibraryError as error:
        QMessageBox.critical(None, "Earful", str(error))
        return EXIT_LIBRARY
    window.show()
    app.welcome_once()
    return app.exec()
