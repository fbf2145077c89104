"""The main window, in two steps so that a window is on screen before anything slow has happened.

`MainWindow(settings)` is the frame: the title, the size and place the user left it at, and a line saying
the library is opening. It imports nothing but Qt's widgets, so it paints about as soon as an empty Qt
window would. `attach` then builds the contents (`app.ui.workspace`, with the widgets, the library and the
services it needs) once the library is open. A test keeps this module's imports light
(tests/architecture/test_start_up.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow

from app.ui.screen_fit import resize_to_fit
from app.ui.settings import AppSettings

if TYPE_CHECKING:
    from app.library import Library
    from app.services.editing import TranscriptEditor
    from app.ui.player import Player
    from app.ui.transcription_queue import TranscriptionQueue
    from app.ui.workspace import Workspace

DEFAULT_SIZE = QSize(1400, 860)
"""The size a first start opens at, or less where the screen is smaller (`screen_fit`)."""


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.workspace: Workspace | None = None
        """The window's contents, once a library is attached."""
        self.setWindowTitle("Earful")
        self.setAcceptDrops(True)
        geometry = settings.restore_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            resize_to_fit(self, DEFAULT_SIZE.width(), DEFAULT_SIZE.height())
        self.statusBar().showMessage("Opening the library…")

    def attach(
        self, library: Library, queue: TranscriptionQueue, editor: TranscriptEditor, player: Player
    ) -> Workspace:
        """Fill the window for `library`, transcribing through `queue`, editing through `editor`."""
        from app.ui.workspace import Workspace  # the widgets and services: after the first paint

        self.workspace = Workspace(self, self.settings, library, queue, editor, player)
        return self.workspace

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_state("geometry", self.saveGeometry())
        if self.workspace is not None:
            self.workspace.close()
        super().closeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.workspace is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.workspace is not None:
            self.workspace.drop(event)
