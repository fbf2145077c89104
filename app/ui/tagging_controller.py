"""Tagging in the open interview: its guide, the quote bar, quote tints, section headings and coverage.

It is given the widgets it drives, the tagger and the undo history's `record`; it decides what the widgets
show and turns the user's selections and keys into quotes (through `services/tagging.py`), each change
undoable. What it cannot do itself (seek the player, say something in the status bar) it asks by signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.domain.transcript import SpeakerRole
from app.library.errors import LibraryError
from app.ui.colours import question_colours
from app.ui.quote_bar import question_label

if TYPE_CHECKING:
    from app.guides.model import Guide
    from app.library import Library
    from app.library.analysis import Suggestion
    from app.services.tagging import Tagger
    from app.ui.guide_panel import GuidePanel
    from app.ui.quote_bar import QuoteBar
    from app.ui.transcript_view import TranscriptView

SUGGESTED = "Suggested:"
"""Before a suggested question's heading in the transcript."""

Record = Callable[[str, int, Callable[[], object], Callable[[], object]], None]
"""`UndoHistory.record`: (description, interview id, redo, undo) of a change already made."""


class TaggingController(QObject):
    message = Signal(str, int)
    """Something to tell the user in the status bar, for so many milliseconds."""
    seek_requested = Signal(int)
    """Play from this moment (a question chosen in the guide panel)."""

    def __init__(
        self,
        transcript: TranscriptView,
        quote_bar: QuoteBar,
        guide_panel: GuidePanel,
        tagger: Tagger,
        library: Library,
        record: Record,
        suggested: Callable[[int], list[Suggestion]],
    ) -> None:
        super().__init__(transcript)
        self._transcript, self._quote_bar, self._guide_panel = transcript, quote_bar, guide_panel
        self._tagger, self._library, self._record = tagger, library, record
        self._suggested = suggested
        """An interview's open suggestions (`Analyst.suggestions`)."""
        self.interview_id: int | None = None
        self.guide: Guide | None = None
        """The open interview's guide (the edition it follows)."""
        self.question_colours: dict[str, QColor] = {}
        transcript.section_requested.connect(self._mark_question_asked)
        transcript.selectionChanged.connect(self._selection_changed)
        transcript.cursorPositionChanged.connect(self._selection_changed)
        transcript.tagging_key.connect(self._tagging_key)
        quote_bar.confirmed.connect(self._file_quote)
        quote_bar.delete_requested.connect(self._delete_quote)
        quote_bar.cancelled.connect(self._close_quote_bar)
        guide_panel.guide_chosen.connect(self._use_guide)
        guide_panel.question_activated.connect(self._go_to_question)
        transcript.installEventFilter(self)  # a palette change (a live switch to dark mode) recolours

    def stop(self) -> None:
        """The window is closing: a re-render after this (the palette changing) must not ask a closed
        library about a selection."""
        self._transcript.selectionChanged.disconnect(self._selection_changed)
        self._transcript.cursorPositionChanged.disconnect(self._selection_changed)
        self._transcript.removeEventFilter(self)

    def show_interview(self, interview_id: int) -> None:
        """Tag `interview_id` from now on: show its guide, sections, coverage and quotes."""
        self.interview_id = interview_id
        self.show_guide()

    def show_guide(self) -> None:
        """The open interview's guide in the quote bar and the guide panel, each question in its colour."""
        assert self.interview_id is not None
        found = self._tagger.guide_of(self.interview_id)
        self.guide = found[1] if found else None
        self._pick_colours()
        self._quote_bar.set_guide(self.guide, self.question_colours)
        questions = self.guide.questions if self.guide else ()
        self._transcript.set_questions(
            [
                (question.key, question_label(n, question.text))
                for n, question in enumerate(questions, start=1)
            ]
        )
        self.show_sections()
        self.show_coverage()
        self.show_quotes()

    def show_changes(self) -> None:
        """After a change to the open interview (made, undone or redone): its guide again if it now follows
        another edition (making a group a theme adds one, with the new tag), else its sections and coverage."""
        assert self.interview_id is not None
        found = self._tagger.guide_of(self.interview_id)
        if (found[1] if found else None) != self.guide:
            self.show_guide()
        else:
            self.show_sections()
            self.show_coverage()

    def _pick_colours(self) -> None:
        """A colour per question of the guide, chosen for the palette the transcript is drawn with."""
        keys = [question.key for question in self.guide.questions] if self.guide else []
        self.question_colours = dict(
            zip(keys, question_colours(len(keys), self._transcript.palette()), strict=True)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The colours were chosen for the old palette (light hues on a dark page): choose again. The
        # transcript rebuilds its document after this filter, with the new colours.
        palette_changed = watched is self._transcript and event.type() == QEvent.Type.PaletteChange
        if palette_changed and self.interview_id is not None and self.guide is not None:
            self._pick_colours()
            self._quote_bar.recolour(self.question_colours)
            self.show_coverage()
            self.show_quotes()
        return False

    def show_sections(self) -> None:
        """Headings where each guide question was asked (markers stamped while recording, or placed later),
        and, fainter, where review mode suggests one was and the user has not decided yet."""
        numbers = (
            {question.key: n for n, question in enumerate(self.guide.questions, start=1)}
            if self.guide
            else {}
        )

        def heading(at_ms: int, key: str) -> tuple[int, str, str]:
            return at_ms, key, question_label(numbers[key], self.guide.question(key).text)

        suggested = [
            heading(s.start_ms, s.question)
            for s in self._suggested(self.interview_id)
            if s.kind == "question" and s.question in numbers
        ]
        self._transcript.set_sections(
            [heading(m.at_ms, m.question) for m in self._question_markers() if m.question in numbers],
            [(at_ms, key, f"{SUGGESTED} {title}") for at_ms, key, title in suggested],
        )

    def _question_markers(self) -> list:
        return [m for m in self._library.markers.of_interview(self.interview_id) if m.kind == "question"]

    def _mark_question_asked(self, at_ms: int, key: str) -> None:
        """Start the question's section at `at_ms`: the marker moves there, or a new one is placed (undoable)."""
        interview_id = self.interview_id
        markers = self._library.markers
        existing = next((m for m in self._question_markers() if m.question == key), None)
        if existing is not None:
            markers.move(existing.id, at_ms)
            redo, undo = (
                lambda: markers.move(existing.id, at_ms),
                lambda: markers.move(existing.id, existing.at_ms),
            )
        else:
            marker = markers.add(interview_id, at_ms, "question", question=key)
            redo, undo = lambda: markers.restore(marker), lambda: markers.delete(marker.id)
        self._record("Mark question asked", interview_id, redo, undo)

    def show_coverage(self) -> None:
        if self.interview_id is not None:
            self._guide_panel.show_interview(
                self._tagger.available_guides(),
                self.guide,
                self._tagger.coverage(self.interview_id),
                self.question_colours,
            )

    def show_quotes(self) -> None:
        if self.interview_id is None:
            return
        tags = {tag.name: QColor(tag.colour) for tag in self.guide.tags} if self.guide else {}
        quotes = self._tagger.quotes(self.interview_id)
        colours = {}
        for quote in quotes:
            colour = self.question_colours.get(quote.question_key) or next(
                (tags[tag] for tag in quote.tags if tag in tags), None
            )
            if colour is not None:
                colours[quote.id] = colour
        self._transcript.set_quotes(quotes, colours)

    def _selection_changed(self) -> None:
        """Words selected: offer to quote them. Caret in a quote: offer to re-file it."""
        selection = self._transcript.word_selection()
        if selection is not None:
            warning = None
            if selection.speaker_id is not None:
                speaker = self._library.transcripts.speaker(selection.speaker_id)
                if speaker.role is SpeakerRole.INTERVIEWER:
                    warning = f"These are {speaker.name}'s words (the interviewer); quotes should be the customer's."
            self._quote_bar.show_selection(selection.text, selection.start_ms, selection.end_ms, warning)
            return
        quote_id = self._transcript.quote_at_cursor()
        if quote_id is not None:
            if self._quote_bar.quote is None or self._quote_bar.quote.id != quote_id:
                self._quote_bar.show_quote(self._library.quotes.get(quote_id))
        elif self._quote_bar.quote is not None or self._quote_bar.isVisible():
            self._quote_bar.close_bar()

    def _tagging_key(self, key: str) -> None:
        if key.isdigit() and (hint := self._why_no_question(key)):
            self.message.emit(hint, 8000)
            return
        if not self._quote_bar.isVisible():
            return
        if key.isdigit():
            if not self._quote_bar.choose_question(int(key)):
                self.message.emit(f"This interview's guide has no question {key}.", 5000)
        elif key == "t":
            self._quote_bar.open_tags()
        elif key == "n":
            self._quote_bar.focus_note()
        elif key == "enter":
            self._quote_bar.confirm()
        else:
            self._close_quote_bar()

    def _why_no_question(self, key: str) -> str | None:
        """What a number key needs before it can file words under a question, if anything is missing."""
        if self.interview_id is None:
            return "Open an interview first."
        if self.guide is None:
            return f"Pick a guide first (Guide, on the right): then {key} files the selected words under its question {key}."
        if not self._quote_bar.isVisible():
            return f"Select the customer's words first, then press {key} to file them under question {key}."
        return None

    def _close_quote_bar(self) -> None:
        self._quote_bar.close_bar()
        cursor = self._transcript.textCursor()
        cursor.clearSelection()
        self._transcript.setTextCursor(cursor)
        self._transcript.setFocus()

    def _file_quote(self, question_key: str | None, tags: tuple[str, ...], note: str) -> None:
        """File the selection as a new quote, or save the quote being re-filed; either can be undone."""
        interview_id = self.interview_id
        existing = self._quote_bar.quote
        try:
            if existing is None:
                selection = self._transcript.word_selection()
                if selection is None:
                    return
                result = self._tagger.quote_words(
                    interview_id, selection.words, question_key=question_key, tags=tags, note=note
                )
                quote, description = result.quote, "Add quote"
                redo, undo = (
                    lambda: self._tagger.restore_quote(quote),
                    lambda: self._tagger.delete_quote(quote.id),
                )
                for warning in result.warnings:
                    self.message.emit(warning, 8000)
            else:
                before = {"question_key": existing.question_key, "tags": existing.tags, "note": existing.note}
                after = {"question_key": question_key, "tags": tags, "note": note or None}
                quote = self._tagger.update_quote(existing.id, **after)
                description = "Change quote"
                redo = lambda: self._tagger.update_quote(existing.id, **after)  # noqa: E731
                undo = lambda: self._tagger.update_quote(existing.id, **before)  # noqa: E731
        except LibraryError as error:
            QMessageBox.warning(self._transcript.window(), "Cannot file that quote", str(error))
            return
        self._record(description, interview_id, redo, undo)
        self._quote_bar.close_bar()
        self._transcript.setFocus()

    def _delete_quote(self) -> None:
        quote = self._quote_bar.quote
        if quote is None:
            return
        self._tagger.delete_quote(quote.id)
        self._record(
            "Delete quote",
            quote.interview_id,
            lambda: self._tagger.delete_quote(quote.id),
            lambda: self._tagger.restore_quote(quote),
        )
        self._quote_bar.close_bar()

    def _use_guide(self, slug: str) -> None:
        interview_id = self.interview_id
        guide = next((g for g in self._tagger.available_guides() if g.slug == slug), None)
        if interview_id is None or guide is None:
            return
        filed = [quote for quote in self._tagger.quotes(interview_id) if quote.question_key]
        if filed and self.guide is not None and guide.slug != self.guide.slug:
            answer = QMessageBox.question(
                self._transcript.window(),
                "Change guide",
                f"{len(filed)} quote(s) are filed under questions of “{self.guide.name}”. They keep their "
                f"question only where “{guide.name}” has the same one. Change the guide?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.show_coverage()
                return
        try:
            self._tagger.use_guide(interview_id, guide)
        except LibraryError as error:
            QMessageBox.warning(self._transcript.window(), "Cannot use that guide", str(error))
        self.show_guide()

    def _go_to_question(self, key: str) -> None:
        """Play from the first quote that answers the question (or where it was asked)."""
        if self.interview_id is None:
            return
        quotes = [quote for quote in self._tagger.quotes(self.interview_id) if quote.question_key == key]
        asked = [marker.at_ms for marker in self._question_markers() if marker.question == key]
        moments = sorted([quote.start_ms for quote in quotes] + asked)
        if moments:
            self.seek_requested.emit(moments[0])
            self._transcript.highlight_time(moments[0])
        else:
            self.message.emit("Nothing answers that question yet.", 5000)
