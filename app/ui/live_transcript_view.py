"""The transcript of the call being recorded, growing as the live transcriber keeps each line.

Lines arrive on the live transcript's thread; `LiveRelay` carries them to the GUI thread as queued signals,
so the window never waits for transcription. Each line is appended (never a re-render): its time, who said
it (Interviewer / Customer, by channel) and the words. A question stamped during the call heads the first
line said after it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from app.domain.timecode import clock
from app.services.live_transcript import LiveLine
from app.transcription.messages import LiveProgress

BEHIND_NOTICE_MS = 10_000
"""Say the transcript is behind once it trails the recording by this much (the recording is unaffected)."""
_ROLE_COLOURS = {"interviewer": "#1565c0", "customer": "#2e7d32"}


class LiveRelay(QObject):
    """Signals emitted from the live transcript's thread and delivered on the GUI thread."""

    line = Signal(object)
    progress = Signal(object)


class LiveTranscriptView(QTextEdit):
    """Read-only; follows the newest line unless the user scrolled up to read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setPlaceholderText("The transcript appears here a few seconds after each thing said.")
        self._headings: list[tuple[int, str]] = []
        self.lines = 0

    def clear_transcript(self) -> None:
        self.clear()
        self._headings.clear()
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
        parts.append(
            f'<span style="color:#777">{clock(segment.start_ms)}</span>&nbsp; {who}{html.escape(segment.text)}'
        )
        bar = self.verticalScrollBar()
        following = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        for part in parts:  # one paragraph each: a heading, then the line
            if not self.document().isEmpty():
                cursor.insertBlock()
            cursor.insertHtml(part)
        self.lines += 1
        if following:
            bar.setValue(bar.maximum())


def behind_notice(progress: LiveProgress) -> str:
    """What to tell the user when the transcript trails the recording; empty while it keeps up."""
    if progress.behind_ms < BEHIND_NOTICE_MS:
        return ""
    return (
        f"The live transcript is {progress.behind_ms // 1000} s behind (the computer is busy); the recording "
        "is complete and the transcript catches up after Stop."
    )
