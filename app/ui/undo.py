"""Transcript edits and quote changes on Qt's undo stack. The core already wrote each change when the user
made it; a command only redoes or undoes it, then tells the window which interview changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from app.services.editing import Edit, TranscriptEditor


class ChangeCommand(QUndoCommand):
    """A change already made, given as its redo and undo; `changed(interview_id)` runs after either."""

    def __init__(
        self,
        description: str,
        interview_id: int,
        redo: Callable[[], object],
        undo: Callable[[], object],
        changed: Callable[[int], None],
    ) -> None:
        super().__init__(description)
        self.interview_id = interview_id
        self._redo, self._undo = redo, undo
        self._changed = changed
        self._applied = True  # made when the user made it; QUndoStack.push calls redo() once more

    def redo(self) -> None:
        if not self._applied:
            self._redo()
            self._applied = True
        self._changed(self.interview_id)

    def undo(self) -> None:
        self._undo()
        self._applied = False
        self._changed(self.interview_id)


def edit_command(editor: TranscriptEditor, edit: Edit, changed: Callable[[int], None]) -> ChangeCommand:
    return ChangeCommand(
        edit.description, edit.interview_id, lambda: editor.apply(edit), lambda: editor.revert(edit), changed
    )
