"""The dialogs the menus and toolbar open (settings, guides, record a call, export a pack, welcome, about,
another library), each imported when first asked for so none of them slows the start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.folder_link import open_folder
from app.ui.library_chooser import choose_library
from app.ui.welcome_dialog import WelcomeDialog, welcome_intro

if TYPE_CHECKING:
    from app.guides.model import Guide
    from app.library import Library
    from app.ui.settings import AppSettings


class WindowDialogs:
    def __init__(self, window: QWidget, library: Library, settings: AppSettings) -> None:
        self._window, self._library, self._settings = window, library, settings

    def settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog

        SettingsDialog(self._library, self._settings, self._window).exec()

    def guides(self, guide: Guide | None, saved: Callable[[], None]) -> None:
        """Edit `guide` (or the first built-in one); a saved edition is offered from then on."""
        from app.guides import builtin_guides
        from app.ui.guide_editor import GuideEditor

        editor = GuideEditor(self._library, guide or builtin_guides()[0], self._window)
        editor.guide_saved.connect(lambda *_saved: saved())
        editor.exec()

    def record_call(self, guides: list[Guide], recorded: Callable[[int], None]) -> None:
        from app.ui.record_panel import RecordDialog  # PortAudio loads when a recording is set up

        dialog = RecordDialog(self._library, guides, self._settings, parent=self._window)
        dialog.recorded.connect(recorded)
        dialog.open()

    def export_pack(self, interview_ids: list[int]) -> None:
        """A pack of the interviews the list shows: filter to "mid-market, won", then export those."""
        from app.ui.export_dialog import ExportPackDialog

        if not interview_ids:
            QMessageBox.information(
                self._window, "Export pack", "No interviews are shown; clear the filters first."
            )
            return
        folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        ExportPackDialog(self._library.root, interview_ids, folder=folder, parent=self._window).open()

    def welcome(self, demo_open: bool) -> WelcomeDialog:
        """What Earful is for, its first line true for this library (the demo open, your interviews, none)."""
        welcome = WelcomeDialog(welcome_intro(demo_open, self._library.interviews.count()), self._window)
        welcome.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        welcome.open()
        return welcome

    def about(self) -> None:
        from app.ui.about_dialog import AboutDialog

        about = AboutDialog(self._library, self._window)
        about.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        about.open()

    def choose_library(self) -> Path | None:
        return choose_library(self._window, self._library.root)

    def open_library_folder(self) -> None:
        open_folder(self._library.root, self._window)
