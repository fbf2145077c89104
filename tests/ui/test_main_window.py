"""The main window end to end: real widgets offscreen, a real library on disk, the real worker and model."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest

from app.domain.interview import JobState
from app.guides import builtin_guides
from app.library import Library
from app.resources import resource_path
from app.services.importing import import_recording
from app.services.tagging import Tagger
from app.ui.line_edit_dialog import LineEditDialog
from app.ui.workspace import Workspace
from tests.ui.helpers import answer_modal, menu_action, turns, word_point

JOB_TIMEOUT_MS = 300_000


def drop(window: Workspace, paths: list[Path]) -> None:
    """A real drop event through the window's handler, as when files are dragged from a file manager."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.window.dropEvent(event)


def finished(qtbot, window: Workspace, state: str = "done"):
    return qtbot.waitSignal(
        window.queue.job_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda _id, s, _e: s == state
    )


def test_dropping_files_imports_the_good_ones_reports_the_bad_and_transcribes(
    qtbot, window, speech, tmp_path
):
    notes = tmp_path / "notes.mp3"
    notes.write_text("not a recording")
    with finished(qtbot, window):
        drop(window, [speech / "jfk.flac", notes])
    qtbot.waitUntil(lambda: hasattr(window, "import_report"))
    assert "notes.mp3: is not an audio or video file" in window.import_report.informativeText()
    assert window.library.interviews.count() == 1
    window.open_interview(1)
    shown = " ".join(words for _name, words in turns(window.transcript))
    assert "ask not what your country can do for you" in shown.replace(",", "")  # across speaker turns


def test_clicking_a_word_moves_the_player_there(qtbot, window, speech):
    with finished(qtbot, window):
        drop(window, [speech / "jfk.flac"])
    window.open_interview(1)
    word = next(w for s in window.library.transcripts.segments(1) for w in s.words if "country" in w.text)
    window.transcript.word_clicked.emit(word.start_ms)  # what a click on it emits (see test_transcript_view)
    qtbot.waitUntil(lambda: abs(window.player.position - word.start_ms) <= 100)


def test_editing_text_is_saved_before_undo_and_undo_restores_it(qtbot, window, speech):
    with finished(qtbot, window):
        drop(window, [speech / "jfk.flac"])
    window.open_interview(1)
    # (the segment that has the word: segments are cut into turns and pauses, not one per clip)
    segment = next(s for s in window.library.transcripts.segments(1) if "Americans" in s.text)
    corrected = segment.text.replace("Americans", "citizens")

    def retype(dialog: LineEditDialog) -> None:
        dialog.editor.selectAll()
        QTest.keyClicks(dialog.editor, corrected)
        QTest.keyClick(dialog.editor, Qt.Key.Key_Return)

    answer_modal(LineEditDialog, retype)
    qtbot.mouseDClick(
        window.transcript.viewport(), Qt.MouseButton.LeftButton, pos=word_point(window.transcript, segment.id, 1)
    )
    with Library.open(window.library.root) as other:
        assert other.transcripts.segment(segment.id).text == corrected
    assert "citizens" in window.transcript.toPlainText()
    window.undo_action.trigger()
    assert window.library.transcripts.segment(segment.id).text == segment.text
    assert "Americans" in window.transcript.toPlainText()
    window.redo_action.trigger()
    assert window.library.transcripts.segment(segment.id).text == corrected


def test_renaming_and_swapping_speakers_update_view_and_library(qtbot, window, speech):
    with finished(qtbot, window):
        drop(window, [speech / "stereo_diarization.wav"])
    window.open_interview(1)
    interviewer, customer = window.library.transcripts.speakers(1)
    window.history.apply(lambda: window.editor.rename_speaker(customer.id, "Dana (customer)"))
    assert "Dana (customer)" in window.transcript.toPlainText()
    window.history.apply(lambda: window.editor.swap_speakers(interviewer.id, customer.id))
    names = {s.channel: s.name for s in window.library.transcripts.speakers(1)}
    assert names == {0: "Dana (customer)", 1: "Interviewer"}
    said_by = next(name for name, words in turns(window.transcript) if "complaint" in words)
    assert said_by == "Dana (customer)"  # the left channel's words now carry the customer's name
    window.undo_action.trigger()
    assert {s.channel: s.name for s in window.library.transcripts.speakers(1)} == {
        0: "Interviewer",
        1: "Dana (customer)",
    }


def test_cancelling_a_running_job_keeps_the_partial_transcript(qtbot, window):
    with Library.open(window.library.root) as own:
        interview_id = import_recording(own, resource_path("demo/interview.flac")).interview.id
    window.reload_interviews()
    window.open_interview(interview_id)
    with qtbot.waitSignal(window.queue.segment_committed, timeout=JOB_TIMEOUT_MS):
        window.transcribe_selected()
    with finished(qtbot, window, JobState.CANCELLED.value):
        window._cancel_current()
    kept = window.library.transcripts.segments(interview_id)
    assert kept
    window._refresh_transcript()
    assert kept[0].text.split()[0] in window.transcript.toPlainText()
    assert window.library.jobs.latest_for(interview_id).state is JobState.CANCELLED


def test_space_plays_and_pauses(qtbot, window, speech, tmp_path):
    clip = tmp_path / "call.flac"
    shutil.copy(speech / "jfk.flac", clip)
    with Library.open(window.library.root) as own:
        import_recording(own, clip)
    window.reload_interviews()
    window.open_interview(1)
    window.transcript.setFocus()
    qtbot.keyClick(window.transcript, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.player.playing)
    qtbot.keyClick(window.transcript, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.player.playing)


def test_a_search_hit_opens_its_interview_and_plays_from_the_phrase(qtbot, window, speech):
    with finished(qtbot, window):
        drop(window, [speech / "jfk.flac"])
    other = import_recording(window.library, speech / "digits_10001-90210-01803.wav").interview.id
    window.reload_interviews()
    window.open_interview(other)
    spoken = next(w for s in window.library.transcripts.segments(1) for w in s.words if "fellow" in w.text)
    next(a for a in window.window.actions() if a.text() == "&Search all interviews").trigger()
    assert window.search.query.hasFocus()
    with qtbot.waitSignal(window.search.results_shown, timeout=10_000):
        qtbot.keyClicks(window.search.query, "fellow Americans")
        qtbot.keyClick(window.search.query, Qt.Key.Key_Return)
    assert window.current_interview == 1
    qtbot.waitUntil(lambda: window.player.playing)
    qtbot.waitUntil(lambda: abs(window.player.position - spoken.start_ms) <= 1000)


def test_a_board_quote_opens_its_interview_and_plays_from_it(qtbot, window, speech):
    with finished(qtbot, window):
        drop(window, [speech / "jfk.flac"])
    guide = builtin_guides()[0]
    tagger = Tagger(window.library)
    tagger.use_guide(1, guide)
    segment = window.library.transcripts.segments(1)[-1]
    quote = tagger.quote_words(
        1, [(segment.id, 0), (segment.id, 1)], question_key=guide.questions[0].key
    ).quote
    other = import_recording(window.library, speech / "digits_10001-90210-01803.wav").interview.id
    window.reload_interviews()
    window.open_interview(other)
    window.board.refresh()  # tagged through the service above, not the window, which would refresh it
    menu_action(window.window, "View", "Board").trigger()
    qtbot.waitUntil(lambda: window.board.model.board is not None and window.board.model.rowCount() > 0)
    window.board.grid.setCurrentIndex(window.board.model.index(0, 0))
    window.board.grid.setFocus()
    qtbot.keyClick(window.board.grid, Qt.Key.Key_Return)
    assert window.current_interview == 1
    qtbot.waitUntil(lambda: window.player.playing)
    qtbot.waitUntil(lambda: abs(window.player.position - quote.start_ms) <= 1000)
