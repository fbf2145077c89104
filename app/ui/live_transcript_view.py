"""The transcript of the call being recorded, growing as the live transcriber keeps each line.

Lines arrive on the live transcript's thread; `LiveRelay` carries them to the GUI thread as queued signals,
so the window never waits for transcription. Each line is appended (never a re-render): its time, who said
it (Interviewer / Customer, by channel) and the words. A question stamped during the call heads the first
line said after it. Every word's place is kept in a `WordIndex`, as in the interview's transcript, so words
selected here can be quoted by their times while the call goes on.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from app.domain.timecode import clock
from app.domain.transcript import Segment
from app.domain.word_index import WordIndex
from app.services.live_transcript import LiveLine
from app.transcription.messages import LiveProgress

BEHIND_NOTICE_MS = 10_000
"""Say the transcript is behind once it trails the recording by this much (the recording is unaffected)."""
_ROLE_COLOURS = {"interviewer": "#1565c0", "customer": "#2e7d32"}
QUOTED_TINT, QUOTED_TEXT = "#fff2b3", "#1a1a1a"
"""Words quoted during the call: near-black on pale yellow in light and dark themes alike (a dark theme's
light text would not be readable on the tint)."""


@dataclass(frozen=True, slots=True)
class LiveSelection:
    """Selected words of the live transcript, by their times: what a quote needs."""

    start_ms: int
    end_ms: int
    channel: int | None
    """The one channel all the words come from, or None when they are both sides'."""
    text: str


class LiveRelay(QObject):
    """Signals emitted from the live transcript's thread and delivered on the GUI thread."""

    line = Signal(object)
    progress = Signal(object)


class LiveTranscriptView(QTextEdit):
    """Read-only; follows the newest line unless the user scrolled up to read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setPlaceholderText("The transcript appears here a few seconds after each thing said.")
        self._headings: list[tuple[int, str]] = []
        self._index = WordIndex()
        self.lines = 0

    def clear_transcript(self) -> None:
        self.clear()
        self._headings.clear()
        self._index = WordIndex()
        self.lines = 0

    def add_heading(self, at_ms: int, text: str) -> None:
        """A stamped question: shown above the first line said after it."""
        self._headings.append((at_ms, text))

    def add_line(self, line: LiveLine) -> None:
        segment = line.segment
        due = [heading for heading in self._headings if heading[0] <= segment.start_ms]
        self._headings = [heading for heading in self._headings if heading[0] > segment.start_ms]
        parts = [f"<b>{html.escape(text)}</b>" for _at, text in due]
        who = ""
        if line.role is not None:
            colour = _ROLE_COLOURS.get(line.role.value, "#444")
            who = f'<span style="color:{colour}; font-weight:600">{line.role.value.title()}:</span> '
        parts.append(f'<span style="color:#777">{clock(segment.start_ms)}</span>&nbsp; {who}')
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        for part in parts:  # one paragraph each: a heading, then the line
            if not self.document().isEmpty():
                cursor.insertBlock()
            cursor.insertHtml(part)
        # The words as plain text (never parsed as markup), each one's place recorded for quoting. A line
        # is identified by its number and "spoken" by its channel: the index needs no library ids.
        stored = Segment(
            self.lines,
            0,
            segment.start_ms,
            segment.end_ms,
            segment.text,
            segment.channel,
            segment.words,
            segment.channel,
        )
        cursor.insertText(
            self._index.add_segment(stored, cursor.position(), cursor.position()), QTextCharFormat()
        )
        self.lines += 1
        if following:
            bar.setValue(bar.maximum())

    def selected_words(self) -> LiveSelection | None:
        """The words the selection touches, or None when it holds none (nothing, a time or a heading)."""
        keys = self._selected_keys()
        if not keys:
            return None
        chosen = self._index.selection(keys)
        channels = {self._index.segment_channels[self._index.rows[line]] for line, _ in keys}
        return LiveSelection(
            chosen.start_ms, chosen.end_ms, channels.pop() if len(channels) == 1 else None, chosen.text
        )

    def show_quoted(self) -> None:
        """Tint the selected words as quoted and let the selection go, ready for the next."""
        keys = self._selected_keys()
        cursor = self.textCursor()
        tint = QTextCharFormat()
        tint.setBackground(QColor(QUOTED_TINT))
        tint.setForeground(QColor(QUOTED_TEXT))
        first = self._index.word_of(*keys[0]) if keys else 0
        for start, end in self._index.runs(list(range(first, first + len(keys)))):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(tint)
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def _selected_keys(self) -> list[tuple[int, int]]:
        """(line, word) of each word the selection touches; the index is brought up to date for them."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return []
        self._index.finish()  # its line lookup, after the lines added since
        return self._index.words_between(cursor.selectionStart(), cursor.selectionEnd())


def behind_notice(progress: LiveProgress) -> str:
    """What to tell the user when the transcript trails the recording; empty while it keeps up."""
    if progress.behind_ms < BEHIND_NOTICE_MS:
        return ""
    return (
        f"The live transcript is {progress.behind_ms // 1000} s behind (the computer is busy); the recording "
        "is complete and the transcript catches up after Stop."
    )
