"""Queue and run transcription jobs, committing each segment the moment the worker delivers it.

Only one process transcribes a library at a time (a lock file in the library folder); holding that lock is
what tells us that jobs still marked 'running' belong to a process that died, so they can be resumed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from app.domain.interview import JobState, Recording, TranscriptionJob
from app.domain.transcript import MIXDOWN, SpeakerRole, TranscribedSegment
from app.library import Library, LibraryError
from app.transcription.messages import PassDone, PassFailed, PassStarted, SegmentReady, TranscribeRequest
from app.transcription.models import ModelError, ResolvedModel, resolve_model
from app.transcription.options import OptionsError, TranscriptionOptions
from app.transcription.runner import TranscriptionCancelled, TranscriptionWorker, WorkerCrashed

LOCK_NAME = "transcriber.lock"
OPTIONS_SETTING = "transcription"


@dataclass(frozen=True, slots=True)
class JobProgress:
    """Sent after every committed segment (and at each pass's end) so a view can follow along."""

    job: TranscriptionJob
    progress: float
    segment: TranscribedSegment | None


@dataclass(frozen=True, slots=True)
class QueueOutcome:
    queued: list[TranscriptionJob]
    skipped: list[str]
    """Why some interviews were left alone, one sentence each."""


def library_options(library: Library, **overrides: object) -> TranscriptionOptions:
    """The library's saved transcription options with `overrides` (those not None) on top."""
    saved = library.settings.get(OPTIONS_SETTING, {})
    values = {**saved, **{name: value for name, value in overrides.items() if value is not None}}
    try:
        return TranscriptionOptions.from_dict(values)
    except (OptionsError, TypeError) as error:
        raise LibraryError(str(error)) from error


def check_options(options: TranscriptionOptions, models_dir: Path | None = None) -> ResolvedModel:
    """Resolve the model and refuse combinations that would give a useless transcript."""
    model = resolve_model(options.model, models_dir)
    if model.english_only and options.language not in (None, "en"):
        raise ModelError(
            f"The {model.name} model only understands English, but the language is set to "
            f"{options.language!r}. Choose a multilingual model (e.g. 'base', installed with "
            "pip install 'earful[base]') or set the language to 'en'."
        )
    return model


@contextmanager
def transcriber_lock(library: Library) -> Iterator[None]:
    """Hold the library's transcriber lock; jobs left running by a dead process are requeued."""
    lock = FileLock(library.root / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LibraryError(
            "Another Earful window or command is transcribing this library; wait for it or stop it first."
        ) from None
    try:
        library.jobs.requeue_interrupted()
        yield
    finally:
        lock.release()


class Transcriber:
    def __init__(self, library: Library, worker: TranscriptionWorker, models_dir: Path | None = None) -> None:
        self._library = library
        self._worker = worker
        self._models_dir = models_dir

    def queue(
        self, interview_ids: Iterable[int] | None, options: TranscriptionOptions, redo: bool = False
    ) -> QueueOutcome:
        """Jobs for the given interviews (all when None): interrupted ones resume, new ones are created.

        A finished transcript is kept unless `redo`; then it is replaced by the new job's.
        """
        model = check_options(options, self._models_dir)
        self._worker.preload(str(model.path))  # loads while the jobs are prepared
        library = self._library
        ids = (
            list(interview_ids)
            if interview_ids is not None
            else [summary.interview.id for summary in reversed(library.interviews.summaries())]
        )
        queued, skipped = [], []
        for interview_id in ids:
            interview = library.interviews.get(interview_id)
            recording = library.recordings.for_interview(interview_id)
            latest = library.jobs.latest_for(interview_id)
            if recording is None:
                skipped.append(f"Interview {interview_id} ({interview.title}) has no recording.")
            elif latest is not None and latest.state.is_open:
                queued.append(latest)
            elif latest is not None and latest.state is JobState.DONE and not redo:
                if interview_ids is not None:
                    skipped.append(
                        f"Interview {interview_id} ({interview.title}) is already transcribed "
                        "(use --redo to transcribe it again)."
                    )
            else:
                queued.append(self._new_job(recording, options))
        return QueueOutcome(queued, skipped)

    def run(
        self, job: TranscriptionJob, on_progress: Callable[[JobProgress], None] | None = None
    ) -> TranscriptionJob:
        """Run (or resume) one job to its end; returns it in its final state. Never raises for the job's own
        failures: they are recorded on the job."""
        library = self._library
        recording = library.recordings.get(job.recording_id)
        try:
            options = TranscriptionOptions.from_dict(job.options)
            model = check_options(options, self._models_dir)
        except (OptionsError, ModelError) as error:
            library.jobs.set_state(job.id, JobState.FAILED, str(error))
            return library.jobs.get(job.id)
        speakers = self._speakers(recording)
        self._worker.begin_job()
        library.jobs.set_state(job.id, JobState.RUNNING)
        job = library.jobs.get(job.id)
        fractions = {
            p.channel: 1.0 if p.done else p.cursor_ms / max(recording.duration_ms, 1)
            for p in library.jobs.passes(job.id)
        }
        try:
            for channel_pass in library.jobs.passes(job.id):
                if channel_pass.done:
                    continue
                request = TranscribeRequest(
                    audio_path=str(library.recordings.path(recording)),
                    model_path=str(model.path),
                    channel=channel_pass.channel,
                    start_ms=channel_pass.cursor_ms,
                    options=options,
                )
                failure = self._run_pass(job, request, speakers[channel_pass.channel], fractions, on_progress)
                if failure is not None:
                    library.jobs.set_state(job.id, JobState.FAILED, failure)
                    return library.jobs.get(job.id)
        except TranscriptionCancelled:
            library.jobs.set_state(job.id, JobState.CANCELLED)
            return library.jobs.get(job.id)
        except WorkerCrashed as error:
            library.jobs.set_state(job.id, JobState.FAILED, str(error))
            return library.jobs.get(job.id)
        library.jobs.set_state(job.id, JobState.DONE)
        return library.jobs.get(job.id)

    def _run_pass(
        self,
        job: TranscriptionJob,
        request: TranscribeRequest,
        speaker_id: int,
        fractions: dict[int, float],
        on_progress: Callable[[JobProgress], None] | None,
    ) -> str | None:
        """Stream one channel's segments into the library; returns a failure message, or None."""
        jobs = self._library.jobs
        for message in self._worker.run(request):
            if isinstance(message, SegmentReady):
                fractions[request.channel] = message.progress
                overall = sum(fractions.values()) / len(fractions)
                jobs.commit_segment(job, message.segment, speaker_id, overall)
                if on_progress:
                    on_progress(JobProgress(job, overall, message.segment))
            elif isinstance(message, PassDone):
                fractions[request.channel] = 1.0
                overall = sum(fractions.values()) / len(fractions)
                jobs.finish_pass(job.id, request.channel, overall)
                if on_progress:
                    on_progress(JobProgress(job, overall, None))
            elif isinstance(message, PassFailed):
                return message.message
            elif isinstance(message, PassStarted) and on_progress:
                on_progress(JobProgress(job, sum(fractions.values()) / len(fractions), None))
        return None

    def _new_job(self, recording: Recording, options: TranscriptionOptions) -> TranscriptionJob:
        library = self._library
        channels = list(range(recording.channels)) if recording.split_channels else [MIXDOWN]
        with library.db.atomic():
            library.transcripts.delete_all(recording.interview_id)
            return library.jobs.create(
                recording.interview_id, recording.id, options.model, options.to_dict(), channels
            )

    def _speakers(self, recording: Recording) -> dict[int, int]:
        """The speaker each pass's segments are attributed to, by pass channel."""
        transcripts = self._library.transcripts
        roles = recording.channel_roles
        if recording.split_channels:
            labels = _channel_labels(roles)
            return {
                channel: transcripts.ensure_speaker(recording.interview_id, labels[channel], role, channel)
                for channel, role in enumerate(roles)
            }
        role = roles[0] if roles else SpeakerRole.OTHER
        return {MIXDOWN: transcripts.ensure_speaker(recording.interview_id, "Speaker 1", role, None)}


def _channel_labels(roles: tuple[SpeakerRole, ...]) -> list[str]:
    """'Interviewer' and 'Customer'; numbered when two channels share a role."""
    labels = []
    for channel, role in enumerate(roles):
        label = role.value.capitalize()
        labels.append(f"{label} {channel + 1}" if roles.count(role) > 1 else label)
    return labels
