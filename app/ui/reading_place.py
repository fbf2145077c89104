"""Where the reader is in a transcript (the line at the top, the selected words), kept across a re-render.

Live transcription redraws the interview every few seconds and a segment may arrive above the reader (the
other channel's pass): the line they are reading and their selection must stay where they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit

from app.domain.word_index import WordIndex


@dataclass(frozen=True, slots=True)
class ReadingPlace:
    segment_id: int | None
    """The segment at the top of the viewport."""
    past_top: float
    """How far the view is scrolled past that segment's block."""
    scroll: int
    selected: list[tuple[int, int]]

    @classmethod
    def of(cls, view: QTextEdit, index: WordIndex, selected: list[tuple[int, int]]) -> ReadingPlace:
        row = index.segment_at(view.cursorForPosition(QPoint(0, 0)).position())
        scroll = view.verticalScrollBar().value()
        if row is None:
            return cls(None, 0.0, scroll, selected)
        top = _block_top(view, index.segment_positions[row])
        return cls(index.segment_ids[row], scroll - top, scroll, selected)

    def restore(self, view: QTextEdit, index: WordIndex) -> None:
        """Select the same words again (widened to whole words) if they are still there, and scroll the same
        segment to the top."""
        keys = {key: word for word, key in enumerate(index.word_keys)} if self.selected else {}
        first, last = (keys.get(self.selected[0]), keys.get(self.selected[-1])) if keys else (None, None)
        if first is not None and last is not None:
            cursor = QTextCursor(view.document())
            cursor.setPosition(index.word_starts[first])
            cursor.setPosition(index.word_ends[last], QTextCursor.MoveMode.KeepAnchor)
            view.setTextCursor(cursor)
        bar = view.verticalScrollBar()
        if self.segment_id not in index.rows:
            bar.setValue(self.scroll)
        else:
            top = _block_top(view, index.segment_positions[index.rows[self.segment_id]])
            bar.setValue(round(top + self.past_top))


def _block_top(view: QTextEdit, position: int) -> float:
    document = view.document()
    return document.documentLayout().blockBoundingRect(document.findBlock(position)).top()
