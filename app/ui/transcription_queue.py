"""The window's transcription queue: jobs run one at a time on a background thread, never on the GUI thread.

The GUI thread keeps the list of what is pending and hands the background thread one interview at a time.
That thread has its own library connection (SQLite connections stay on the thread that opened them), the
worker process that keeps the model loaded, and holds the library's transcriber lock while a job runs, so
a command-line `earful transcribe` cannot work on the same library at once. Only ints, floats and strs
cross between the threads, through queued signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from app.domain.interview import JobState
from app.library import Library, LibraryError
from app.services.transcribing import (
    JobProgress,
    Transcriber,
    leave_for_next_start,
    library_options,
    transcriber_lock,
)
from app.transcription.models import ModelError
from app.transcription.runner import TranscriptionWorker
from app.ui.tasks import run_task

_log = logging.getLogger(__name__)

# How long quitting waits for the background thread once its job is cancelled. Cancelling terminates the
# worker process, so the thread normally ends within a second; the bound only matters if the disk hangs.
SHUTDOWN_TIMEOUT_MS = 10_000


class _JobRunner(QObject):
    """Runs jobs on the queue's thread (all its slots run there); `request_*` may be called from any thread.

    A job is known by a ticket, never reused, so a cancel aimed at a job that has just ended cannot stop
    the next one, even when that is the same interview again.
    """

    job_started = Signal(int)
    job_progressed = Signal(int, float)
    job_segment_committed = Signal(int)
    job_finished = Signal(int, str, str)
    resumable = Signal(int)

    def __init__(self, library_root: Path, models_dir: Path | None) -> None:
        super().__init__()
        self._library_root = library_root
        self._models_dir = models_dir
        self._library: Library | None = None
        self._worker = TranscriptionWorker()
        self._guard = threading.Lock()
        self._ticket: int | None = None
        self._cancel_ticket: int | None = None
        self._stopping = False

    def request_cancel(self, ticket: int) -> None:
        """Cancel job `ticket` now if it is running, else as soon as it starts. Blocks until the worker
        process is gone (well under a second), so the GUI calls it through run_task."""
        with self._guard:
            self._cancel_ticket = ticket
            # Cancelled under the guard: a job that ends meanwhile cannot hand the cancel to its successor.
            if self._ticket == ticket:
                self._worker.cancel()

    def request_stop(self) -> None:
        """Quitting: cancel whatever runs and start nothing more."""
        with self._guard:
            self._stopping = True
            self._worker.cancel()

    @Slot()
    def find_interrupted(self) -> None:
        """Offer again, oldest first, the jobs a previous session or a killed command left unfinished.

        Cancelled jobs are not offered: the user stopped those on purpose.
        """
        try:
            library = self._open()
            with transcriber_lock(library):  # taking it requeues jobs whose process died mid-run
                interrupted = library.jobs.interrupted_interviews()
        except LibraryError:
            return  # another process is transcribing (they are its jobs), or the first job will say why
        for interview_id in interrupted:
            self.resumable.emit(interview_id)

    @Slot(int, int, bool, int)
    def run_job(self, ticket: int, interview_id: int, redo: bool, speakers: int) -> None:
        """Transcribe the interview (again if `redo`); or, when `speakers` > 0, only label its speakers
        again as that many people."""
        with self._guard:
            if self._stopping:
                return
            self._ticket = ticket
        self.job_started.emit(interview_id)
        try:
            state, error = self._transcribe(interview_id, redo, speakers)
        except (LibraryError, ModelError) as failure:
            state, error = JobState.FAILED, str(failure)
        except Exception as failure:  # an unforeseen error must still end the job, or the queue would stall
            _log.exception("Transcribing interview %s failed", interview_id)
            state, error = JobState.FAILED, f"Transcription stopped by an unexpected error: {failure}"
        with self._guard:
            self._ticket = None
        self.job_finished.emit(interview_id, state.value, error)

    @Slot()
    def stop(self) -> None:
        """The last call on the thread: close what was opened on it, then end its event loop."""
        self._worker.close()
        if self._library is not None:
            self._library.close()
        QThread.currentThread().quit()

    def _transcribe(self, interview_id: int, redo: bool, speakers: int) -> tuple[JobState, str]:
        library = self._open()
        with transcriber_lock(library):
            transcriber = Transcriber(library, self._worker, self._models_dir)
            if speakers:
                job = transcriber.relabel_speakers(
                    interview_id, speakers, partial(self._report, interview_id)
                )
                return job.state, job.error or ""
            outcome = transcriber.queue([interview_id], library_options(library), redo=redo)
            if not outcome.queued:
                latest = library.jobs.latest_for(interview_id)
                if latest is not None and latest.state is JobState.DONE:
                    return JobState.DONE, ""  # already transcribed and no redo asked: nothing to do
                return JobState.FAILED, " ".join(outcome.skipped)
            # Where the job starts: a resumed one goes on from its stored progress, not from 0 %.
            self.job_progressed.emit(interview_id, outcome.queued[0].progress)
            job = transcriber.run(outcome.queued[0], partial(self._report, interview_id))
            with self._guard:
                quitting = self._stopping
            if job.state is JobState.CANCELLED and quitting:
                leave_for_next_start(library, job)
                return JobState.QUEUED, ""
            return job.state, job.error or ""

    def _report(self, interview_id: int, event: JobProgress) -> None:
        """Called by Transcriber.run after each commit and at each pass's start and end."""
        with self._guard:
            # Transcriber.run begins the job by forgetting earlier cancels (TranscriptionWorker.begin_job),
            # so a cancel that landed before that is applied again here, at the latest when the first
            # pass starts.
            wanted = self._stopping or self._cancel_ticket == self._ticket
            if wanted and not self._worker.cancelled:
                self._worker.cancel()
        self.job_progressed.emit(interview_id, event.progress)
        if event.segment is not None:
            self.job_segment_committed.emit(interview_id)

    def _open(self) -> Library:
        if self._library is None:
            self._library = Library.open(self._library_root, create=False)
        return self._library


class TranscriptionQueue(QObject):
    """Transcribes interviews one after another, in the order asked, without ever blocking the GUI thread.

    Call every method from the GUI thread; the signals arrive there too. On start it also picks up the
    jobs that an earlier session (or a killed `earful transcribe`) left unfinished.
    """

    job_started = Signal(int)
    progress = Signal(int, float)
    """(interview id, fraction done 0–1) after each committed segment and at each pass's start and end."""
    segment_committed = Signal(int)
    """The interview's transcript has a new segment in the library: a view showing it reloads."""
    job_finished = Signal(int, str, str)
    """(interview id, JobState value, error message or ""). "cancelled" also for a pending one removed."""
    queue_changed = Signal()
    """`running` or `pending` changed."""

    _run_requested = Signal(int, int, bool, int)
    _stop_requested = Signal()

    def __init__(
        self, library_root: Path, models_dir: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._pending: list[tuple[int, bool, int]] = []
        """(interview id, redo, number of speakers to label again as, or 0 to transcribe)"""
        self._running: int | None = None
        self._relabelling = False
        self._ticket = 0
        self._closed = False
        self._thread = QThread()
        self._thread.setObjectName("earful-transcription")
        self._runner = _JobRunner(Path(library_root), models_dir)
        self._runner.moveToThread(self._thread)
        queued = Qt.ConnectionType.QueuedConnection
        self._run_requested.connect(self._runner.run_job, queued)
        self._stop_requested.connect(self._runner.stop, queued)
        self._thread.started.connect(self._runner.find_interrupted)
        self._runner.resumable.connect(self._on_resumable, queued)
        self._runner.job_started.connect(self._on_started, queued)
        self._runner.job_progressed.connect(self._on_progress, queued)
        self._runner.job_segment_committed.connect(self._on_segment_committed, queued)
        self._runner.job_finished.connect(self._on_finished, queued)
        self._thread.start()

    @property
    def pending(self) -> list[int]:
        """Interviews waiting their turn, next first (the running one is not among them)."""
        return [interview_id for interview_id, _redo, _speakers in self._pending]

    @property
    def running(self) -> int | None:
        return self._running

    @property
    def relabelling(self) -> bool:
        """The running job (or, while `job_finished` is delivered, the one that ended) only labels the
        speakers again: nothing was transcribed."""
        return self._relabelling

    def enqueue(self, interview_ids: Iterable[int], redo: bool = False) -> None:
        """Queue interviews after those already waiting; ones already queued or running are left as they are.

        A finished transcript is kept unless `redo`; a cancelled or interrupted job resumes where it stopped.
        """
        if self._closed:
            return
        waiting = set(self.pending) | {self._running}
        added = [
            (interview_id, redo, 0)
            for interview_id in dict.fromkeys(interview_ids)
            if interview_id not in waiting
        ]
        if added:
            self._pending.extend(added)
            self._start_next()
            self.queue_changed.emit()

    def relabel_speakers(self, interview_id: int, count: int) -> None:
        """Label a transcribed interview's speakers again as `count` people (after what is queued before it).
        Quick: the voices were measured when it was transcribed."""
        if not self._closed and (interview_id, False, count) not in self._pending:
            self._pending.append((interview_id, False, count))
            self._start_next()
            self.queue_changed.emit()

    def cancel(self, interview_id: int) -> None:
        """Stop the interview's running job (what it transcribed so far is kept) or take it off the queue."""
        if interview_id == self._running:
            # Terminating the worker process takes a moment: done on the pool, and the job's end arrives
            # as job_finished.
            run_task(partial(self._runner.request_cancel, self._ticket), on_done=lambda _result: None)
        elif interview_id in self.pending:
            self._pending = [entry for entry in self._pending if entry[0] != interview_id]
            self.job_finished.emit(interview_id, JobState.CANCELLED.value, "")
            self.queue_changed.emit()

    def retry(self, interview_id: int) -> None:
        """Queue a failed or cancelled interview again: a cancelled job resumes, a failed one starts afresh."""
        self.enqueue([interview_id])

    def shutdown(self) -> None:
        """Cancel the running job, forget the pending ones, stop the thread and the worker process.

        The running job is left queued in the library, so the next start resumes it. Waits at most
        SHUTDOWN_TIMEOUT_MS for the thread: cancelling has already stopped the worker process.
        """
        if self._closed:
            return
        self._closed = True
        self._pending.clear()
        self._runner.request_stop()
        self._stop_requested.emit()
        if not self._thread.wait(SHUTDOWN_TIMEOUT_MS):
            _log.warning("The transcription thread did not stop within %d ms", SHUTDOWN_TIMEOUT_MS)

    def _start_next(self) -> None:
        if self._closed or self._running is not None or not self._pending:
            return
        interview_id, redo, speakers = self._pending.pop(0)
        self._running, self._relabelling = interview_id, speakers > 0
        self._ticket += 1
        self._run_requested.emit(self._ticket, interview_id, redo, speakers)

    @Slot(int)
    def _on_resumable(self, interview_id: int) -> None:
        self.enqueue([interview_id])

    @Slot(int)
    def _on_started(self, interview_id: int) -> None:
        if not self._closed:
            self.job_started.emit(interview_id)

    @Slot(int, float)
    def _on_progress(self, interview_id: int, fraction: float) -> None:
        if not self._closed:
            self.progress.emit(interview_id, fraction)

    @Slot(int)
    def _on_segment_committed(self, interview_id: int) -> None:
        if not self._closed:
            self.segment_committed.emit(interview_id)

    @Slot(int, str, str)
    def _on_finished(self, interview_id: int, state: str, error: str) -> None:
        if self._closed:
            return
        self._running = None
        self.job_finished.emit(interview_id, state, error)
        self._start_next()
        self.queue_changed.emit()
