"""Undo history per interview: one `QUndoStack` each, the open interview's stack active in Edit ▸ Undo.

Every part of the window that changes an interview (transcript edits, quotes, section markers, speakers)
records the change here, already made; undoing or redoing it calls `changed(interview_id)` so the window
redraws what it touched. A view that edits across interviews (Themes) has a stack of its own, active in
Edit ▸ Undo while it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.editing import EditError
from app.library.errors import LibraryError
from app.ui.undo import ChangeCommand, edit_command

if TYPE_CHECKING:
    from app.services.editing import Edit, TranscriptEditor


class UndoHistory(QObject):
    def __init__(
        self, editor: TranscriptEditor, changed: Callable[[int], None], dialog_parent: QWidget
    ) -> None:
        super().__init__(dialog_parent)
        self._editor = editor
        self._changed = changed
        self._parent = dialog_parent
        self._group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._interview: int | None = None

    def actions(self) -> tuple[QAction, QAction]:
        """Edit ▸ Undo and Redo, following the open interview's stack."""
        undo = self._group.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self._group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        return undo, redo

    def activate(self, interview_id: int) -> None:
        self._interview = interview_id
        self._group.setActiveStack(self._stack(interview_id))

    def add_stack(self, stack: QUndoStack) -> None:
        """A view's own stack (see `show_stack`)."""
        self._group.addStack(stack)

    def show_stack(self, stack: QUndoStack | None) -> None:
        """A view's stack in Edit ▸ Undo while it is shown; None: the open interview's again."""
        if stack is not None:
            self._group.setActiveStack(stack)
        elif self._interview is not None:
            self._group.setActiveStack(self._stack(self._interview))
        else:
            self._group.setActiveStack(None)

    def record(
        self, description: str, interview_id: int, redo: Callable[[], object], undo: Callable[[], object]
    ) -> None:
        """Put a change already made on its interview's stack, given as its redo and undo."""
        self._stack(interview_id).push(ChangeCommand(description, interview_id, redo, undo, self._changed))

    def push(self, command: ChangeCommand) -> None:
        """Put a command made elsewhere (review mode's decisions) on its interview's stack."""
        self._stack(command.interview_id).push(command)

    def apply(self, make_edit: Callable[[], Edit]) -> Edit | None:
        """Run one transcript edit; on success it goes on the interview's stack (already saved), else the
        user reads why nothing changed."""
        try:
            edit = make_edit()
        except (EditError, LibraryError) as error:
            QMessageBox.warning(self._parent, "Cannot do that", str(error))
            return None
        self._stack(edit.interview_id).push(edit_command(self._editor, edit, self._changed))
        return edit

    def _stack(self, interview_id: int) -> QUndoStack:
        return self._stacks.setdefault(interview_id, QUndoStack(self._group))
