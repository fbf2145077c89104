"""Edit ▸ Speakers: rename, merge, set the role of and swap the open interview's speakers, or label the call
again as so many people. Filled each time it opens, from the speakers the transcript shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from app.domain.transcript import SpeakerRole

if TYPE_CHECKING:
    from app.library import Library
    from app.services.editing import TranscriptEditor
    from app.ui.transcript_view import TranscriptView
    from app.ui.transcription_queue import TranscriptionQueue
    from app.ui.undo_history import UndoHistory

MAX_SPEAKERS_OFFERED = 5


class SpeakersMenu(QMenu):
    def __init__(
        self,
        library: Library,
        editor: TranscriptEditor,
        queue: TranscriptionQueue,
        transcript: TranscriptView,
        history: UndoHistory,
        message: Callable[[str, int], None],
        parent: QWidget,
    ) -> None:
        super().__init__("&Speakers", parent)
        self._library, self._editor, self._queue = library, editor, queue
        self._transcript, self._history, self._message = transcript, history, message
        self.interview_id: int | None = None
        """The open interview, whose speakers the menu lists."""
        self.aboutToShow.connect(self._fill)

    def _fill(self) -> None:
        self.clear()
        if self.interview_id is None:
            self.addAction("Open an interview first").setEnabled(False)
            return
        speaking = self._transcript.speaker_ids()
        speakers = [s for s in self._library.transcripts.speakers(self.interview_id) if s.id in speaking]
        apply = self._history.apply
        for speaker in speakers:
            submenu = self.addMenu(f"{speaker.name} ({speaker.role.value})")
            submenu.addAction("Rename…", lambda s=speaker: self._rename(s.id, s.name))
            merge = submenu.addMenu("Merge into")
            for other in speakers:
                if other.id != speaker.id:
                    merge.addAction(
                        other.name,
                        lambda s=speaker, o=other: apply(lambda: self._editor.merge_speakers(s.id, o.id)),
                    )
            merge.setEnabled(len(speakers) > 1)
            for role in SpeakerRole:
                chosen = submenu.addAction(
                    f"Is the {role.value}",
                    lambda s=speaker, r=role: apply(lambda: self._editor.set_role(s.id, r)),
                )
                chosen.setCheckable(True)
                chosen.setChecked(speaker.role is role)
        self.addSeparator()
        count = self.addMenu("&Number of speakers")
        count.setToolTip("How many people speak on this call: the transcript is labelled again")
        for number in range(1, MAX_SPEAKERS_OFFERED + 1):
            count.addAction(
                f"{number} {'person' if number == 1 else 'people'}",
                lambda n=number: self._set_count(n),
            )
        if len(speakers) == 2:
            first, second = speakers
            self.addSeparator()
            self.addAction(
                f"Swap {first.name} and {second.name}",
                lambda: apply(lambda: self._editor.swap_speakers(first.id, second.id)),
            )

    def _set_count(self, count: int) -> None:
        """Label the call again as `count` people (on the queue thread); undo labels it as it was."""
        interview_id = self.interview_id
        before = (
            self._library.transcripts.speaker_count(interview_id) or len(self._transcript.speaker_ids()) or 1
        )
        self._queue.relabel_speakers(interview_id, count)
        self._history.record(
            f"{count} speaker(s)",
            interview_id,
            lambda: self._queue.relabel_speakers(interview_id, count),
            lambda: self._queue.relabel_speakers(interview_id, before),
        )
        self._message(f"Labelling the speakers again as {count}…", 5000)

    def _rename(self, speaker_id: int, current: str) -> None:
        name, ok = QInputDialog.getText(
            self.parentWidget(), "Rename speaker", "Name shown in the transcript:", text=current
        )
        if ok:
            self._history.apply(lambda: self._editor.rename_speaker(speaker_id, name))
