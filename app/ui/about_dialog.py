"""About and diagnostics: what a user reads out when asking for help."""

from __future__ import annotations

import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.library import Library
from app.services.transcribing import library_options
from app.ui.error_report import log_file
from app.ui.folder_link import open_folder


class AboutDialog(QDialog):
    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Earful")
        import faster_whisper

        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"<h2>Earful {__version__}</h2>Customer interviews, transcribed on your laptop.")
        )
        form = QFormLayout()
        rows = {
            "Library": str(library.root),
            "Model": library_options(library).model,
            "faster-whisper": faster_whisper.__version__,
            "Qt / PySide6": pyside_version,
            "Python": sys.version.split()[0],
            "System": platform.platform(),
            "Log file": str(log_file()),
        }
        for name, value in rows.items():
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(name, label)
        layout.addLayout(form)
        self.open_folder = QPushButton("Open library folder")
        self.open_folder.clicked.connect(lambda: open_folder(library.root, self))
        layout.addWidget(self.open_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
