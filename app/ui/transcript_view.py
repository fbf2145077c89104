"""An interview's transcript laid out like a script, kept in step with playback.

Each segment is one paragraph: a muted timestamp, the speaker's name in their colour (left out while the
same speaker goes on, so turns stand out), then the words. A hanging indent keeps wrapped lines under the
words. The document is built with QTextCursor rather than HTML so that no transcript text is ever parsed as
markup, and the character range of every word is recorded as it is inserted: clicks, selections and the
playback highlight are then bisect lookups in sorted lists, never searches through the text, which keeps a
two-hour interview (~20k words) responsive while it plays.

Quotes are tinted in the colour of the question they answer. They are stretches of time, so the view finds
their words (those whose middle falls inside) each time the transcript is drawn: a corrected or split
segment keeps its quotes. With words selected, number keys, T, N, Enter and Esc are passed on as tagging
keys for the quote bar.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate, groupby

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QMenu, QTextEdit, QWidget

from app.domain.quote import Quote
from app.domain.timecode import clock
from app.domain.transcript import Segment, Speaker, UntranscribedSpan

PLACEHOLDER = "No transcript yet — it appears here line by line while transcribing."
# A word stays highlighted this long into the pause after it, so the eye does not lose its place between
# phrases; after a longer silence nothing is highlighted.
LINGER_MS = 1500
# Names longer than this many ems are elided, so one long display name cannot push every line's text away.
NAME_COLUMN_MAX_EM = 12
# WCAG AA contrast for normal text: speaker names must stay readable on light and dark bases alike.
MIN_CONTRAST = 4.5
# Successive speaker hues a golden angle apart stay distinct however many speakers there are.
GOLDEN_TURN = 0.381966
# How strongly the playback highlight shows the palette's highlight colour: on a dark base the highlight
# colour is itself dark, so it needs more weight to stand out; always less than a selection.
HIGHLIGHT_ALPHA_LIGHT, HIGHLIGHT_ALPHA_DARK = 0.38, 0.6
# Room between the text and the frame; Qt's default of 4 px makes the timestamps touch the edge.
DOCUMENT_MARGIN_PX = 12
# Timestamps are for finding your way, not for reading: faded 40 % towards the base they recede yet keep
# more than 4.5:1 contrast on white.
TIMESTAMP_FADE = 0.4
# Quotes are tinted, not painted: the text must stay as readable as the rest, and the playback highlight
# must still show on top.
QUOTE_TINT_ALPHA_LIGHT, QUOTE_TINT_ALPHA_DARK = 0.28, 0.45
# How far before a quote's start a word may begin and still have its middle inside (Whisper words are short).
LONGEST_WORD_MS = 10_000
TAGGING_KEYS = {
    **{getattr(Qt.Key, f"Key_{digit}"): str(digit) for digit in range(1, 10)},
    Qt.Key.Key_T: "t",
    Qt.Key.Key_N: "n",
    Qt.Key.Key_Return: "enter",
    Qt.Key.Key_Enter: "enter",
    Qt.Key.Key_Escape: "escape",
}


@dataclass(frozen=True, slots=True)
class WordSelection:
    """The selected words, as the quote bar needs them."""

    words: list[tuple[int, int]]
    text: str
    start_ms: int
    end_ms: int
    speaker_id: int | None
    """Who says most of the selected words."""


@dataclass(frozen=True, slots=True)
class _Look:
    """The formats a transcript is drawn with; appending more segments reuses them while they still fit."""

    plain: QTextCharFormat
    timestamp: QTextCharFormat
    heading: QTextCharFormat
    name_formats: dict[int, QTextCharFormat]
    names: dict[int, str]
    turn: QTextBlockFormat
    continued: QTextBlockFormat
    heading_block: QTextBlockFormat
    time_pattern: str
    """The widest timestamp's shape ("0:00", "00:00", "0:00:00"): the time column is sized for it."""


@dataclass(slots=True)
class _Index:
    """Where each segment and word landed in the document, in document order, plus the words in time order."""

    segment_ids: list[int] = field(default_factory=list)
    segment_starts_ms: list[int] = field(default_factory=list)
    segment_speakers: list[int | None] = field(default_factory=list)
    segment_channels: list[int] = field(default_factory=list)
    block_positions: list[int] = field(default_factory=list)
    text_positions: list[int] = field(default_factory=list)
    first_words: list[int] = field(default_factory=list)
    word_starts: list[int] = field(default_factory=list)
    word_ends: list[int] = field(default_factory=list)
    word_keys: list[tuple[int, int]] = field(default_factory=list)
    word_start_ms: list[int] = field(default_factory=list)
    word_end_ms: list[int] = field(default_factory=list)
    by_time: list[int] = field(default_factory=list)
    time_starts: list[int] = field(default_factory=list)
    time_max_ends: list[int] = field(default_factory=list)
    rows: dict[int, int] = field(default_factory=dict)

    def finish(self) -> None:
        """Order the words by time: the two channels of a call overlap, so document order is not time order."""
        self.by_time = sorted(range(len(self.word_start_ms)), key=self.word_start_ms.__getitem__)
        self.time_starts = [self.word_start_ms[word] for word in self.by_time]
        self.time_max_ends = list(accumulate((self.word_end_ms[word] for word in self.by_time), max))
        self.rows = {segment_id: row for row, segment_id in enumerate(self.segment_ids)}

    def segment_at(self, position: int) -> int | None:
        row = bisect_right(self.block_positions, position) - 1
        return row if row >= 0 else None

    def word_at(self, position: int) -> int | None:
        """The word touching `position` (a caret between two characters), in document order."""
        word = bisect_right(self.word_starts, position) - 1
        return word if word >= 0 and position <= self.word_ends[word] else None

    def word_at_time(self, ms: int) -> int | None:
        latest = bisect_right(self.time_starts, ms) - 1
        if latest < 0:
            return None
        # Usually the latest word to start is the one being spoken; during crosstalk an earlier, longer
        # word may still be going on. Walk back only while some earlier word still ends after `ms`.
        candidate = latest
        while candidate >= 0 and self.time_max_ends[candidate] > ms:
            if self.word_end_ms[self.by_time[candidate]] > ms:
                return self.by_time[candidate]
            candidate -= 1
        word = self.by_time[latest]
        return word if ms - self.word_end_ms[word] <= LINGER_MS else None


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
    retry_requested = Signal()
    """The user clicked an "[untranscribed … — Retry]" line: try that speech again."""
    """"1"–"9", "t", "n", "enter" or "escape", pressed while the transcript has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.follow = True
        """Scroll to keep the highlighted word visible (the main window turns this off while reading)."""
        self._segments: list[Segment] = []
        self._speakers: list[Speaker] = []
        self._interview_id: int | None = None
        self._index = _Index()
        self._look: _Look | None = None
        self._sections: list[tuple[int, str, str]] = []
        self._heading_keys: dict[int, str] = {}
        """Where each section heading's block starts in the document → its question key."""
        self._dragged_section: str | None = None
        self._untranscribed: list[UntranscribedSpan] = []
        self._untranscribed_blocks: set[int] = set()
        """Where each untranscribed line's block starts in the document (a click there retries)."""
        self._questions: list[tuple[str, str]] = []
        self._highlight_ms: int | None = None
        self._highlighted: int | None = None
        self._highlight_format = QTextCharFormat()
        self._quotes: list[Quote] = []
        self._quote_colours: dict[int, QColor] = {}
        self._quote_selections: list[QTextEdit.ExtraSelection] = []
        self._word_quotes: dict[int, int] = {}
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
        scroll_anchor = self._scroll_anchor() if same_interview else None
        old_scroll = self.verticalScrollBar().value()
        selected = self.selected_words() if same_interview else []
        self._segments, self._speakers, self._interview_id = list(segments), list(speakers), interview_id
        self._render()
        if same_interview:
            self._restore_selection(selected)
            self._restore_scroll(scroll_anchor, old_scroll)
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

    def set_sections(self, sections: list[tuple[int, str, str]]) -> None:
        """Headings (time, question key, title) that split the transcript where each guide question was
        asked. Dragging a heading onto another line asks to move it there (`section_requested`)."""
        sections = sorted(sections)
        if sections != self._sections:
            self._sections = sections
            self.set_transcript(self._segments, self._speakers)

    def set_untranscribed(self, spans: list[UntranscribedSpan]) -> None:
        """Speech the model gave no words for, each shown as a line in its place with a retry."""
        if spans != self._untranscribed:
            self._untranscribed = list(spans)
            self.set_transcript(self._segments, self._speakers)

    def set_quotes(self, quotes: list[Quote], colours: dict[int, QColor]) -> None:
        """Tint the words of each quote in its colour (`colours` by quote id)."""
        self._quotes, self._quote_colours = list(quotes), dict(colours)
        self._index_quotes()

    def quote_at_cursor(self) -> int | None:
        """The id of the quote holding the word at the caret, if any."""
        word = self._index.word_at(self.textCursor().position())
        return None if word is None else self._word_quotes.get(word)

    def quote_range(self, quote_id: int) -> tuple[int, int] | None:
        """The document range from a quote's first word to its last; None if none of its words is shown."""
        words = sorted(word for word, quote in self._word_quotes.items() if quote == quote_id)
        return (self._index.word_starts[words[0]], self._index.word_ends[words[-1]]) if words else None

    def word_selection(self) -> WordSelection | None:
        """The selected words with their text, time span and main speaker; None when nothing is selected."""
        keys = self.selected_words()
        if not keys:
            return None
        first = self._index.first_words[self._index.rows[keys[0][0]]] + keys[0][1]
        words = range(first, first + len(keys))
        rows = [self._index.rows[segment_id] for segment_id, _ in keys]
        speakers = Counter(self._index.segment_speakers[row] for row in rows)
        segments = {segment.id: segment for segment in self._segments}
        text = " ".join(segments[segment_id].words[index].text.strip() for segment_id, index in keys)
        return WordSelection(
            words=keys,
            text=text,
            start_ms=min(self._index.word_start_ms[word] for word in words),
            end_ms=max(self._index.word_end_ms[word] for word in words),
            speaker_id=speakers.most_common(1)[0][0],
        )

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
        row = self._index.rows[segment_id]
        word = self._index.first_words[row] + word_index
        if (
            word_index < 0
            or word >= len(self._index.word_keys)
            or self._index.word_keys[word][0] != segment_id
        ):
            raise IndexError(f"segment {segment_id} has no word {word_index}")
        return self._index.word_starts[word], self._index.word_ends[word]

    def selected_words(self) -> list[tuple[int, int]]:
        """(segment_id, word_index) of every word the selection touches, in reading order."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return []
        first = bisect_right(self._index.word_ends, cursor.selectionStart())
        last = bisect_left(self._index.word_starts, cursor.selectionEnd())
        return self._index.word_keys[first:last]

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
        if row is None:
            return menu
        segment_id = self._index.segment_ids[row]
        word = self._index.word_at(document_position)
        word_index = self._index.word_keys[word][1] if word is not None else None
        first_standard = menu.actions()[0] if menu.actions() else None

        edit = QAction("Edit text…", menu)
        edit.triggered.connect(lambda: self.edit_requested.emit(segment_id))
        split = QAction("Split here", menu)
        split.setEnabled(bool(word_index))
        split.setToolTip("Start a new segment at the word under the mouse")
        split.triggered.connect(lambda: self.split_requested.emit(segment_id, word_index))
        merge = QAction("Merge with next", menu)
        merge.setEnabled(row + 1 < len(self._index.segment_ids))
        merge.triggered.connect(lambda: self.merge_requested.emit(segment_id))
        delete = QAction("Delete segment…", menu)
        delete.triggered.connect(lambda: self.delete_requested.emit(segment_id))
        menu.insertActions(first_standard, [edit, split, merge, delete])

        speakers = QMenu("Change speaker", menu)
        current = self._index.segment_speakers[row]
        for speaker in self._speakers:
            action = speakers.addAction(speaker.name)
            action.setCheckable(True)
            action.setChecked(speaker.id == current)
            action.setEnabled(speaker.id != current)
            action.triggered.connect(
                lambda _checked=False, speaker_id=speaker.id: self.reassign_requested.emit(
                    segment_id, speaker_id
                )
            )
        speakers.setEnabled(bool(self._speakers))
        menu.insertMenu(first_standard, speakers)
        selected = self.selected_words()
        if selected:
            said_by = QMenu("Selected words are said by", menu)
            for speaker in self._speakers:
                said_by.addAction(speaker.name).triggered.connect(
                    lambda _checked=False, speaker_id=speaker.id: self.reassign_words_requested.emit(
                        selected, speaker_id
                    )
                )
            menu.insertMenu(first_standard, said_by)

        asked = QMenu("Question asked here", menu)
        asked.setToolTip(
            "Start the section of a guide question at this segment (moves it if it is elsewhere)"
        )
        start_ms = self._index.segment_starts_ms[row]
        for key, label in self._questions:
            asked.addAction(label).triggered.connect(
                lambda _checked=False, key=key: self.section_requested.emit(start_ms, key)
            )
        asked.setEnabled(bool(self._questions))
        menu.insertMenu(first_standard, asked)
        menu.insertSeparator(first_standard)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
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
        over_heading = self._heading_at(event.position().toPoint()) is not None
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
        if pressed is not None and block.position() in self._untranscribed_blocks:
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
            # Colours and column widths are baked into the document; build it again for the new look.
            self.set_transcript(self._segments, self._speakers)

    def _render(self, first_row: int = 0) -> None:
        """Lay the segments out from `first_row` on: 0 builds the document anew, more appends to it (live
        transcription adds segments at the end, and appending keeps a long transcript's refresh short)."""
        document = self.document()
        if first_row == 0:
            document.clear()
            self._index = _Index()
            self._heading_keys = {}
            self._untranscribed_blocks = set()
            if not self._segments:
                return
            self._look = self._make_look()
        look, index = self._look, self._index
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        sections = iter(self._sections_from(first_row))
        section = next(sections, None)
        gaps = iter(self._untranscribed if first_row == 0 else [])
        gap = next(gaps, None)
        previous_speaker = self._segments[first_row - 1].speaker_id if first_row else None
        for row in range(first_row, len(self._segments)):
            segment = self._segments[row]
            heading = None
            while section is not None and section[0] <= segment.start_ms:
                heading, section = section, next(sections, None)
            if heading is not None:
                self._insert_heading(cursor, heading, first_block=row == 0)
            after_line = heading is not None
            while gap is not None and gap.start_ms <= segment.start_ms:
                self._insert_untranscribed(cursor, gap, first_block=row == 0 and not after_line)
                after_line, gap = True, next(gaps, None)
            new_turn = after_line or row == 0 or segment.speaker_id != previous_speaker
            previous_speaker = segment.speaker_id
            block_format = look.turn if new_turn else look.continued
            if row or after_line:
                cursor.insertBlock(block_format, look.plain)
            else:
                cursor.setBlockFormat(block_format)
            index.segment_ids.append(segment.id)
            index.segment_starts_ms.append(segment.start_ms)
            index.segment_speakers.append(segment.speaker_id)
            index.segment_channels.append(segment.channel)
            index.block_positions.append(cursor.position())
            cursor.insertText(clock(segment.start_ms), look.timestamp)
            cursor.insertText("\t", look.plain)
            if new_turn and segment.speaker_id in look.names:
                cursor.insertText(look.names[segment.speaker_id], look.name_formats[segment.speaker_id])
            cursor.insertText("\t", look.plain)
            position = cursor.position()
            index.text_positions.append(position)
            index.first_words.append(len(index.word_keys))
            words = [" ".join(word.text.split()) for word in segment.words]
            for word_index, (word, spoken) in enumerate(zip(words, segment.words, strict=True)):
                index.word_starts.append(position)
                position += _utf16_length(word)
                index.word_ends.append(position)
                position += 1
                index.word_keys.append((segment.id, word_index))
                index.word_start_ms.append(spoken.start_ms)
                index.word_end_ms.append(spoken.end_ms)
            cursor.insertText(" ".join(words) if words else " ".join(segment.text.split()), look.plain)
        while gap is not None:  # speech after the last segment
            self._insert_untranscribed(cursor, gap, first_block=False)
            gap = next(gaps, None)
        cursor.endEditBlock()
        index.finish()

    def _extends(self, segments: list[Segment], speakers: list[Speaker]) -> bool:
        """Whether `segments` are the ones shown plus more at the end, drawn with the same look."""
        shown = self._segments
        return (
            self._look is not None
            and len(segments) > len(shown) > 0
            and speakers == self._speakers
            and segments[: len(shown)] == shown
            and _clock_shape(max(segment.start_ms for segment in segments)) == self._look.time_pattern
        )

    def _sections_from(self, first_row: int) -> list[tuple[int, str, str]]:
        """The headings that go before rows `first_row` onwards."""
        if first_row == 0:
            return self._sections
        after = self._segments[first_row - 1].start_ms
        return [section for section in self._sections if section[0] > after]

    def _insert_heading(self, cursor: QTextCursor, section: tuple[int, str, str], first_block: bool) -> None:
        _at_ms, key, title = section
        if first_block:
            cursor.setBlockFormat(self._look.heading_block)
            cursor.setCharFormat(self._look.heading)
        else:
            cursor.insertBlock(self._look.heading_block, self._look.heading)
        self._heading_keys[cursor.block().position()] = key
        cursor.insertText(title, self._look.heading)

    def _insert_untranscribed(self, cursor: QTextCursor, span: UntranscribedSpan, first_block: bool) -> None:
        if first_block:
            cursor.setBlockFormat(self._look.heading_block)
        else:
            cursor.insertBlock(self._look.heading_block, self._look.heading)
        self._untranscribed_blocks.add(cursor.block().position())
        cursor.insertText(f"[untranscribed {span.times} — Retry]", self._look.heading)

    def _heading_at(self, point: QPoint) -> str | None:
        """The question key of the section heading under viewport `point`, if it is over one."""
        if not self._heading_keys:
            return None
        block = self.document().findBlock(self.cursorForPosition(point).position())
        return self._heading_keys.get(block.position())

    def _index_quotes(self) -> None:
        """Find each quote's words (middle inside its stretch, on its channel) and build their tints."""
        index = self._index
        self._word_quotes = {}
        base = self.palette().color(QPalette.ColorRole.Base)
        alpha = QUOTE_TINT_ALPHA_DARK if base.lightnessF() < 0.5 else QUOTE_TINT_ALPHA_LIGHT
        self._quote_selections = []
        for quote in self._quotes:
            low = bisect_left(index.time_starts, quote.start_ms - LONGEST_WORD_MS)
            high = bisect_right(index.time_starts, quote.end_ms)
            words = sorted(
                word
                for word in index.by_time[low:high]
                if quote.start_ms
                <= (index.word_start_ms[word] + index.word_end_ms[word]) // 2
                <= quote.end_ms
                and (quote.channel is None or index.segment_channels[self._row_of(word)] == quote.channel)
            )
            tint = QColor(self._quote_colours.get(quote.id, self.palette().color(QPalette.ColorRole.Mid)))
            tint.setAlphaF(alpha)
            quote_format = QTextCharFormat()
            quote_format.setBackground(tint)
            for word in words:
                self._word_quotes[word] = quote.id
            # One tint per run of words in the same segment, so the spaces between them are tinted too.
            for _row, run in groupby(words, key=self._row_of):
                run = list(run)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = QTextCursor(self.document())
                selection.cursor.setPosition(index.word_starts[run[0]])
                selection.cursor.setPosition(index.word_ends[run[-1]], QTextCursor.MoveMode.KeepAnchor)
                selection.format = quote_format
                self._quote_selections.append(selection)
        self._show_extra_selections()

    def _row_of(self, word: int) -> int:
        return self._index.rows[self._index.word_keys[word][0]]

    def _show_extra_selections(self) -> None:
        """Quote tints, with the word being played on top."""
        selections = list(self._quote_selections)
        if self._highlighted is not None:
            playing = QTextEdit.ExtraSelection()
            playing.cursor = self._word_cursor(self._highlighted)
            playing.format = self._highlight_format
            selections.append(playing)
        self.setExtraSelections(selections)

    def _make_look(self) -> _Look:
        """Colours and column layout for the current palette, font, speakers and transcript length.

        Tab stops after the time and name columns, and a hanging indent as wide as both, line the words of
        every paragraph up in one column.
        """
        palette = self.palette()
        base, text = palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)
        highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        highlight.setAlphaF(HIGHLIGHT_ALPHA_DARK if base.lightnessF() < 0.5 else HIGHLIGHT_ALPHA_LIGHT)
        self._highlight_format = QTextCharFormat()
        self._highlight_format.setBackground(highlight)
        plain = QTextCharFormat()
        plain.setForeground(text)
        timestamp = QTextCharFormat()
        timestamp.setForeground(mix(text, base, TIMESTAMP_FADE))
        heading = QTextCharFormat()
        heading.setFontWeight(QFont.Weight.Bold)
        heading.setForeground(text)
        font = self.document().defaultFont()
        bold = QFont(font)
        bold.setBold(True)
        metrics, bold_metrics = QFontMetricsF(font), QFontMetricsF(bold)
        em = metrics.horizontalAdvance("M")
        time_pattern = _clock_shape(max(segment.start_ms for segment in self._segments))
        time_column = metrics.horizontalAdvance(time_pattern) + em
        names = {
            speaker.id: bold_metrics.elidedText(
                speaker.name, Qt.TextElideMode.ElideRight, NAME_COLUMN_MAX_EM * em
            )
            for speaker in self._speakers
        }
        name_column = max((bold_metrics.horizontalAdvance(name) for name in names.values()), default=0) + em
        colours = distinct_colours(len(self._speakers), palette)
        name_formats = {}
        for speaker, colour in zip(self._speakers, colours, strict=True):
            name_format = QTextCharFormat()
            name_format.setFontWeight(QFont.Weight.Bold)
            name_format.setForeground(colour)
            name_formats[speaker.id] = name_format
        gutter = time_column + name_column
        turn = QTextBlockFormat()
        turn.setLeftMargin(gutter)
        turn.setTextIndent(-gutter)
        turn.setTabPositions(
            [
                QTextOption.Tab(time_column, QTextOption.TabType.LeftTab),
                QTextOption.Tab(gutter, QTextOption.TabType.LeftTab),
            ]
        )
        turn.setTopMargin(metrics.lineSpacing() * 0.6)
        continued = QTextBlockFormat(turn)
        continued.setTopMargin(metrics.lineSpacing() * 0.15)
        heading_block = QTextBlockFormat()
        heading_block.setTopMargin(metrics.lineSpacing() * 1.2)
        heading_block.setBottomMargin(metrics.lineSpacing() * 0.1)
        return _Look(
            plain, timestamp, heading, name_formats, names, turn, continued, heading_block, time_pattern
        )

    def _time_at(self, position: int) -> int | None:
        """What a click at document `position` seeks to: the word's start, else its segment's start."""
        word = self._index.word_at(position)
        if word is not None:
            return self._index.word_start_ms[word]
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

    def _block_top(self, position: int) -> float:
        block = self.document().findBlock(position)
        return self.document().documentLayout().blockBoundingRect(block).top()

    def _scroll_anchor(self) -> tuple[int, float] | None:
        """The segment at the top of the viewport and how far the view is scrolled past its top."""
        row = self._index.segment_at(self.cursorForPosition(QPoint(0, 0)).position())
        if row is None:
            return None
        top = self._block_top(self._index.block_positions[row])
        return self._index.segment_ids[row], self.verticalScrollBar().value() - top

    def _restore_scroll(self, anchor: tuple[int, float] | None, old_value: int) -> None:
        bar = self.verticalScrollBar()
        if anchor is None or anchor[0] not in self._index.rows:
            bar.setValue(old_value)
            return
        segment_id, past_top = anchor
        bar.setValue(
            round(self._block_top(self._index.block_positions[self._index.rows[segment_id]]) + past_top)
        )

    def _restore_selection(self, words: list[tuple[int, int]]) -> None:
        """Select the same words again (widened to whole words) if they are still there."""
        if not words:
            return
        keys = {key: word for word, key in enumerate(self._index.word_keys)}
        first, last = keys.get(words[0]), keys.get(words[-1])
        if first is None or last is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._index.word_starts[first])
        cursor.setPosition(self._index.word_ends[last], QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)


def distinct_colours(count: int, palette: QPalette) -> list[QColor]:
    """`count` distinct colours (speaker names, guide questions), starting from the palette's highlight
    hue, readable on its base."""
    base = palette.color(QPalette.ColorRole.Base)
    hue = palette.color(QPalette.ColorRole.Highlight).hslHueF()
    start = hue if hue >= 0 else 0.58
    lightness = 0.7 if base.lightnessF() < 0.5 else 0.38
    return [
        readable(QColor.fromHslF((start + turn * GOLDEN_TURN) % 1.0, 0.7, lightness), base)
        for turn in range(count)
    ]


def readable(colour: QColor, background: QColor) -> QColor:
    """`colour`, made lighter or darker (away from `background`) until it reaches MIN_CONTRAST."""
    step = 0.04 if background.lightnessF() < 0.5 else -0.04
    hue, saturation, lightness, _alpha = colour.getHslF()
    adjusted = QColor(colour)
    while contrast(adjusted, background) < MIN_CONTRAST and 0.0 < lightness < 1.0:
        lightness = min(max(lightness + step, 0.0), 1.0)
        adjusted = QColor.fromHslF(hue, saturation, lightness)
    return adjusted


def contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: QColor, other: QColor, amount: float) -> QColor:
    """`colour` moved `amount` (0..1) of the way towards `other`."""
    return QColor.fromRgbF(
        colour.redF() + (other.redF() - colour.redF()) * amount,
        colour.greenF() + (other.greenF() - colour.greenF()) * amount,
        colour.blueF() + (other.blueF() - colour.blueF()) * amount,
    )


def _luminance(colour: QColor) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def _clock_shape(ms: int) -> str:
    """The timestamp of `ms` with every digit a 0: the widest digit run the time column must hold."""
    return "".join("0" if character.isdigit() else character for character in clock(ms))


def _utf16_length(text: str) -> int:
    """Document positions count UTF-16 code units: a character outside the BMP (an emoji) takes two."""
    return len(text.encode("utf-16-le")) // 2
