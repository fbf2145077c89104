"""Corrections asked for on the transcript (edit, split, merge, reassign, delete a line; try untranscribed
speech again) carried out through the editor, each on the undo history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.library.errors import LibraryError
from app.services.coverage import retry_untranscribed
from app.ui.line_edit_dialog import corrected_text
from app.ui.quote_bar import excerpt

if TYPE_CHECKING:
    from app.library import Library
    from app.services.editing import TranscriptEditor
    from app.ui.transcript_view import TranscriptView
    from app.ui.transcription_queue import TranscriptionQueue
    from app.ui.undo_history import UndoHistory


class TranscriptEditing(QObject):
    def __init__(
        self,
        transcript: TranscriptView,
        editor: TranscriptEditor,
        library: Library,
        history: UndoHistory,
        queue: TranscriptionQueue,
        message: Callable[[str, int], None],
        refresh: Callable[[], None],
    ) -> None:
        super().__init__(transcript)
        self._transcript, self._editor, self._library = transcript, editor, library
        self._history, self._queue, self._message, self._refresh = history, queue, message, refresh
        self.interview_id: int | None = None
        """The interview the transcript shows."""
        apply = history.apply
        transcript.edit_requested.connect(self._edit_text)
        transcript.split_requested.connect(lambda s, w: apply(lambda: editor.split(s, w)))
        transcript.merge_requested.connect(lambda s: apply(lambda: editor.merge_with_next(s)))
        transcript.reassign_requested.connect(lambda s, p: apply(lambda: editor.reassign(s, p)))
        transcript.reassign_words_requested.connect(
            lambda words, speaker_id: apply(lambda: editor.reassign_words(words, speaker_id))
        )
        transcript.delete_requested.connect(self._delete_segment)
        transcript.retry_requested.connect(self._retry_untranscribed)

    def _edit_text(self, segment_id: int) -> None:
        segment = self._library.transcripts.segment(segment_id)
        text = corrected_text(self._transcript.window(), segment.text)
        if text is not None and text.strip() != segment.text:
            self._history.apply(lambda: self._editor.correct_text(segment_id, text))

    def _delete_segment(self, segment_id: int) -> None:
        emptied = self._editor.quotes_emptied_by_deleting(segment_id)
        also = (
            f"\n\n{len(emptied)} quote(s) hold only these words and will be deleted with them."
            if emptied
            else ""
        )
        text = self._library.transcripts.segment(segment_id).text
        answer = QMessageBox.question(
            self._transcript.window(),
            "Delete segment",
            f"Delete “{excerpt(text)}” from the transcript?{also}\n\nYou can undo this (Ctrl+Z).",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._history.apply(lambda: self._editor.delete_segment(segment_id))

    def _retry_untranscribed(self) -> None:
        """Queue the open interview's untranscribed speech for another try (its job resumes for it)."""
        try:
            retry_untranscribed(self._library, self.interview_id)
        except LibraryError as error:  # already tried again meanwhile: the view catches up below
            self._message(str(error), 8000)
            self._refresh()
            return
        self._queue.enqueue([self.interview_id])
