"""File ▸ Open another library…: pick a library folder, or an empty one to start a new library in.

Without it the window only ever showed the library it started with (the demo library on a first start),
so a user's own calls could only land there. Which folder is chosen is the only question asked here; the
application opens it (and remembers it for the next start).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.library.library import DB_NAME


def choose_library(parent: QWidget, current: Path) -> Path | None:
    """The folder of the library to open next, or None if the user changed their mind."""
    folder = QFileDialog.getExistingDirectory(parent, "Open another library", str(current.parent))
    if not folder:
        return None
    root = Path(folder)
    if root.resolve() == current.resolve():
        QMessageBox.information(parent, "Open another library", f"{root} is the library already open.")
        return None
    if (root / DB_NAME).exists():
        return root
    if any(root.iterdir()):
        QMessageBox.warning(
            parent,
            "Open another library",
            f"{root} holds other files and no Earful library. Choose an Earful library folder, or an empty "
            "folder to start a new library in.",
        )
        return None
    answer = QMessageBox.question(
        parent,
        "Start a new library",
        f"{root} is empty. Start a new library there? Your other libraries stay as they are.",
    )
    return root if answer == QMessageBox.StandardButton.Yes else None
