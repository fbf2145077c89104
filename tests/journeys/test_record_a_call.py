"""Record a call through File ▸ Record a call: you and the customer on two PulseAudio null sinks, real speech
played into each in turn, consent and a question stamped from the dialog, Stop, and the call transcribed
with both speakers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.interview import JobState
from app.library.markers import MarkerKind
from app.ui.call_sides import CUSTOMER_DEVICE, YOU_DEVICE
from app.ui.record_panel import RecordDialog
from tests.conftest import reference_text
from tests.journeys.earful import JOB_TIMEOUT_MS, Earful, close_welcome, quit_app, shoot
from tests.wer import wer


def test_record_a_call_with_consent_and_a_question_and_see_both_speakers(
    qtbot, app_settings, tmp_path, pulse, you, customer, clips, speech, screenshots
):
    # The devices chosen for the previous call are remembered (the dialog's two lists).
    app_settings.set(YOU_DEVICE, you.key)
    app_settings.set(CUSTOMER_DEVICE, customer.key)
    workspace = Earful.start(qtbot, app_settings, tmp_path / "My interviews")
    close_welcome(qtbot, workspace)

    qtbot.keyClick(workspace.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RecordDialog))
    dialog: RecordDialog = QApplication.activeModalWidget()
    assert dialog.parent() is workspace.window
    assert dialog.sides.customer.currentData() == customer.key
    guide_name = dialog.guide.currentText()
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog._session.recorder.capturing, timeout=15_000)
    assert dialog.consent_text.isVisible()  # to read out
    qtbot.mouseClick(dialog.consent_button, Qt.MouseButton.LeftButton)
    assert not dialog.consent_text.isVisible()  # read and given: folded away for the call's words

    # Turns: you ask (JFK's words on your line), then the customer answers (a LibriSpeech reader).
    yours = pulse.play("you", clips["jfk"])
    qtbot.waitUntil(lambda: yours.poll() is not None, timeout=30_000)
    qtbot.keyClick(dialog, Qt.Key.Key_1)  # the guide's first question, as the customer starts answering
    theirs = pulse.play("customer", clips["libri"])
    qtbot.waitUntil(lambda: dialog.sides.customer_meter.value() > 30, timeout=15_000)
    dialog.resize(900, 700)
    shoot(dialog, screenshots, "recording")
    qtbot.waitUntil(lambda: theirs.poll() is not None, timeout=30_000)
    with qtbot.waitSignal(workspace.queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        qtbot.mouseClick(dialog.stop_button, Qt.MouseButton.LeftButton)
    assert finished.args[1] == JobState.DONE.value, finished.args
    interview = finished.args[0]
    assert workspace.current_interview == interview  # the call opened by itself and was transcribed

    markers = workspace.library.markers.of_interview(interview)
    assert [m.kind for m in markers] == [MarkerKind.CONSENT, MarkerKind.QUESTION]
    guide = workspace.tagging.guide
    assert guide is not None and guide.name == guide_name
    assert markers[1].question == guide.questions[0].key
    assert guide.questions[0].text in workspace.transcript.toPlainText()  # its section heading

    speakers = {s.id: s for s in workspace.library.transcripts.speakers(interview)}
    said: dict[str, str] = {}
    for segment in workspace.library.transcripts.segments(interview):
        role = speakers[segment.speaker_id].role.value
        said[role] = f"{said.get(role, '')} {segment.text}"
    assert wer(reference_text(speech, "jfk"), said["interviewer"]) < 0.35
    assert wer(reference_text(speech, "librispeech_2412-153948-0000"), said["customer"]) < 0.35
    shown = workspace.transcript.toPlainText()
    assert all(speaker.name in shown for speaker in speakers.values())
    shoot(workspace.window, screenshots, "recorded_call")
    quit_app(qtbot, workspace, keys=False)
