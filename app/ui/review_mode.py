"""Review mode in the Interview view: the open interview's suggestions (where the guide's questions were
asked, the customer's answers) in a *Suggestions* tab beside the guide, walked and decided by keyboard.

It hosts `SuggestionsPanel`: suggestions are made on the thread pool (they may run the sentence model),
only while the tab is shown, and made again when what they were made from changes (the guide, the
transcript's words or speakers), whichever way it changed; filing or rejecting one changes neither, so the
list keeps its place. Decisions go on the interview's undo history. Nothing is filed without the user.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget

from app.services.analysis import AnalysisUnavailable, Analyst, Review
from app.services.tagging import Tagger
from app.ui.suggestions_panel import SuggestionsPanel

if TYPE_CHECKING:
    from app.library import Library
    from app.ui.analysis_tasks import AnalysisTasks
    from app.ui.undo_history import UndoHistory

log = logging.getLogger(__name__)

TAB_TITLE = "Suggestions"
FINDING = "Finding where this interview's guide questions were asked and what the customer answered…"
NOTHING_OPEN = "Open an interview to review its suggestions."


class ReviewMode(QObject):
    """The Suggestions tab of the side panel and when its suggestions are made."""

    def __init__(
        self,
        tabs: QTabWidget,
        library: Library,
        tasks: AnalysisTasks,
        history: UndoHistory,
        changed: Callable[[int], None],
    ) -> None:
        super().__init__(tabs)
        self._tabs, self._library, self._tasks = tabs, library, tasks
        self.panel = SuggestionsPanel(Analyst(library), history)
        self.panel.changed.connect(changed)
        self._changed = changed
        tabs.addTab(self.panel, TAB_TITLE)
        tabs.currentChanged.connect(lambda _index: self._bring_up_to_date())
        self.interview_id: int | None = None
        self._shown_basis: object = None
        """What the suggestions shown (or being made) were made from; None: not made yet."""
        self._request = 0

    def open(self) -> None:
        """View ▸ Review suggestions: the tab to the front, the list focused, suggestions made if needed."""
        self._tabs.setCurrentWidget(self.panel)
        self._bring_up_to_date()
        self.panel.list.setFocus()

    def show_interview(self, interview_id: int) -> None:
        self.interview_id = interview_id
        self._shown_basis = None
        self._request += 1  # an answer still coming for the interview before is not shown
        self._bring_up_to_date()

    def edited(self, interview_id: int) -> None:
        """Something in `interview_id` changed: suggest again if the guide or the transcript did."""
        if interview_id == self.interview_id:
            self._bring_up_to_date()

    def _bring_up_to_date(self) -> None:
        if self.interview_id is None:
            self.panel.show_unavailable(NOTHING_OPEN)
            return
        if self._tabs.currentWidget() is not self.panel:
            return  # made when the tab is shown: no model run for a user who never looks
        basis = self._basis(self.interview_id)
        if basis == self._shown_basis:
            return
        self._shown_basis = basis
        self._request += 1
        request, interview_id = self._request, self.interview_id
        self.panel.show_unavailable(FINDING)
        self._tasks.run(
            lambda analyst: analyst.review(interview_id),
            lambda review: self._arrived(request, review),
            lambda error: self._failed(request, error),
        )

    def _basis(self, interview_id: int) -> object:
        """What suggestions depend on: the guide edition, and each segment's words, times and speaker's role."""
        guide = Tagger(self._library).guide_of(interview_id)
        transcripts = self._library.transcripts
        roles = {speaker.id: speaker.role for speaker in transcripts.speakers(interview_id)}
        return (
            guide[0].id if guide else None,
            tuple(
                (s.id, s.text, s.start_ms, s.end_ms, roles.get(s.speaker_id))
                for s in transcripts.segments(interview_id)
            ),
        )

    def _arrived(self, request: int, review: Review) -> None:
        if request != self._request:
            return  # a newer request (another interview, a later edit) is on its way
        self.panel.show_review(review)
        self._changed(review.interview_id)  # the transcript shows the suggested questions

    def _failed(self, request: int, error: Exception) -> None:
        if request != self._request:
            return
        from app.analysis.embedder import EmbeddingModelError

        if isinstance(error, AnalysisUnavailable):  # made again when the guide or transcript changes
            self.panel.show_unavailable(error.in_window)
            return
        self._shown_basis = None  # tried again when the tab is shown or the interview opened again
        if isinstance(error, EmbeddingModelError):
            self.panel.show_unavailable(str(error))
            return
        log.error("Suggestions failed", exc_info=error)
        self.panel.show_unavailable(f"Suggestions could not be made: {error}")
