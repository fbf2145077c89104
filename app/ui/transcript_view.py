"""The open interview's transcript, drawn as a document and kept in step with playback.

`transcript_layout.py` writes it (turns as paragraphs under the speaker's name and a quieter time) and
records where every word lands in a `WordIndex`, so clicks, selections, quote tints and the playback
highlight are bisections, never searches: a two-hour interview (~20k words) stays responsive while it
plays. Segments arriving live are appended, not re-rendered, and a re-render keeps the reader's place
(`reading_place.py`). Quotes are tinted and get a chip in the margin (`quote_marks.py`). With words
selected, number keys, T, N, Enter and Esc are passed on as tagging keys for the quote bar; F2 or a
double-click asks to edit the line, a right-click offers the rest (`transcript_menu.py`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QMenu, QTextEdit, QWidget

from app.domain.quote import Quote
from app.domain.transcript import Segment, Speaker, UntranscribedSpan
from app.domain.word_index import WordIndex, WordSelection
from app.ui.quote_marks import ChipMargin, QuoteChip, QuoteMarks, mark_quotes
from app.ui.reading_place import ReadingPlace
from app.ui.transcript_layout import TranscriptLayout
from app.ui.transcript_look import make_look, reading_font
from app.ui.transcript_menu import EDIT_SHORTCUT, MenuPlace, add_segment_actions

PLACEHOLDER = "No transcript yet — it appears here line by line while transcribing."
# Room between the text and the frame; Qt's default of 4 px makes the text touch the edge.
DOCUMENT_MARGIN_PX = 16
TAGGING_KEYS = {
    **{getattr(Qt.Key, f"Key_{digit}"): str(digit) for digit in range(1, 10)},
    Qt.Key.Key_T: "t",
    Qt.Key.Key_N: "n",
    Qt.Key.Key_Return: "enter",
    Qt.Key.Key_Enter: "enter",
    Qt.Key.Key_Escape: "escape",
}


_NOTHING_SHOWN = WordIndex()


class TranscriptView(QTextEdit):
    """A read-only transcript that follows playback and turns clicks into seeks and edit requests.

    Signals carry ids, never document offsets, so the main window can act on the library directly.
    """

    word_clicked = Signal(int)
    edit_requested = Signal(int)
    split_requested = Signal(int, int)
    merge_requested = Signal(int)
    reassign_requested = Signal(int, int)
    reassign_words_requested = Signal(list, int)
    """(selected words as (segment id, word index), speaker id): those words are that person's."""
    delete_requested = Signal(int)
    section_requested = Signal(int, str)
    """(time, question key): the user says this guide question is asked where the segment starts."""
    tagging_key = Signal(str)
    """"1"–"9", "t", "n", "enter" or "escape", pressed while the transcript has the focus."""
    retry_requested = Signal()
    """The user clicked an "[untranscribed … — Retry]" line: try that speech again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.follow = True
        """Scroll to keep the highlighted word visible (the main window turns this off while reading)."""
        self._segments: list[Segment] = []
        self._speakers: list[Speaker] = []
        self._interview_id: int | None = None
        self._layout: TranscriptLayout | None = None
        self._sections: list[tuple[int, str, str]] = []
        self._dragged_section: str | None = None
        self._untranscribed: list[UntranscribedSpan] = []
        self._questions: list[tuple[str, str]] = []
        self._highlight_ms: int | None = None
        self._highlighted: int | None = None
        self._quotes: list[Quote] = []
        self._quote_colours: dict[int, QColor] = {}
        self._marks = QuoteMarks()
        self._chips = ChipMargin(self)
        self._press_position: QPoint | None = None
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setPlaceholderText(PLACEHOLDER)
        self.document().setDocumentMargin(DOCUMENT_MARGIN_PX)

    def set_transcript(self, segments: list[Segment], speakers: list[Speaker]) -> None:
        """Show `segments` (in reading order) spoken by `speakers`.

        Live transcription calls this again for every new segment, so re-rendering the same interview
        keeps the line at the top of the view where it was, and the selection, instead of jumping.
        """
        interview_id = segments[0].interview_id if segments else None
        same_interview = interview_id is not None and interview_id == self._interview_id
        if same_interview and self._extends(segments, speakers):
            shown = len(self._segments)
            self._segments = list(segments)
            self._render(first_row=shown)
            self._index_quotes()
            return
        place = ReadingPlace.of(self, self._index, self.selected_words()) if same_interview else None
        self._segments, self._speakers, self._interview_id = list(segments), list(speakers), interview_id
        self._render()
        if place is not None:
            place.restore(self, self._index)
        else:
            self.verticalScrollBar().setValue(0)
            self._highlight_ms = None
        self._highlighted = None
        self._index_quotes()
        if self._highlight_ms is not None:
            self.highlight_time(self._highlight_ms)

    def set_questions(self, questions: list[tuple[str, str]]) -> None:
        """(key, label) of the guide's questions, offered as "Question asked here" on a segment."""
        self._questions = list(questions)

    def set_sections(
        self, sections: list[tuple[int, str, str]], suggested: list[tuple[int, str, str]] = ()
    ) -> None:
        """Headings (time, question key, title) that split the transcript where each guide question was
        asked. Dragging a heading onto another line asks to move it there (`section_requested`).
        `suggested` ones (where the analysis thinks a question was asked) are drawn fainter and stay put."""
        sections = sorted([(*one, False) for one in sections] + [(*one, True) for one in suggested])
        if sections != self._sections:
            self._sections = sections
            self.set_transcript(self._segments, self._speakers)

    def set_untranscribed(self, spans: list[UntranscribedSpan]) -> None:
        """Speech the model gave no words for, each shown as a line in its place with a retry."""
        if spans != self._untranscribed:
            self._untranscribed = list(spans)
            self.set_transcript(self._segments, self._speakers)

    def set_quotes(self, quotes: list[Quote], colours: dict[int, QColor]) -> None:
        """Tint the words of each quote in its colour (`colours` by quote id) and give it a chip."""
        self._quotes, self._quote_colours = list(quotes), dict(colours)
        self._index_quotes()

    def quote_at_cursor(self) -> int | None:
        """The id of the quote holding the word at the caret, if any."""
        word = self._index.word_at(self.textCursor().position())
        return None if word is None else self._marks.word_quotes.get(word)

    def word_selection(self) -> WordSelection | None:
        """The selected words with their text, time span and main speaker; None when nothing is selected."""
        keys = self.selected_words()
        return self._index.selection(keys) if keys else None

    def highlight_time(self, ms: int) -> None:
        """Highlight the word spoken at `ms` (or the one just before a short pause); O(log n) per call."""
        self._highlight_ms = ms
        word = self._index.word_at_time(ms)
        if word == self._highlighted:
            return
        self._highlighted = word
        self._show_extra_selections()
        if word is not None and self.follow:
            self._keep_visible(self._word_cursor(word))

    @property
    def highlighted_word(self) -> tuple[int, int] | None:
        """(segment_id, word_index) of the highlighted word, or None."""
        return None if self._highlighted is None else self._index.word_keys[self._highlighted]

    def word_range(self, segment_id: int, word_index: int) -> tuple[int, int]:
        """The document character range [start, end) of a word; KeyError/IndexError if it is not shown."""
        word = self._index.word_of(segment_id, word_index)
        return self._index.word_starts[word], self._index.word_ends[word]

    def selected_words(self) -> list[tuple[int, int]]:
        """(segment_id, word_index) of every word the selection touches, in reading order."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return []
        return self._index.words_between(cursor.selectionStart(), cursor.selectionEnd())

    def speaker_ids(self) -> set[int]:
        """The speakers who say something in the transcript shown (no library query: menus ask often)."""
        return {speaker for speaker in self._index.segment_speakers if speaker is not None}

    def segment_at_cursor(self) -> int | None:
        row = self._index.segment_at(self.textCursor().position())
        return None if row is None else self._index.segment_ids[row]

    def find(self, text: str, backward: bool = False) -> bool:  # type: ignore[override]
        """Select the next (or previous) occurrence of `text`, wrapping around the end; False if none."""
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if super().find(text, flags):
            return True
        before = self.textCursor()
        wrapped = QTextCursor(self.document())
        wrapped.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.setTextCursor(wrapped)
        if super().find(text, flags):
            return True
        self.setTextCursor(before)
        return False

    def context_menu(self, position: QPoint) -> QMenu:
        """The menu a right-click at viewport `position` shows (separate so callers can extend it)."""
        offset = QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        menu = self.createStandardContextMenu(position + offset)
        document_position = self.cursorForPosition(position).position()
        row = self._index.segment_at(document_position)
        if row is not None:
            word = self._index.word_at(document_position)
            place = MenuPlace(
                segment_id=self._index.segment_ids[row],
                segment_start_ms=self._index.segment_starts_ms[row],
                speaker_id=self._index.segment_speakers[row],
                word_index=self._index.word_keys[word][1] if word is not None else None,
                has_next=row + 1 < len(self._index.segment_ids),
                selected=self.selected_words(),
            )
            add_segment_actions(self, menu, place, self._speakers, self._questions)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.keyCombination().toCombined() == EDIT_SHORTCUT[0].toCombined():
            segment_id = self.segment_at_cursor()
            if segment_id is not None:
                self.edit_requested.emit(segment_id)
            return
        key = TAGGING_KEYS.get(event.key())
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
        if key is not None and plain:
            self.tagging_key.emit(key)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        chip = self._chip_at(event.position().toPoint())
        if chip is not None and event.button() == Qt.MouseButton.LeftButton:
            cursor = QTextCursor(self.document())  # the caret in the quote opens it in the quote bar
            cursor.setPosition(chip.first)
            self.setTextCursor(cursor)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragged_section = self._heading_at(event.position().toPoint())
            if self._dragged_section is not None:
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
                return  # a heading is picked up, not selected
            self._press_position = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragged_section is not None:
            return
        point = event.position().toPoint()
        if self._chip_at(point) is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            over_heading = self._heading_at(point) is not None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if over_heading else Qt.CursorShape.IBeamCursor
            )
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        key, self._dragged_section = self._dragged_section, None
        if key is not None:
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
            row = self._index.segment_at(self.cursorForPosition(event.position().toPoint()).position())
            if row is not None:
                self.section_requested.emit(self._index.segment_starts_ms[row], key)
            return
        super().mouseReleaseEvent(event)
        pressed, self._press_position = self._press_position, None
        point = event.position().toPoint()
        block = self.document().findBlock(self.cursorForPosition(point).position())
        if pressed is not None and self._layout and block.position() in self._layout.untranscribed_blocks:
            self.retry_requested.emit()
            return
        if (
            event.button() != Qt.MouseButton.LeftButton
            or pressed is None
            or event.modifiers() != Qt.KeyboardModifier.NoModifier
            or (point - pressed).manhattanLength() >= QApplication.startDragDistance()
        ):
            return
        ms = self._time_at(self.cursorForPosition(point).position())
        if ms is not None:
            self.word_clicked.emit(ms)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        super().mouseDoubleClickEvent(event)
        # The release that ends a double-click is not a click: it must not seek a second time.
        self._press_position = None
        position = self.cursorForPosition(event.position().toPoint()).position()
        row = self._index.segment_at(position)
        if row is not None and position >= self._index.text_positions[row]:
            self.edit_requested.emit(self._index.segment_ids[row])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # Colours and fonts are baked into the document; build it again for the new look.
            self.set_transcript(self._segments, self._speakers)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._layout is not None:
            self._chips.paint(self._marks.chips, self._layout.look)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self._chips.show_tooltip(event):
            return True
        return super().viewportEvent(event)

    @property
    def chips(self) -> list[QuoteChip]:
        """The quote chips in the margin, in document order."""
        return self._marks.chips

    def chip_rect(self, quote_id: int) -> QRect | None:
        """Where a quote's chip was last drawn in the viewport; None if it is not in view."""
        return self._chips.rect_of(quote_id)

    def _chip_at(self, point: QPoint) -> QuoteChip | None:
        return self._chips.at(point)

    @property
    def _index(self) -> WordIndex:
        return self._layout.index if self._layout is not None else _NOTHING_SHOWN

    def _render(self, first_row: int = 0) -> None:
        """Lay the segments out from `first_row` on: 0 builds the document anew, more appends to it (live
        transcription adds segments at the end, and appending keeps a long transcript's refresh short)."""
        document = self.document()
        if first_row == 0:
            document.clear()
            if not self._segments:
                self._layout = None
                return
            document.setDefaultFont(reading_font(self.font()))
            self._layout = TranscriptLayout(
                document, make_look(self.palette(), document.defaultFont(), self._speakers)
            )
            self._layout.write(self._segments, 0, self._sections, self._untranscribed)
        else:
            after = self._segments[first_row - 1].start_ms
            sections = [section for section in self._sections if section[0] > after]
            self._layout.write(self._segments, first_row, sections, [])

    def _extends(self, segments: list[Segment], speakers: list[Speaker]) -> bool:
        """Whether `segments` are the ones shown plus more at the end, drawn with the same look."""
        shown = self._segments
        return (
            self._layout is not None
            and len(segments) > len(shown) > 0
            and speakers == self._speakers
            and segments[: len(shown)] == shown
        )

    def _heading_at(self, point: QPoint) -> str | None:
        """The question key of the section heading under viewport `point`, if it is over one."""
        if self._layout is None or not self._layout.heading_keys:
            return None
        block = self.document().findBlock(self.cursorForPosition(point).position())
        return self._layout.heading_keys.get(block.position())

    def _index_quotes(self) -> None:
        """Tint each quote's words in its question's colour and give it a chip in the margin."""
        if self._layout is None:
            self._marks = QuoteMarks()
        else:
            self._marks = mark_quotes(
                self.document(),
                self._layout.index,
                self._quotes,
                self._quote_colours,
                self._questions,
                self._layout.look.colours,
            )
        self._show_extra_selections()
        self.viewport().update()

    def _show_extra_selections(self) -> None:
        """Quote tints, with the word being played on top."""
        selections = list(self._marks.selections)
        if self._highlighted is not None and self._layout is not None:
            playing = QTextEdit.ExtraSelection()
            playing.cursor = self._word_cursor(self._highlighted)
            playing.format = self._layout.look.playing
            selections.append(playing)
        self.setExtraSelections(selections)

    def _time_at(self, position: int) -> int | None:
        """What a click at document `position` seeks to: the word's start, else its segment's start."""
        word = self._index.word_at(position)
        if word is not None:
            return self._index.words[word].start_ms
        row = self._index.segment_at(position)
        return None if row is None else self._index.segment_starts_ms[row]

    def _word_cursor(self, word: int) -> QTextCursor:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._index.word_starts[word])
        cursor.setPosition(self._index.word_ends[word], QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _keep_visible(self, cursor: QTextCursor) -> None:
        """Scroll only when the word leaves the viewport, then put it a third of the way down: a view that
        moves with every line is hard to read along with."""
        rect = self.cursorRect(cursor)
        height = self.viewport().height()
        if rect.top() < 0 or rect.bottom() > height:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - height // 3)
