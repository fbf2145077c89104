"""Writes a transcript into a QTextDocument as turns and paragraphs, recording every word in a `WordIndex`.

Each turn is a paragraph under a line with the speaker's name and a quieter timestamp; the same speaker
going on after a pause of PARAGRAPH_PAUSE_MS or more starts a new paragraph without a new name line.
Section headings (where a guide question was asked; suggested ones fainter) and untranscribed speech are
lines of their own. The
document is built with QTextCursor rather than HTML so that no transcript text is ever parsed as markup.
"""

from __future__ import annotations

from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from app.domain.timecode import clock
from app.domain.transcript import Segment, UntranscribedSpan
from app.domain.word_index import WordIndex
from app.ui.transcript_look import TranscriptLook

# The same speaker going on after a pause this long starts a new paragraph (no new name line).
PARAGRAPH_PAUSE_MS = 2000


class TranscriptLayout:
    """What was written where: the word index, section heading blocks and untranscribed lines."""

    def __init__(self, document: QTextDocument, look: TranscriptLook) -> None:
        self.document = document
        self.look = look
        self.index = WordIndex()
        self.heading_keys: dict[int, str] = {}
        """Where each section heading's block starts in the document → its question key."""
        self.untranscribed_blocks: set[int] = set()
        """Where each untranscribed line's block starts in the document (a click there retries)."""
        self._last: Segment | None = None
        """The segment whose paragraph ends the document, if one does (a line written after it does not)."""

    def write(
        self,
        segments: list[Segment],
        first_row: int,
        sections: list[tuple[int, str, str, bool]],
        untranscribed: list[UntranscribedSpan],
    ) -> None:
        """Append `segments[first_row:]` (with the sections and untranscribed lines that go before them)
        to the document, which holds `segments[:first_row]` already."""
        look, index = self.look, self.index
        cursor = QTextCursor(self.document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        sections_left = iter(sections)
        section = next(sections_left, None)
        gaps = iter(untranscribed)
        gap = next(gaps, None)
        previous = self._last if first_row else None
        for segment in segments[first_row:]:
            while section is not None and section[0] <= segment.start_ms:
                _at_ms, key, title, suggested = section
                self._line(cursor, title, self.look.suggested_heading if suggested else self.look.heading)
                if not suggested:  # a suggestion is accepted or rejected in review mode, not dragged
                    self.heading_keys[cursor.block().position()] = key
                section, previous = next(sections_left, None), None
            while gap is not None and gap.start_ms <= segment.start_ms:
                self._untranscribed(cursor, gap)
                gap, previous = next(gaps, None), None
            new_turn = previous is None or segment.speaker_id != previous.speaker_id
            if new_turn:
                self._block(cursor, look.header_block, look.plain)
                segment_position = cursor.position()
                if segment.speaker_id in look.names:
                    cursor.insertText(look.names[segment.speaker_id], look.name_formats[segment.speaker_id])
                    cursor.insertText("\u2003", look.plain)
                cursor.insertText(clock(segment.start_ms), look.timestamp)
            if new_turn or segment.start_ms - previous.end_ms >= PARAGRAPH_PAUSE_MS:
                self._block(cursor, look.paragraph_block, look.plain)
                if not new_turn:
                    segment_position = cursor.position()
            else:
                cursor.insertText(" ", look.plain)
                segment_position = cursor.position()
            cursor.insertText(index.add_segment(segment, segment_position, cursor.position()), look.plain)
            previous = segment
        self._last = previous
        while gap is not None:  # speech after the last segment
            self._untranscribed(cursor, gap)
            gap, self._last = next(gaps, None), None
        cursor.endEditBlock()
        index.finish()

    def _block(
        self, cursor: QTextCursor, block_format: QTextBlockFormat, char_format: QTextCharFormat
    ) -> None:
        """Start a block: the document's first one is already there, empty."""
        if self.document.isEmpty():
            cursor.setBlockFormat(block_format)
            cursor.setCharFormat(char_format)
        else:
            cursor.insertBlock(block_format, char_format)

    def _line(self, cursor: QTextCursor, text: str, char_format: QTextCharFormat | None = None) -> None:
        char_format = char_format or self.look.heading
        self._block(cursor, self.look.heading_block, char_format)
        cursor.insertText(text, char_format)

    def _untranscribed(self, cursor: QTextCursor, span: UntranscribedSpan) -> None:
        self._line(cursor, f"[untranscribed {span.times} — Retry]")
        self.untranscribed_blocks.add(cursor.block().position())
