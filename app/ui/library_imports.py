"""Recordings into the library from the window: files and folders imported, and calls cut off by a crash
recovered, both on the thread pool with their own library connection; what was refused is reported at the
end in one box."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.tasks import run_in_library

if TYPE_CHECKING:
    from app.library import Library
    from app.services.recording import Recovery

AUDIO_FILTER = (
    "Recordings (*.mp3 *.m4a *.wav *.flac *.ogg *.opus *.aac *.wma *.mp4 *.mov *.mkv *.webm);;All files (*)"
)


class LibraryImports(QObject):
    imported = Signal(list)
    """The ids of the interviews the last import added (duplicates left out)."""
    recovered = Signal(list)
    """The ids of the interrupted recordings imported at start-up."""

    def __init__(self, root: Path, message: Callable[[str, int], None], dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._root = root
        self._message = message
        self._parent = dialog_parent
        self.report: QMessageBox | None = None
        """The last import's report of refused files and notes (kept so tests and the user can read it)."""

    def import_files(self, paths: list[Path]) -> None:
        """Import in the background (own library connection); report refused files together at the end."""
        files = _expand(paths)
        if not files:
            return
        self._message(f"Importing {len(files)} file(s)…", 0)
        root = self._root
        run_in_library(root, lambda library: _import_all(library, files), self._imported, self._failed, owner=self)

    def recover(self) -> None:
        """Calls cut off by a crash or a kill are imported (marked "recovered") and transcribed. Repairing
        and importing them reads whole files: on the thread pool, with its own library connection."""
        root = self._root
        run_in_library(root, _recover_all, self._recovered, self._failed, owner=self)

    def _imported(self, outcome: tuple[list[int], list[str], list[str]]) -> None:
        new_ids, notes, refused = outcome
        self._message(f"Imported {len(new_ids)} recording(s).", 8000)
        self.imported.emit(new_ids)
        if refused or notes:
            box = QMessageBox(self._parent)
            box.setIcon(QMessageBox.Icon.Warning if refused else QMessageBox.Icon.Information)
            box.setWindowTitle("Import")
            summary = f"{len(refused)} file(s) could not be imported." if refused else "Imported, with notes."
            box.setText(f"{summary} {len(new_ids)} imported.")
            box.setInformativeText("\n".join([*refused, *notes]))
            box.open()
            self.report = box

    def _recovered(self, recovery: Recovery) -> None:
        if recovery.interviews:
            self.recovered.emit([recovered.interview.id for recovered in recovery.interviews])
            self._message(f"Recovered {len(recovery.interviews)} interrupted recording(s).", 10_000)
        if recovery.problems:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "A recording could not be recovered",
                "\n\n".join(recovery.problems),
                QMessageBox.StandardButton.Close,
                self._parent,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self._parent, "Earful", str(error))


def _expand(paths: list[Path]) -> list[Path]:
    """Dropped folders stand for the files inside them (recursively, hidden files left out)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            files.append(path)
    return files


def _recover_all(library: Library) -> Recovery:
    """On a worker thread, with its own library connection."""
    from app.services.recording import recover_recordings  # PortAudio and PyAV: after the window is up

    return recover_recordings(library)


def _import_all(library: Library, files: list[Path]) -> tuple[list[int], list[str], list[str]]:
    """Runs on a worker thread with its own library connection (SQLite objects stay on their thread)."""
    from app.services.importing import import_recordings  # PyAV loads on the first import, not at start-up

    batch = import_recordings(library, files)
    return batch.new_interview_ids, batch.notes, batch.refusals
