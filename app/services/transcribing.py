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
from app.services.coverage import cover_pass
from app.services.embedding_stage import embed_transcript, sentence_model_loading
from app.services.job_progress import SPEAKER_SHARE, JobProgress, Progress, report
from app.services.speaker_stage import SpeakerStage
from app.speakers.naming import ONE_VOICE_LABEL, role_labels
from app.speakers.stage import WindowsReady
from app.transcription.messages import (
    PassDone,
    PassFailed,
    PassStarted,
    SegmentReady,
    TranscribeRequest,
)
from app.transcription.models import ModelError, ResolvedModel, resolve_model
from app.transcription.options import OptionsError, TranscriptionOptions
from app.transcription.runner import TranscriptionCancelled, TranscriptionWorker, WorkerCrashed

LOCK_NAME = "transcriber.lock"
OPTIONS_SETTING = "transcription"


@dataclass(frozen=True, slots=True)
class QueueOutcome:
    queued: list[TranscriptionJob]
    skipped: list[str]
    """Why some interviews were left alone, one sentence each."""


def library_options(library: Library, **overrides: object) -> TranscriptionOptions:
    """The library's saved transcription options with `overrides` (those not None) on top."""
    saved = library.settings.get(OPTIONS_SETTING, {})
    return _options({**saved, **{name: value for name, value in overrides.items() if value is not None}})


def save_library_options(
    library: Library, changes: dict[str, object], check_model: bool = False
) -> TranscriptionOptions:
    """Merge `changes` over the library's saved transcription options and save them, once they are valid.

    A change to None removes that option (it returns to its default); options not named are kept. With
    `check_model`, the model must also be usable (`check_options`). The one owner of this merge: the CLI's
    `earful settings` and the window's Settings dialog both save through it. Nothing is saved on an error.
    """
    merged = {**library.settings.get(OPTIONS_SETTING, {}), **changes}
    kept = {name: value for name, value in merged.items() if value is not None}
    options = _options(kept)
    if check_model:
        check_options(options)
    library.settings.set(OPTIONS_SETTING, kept)
    return options


def _options(values: dict[str, object]) -> TranscriptionOptions:
    """Options from stored or typed values; a bad name or value is a LibraryError the user can read."""
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


def speakers_heard(library: Library, interview_id: int) -> str | None:
    """How many people the transcript's speaker labels say speak, and where that number comes from; None
    before the speakers are labelled. Said in the interview's views, so a wrong guess is seen and fixed."""
    job = library.jobs.latest_for(interview_id)
    stage = library.jobs.speaker_stage(job.id) if job is not None else None
    if stage is None or not stage.done:
        return None
    voices = len({segment.speaker_id for segment in library.transcripts.segments(interview_id)})
    if library.recordings.for_interview(interview_id).split_channels:
        return f"{voices} speakers, one per channel"
    said = library.transcripts.speaker_count(interview_id)
    if said is not None:
        return f"{said} {'speaker' if said == 1 else 'speakers'}, as you said"
    if voices == 1:
        return "1 voice heard (a second was looked for: none sounded apart; say how many people speak if more do)"
    return f"{voices} voices heard (two are looked for until you say how many people speak)"


class Transcriber:
    def __init__(self, library: Library, worker: TranscriptionWorker, models_dir: Path | None = None) -> None:
        self._library = library
        self._worker = worker
        self._models_dir = models_dir
        self._speaker_stage = SpeakerStage(library, worker)

    def queue(
        self, interview_ids: Iterable[int] | None, options: TranscriptionOptions, redo: bool = False
    ) -> QueueOutcome:
        """Jobs for the given interviews (all when None): interrupted ones resume, new ones are created.

        A finished transcript is kept unless `redo`; then it is replaced by the new job's. `redo` also starts
        afresh where a job was cancelled or interrupted (the user asked for a new transcript, not the rest).
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
            elif latest is not None and latest.state.is_open and not redo:
                queued.append(latest)
            elif latest is not None and latest.state is JobState.DONE and not redo:
                if interview_ids is not None:
                    skipped.append(
                        f"Interview {interview_id} ({interview.title}) is already transcribed "
                        "(use --redo to transcribe it again)."
                    )
            else:
                queued.append(_new_job(library, recording, options))
        return QueueOutcome(queued, skipped)

    def run(
        self, job: TranscriptionJob, on_progress: Callable[[JobProgress], None] | None = None
    ) -> TranscriptionJob:
        """Run (or resume) one job to its end: its channel passes, its speaker stage, then the sentence
        vectors of its transcript (`services/embedding_stage.embed_transcript`). Returns it in its final state.
        Never raises for the job's own failures: they are recorded on the job."""
        library = self._library
        recording = library.recordings.get(job.recording_id)
        try:
            options = TranscriptionOptions.from_dict(job.options)
            model = check_options(options, self._models_dir)
        except (OptionsError, ModelError) as error:
            library.jobs.set_state(job.id, JobState.FAILED, str(error))
            return library.jobs.get(job.id)
        self._worker.begin_job()
        library.jobs.set_state(job.id, JobState.RUNNING)
        job = library.jobs.get(job.id)
        stage = library.jobs.speaker_stage(job.id)
        progress = Progress(
            {
                p.channel: 1.0 if p.done else p.cursor_ms / max(recording.duration_ms, 1)
                for p in library.jobs.passes(job.id)
            },
            None if stage is None else 1.0 if stage.done else stage.cursor_ms / max(recording.duration_ms, 1),
        )
        try:
            pending = [p for p in library.jobs.passes(job.id) if not p.done]
            speakers = _pass_speakers(library, recording) if pending else {}
            for channel_pass in pending:
                alongside = [self._speaker_stage.alongside(job, recording, channel_pass.channel)]
                if channel_pass is pending[-1]:
                    alongside.append(sentence_model_loading(options))
                request = TranscribeRequest(
                    audio_path=str(library.recordings.path(recording)),
                    model_path=str(model.path),
                    channel=channel_pass.channel,
                    start_ms=channel_pass.cursor_ms,
                    options=options,
                    alongside=tuple(stage for stage in alongside if stage is not None),
                )
                failure = self._run_pass(job, request, speakers[channel_pass.channel], progress, on_progress)
                if failure is not None:
                    library.jobs.set_state(job.id, JobState.FAILED, failure)
                    return library.jobs.get(job.id)
            if stage is not None and not stage.done:
                failure = self._speaker_stage.run(job, recording, progress, on_progress)
                if failure is not None:
                    library.jobs.set_state(job.id, JobState.FAILED, failure)
                    return library.jobs.get(job.id)
            embed_transcript(library, self._worker, job.interview_id)  # last: the segments are final
        except TranscriptionCancelled:
            library.jobs.set_state(job.id, JobState.CANCELLED)
            return library.jobs.get(job.id)
        except WorkerCrashed as error:
            library.jobs.set_state(job.id, JobState.FAILED, str(error))
            return library.jobs.get(job.id)
        library.jobs.set_state(job.id, JobState.DONE)
        return library.jobs.get(job.id)

    def relabel_speakers(
        self,
        interview_id: int,
        count: int | None = None,
        on_progress: Callable[[JobProgress], None] | None = None,
    ) -> TranscriptionJob:
        """Save how many people speak in the interview (when `count` is given) and label its transcript's
        speakers again. Window embeddings already stored are reused, so this is quick after the first time.
        The caller holds the transcriber lock, as for `run`.
        """
        library = self._library
        library.interviews.get(interview_id)  # an unknown id is refused with its message
        if count is not None:
            library.transcripts.set_speaker_count(interview_id, count)
        job = library.jobs.latest_for(interview_id)
        # A finished transcript is enough: the stage may have failed or been cancelled before.
        if job is None or not all(channel_pass.done for channel_pass in library.jobs.passes(job.id)):
            raise LibraryError(
                f"Interview {interview_id} is not transcribed yet; its speakers are labelled when it is"
                + (" (the number of speakers is saved)." if count is not None else ".")
            )
        library.jobs.add_speaker_stage(job.id)
        return self.run(job, on_progress)

    def _run_pass(
        self,
        job: TranscriptionJob,
        request: TranscribeRequest,
        speaker_id: int,
        progress: Progress,
        on_progress: Callable[[JobProgress], None] | None,
    ) -> str | None:
        """Stream one channel's segments into the library; returns a failure message, or None."""
        jobs = self._library.jobs
        for message in self._worker.run(request):
            if isinstance(message, SegmentReady):
                progress.passes[request.channel] = message.progress
                jobs.commit_segment(job, message.segment, speaker_id, progress.overall)
                report(on_progress, job, progress, message.segment)
            elif isinstance(message, PassDone):
                failure = cover_pass(self._library, self._worker, job, request, speaker_id, progress.overall)
                if failure is not None:
                    return failure
                progress.passes[request.channel] = 1.0
                jobs.finish_pass(job.id, request.channel, progress.overall)
                report(on_progress, job, progress)
            elif isinstance(message, WindowsReady):
                self._speaker_stage.commit_windows(job, message, progress, on_progress)
            elif isinstance(message, PassFailed):
                return message.message
            elif isinstance(message, PassStarted):
                report(on_progress, job, progress)
        return None


def leave_for_next_start(library: Library, job: TranscriptionJob) -> None:
    """A job cut off by the app quitting (not by the user's Cancel) is left queued, so the next start
    resumes it at its cursors."""
    library.jobs.set_state(job.id, JobState.QUEUED)


def adopt_transcript(
    library: Library,
    recording: Recording,
    options: TranscriptionOptions,
    segments: Iterable[TranscribedSegment],
) -> TranscriptionJob:
    """A queued job for `recording` holding `segments` transcribed elsewhere (live, while it was recorded),
    each committed as a pass commits it: with its channel's speaker, the pass's cursor at its end. Running
    the job then transcribes only what comes after each cursor, checks coverage and labels speakers."""
    job = _new_job(library, recording, options)
    speakers = _pass_speakers(library, recording)
    for segment in segments:
        channel = MIXDOWN if segment.channel is None else segment.channel
        progress = segment.end_ms / max(recording.duration_ms, 1) / len(speakers) * (1 - SPEAKER_SHARE)
        library.jobs.commit_segment(job, segment, speakers[channel], min(progress, 1.0))
    return library.jobs.get(job.id)


def _new_job(library: Library, recording: Recording, options: TranscriptionOptions) -> TranscriptionJob:
    channels = list(range(recording.channels)) if recording.split_channels else [MIXDOWN]
    # The transcript it replaces stays until the new one is complete (app/library/redo.py).
    return library.jobs.create(
        recording.interview_id, recording.id, options.model, options.to_dict(), channels
    )


def _pass_speakers(library: Library, recording: Recording) -> dict[int, int]:
    """The speaker each pass's segments are attributed to, by pass channel."""
    transcripts = library.transcripts
    roles = recording.channel_roles
    if recording.split_channels:
        labels = role_labels(list(roles))
        return {
            channel: transcripts.ensure_speaker(recording.interview_id, labels[channel], role, channel)
            for channel, role in enumerate(roles)
        }
    role = roles[0] if roles else SpeakerRole.OTHER
    return {MIXDOWN: transcripts.ensure_speaker(recording.interview_id, ONE_VOICE_LABEL, role, None)}
