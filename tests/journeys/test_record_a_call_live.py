"""The Record-a-call window's live transcript, the way a marketer uses it: File ▸ Record a call, real speech
played into two PulseAudio null sinks in turns, each side's words appearing labelled before Stop, and after
Stop the interview's stored transcript complete (real model, normalised WER)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from app.domain.interview import JobState
from app.ui.call_sides import CUSTOMER_DEVICE, YOU_DEVICE
from app.ui.record_panel import RecordDialog
from tests.conftest import reference_text
from tests.journeys.earful import JOB_TIMEOUT_MS, Earful, close_welcome, menu_action, quit_app, shoot
from tests.wer import wer

pytestmark = pytest.mark.slow
LIVE_TIMEOUT_MS = 120_000
_LINE = re.compile(r"^\d+:\d\d\s+(Interviewer|Customer): (.*)$")


def _live_said(dialog: RecordDialog) -> dict[str, str]:
    said = {"Interviewer": "", "Customer": ""}
    for line in dialog.live_view.toPlainText().splitlines():
        match = _LINE.match(line.replace("\xa0", " ").strip())
        if match:
            said[match.group(1)] += " " + match.group(2)
    return said


def _select_last_line_of(qtbot, dialog: RecordDialog, role: str) -> str:
    """Select a live line's words the way a person does: click before its first word, Shift+click after
    its last. Returns the words selected."""
    view = dialog.live_view
    block = view.document().lastBlock()
    while f"{role}: " not in block.text():
        block = block.previous()
    first = block.position() + block.text().index(f"{role}: ") + len(f"{role}: ")
    last = block.position() + block.length() - 1

    def point(position: int):
        cursor = QTextCursor(view.document())
        cursor.setPosition(position)
        return view.cursorRect(cursor).center()

    start, end = point(first), point(last)  # the view follows the newest line: both are in sight
    assert view.viewport().rect().contains(start) and view.viewport().rect().contains(end)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, pos=end)
    return view.textCursor().selectedText()


def test_the_transcript_grows_in_the_record_window_with_each_speaker_before_stop(
    qtbot, app_settings, tmp_path, pulse, you, customer, clips, speech, screenshots
):
    app_settings.set(YOU_DEVICE, you.key)
    app_settings.set(CUSTOMER_DEVICE, customer.key)
    workspace = Earful.start(qtbot, app_settings, tmp_path / "My interviews")
    close_welcome(qtbot, workspace)

    menu_action(workspace, "File", "Record a call").trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RecordDialog))
    dialog: RecordDialog = QApplication.activeModalWidget()
    assert dialog.live_check.isChecked()  # on unless the user turned it off
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog._session.recorder.capturing, timeout=15_000)

    jfk, libri = reference_text(speech, "jfk"), reference_text(speech, "librispeech_2412-153948-0000")
    yours = pulse.play("you", clips["jfk"])
    # Your words appear while you are still the only one to have spoken, labelled as yours.
    qtbot.waitUntil(lambda: bool(_live_said(dialog)["Interviewer"]), timeout=LIVE_TIMEOUT_MS)
    assert not _live_said(dialog)["Customer"]
    qtbot.waitUntil(lambda: yours.poll() is not None, timeout=30_000)
    qtbot.keyClick(dialog, Qt.Key.Key_1)  # the guide's first question, as the customer starts answering
    theirs = pulse.play("customer", clips["libri"])
    qtbot.waitUntil(lambda: theirs.poll() is not None, timeout=30_000)
    # Before Stop: both sides' words, each under its speaker.
    qtbot.waitUntil(
        lambda: (
            wer(jfk, _live_said(dialog)["Interviewer"]) < 0.35
            and wer(libri, _live_said(dialog)["Customer"]) < 0.35
        ),
        timeout=LIVE_TIMEOUT_MS,
    )
    question = dialog._chosen_guide().questions[0]  # a new library's dialog offers the built-in guides
    assert dialog._session is not None  # still recording
    # A quote filed on the live text: the customer's last line, selected and Q pressed.
    quoted = _select_last_line_of(qtbot, dialog, "Customer")
    assert len(quoted.split()) >= 3, quoted
    qtbot.keyClick(dialog.live_view, Qt.Key.Key_Q)
    assert "Quote under Q1" in dialog.markers.item(dialog.markers.count() - 1).text()
    assert not dialog.live_view.textCursor().hasSelection()
    shoot(dialog, screenshots, "live_transcript")

    with qtbot.waitSignal(workspace.queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert finished.args[1] == JobState.DONE.value, finished.args
    interview = finished.args[0]
    speakers = {s.id: s for s in workspace.library.transcripts.speakers(interview)}
    said: dict[str, str] = {}
    for segment in workspace.library.transcripts.segments(interview):
        role = speakers[segment.speaker_id].role.value
        said[role] = f"{said.get(role, '')} {segment.text}"
    assert wer(jfk, said["interviewer"]) < 0.35
    assert wer(libri, said["customer"]) < 0.35
    assert question.text in dialog.live_view.toPlainText()  # it headed the answer live
    [quote] = workspace.library.quotes.for_interview(interview)  # filed with the words, under the question
    assert wer(quoted, quote.text) <= 0.1, (quoted, quote.text)
    assert speakers[quote.speaker_id].role.value == "customer"
    assert quote.question_key == question.key
    quit_app(qtbot, workspace, keys=False)
