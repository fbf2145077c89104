"""The window's transcription queue, with the real worker process and model: jobs run in order, report as
they go, cancel and resume, survive quitting, and never block the GUI thread."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QScrollArea, QWidget

from app.domain.interview import JobState
from app.library import Library
from app.resources import resource_path
from app.services.importing import import_recording
from app.services.transcribing import transcriber_lock
from app.ui.queue_panel import QueuePanel
from app.ui.tasks import run_task
from app.ui.transcription_queue import TranscriptionQueue

DEMO = resource_path("demo/interview.flac")  # 70 s, two channels: long enough to interrupt
JOB_TIMEOUT_MS = 240_000


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared so the bundled model's checksum is computed once per module, not once per test."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def make_queue(library: Library, models_dir: Path):
    """Queues on the test library, each shut down afterwards as the window does on exit."""
    queues: list[TranscriptionQueue] = []

    def make() -> TranscriptionQueue:
        queue = TranscriptionQueue(library.root, models_dir)
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        queue.shutdown()


class Recorder:
    """What a queue emitted, in order."""

    def __init__(self, queue: TranscriptionQueue) -> None:
        self.started: list[int] = []
        self.progress: dict[int, list[float]] = {}
        self.segments: Counter[int] = Counter()
        self.finished: list[tuple[int, str, str]] = []
        queue.job_started.connect(self.started.append)
        queue.progress.connect(lambda i, fraction: self.progress.setdefault(i, []).append(fraction))
        queue.segment_committed.connect(lambda i: self.segments.update([i]))
        queue.job_finished.connect(lambda i, state, error: self.finished.append((i, state, error)))

    @property
    def running(self) -> int | None:
        """The job started and not yet finished, as the signals tell it."""
        finished = [i for i, _state, _error in self.finished]
        unfinished = [i for i in self.started if i not in finished]
        return unfinished[-1] if unfinished else None


def test_jobs_run_in_order_and_report_live_while_the_gui_thread_stays_free(
    qtbot, library: Library, speech: Path, make_queue
):
    first = import_recording(library, speech / "jfk.flac").interview.id
    second = import_recording(library, speech / "digits_10001-90210-01803.wav").interview.id
    for one_voice in (first, second):  # as the user says: else two voices are assumed, cutting segments
        library.transcripts.set_speaker_count(one_voice, 1)
    queue = make_queue()
    events = Recorder(queue)
    # Ticks of a GUI-thread timer while a job runs prove the event loop is not blocked by the job.
    ticks_during_jobs: Counter[int] = Counter()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: events.running is not None and ticks_during_jobs.update([events.running]))
    timer.start()

    queue.enqueue([first, second])
    assert (queue.running, queue.pending) == (first, [second])  # returned at once: nothing has run yet
    qtbot.waitUntil(lambda: len(events.finished) == 2, timeout=JOB_TIMEOUT_MS)
    timer.stop()

    assert events.started == [first, second]
    assert events.finished == [(first, "done", ""), (second, "done", "")]
    assert (queue.running, queue.pending) == (None, [])
    for interview_id in (first, second):
        fractions = events.progress[interview_id]
        assert fractions == sorted(fractions), fractions
        assert fractions[-1] >= 0.9
        stored = library.transcripts.segments(interview_id)
        assert stored
        assert events.segments[interview_id] == len(stored)  # one signal per committed segment
        assert ticks_during_jobs[interview_id] >= 1


def test_cancel_keeps_the_partial_transcript_and_retry_resumes_it(qtbot, library: Library, make_queue):
    interview_id = import_recording(library, DEMO).interview.id
    queue = make_queue()
    cancelled = []

    def cancel_on_first_segment(committed: int) -> None:
        if not cancelled:
            cancelled.append(committed)
            queue.cancel(committed)

    queue.segment_committed.connect(cancel_on_first_segment)
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        queue.enqueue([interview_id])
    assert finished.args == [interview_id, JobState.CANCELLED.value, ""]
    job = library.jobs.latest_for(interview_id)
    assert job.state is JobState.CANCELLED
    kept = library.transcripts.segments(interview_id)
    assert kept, "what was transcribed before the cancel stays"
    assert job.progress < 1

    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        queue.retry(interview_id)
    assert finished.args == [interview_id, JobState.DONE.value, ""]
    assert library.jobs.latest_for(interview_id).id == job.id  # resumed, not started afresh
    final = library.transcripts.segments(interview_id)
    assert {s.id for s in kept} < {s.id for s in final}


def test_cancelling_a_waiting_job_takes_it_off_the_queue(qtbot, library: Library, speech: Path, make_queue):
    first = import_recording(library, speech / "digits_10001-90210-01803.wav").interview.id
    second = import_recording(library, speech / "jfk.flac").interview.id
    queue = make_queue()
    events = Recorder(queue)
    queue.enqueue([first, second])

    with qtbot.waitSignal(queue.queue_changed):
        queue.cancel(second)
    assert queue.pending == []
    assert events.finished == [(second, JobState.CANCELLED.value, "")]
    qtbot.waitUntil(lambda: len(events.finished) == 2, timeout=JOB_TIMEOUT_MS)
    assert events.finished[1] == (first, JobState.DONE.value, "")
    assert events.started == [first]
    assert library.jobs.latest_for(second) is None


def test_a_library_another_process_transcribes_fails_the_job_and_the_queue_goes_on(
    qtbot, library: Library, speech: Path, make_queue
):
    interview_id = import_recording(library, speech / "digits_10001-90210-01803.wav").interview.id
    with transcriber_lock(library):  # as while `earful transcribe` runs on the same library
        queue = make_queue()
        with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
            queue.enqueue([interview_id])
    interview, state, error = finished.args
    assert (interview, state) == (interview_id, JobState.FAILED.value)
    assert "Another Earful window or command is transcribing this library" in error
    assert queue.running is None

    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        queue.retry(interview_id)
    assert finished.args == [interview_id, JobState.DONE.value, ""]


def test_quitting_mid_job_returns_and_the_next_queue_resumes_the_job(qtbot, library: Library, make_queue):
    interview_id = import_recording(library, DEMO).interview.id
    queue = make_queue()
    with qtbot.waitSignal(queue.segment_committed, timeout=JOB_TIMEOUT_MS):
        queue.enqueue([interview_id])
    queue.shutdown()  # bounded: the per-test timeout would catch a hang

    job = library.jobs.latest_for(interview_id)
    assert job.state is JobState.QUEUED, "quitting is not a cancel: the job waits for the next start"
    kept = library.transcripts.segments(interview_id)
    assert kept

    resumed = make_queue()
    events = Recorder(resumed)
    qtbot.waitUntil(
        lambda: bool(events.finished), timeout=JOB_TIMEOUT_MS
    )  # nothing enqueued: picked up alone
    assert events.finished == [(interview_id, JobState.DONE.value, "")]
    assert library.jobs.latest_for(interview_id).id == job.id
    assert {s.id for s in kept} < {s.id for s in library.transcripts.segments(interview_id)}


def rows(panel: QueuePanel) -> list[tuple[str, str, str]]:
    """(title, state, button) of each row, top to bottom; "" for a hidden button."""
    layout = panel.findChild(QScrollArea).widget().layout()
    shown = []
    for index in range(layout.count()):
        row = layout.itemAt(index).widget()
        if row is not None:
            button = row.findChild(QPushButton, "action")
            shown.append(
                (
                    row.findChild(QLabel, "title").text(),
                    row.findChild(QLabel, "state").text(),
                    button.text() if not button.isHidden() else "",
                )
            )
    return shown


def click(qtbot, panel: QueuePanel, interview_id: int) -> None:
    row = panel.findChild(QWidget, f"job-{interview_id}")
    qtbot.mouseClick(row.findChild(QPushButton, "action"), Qt.MouseButton.LeftButton)


def test_the_queue_panel_follows_the_queue_and_its_buttons_drive_it(
    qtbot, library: Library, speech: Path, make_queue
):
    first = import_recording(library, speech / "digits_10001-90210-01803.wav", title="Digits").interview.id
    second = import_recording(library, speech / "jfk.flac", title="JFK").interview.id
    queue = make_queue()
    panel = QueuePanel(queue, lambda interview_id: library.interviews.get(interview_id).title)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert rows(panel) == []

    queue.enqueue([first, second])
    assert rows(panel) == [("Digits", "Transcribing", "Cancel"), ("JFK", "Waiting", "Cancel")]
    click(qtbot, panel, second)
    assert rows(panel) == [("Digits", "Transcribing", "Cancel"), ("JFK", "Cancelled", "Retry")]

    qtbot.waitUntil(lambda: queue.running is None, timeout=JOB_TIMEOUT_MS)
    assert rows(panel) == [("Digits", "Done", ""), ("JFK", "Cancelled", "Retry")]
    click(qtbot, panel, second)
    assert rows(panel) == [("JFK", "Transcribing", "Cancel"), ("Digits", "Done", "")]
    qtbot.waitUntil(lambda: queue.running is None, timeout=JOB_TIMEOUT_MS)
    assert rows(panel) == [("JFK", "Done", ""), ("Digits", "Done", "")]
    assert panel.findChild(QProgressBar, "progress").value() == 100


def test_run_task_brings_the_result_or_the_error_back_to_the_gui_thread(qtbot):
    """The helper the queue cancels through (and the window uses for short I/O)."""
    gui_thread = threading.get_ident()
    results: list[tuple[int, tuple[int, int]]] = []
    run_task(
        lambda: (threading.get_ident(), 42), lambda result: results.append((threading.get_ident(), result))
    )
    qtbot.waitUntil(lambda: bool(results))
    [(delivered_on, (ran_on, value))] = results
    assert (value, delivered_on) == (42, gui_thread)
    assert ran_on != gui_thread

    errors: list[tuple[int, Exception]] = []
    run_task(lambda: 1 / 0, results.append, lambda error: errors.append((threading.get_ident(), error)))
    qtbot.waitUntil(lambda: bool(errors))
    [(delivered_on, error)] = errors
    assert delivered_on == gui_thread
    assert isinstance(error, ZeroDivisionError)
    assert len(results) == 1


def test_the_number_of_speakers_relabels_a_transcribed_call_on_the_queue_thread(
    qtbot, library: Library, speech: Path, make_queue
):
    interview_id = import_recording(library, speech / "ami_dev00.wav").interview.id
    queue = make_queue()
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS):
        queue.enqueue([interview_id])
    assert len({s.speaker_id for s in library.transcripts.segments(interview_id)}) == 2
    with qtbot.waitSignal(queue.job_finished, timeout=JOB_TIMEOUT_MS) as finished:
        queue.relabel_speakers(interview_id, 1)
    assert finished.args[:2] == [interview_id, JobState.DONE.value]
    assert library.transcripts.speaker_count(interview_id) == 1
    assert len({s.speaker_id for s in library.transcripts.segments(interview_id)}) == 1
