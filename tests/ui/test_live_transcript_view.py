"""The Record dialog's live transcript: selected words map to their times, and quoted words stay readable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor

from app.domain.colours import AA_TEXT, contrast
from app.domain.transcript import SpeakerRole, TranscribedSegment, Word
from app.services.live_transcript import LiveLine
from app.ui.colours import rgb
from app.ui.live_transcript_view import LiveTranscriptView


def _line(channel: int, start_ms: int, text: str) -> LiveLine:
    words = tuple(
        Word(start_ms + i * 500, start_ms + i * 500 + 400, f" {w}", 0.9) for i, w in enumerate(text.split())
    )
    role = (SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER)[channel]
    return LiveLine(TranscribedSegment(start_ms, words[-1].end_ms, text, words, channel), role)


def _select(view: LiveTranscriptView, phrase: str) -> None:
    found = view.document().find(phrase)
    cursor = QTextCursor(view.document())
    cursor.setPosition(found.selectionStart())
    cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


@pytest.fixture
def view(qtbot) -> LiveTranscriptView:
    view = LiveTranscriptView()
    qtbot.addWidget(view)
    view.add_line(_line(0, 0, "What made you start looking?"))
    view.add_heading(2500, "Q1 To start, tell me a little about your work.")
    view.add_line(_line(1, 3000, "The night shift fell apart and the spreadsheet failed us"))
    return view


def test_selected_words_are_their_times_and_their_speakers_channel(view):
    _select(view, "shift fell apart")
    selected = view.selected_words()
    assert (selected.start_ms, selected.end_ms, selected.channel) == (4000, 5400, 1)
    assert selected.text == "shift fell apart"
    _select(view, "looking?")  # both sides' words: no one channel
    cursor = view.textCursor()
    cursor.setPosition(view.document().find("night").selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selected_words().channel is None


def test_a_time_or_a_heading_alone_holds_no_words(view):
    _select(view, "Q1 To start")
    assert view.selected_words() is None
    view.setTextCursor(QTextCursor(view.document()))
    assert view.selected_words() is None  # nothing selected


@pytest.mark.parametrize("text_colour", ["#000000", "#e6e6e6"])  # a light and a dark theme's text
def test_quoted_words_are_tinted_and_readable_in_both_themes(view, text_colour):
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Text, QColor(text_colour))
    view.setPalette(palette)
    _select(view, "spreadsheet failed")
    view.show_quoted()
    assert not view.textCursor().hasSelection()
    found = view.document().find("spreadsheet")
    cursor = QTextCursor(view.document())
    cursor.setPosition(found.selectionStart() + 1)
    shown = cursor.charFormat()
    assert shown.background().style() != Qt.BrushStyle.NoBrush, "the quoted words are tinted"
    painted = shown.foreground().style() != Qt.BrushStyle.NoBrush
    foreground = shown.foreground().color() if painted else QColor(text_colour)  # else the theme's text
    assert contrast(rgb(foreground), rgb(shown.background().color())) >= AA_TEXT
