"""A newcomer's first minutes: the demo library on a first start; an empty library of one's own, a
recording imported through File ▸ Import, its transcription watched, cancelled and retried from the queue."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget

from app.domain.interview import JobState
from app.resources import resource_path
from app.ui.welcome_dialog import WelcomeDialog
from tests.journeys.earful import JOB_TIMEOUT_MS, Earful, choose_files, menu_action, quit_app, shoot
from tests.wer import wer

DEMO = resource_path("demo/interview.flac")  # 70 s, two channels: long enough to cancel mid-way
DEMO_SCRIPT = " ".join(
    line["text"] for line in json.loads(resource_path("demo/interview.ref.json").read_text())
)


def welcome(workspace) -> WelcomeDialog:
    (shown,) = [dialog for dialog in workspace.window.findChildren(WelcomeDialog) if dialog.isVisible()]
    return shown


def words_of(dialog: QWidget) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_first_start_opens_the_demo_interview_and_transcribes_it(qtbot, app_settings, screenshots):
    workspace = Earful.start(qtbot, app_settings, None)
    assert workspace.library.root == Path(os.environ["XDG_DATA_HOME"]) / "Earful" / "Demo library"
    assert workspace.heading.text().startswith("Demo: Northwind Freight")
    assert "demo" in words_of(welcome(workspace)).lower()  # the welcome points at the open demo
    shoot(workspace.window, screenshots, "demo_first_start")
    shoot(welcome(workspace), screenshots, "demo_welcome")
    qtbot.mouseClick(welcome(workspace).findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert workspace.queue.running == workspace.current_interview  # the demo transcribes by itself
    # Its words arrive while it runs (the window refreshes on each committed segment).
    qtbot.waitUntil(lambda: workspace.transcript.toPlainText().strip() != "", timeout=JOB_TIMEOUT_MS)
    shoot(workspace.window, screenshots, "demo_transcribing")
    quit_app(qtbot, workspace, keys=False)


def test_an_empty_library_imports_through_the_file_menu_and_a_cancelled_job_is_retried(
    qtbot, app_settings, tmp_path, monkeypatch, screenshots
):
    workspace = Earful.start(qtbot, app_settings, tmp_path / "My interviews")
    assert workspace.library.interviews.count() == 0
    greeting = words_of(welcome(workspace))
    qtbot.mouseClick(welcome(workspace).findChild(QPushButton), Qt.MouseButton.LeftButton)
    shoot(workspace.window, screenshots, "empty_library")

    recording = Path(shutil.copy(DEMO, tmp_path / "Acme ops lead.flac"))
    with (
        choose_files(monkeypatch, recording),
        qtbot.waitSignal(workspace.queue.segment_committed, timeout=JOB_TIMEOUT_MS),
    ):
        menu_action(workspace, "File", "Import recordings").trigger()
    interview = workspace.current_interview
    assert workspace.heading.text() == "Acme ops lead"  # imported, opened, and transcribing by itself
    # The status bar says the queue is busy; clicking it opens the queue over the window.
    assert workspace.queue_button.text().startswith("Transcribing")
    qtbot.mouseClick(workspace.queue_button, Qt.MouseButton.LeftButton)
    assert workspace.queue_panel.isVisible()
    row = workspace.queue_panel.findChild(QWidget, f"job-{interview}")
    button = row.findChild(QPushButton, "action")
    assert (row.findChild(QLabel, "state").text(), button.text()) == ("Transcribing", "Cancel")
    assert row.findChild(QProgressBar, "progress").isVisible()
    shoot(workspace.window, screenshots, "import_transcribing")

    with qtbot.waitSignal(workspace.queue.job_finished, timeout=JOB_TIMEOUT_MS) as cancelled:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert cancelled.args[1] == JobState.CANCELLED.value
    assert (row.findChild(QLabel, "state").text(), button.text()) == ("Cancelled", "Retry")
    kept = workspace.library.transcripts.segments(interview)
    assert kept and kept[0].text.split()[0] in workspace.transcript.toPlainText()  # what was done stays

    with qtbot.waitSignal(workspace.queue.job_finished, timeout=JOB_TIMEOUT_MS) as retried:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert retried.args[1] == JobState.DONE.value
    final = workspace.library.transcripts.segments(interview)
    assert {s.id for s in kept} < {s.id for s in final}  # resumed where it stopped, not started afresh
    assert wer(DEMO_SCRIPT, " ".join(s.text for s in final)) < 0.3
    assert final[-1].text.split()[-1] in workspace.transcript.toPlainText()
    shoot(workspace.window, screenshots, "import_done")
    quit_app(qtbot, workspace, keys=False)
    assert "demo interview is already open" not in greeting, "the welcome promised a demo the library lacks"
