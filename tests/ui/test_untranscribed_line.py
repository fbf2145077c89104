"""Speech the model gave no words for is a visible line in the transcript, and a click on it retries (#18)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from app.domain.transcript import Segment, Speaker, SpeakerRole, UntranscribedSpan, Word
from app.ui.transcript_view import TranscriptView


def _segment(segment_id: int, start_ms: int, text: str) -> Segment:
    words = tuple(
        Word(start_ms + i * 400, start_ms + i * 400 + 300, w, 0.9) for i, w in enumerate(text.split())
    )
    return Segment(segment_id, 1, start_ms, words[-1].end_ms, text, 1, words, None)


def test_an_untranscribed_span_shows_in_place_and_a_click_asks_for_a_retry(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(640, 360)
    view.show()
    qtbot.waitExposed(view)
    speaker = Speaker(1, 1, "Speaker 1", SpeakerRole.OTHER, None, None)
    view.set_transcript(
        [_segment(1, 0, "we looked at three tools"), _segment(2, 45_000, "then we chose")], [speaker]
    )
    view.set_untranscribed([UntranscribedSpan(12_000, 40_000)])

    lines = view.toPlainText().splitlines()
    line = "[untranscribed 0:12–0:40 — Retry]"
    # between the segments it sits between in time (each after its "Speaker 1  0:00" line)
    assert lines.index(line) == 2 and lines[1] == "we looked at three tools", lines
    found = view.document().find(line)
    rect = view.cursorRect(QTextCursor(found.block()))
    with qtbot.waitSignal(view.retry_requested):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    view.set_untranscribed([])
    assert line not in view.toPlainText()


def test_clicking_retry_in_the_window_transcribes_the_span_again(qtbot, tmp_path, app_settings, speech):
    """The whole path: an interview whose pass left a stretch without words (here: its segment taken out
    and marked untranscribed) shows the line; a click queues the retry, and the words come back."""
    from app.domain.transcript import MIXDOWN
    from tests.ui.helpers import main_window, transcribe_into_library

    library, ids = transcribe_into_library(
        tmp_path, {"clip": (speech / "librispeech_2412-153948-0000.flac", None)}
    )
    interview_id = ids["clip"]
    job = library.jobs.latest_for(interview_id)
    lost = library.transcripts.segments(interview_id)[0]
    span = UntranscribedSpan(lost.start_ms, lost.end_ms)
    with library.db.atomic():
        library.transcripts.replace_segments([lost], [])
        library.untranscribed.replace(interview_id, job.id, MIXDOWN, (span.start_ms, span.end_ms), [span])
    workspace = main_window(library, app_settings)
    qtbot.addWidget(workspace.window)
    workspace.window.show()
    workspace.open_interview(interview_id)
    view = workspace.transcript
    line = f"[untranscribed {span.times} — Retry]"
    qtbot.waitUntil(lambda: line in view.toPlainText())

    rect = view.cursorRect(QTextCursor(view.document().find(line).block()))
    with qtbot.waitSignal(workspace.queue.job_finished, timeout=300_000) as finished:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert finished.args[:2] == [interview_id, "done"]
    qtbot.waitUntil(lambda: line not in view.toPlainText())
    assert library.untranscribed.of_interview(interview_id) == []
    words = [w for s in library.transcripts.segments(interview_id) for w in s.words]
    assert any(lost.start_ms <= w.start_ms < lost.end_ms for w in words)
    workspace.window.close()
    library.close()


def test_a_segment_arriving_live_after_an_untranscribed_line_starts_its_own_paragraph(qtbot):
    view = TranscriptView()
    qtbot.addWidget(view)
    speaker = Speaker(1, 1, "Speaker 1", SpeakerRole.OTHER, None, None)
    first, second = _segment(1, 0, "we looked at three tools"), _segment(2, 2_100, "then we chose")
    view.set_transcript([first], [speaker])
    view.set_untranscribed([UntranscribedSpan(2_000, 2_050)])  # speech after the last segment so far
    view.set_transcript([first, second], [speaker])  # the next segment arrives live, appended
    assert view.toPlainText().splitlines()[-3:] == [
        "[untranscribed 0:02–0:02 — Retry]",
        "Speaker 1\u20030:02",
        "then we chose",
    ]
