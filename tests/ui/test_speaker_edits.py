"""Speaker fixes in the window: give a run of words to the right person, merge two voices, say how many
people speak; each undoable. Real widgets, a real library, and for the count the real worker and model."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from app.domain.interview import JobState
from app.services.importing import import_recording
from tests.services.test_tagging import make_interview
from tests.ui.helpers import turns

JOB_TIMEOUT_MS = 300_000


def menu_action(menu, *path: str):
    """The action reached through submenus titled `path`, as a user would click through them."""
    for title in path[:-1]:
        menu = next(
            a.menu() for a in menu.actions() if a.menu() is not None and a.text().replace("&", "") == title
        )
    return next(action for action in menu.actions() if action.text() == path[-1])


def test_selected_words_are_given_to_another_speaker_from_the_context_menu(window):
    interview = make_interview(window.library, "Northwind – ops lead")
    window.reload_interviews()
    window.open_interview(interview)
    segments = window.library.transcripts.segments(interview)
    turn = segments[3]  # the customer: "I read the pricing page and asked a few peers"
    start, _ = window.transcript.word_range(turn.id, 5)
    _, end = window.transcript.word_range(turn.id, 6)
    cursor = QTextCursor(window.transcript.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    window.transcript.setTextCursor(cursor)
    point = window.transcript.cursorRect(cursor).center()

    menu_action(window.transcript.context_menu(point), "Selected words are said by", "Interviewer").trigger()
    assert turns(window.transcript)[-3:] == [
        ("Customer", "I read the pricing page"),
        ("Interviewer", "and asked"),
        ("Customer", "a few peers"),
    ]
    assert len(window.library.transcripts.segments(interview)) == 6
    window.undo_action.trigger()
    assert window.library.transcripts.segments(interview) == segments


def test_merging_two_voices_from_the_speakers_menu_and_undo(window):
    interview = make_interview(window.library, "Northwind – ops lead")
    window.reload_interviews()
    window.open_interview(interview)
    window.speakers_menu.aboutToShow.emit()  # what opening Edit ▸ Speakers does
    menu_action(window.speakers_menu, "Interviewer (interviewer)", "Merge into", "Customer").trigger()
    assert {s.speaker_id for s in window.library.transcripts.segments(interview)} == {
        next(s.id for s in window.library.transcripts.speakers(interview) if s.name == "Customer")
    }
    assert "Interviewer" not in window.transcript.toPlainText()
    window.undo_action.trigger()
    assert "Interviewer" in window.transcript.toPlainText()


def test_the_number_of_speakers_relabels_the_call_and_undo_labels_it_as_before(qtbot, window, speech):
    interview = import_recording(window.library, speech / "ami_dev00.wav").interview.id
    window.reload_interviews()
    with qtbot.waitSignal(window.queue.job_finished, timeout=JOB_TIMEOUT_MS):
        window.queue.enqueue([interview])
    window.open_interview(interview)

    def speaking() -> int:
        return len({s.speaker_id for s in window.library.transcripts.segments(interview)})

    assert speaking() == 2
    with qtbot.waitSignal(window.queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        window.speakers_menu.aboutToShow.emit()  # what opening Edit ▸ Speakers does
        menu_action(window.speakers_menu, "Number of speakers", "1 person").trigger()
    assert finished.args[1] == JobState.DONE.value
    assert speaking() == 1
    with qtbot.waitSignal(window.queue.job_finished, timeout=JOB_TIMEOUT_MS):
        window.undo_action.trigger()
    assert speaking() == 2
