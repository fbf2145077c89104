"""Tagging in the open interview: its guide, the quote bar, quote tints, section headings and coverage.

The workspace owns the widgets and the undo stacks; this part decides what they show and turns the user's
selections and keys into quotes (through `services/tagging.py`), each change undoable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.domain.transcript import SpeakerRole
from app.library.errors import LibraryError
from app.ui.colours import question_colours
from app.ui.quote_bar import question_label
from app.ui.undo import ChangeCommand

if TYPE_CHECKING:
    from app.guides.model import Guide
    from app.ui.workspace import Workspace


class TaggingController(QObject):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._workspace = workspace
        self.guide: Guide | None = None
        """The open interview's guide (the edition it follows)."""
        self.question_colours: dict[str, QColor] = {}
        transcript, quote_bar, guide_panel = workspace.transcript, workspace.quote_bar, workspace.guide_panel
        transcript.section_requested.connect(self._mark_question_asked)
        transcript.selectionChanged.connect(self._selection_changed)
        transcript.cursorPositionChanged.connect(self._selection_changed)
        transcript.tagging_key.connect(self._tagging_key)
        quote_bar.confirmed.connect(self._file_quote)
        quote_bar.delete_requested.connect(self._delete_quote)
        quote_bar.cancelled.connect(self._close_quote_bar)
        guide_panel.guide_chosen.connect(self._use_guide)
        guide_panel.question_activated.connect(self._go_to_question)

    def stop(self) -> None:
        """The window is closing: a re-render after this (the palette changing) must not ask a closed
        library about a selection."""
        self._workspace.transcript.selectionChanged.disconnect(self._selection_changed)
        self._workspace.transcript.cursorPositionChanged.disconnect(self._selection_changed)

    def show_guide(self) -> None:
        """The open interview's guide in the quote bar and the guide panel, each question in its colour."""
        assert self._workspace.current_interview is not None
        found = self._workspace.tagger.guide_of(self._workspace.current_interview)
        self.guide = found[1] if found else None
        keys = [question.key for question in self.guide.questions] if self.guide else []
        self.question_colours = dict(
            zip(keys, question_colours(len(keys), self._workspace.window.palette()), strict=True)
        )
        self._workspace.quote_bar.set_guide(self.guide, self.question_colours)
        questions = self.guide.questions if self.guide else ()
        self._workspace.transcript.set_questions(
            [
                (question.key, question_label(n, question.text))
                for n, question in enumerate(questions, start=1)
            ]
        )
        self.show_sections()
        self.show_coverage()
        self.show_quotes()

    def show_sections(self) -> None:
        """Headings where each guide question was asked (markers stamped while recording, or placed later)."""
        numbers = (
            {question.key: n for n, question in enumerate(self.guide.questions, start=1)}
            if self.guide
            else {}
        )
        self._workspace.transcript.set_sections(
            [
                (
                    marker.at_ms,
                    marker.question,
                    question_label(numbers[marker.question], self.guide.question(marker.question).text),
                )
                for marker in self._question_markers()
                if marker.question in numbers
            ]
        )

    def _question_markers(self) -> list:
        return [
            m
            for m in self._workspace.library.markers.of_interview(self._workspace.current_interview)
            if m.kind == "question"
        ]

    def _mark_question_asked(self, at_ms: int, key: str) -> None:
        """Start the question's section at `at_ms`: the marker moves there, or a new one is placed (undoable)."""
        interview_id = self._workspace.current_interview
        markers = self._workspace.library.markers
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
        self._workspace.push(
            ChangeCommand("Mark question asked", interview_id, redo, undo, self._workspace.edited)
        )

    def show_coverage(self) -> None:
        if self._workspace.current_interview is not None:
            self._workspace.guide_panel.show_interview(
                self._workspace.tagger.available_guides(),
                self.guide,
                self._workspace.tagger.coverage(self._workspace.current_interview),
                self.question_colours,
            )

    def show_quotes(self) -> None:
        if self._workspace.current_interview is None:
            return
        tags = {tag.name: QColor(tag.colour) for tag in self.guide.tags} if self.guide else {}
        quotes = self._workspace.tagger.quotes(self._workspace.current_interview)
        colours = {}
        for quote in quotes:
            colour = self.question_colours.get(quote.question_key) or next(
                (tags[tag] for tag in quote.tags if tag in tags), None
            )
            if colour is not None:
                colours[quote.id] = colour
        self._workspace.transcript.set_quotes(quotes, colours)

    def _selection_changed(self) -> None:
        """Words selected: offer to quote them. Caret in a quote: offer to re-file it."""
        selection = self._workspace.transcript.word_selection()
        if selection is not None:
            warning = None
            if selection.speaker_id is not None:
                speaker = self._workspace.library.transcripts.speaker(selection.speaker_id)
                if speaker.role is SpeakerRole.INTERVIEWER:
                    warning = f"These are {speaker.name}'s words (the interviewer); quotes should be the customer's."
            self._workspace.quote_bar.show_selection(
                selection.text, selection.start_ms, selection.end_ms, warning
            )
            return
        quote_id = self._workspace.transcript.quote_at_cursor()
        if quote_id is not None:
            if self._workspace.quote_bar.quote is None or self._workspace.quote_bar.quote.id != quote_id:
                self._workspace.quote_bar.show_quote(self._workspace.library.quotes.get(quote_id))
        elif self._workspace.quote_bar.quote is not None or self._workspace.quote_bar.isVisible():
            self._workspace.quote_bar.close_bar()

    def _tagging_key(self, key: str) -> None:
        if key.isdigit() and (hint := self._why_no_question(key)):
            self._workspace.window.statusBar().showMessage(hint, 8000)
            return
        if not self._workspace.quote_bar.isVisible():
            return
        if key.isdigit():
            if not self._workspace.quote_bar.choose_question(int(key)):
                self._workspace.window.statusBar().showMessage(
                    f"This interview's guide has no question {key}.", 5000
                )
        elif key == "t":
            self._workspace.quote_bar.open_tags()
        elif key == "n":
            self._workspace.quote_bar.focus_note()
        elif key == "enter":
            self._workspace.quote_bar.confirm()
        else:
            self._close_quote_bar()

    def _why_no_question(self, key: str) -> str | None:
        """What a number key needs before it can file words under a question, if anything is missing."""
        if self._workspace.current_interview is None:
            return "Open an interview first."
        if self.guide is None:
            return f"Pick a guide first (Guide, on the right): then {key} files the selected words under its question {key}."
        if not self._workspace.quote_bar.isVisible():
            return f"Select the customer's words first, then press {key} to file them under question {key}."
        return None

    def _close_quote_bar(self) -> None:
        self._workspace.quote_bar.close_bar()
        cursor = self._workspace.transcript.textCursor()
        cursor.clearSelection()
        self._workspace.transcript.setTextCursor(cursor)
        self._workspace.transcript.setFocus()

    def _file_quote(self, question_key: str | None, tags: tuple[str, ...], note: str) -> None:
        """File the selection as a new quote, or save the quote being re-filed; either can be undone."""
        interview_id = self._workspace.current_interview
        existing = self._workspace.quote_bar.quote
        try:
            if existing is None:
                selection = self._workspace.transcript.word_selection()
                if selection is None:
                    return
                result = self._workspace.tagger.quote_words(
                    interview_id, selection.words, question_key=question_key, tags=tags, note=note
                )
                quote, description = result.quote, "Add quote"
                redo, undo = (
                    lambda: self._workspace.tagger.restore_quote(quote),
                    lambda: self._workspace.tagger.delete_quote(quote.id),
                )
                for warning in result.warnings:
                    self._workspace.window.statusBar().showMessage(warning, 8000)
            else:
                before = {"question_key": existing.question_key, "tags": existing.tags, "note": existing.note}
                after = {"question_key": question_key, "tags": tags, "note": note or None}
                quote = self._workspace.tagger.update_quote(existing.id, **after)
                description = "Change quote"
                redo = lambda: self._workspace.tagger.update_quote(existing.id, **after)  # noqa: E731
                undo = lambda: self._workspace.tagger.update_quote(existing.id, **before)  # noqa: E731
        except LibraryError as error:
            QMessageBox.warning(self._workspace.window, "Cannot file that quote", str(error))
            return
        self._workspace.push(ChangeCommand(description, interview_id, redo, undo, self._workspace.edited))
        self._workspace.quote_bar.close_bar()
        self._workspace.transcript.setFocus()

    def _delete_quote(self) -> None:
        quote = self._workspace.quote_bar.quote
        if quote is None:
            return
        self._workspace.tagger.delete_quote(quote.id)
        self._workspace.push(
            ChangeCommand(
                "Delete quote",
                quote.interview_id,
                lambda: self._workspace.tagger.delete_quote(quote.id),
                lambda: self._workspace.tagger.restore_quote(quote),
                self._workspace.edited,
            )
        )
        self._workspace.quote_bar.close_bar()

    def _use_guide(self, slug: str) -> None:
        interview_id = self._workspace.current_interview
        guide = next((g for g in self._workspace.tagger.available_guides() if g.slug == slug), None)
        if interview_id is None or guide is None:
            return
        filed = [quote for quote in self._workspace.tagger.quotes(interview_id) if quote.question_key]
        if filed and self.guide is not None and guide.slug != self.guide.slug:
            answer = QMessageBox.question(
                self._workspace.window,
                "Change guide",
                f"{len(filed)} quote(s) are filed under questions of “{self.guide.name}”. They keep their "
                f"question only where “{guide.name}” has the same one. Change the guide?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.show_coverage()
                return
        try:
            self._workspace.tagger.use_guide(interview_id, guide)
        except LibraryError as error:
            QMessageBox.warning(self._workspace.window, "Cannot use that guide", str(error))
        self.show_guide()

    def _go_to_question(self, key: str) -> None:
        """Play from the first quote that answers the question (or where it was asked)."""
        if self._workspace.current_interview is None:
            return
        quotes = [
            quote
            for quote in self._workspace.tagger.quotes(self._workspace.current_interview)
            if quote.question_key == key
        ]
        asked = [marker.at_ms for marker in self._question_markers() if marker.question == key]
        moments = sorted([quote.start_ms for quote in quotes] + asked)
        if moments:
            self._workspace.player.seek(moments[0])
            self._workspace.transcript.highlight_time(moments[0])
        else:
            self._workspace.window.statusBar().showMessage("Nothing answers that question yet.", 5000)
