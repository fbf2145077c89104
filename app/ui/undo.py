"""Transcript edits on Qt's undo stack. The core already wrote the edit; the command only redoes/undoes it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from app.services.editing import Edit, TranscriptEditor


class EditCommand(QUndoCommand):
    def __init__(self, editor: TranscriptEditor, edit: Edit, changed: Callable[[int], None]) -> None:
        super().__init__(edit.description)
        self._editor = editor
        self._edit = edit
        self._changed = changed
        self._applied = True  # the editor applied it when the user made it

    def redo(self) -> None:
        if not self._applied:
            self._editor.apply(self._edit)
            self._applied = True
        self._changed(self._edit.interview_id)

    def undo(self) -> None:
        self._editor.revert(self._edit)
        self._applied = False
        self._changed(self._edit.interview_id)
