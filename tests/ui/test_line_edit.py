"""Correcting a line as a user does: the real "Edit text…" menu action or F2, then keys in the real dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.ui.line_edit_dialog import MIN_LINES, LineEditDialog
from app.ui.workspace import Workspace
from tests.ui.helpers import answer_modal, word_point
from tests.ui.test_transcript_view import action


@pytest.fixture
def window(guided_window):
    return guided_window


def edit_from_menu(window: Workspace, segment_index: int) -> None:
    segment = window.library.transcripts.segments(window.current_interview)[segment_index]
    menu = window.transcript.context_menu(word_point(window.transcript, segment.id, 1))
    action(menu, "Edit text…").trigger()


def test_enter_saves_the_corrected_line(window):
    segment = window.library.transcripts.segments(window.current_interview)[3]

    def type_and_enter(dialog: LineEditDialog) -> None:
        QTest.keyClicks(dialog.editor, " and two more")  # the caret starts at the end
        QTest.keyClick(dialog.editor, Qt.Key.Key_Return)

    met = answer_modal(LineEditDialog, type_and_enter)
    edit_from_menu(window, 3)
    assert [dialog.windowTitle() for dialog in met] == ["Edit text"]
    assert window.library.transcripts.segment(segment.id).text == segment.text + " and two more"
    assert "and two more" in window.transcript.toPlainText()


def test_shift_enter_breaks_the_line_and_escape_cancels(window):
    segment = window.library.transcripts.segments(window.current_interview)[3]
    seen = {}

    def break_then_escape(dialog: LineEditDialog) -> None:
        QTest.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        QTest.keyClicks(dialog.editor, "second line")
        seen["text"], seen["open"] = dialog.text(), dialog.isVisible()
        QTest.keyClick(dialog.editor, Qt.Key.Key_Escape)

    answer_modal(LineEditDialog, break_then_escape)
    edit_from_menu(window, 3)
    assert seen == {"text": segment.text + "\nsecond line", "open": True}, "Shift+Enter does not save"
    assert window.library.transcripts.segment(segment.id).text == segment.text, "Esc changes nothing"


LONG_LINE = (
    "The night shift fell apart. Two people called in sick on a Friday, and no manager knew who could cover, "
    "because the schedule lived in one big spreadsheet that only the branch office could open, so we phoned "
    "around until midnight and still had a truck waiting at the dock in the morning."
)


def test_f2_edits_the_line_under_the_caret_in_a_dialog_sized_to_its_text(qtbot, window):
    longest = window.library.transcripts.segments(window.current_interview)[3]
    window.history.apply(lambda: window.editor.correct_text(longest.id, LONG_LINE))
    segments = window.library.transcripts.segments(window.current_interview)
    start, _ = window.transcript.word_range(longest.id, 0)
    cursor = window.transcript.textCursor()
    cursor.setPosition(start)
    window.transcript.setTextCursor(cursor)
    window.transcript.setFocus()
    sizes = {}

    def measure_and_cancel(dialog: LineEditDialog) -> None:
        editor = dialog.editor
        line = editor.fontMetrics().lineSpacing()
        sizes["lines"] = editor.height() / line
        sizes["scrolls"] = editor.verticalScrollBar().maximum() > 0
        sizes["width"] = dialog.width()
        sizes["sideways"] = editor.horizontalScrollBar().isVisible()
        QTest.keyClick(editor, Qt.Key.Key_Escape)

    met = answer_modal(LineEditDialog, measure_and_cancel)
    QTest.keyClick(window.transcript, Qt.Key.Key_F2)
    assert len(met) == 1
    assert sizes["lines"] >= MIN_LINES, "several lines, not one sideways-scrolling field"
    assert not sizes["scrolls"] and not sizes["sideways"], "the whole line is in view"
    assert sizes["width"] <= 1366, "fits a small laptop screen"
    assert window.library.transcripts.segments(window.current_interview) == segments
