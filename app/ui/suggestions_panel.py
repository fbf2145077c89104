"""Review mode for the guide's suggestions: walk one interview's suggested question markers and answers with
the keyboard and decide each one; nothing is filed without the user.

Keys, with the list focused: Up/Down walk the suggestions (the host is asked to seek there); Enter files the
current one (1–9 choose another question, T the tags, N the note, as in the quote bar); Backspace rejects it;
Left/Right move a suggested answer's end a word earlier or later, Shift+Left/Right its start. Filing and
rejecting are commands on the host's undo stack (Edit ▸ Undo takes them back).

Hosting: build it with the window's `Analyst` (GUI-thread library) and the interview's `QUndoStack`; run
`Analyst.review(interview_id)` on the thread pool with its own library connection (it may embed and runs
the model) and hand the result to `show_review`, or the `AnalysisUnavailable` message to `show_unavailable`.
Connect `changed(interview_id)` to the window's refresh of markers and quotes, and `seek_requested(ms)` to
the transcript and player.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.quote import holds_word, nudged, quoted_text
from app.domain.timecode import clock
from app.domain.wording import readable_name
from app.library import LibraryError
from app.services.analysis import Filed, Review
from app.ui.quote_bar import excerpt, question_label
from app.ui.undo import ChangeCommand

if TYPE_CHECKING:
    from app.library.analysis import Suggestion
    from app.services.analysis import Analyst

LIST_CHARS = 70
NONE_LEFT = "No open suggestions left for this interview: each one was filed or rejected."
KEYS_HINT = (
    "Enter files · Backspace rejects · ←/→ move the end, Shift+←/→ the start · 1–9 question · T tags · N note"
)
OWN_KEYS = {
    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Backspace, Qt.Key.Key_Left, Qt.Key.Key_Right,
    Qt.Key.Key_T, Qt.Key.Key_N,
}  # fmt: skip


class UndoTarget(Protocol):
    """Where decisions go to be undoable: a `QUndoStack`, or the window's `UndoHistory` (which puts each
    on its interview's stack)."""

    def push(self, command: ChangeCommand) -> None: ...


class SuggestionsPanel(QWidget):
    """One interview's open suggestions in a list, the current one's question, tags and note below."""

    changed = Signal(int)
    """An interview's markers or quotes changed (a suggestion filed, or a filing undone)."""
    seek_requested = Signal(int)
    """The current suggestion starts here (ms): the host shows it in the transcript and player."""

    def __init__(self, analyst: Analyst, undo_stack: UndoTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsPanel")
        self._analyst = analyst
        self._undo_stack = undo_stack
        self._review: Review | None = None
        self._bounds: dict[int, tuple[int, int]] = {}
        """Suggested answers whose bounds the user moved, by suggestion id."""

        self.message = QLabel()
        self.message.setObjectName("suggestionsMessage")
        self.message.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("suggestionsList")
        self.list.currentRowChanged.connect(self._show_current)
        self.list.installEventFilter(self)
        # A side panel is narrow: rows are cut short (the whole wording in the tooltip), never scrolled sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.excerpt = QLabel()
        self.excerpt.setTextFormat(Qt.TextFormat.PlainText)
        self.excerpt.setWordWrap(True)
        self.question = QComboBox()
        self.tags_button = QToolButton()
        self.tags_button.setText("Tags (T)")
        self.tags_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tags_menu = QMenu(self.tags_button)
        self.tags_button.setMenu(self.tags_menu)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (N), Enter to file")
        self.note.returnPressed.connect(self.file_current)
        hint = QLabel(KEYS_HINT)
        hint.setWordWrap(True)
        hint.setEnabled(False)

        controls = QHBoxLayout()
        controls.addWidget(self.tags_button)
        controls.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.excerpt)
        layout.addWidget(self.question)
        layout.addLayout(controls)
        layout.addWidget(hint)
        self.show_unavailable("Open an interview to review its suggestions.")

    # What the host gives ------------------------------------------------------------------------

    def show_review(self, review: Review) -> None:
        """The interview's open suggestions, ready to walk from the first."""
        self._review = review
        self._bounds.clear()
        self.question.clear()
        for number, question in enumerate(review.guide.questions, start=1):
            self.question.addItem(question_label(number, question.text), question.key)
        self.tags_menu.clear()
        for tag in review.guide.tags:
            action = self.tags_menu.addAction(readable_name(tag.name))  # stored as named, shown spaced
            action.setData(tag.name)
            action.setCheckable(True)
        self.tags_button.setEnabled(bool(review.guide.tags))
        self._fill(0)
        self.list.setFocus()

    def show_unavailable(self, reason: str) -> None:
        """Say why there is nothing to review (no guide, no transcript yet, another language)."""
        self._review = None
        self.list.clear()
        self._show_message(reason)

    def current(self) -> Suggestion | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def bounds(self, suggestion: Suggestion) -> tuple[int, int]:
        """Where the suggestion would be filed: its own bounds unless the user moved them."""
        return self._bounds.get(suggestion.id, (suggestion.start_ms, suggestion.end_ms))

    # Decisions ----------------------------------------------------------------------------------

    def file_current(self) -> None:
        """File the current suggestion with the question, tags and note chosen; undoable."""
        suggestion = self.current()
        if suggestion is None:
            return
        start_ms, end_ms = self.bounds(suggestion)
        decision = {
            "start_ms": start_ms,
            "end_ms": end_ms,
            "question": self.question.currentData(),
            "tags": tuple(action.data() for action in self.tags_menu.actions() if action.isChecked()),
            "note": self.note.text().strip() or None,
        }
        try:
            done: list[Filed] = [self._analyst.file(suggestion, **decision)]
        except LibraryError as error:  # e.g. a tag the guide no longer has: say so, file nothing
            self._show_message(str(error))
            return

        def refile() -> None:
            done[0] = self._analyst.file(suggestion, **decision)

        self._push(f"File suggestion at {clock(start_ms)}", refile, lambda: self._analyst.unfile(done[0]))

    def reject_current(self) -> None:
        """Reject the current suggestion (it is not proposed again); undoable."""
        suggestion = self.current()
        if suggestion is None:
            return
        self._analyst.reject(suggestion.id)
        self._push(
            f"Reject suggestion at {clock(suggestion.start_ms)}",
            lambda: self._analyst.reject(suggestion.id),
            lambda: self._analyst.reopen(suggestion.id),
        )

    def move_edge(self, edge: str, step: int) -> None:
        """Move the current suggested answer's start or end by `step` words."""
        suggestion = self.current()
        if suggestion is None or suggestion.kind != "quote" or self._review is None:
            return
        self._bounds[suggestion.id] = nudged(self._review.words, *self.bounds(suggestion), edge, step)
        self._show_current(self.list.currentRow())

    # Keys ---------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress and self._handle(event):
            return True
        if watched is self.list and event.type() == QEvent.Type.ShortcutOverride and self._own_key(event):
            event.accept()  # the list's keys before the window's shortcuts (←/→ also skip playback)
            return True
        return super().eventFilter(watched, event)

    def _own_key(self, event: QKeyEvent) -> bool:
        """A key `_handle` decides with, pressed without Ctrl or Alt."""
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        return event.key() in OWN_KEYS or Qt.Key.Key_1 <= event.key() <= Qt.Key.Key_9

    def _handle(self, event: QKeyEvent) -> bool:
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.file_current()
        elif key == Qt.Key.Key_Backspace:
            self.reject_current()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.move_edge("start" if shift else "end", -1 if key == Qt.Key.Key_Left else 1)
        elif Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and key - Qt.Key.Key_1 < self.question.count():
            self.question.setCurrentIndex(key - Qt.Key.Key_1)
        elif key == Qt.Key.Key_T and self.tags_button.isEnabled():
            self.tags_menu.popup(self.tags_button.mapToGlobal(self.tags_button.rect().bottomLeft()))
        elif key == Qt.Key.Key_N:
            self.note.setFocus()
        else:
            return False
        return True

    # Showing ------------------------------------------------------------------------------------

    def _push(self, description: str, redo, undo) -> None:
        interview_id = self._review.interview_id if self._review else 0
        self._undo_stack.push(ChangeCommand(description, interview_id, redo, undo, self._after_change))

    def _after_change(self, interview_id: int) -> None:
        """Show the suggestions still open (a filing or rejection undone brings one back), staying near
        the same place in the list, and tell the host the interview's markers or quotes changed."""
        if self._review is not None and self._review.interview_id == interview_id:
            self._fill(max(self.list.currentRow(), 0))
        self.changed.emit(interview_id)

    def _fill(self, row: int) -> None:
        review = self._review
        assert review is not None
        open_ones = self._analyst.suggestions(review.interview_id)
        self.list.blockSignals(True)
        self.list.clear()
        wording = {
            question.key: question_label(number, question.text)
            for number, question in enumerate(review.guide.questions, 1)
        }
        for suggestion in open_ones:
            what = "Asked" if suggestion.kind == "question" else "Answer to"
            named = excerpt(wording.get(suggestion.question, suggestion.question), LIST_CHARS)
            item = QListWidgetItem(f"{clock(suggestion.start_ms)}  {what} {named}")
            item.setToolTip(f"{what} {wording.get(suggestion.question, suggestion.question)}")
            item.setData(Qt.ItemDataRole.UserRole, suggestion)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if not open_ones:
            self._show_message(NONE_LEFT)
            return
        self.message.hide()
        self.list.setCurrentRow(min(row, len(open_ones) - 1))
        self._show_current(self.list.currentRow())

    def _show_current(self, row: int) -> None:
        suggestion = self.current()
        if suggestion is None or self._review is None or row < 0:
            return
        self.question.setCurrentIndex(max(self.question.findData(suggestion.question), 0))
        for action in self.tags_menu.actions():
            action.setChecked(False)
        self.note.clear()
        start_ms, end_ms = self.bounds(suggestion)
        if suggestion.kind == "question":
            self.excerpt.setText(f"Question asked at {clock(start_ms)}")
        else:
            held = [word for word in self._review.words if holds_word(start_ms, end_ms, None, word, None)]
            self.excerpt.setText(f"{clock(start_ms)}–{clock(end_ms)}  “{excerpt(quoted_text(held))}”")
        self.seek_requested.emit(start_ms)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.excerpt.clear()
