"""Open a folder in the file manager, or, where none answers, show its path to copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def open_folder(folder: Path, parent: QWidget) -> QMessageBox | None:
    """Show `folder` in the system's file manager. Where none is set up (a minimal desktop, a sandbox)
    `openUrl` returns False and nothing would happen: then a message gives the path, selectable and with a
    button that copies it. Returns that message, if shown."""
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
        return None
    box = QMessageBox(
        QMessageBox.Icon.Information, "Open folder", "", QMessageBox.StandardButton.Close, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"No file manager answered on this computer. The folder is:\n\n{folder}")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    copy = box.addButton("Copy path", QMessageBox.ButtonRole.ActionRole)
    # An action button closes the box unless its click is taken over: copy, and leave the box open.
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(str(folder)))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
