"""After a call is transcribed: listen (play, click a word, change speed), correct a word with undo and
redo, rename and swap the speakers, and fill in the customer's details — all with the mouse and keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from app.library import Library
from tests.journeys.conftest import CALL
from tests.journeys.earful import (
    Earful,
    answering,
    click_interview,
    click_word,
    close_welcome,
    fill_in,
    menu_action,
    quit_app,
    shoot,
)
from tests.ui.helpers import turns, word_point


def test_listen_to_a_call_and_jump_to_a_word_at_another_speed(qtbot, app_settings, library_dir, screenshots):
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    click_interview(qtbot, workspace, CALL)
    assert workspace.heading.text() == CALL

    workspace.transcript.setFocus()
    qtbot.keyClick(workspace.transcript, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: workspace.player.playing)
    qtbot.keyClick(workspace.transcript, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not workspace.player.playing)

    segment = workspace.library.transcripts.segments(workspace.current_interview)[-1]
    word = len(segment.words) - 1
    click_word(qtbot, workspace, segment.id, word)
    qtbot.waitUntil(lambda: abs(workspace.player.position - segment.words[word].start_ms) <= 100)
    assert workspace.transcript.highlighted_word == (segment.id, word)

    speeds = workspace.player_bar.speed_box
    faster = speeds.itemData(speeds.currentIndex() + 1)
    qtbot.keyClick(speeds, Qt.Key.Key_Down)  # the next speed in the box
    assert workspace.player.speed == faster > 1
    assert speeds.currentText() == f"{faster:g}×"
    shoot(workspace.window, screenshots, "listening")
    quit_app(qtbot, workspace, keys=False)


def test_correct_a_word_undo_redo_rename_and_swap_speakers_and_fill_in_the_customer(
    qtbot, app_settings, library_dir, screenshots
):
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    click_interview(qtbot, workspace, CALL)
    interview = workspace.current_interview
    segment = workspace.library.transcripts.segments(interview)[0]
    first_word = segment.words[0].text.strip()
    corrected = segment.text.replace(first_word, "Northwind", 1)

    # A double-click on the words opens "Edit text"; the user types the correction and presses OK.
    with answering(qtbot, fill_in(corrected)) as dialogs:
        qtbot.mouseDClick(
            workspace.transcript.viewport(),
            Qt.MouseButton.LeftButton,
            pos=word_point(workspace.transcript, segment.id, 0),
        )
    assert dialogs == ["Edit text"]
    with Library.open(library_dir) as other:  # saved at once, not when the window closes
        assert other.transcripts.segment(segment.id).text == corrected
    assert "Northwind" in workspace.transcript.toPlainText()
    qtbot.keyClick(workspace.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workspace.library.transcripts.segment(segment.id).text == segment.text
    assert "Northwind" not in workspace.transcript.toPlainText()
    qtbot.keyClick(
        workspace.window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert workspace.library.transcripts.segment(segment.id).text == corrected

    with answering(qtbot, fill_in("Dana")):
        menu_action(workspace, "Edit", "Speakers", "Customer (customer)", "Rename…").trigger()
    names = {s.channel: s.name for s in workspace.library.transcripts.speakers(interview)}
    assert names == {0: "Interviewer", 1: "Dana"}
    assert "Dana" in workspace.transcript.toPlainText()
    menu_action(workspace, "Edit", "Speakers", "Swap Interviewer and Dana").trigger()
    assert {s.channel: s.name for s in workspace.library.transcripts.speakers(interview)} == {
        0: "Dana",
        1: "Interviewer",
    }
    left = next(s for s in workspace.library.transcripts.segments(interview) if s.channel == 0)
    said_by = next(name for name, words in turns(workspace.transcript) if left.text[:20] in words)
    assert said_by == "Dana"  # the left channel's words now carry the customer's name

    # The customer panel: typed into, saved field by field.
    details = {"customer_name": "Dana Reyes", "company": "Northwind Freight", "role": "Ops lead"}
    for field, text in details.items():
        line_edit = workspace.inspector.findChild(QLineEdit, field)
        qtbot.mouseClick(line_edit, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(line_edit, text)
        qtbot.keyClick(line_edit, Qt.Key.Key_Return)
    outcome = workspace.inspector.findChild(QComboBox, "outcome")
    outcome.setFocus()
    qtbot.keyClick(outcome, Qt.Key.Key_Down)
    notes = workspace.inspector.findChild(QPlainTextEdit, "notes")
    qtbot.mouseClick(notes.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(notes, "Follow up on pricing")
    qtbot.mouseClick(workspace.transcript.viewport(), Qt.MouseButton.LeftButton)  # focus leaves the notes
    shoot(workspace.window, screenshots, "edited_and_filled_in")
    with Library.open(library_dir) as other:
        stored = other.interviews.get(interview)
        assert {field: getattr(stored, field) for field in details} == details
        assert stored.outcome is not None
        assert stored.notes == "Follow up on pricing"
    quit_app(qtbot, workspace, keys=False)
