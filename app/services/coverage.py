"""The coverage check of a transcription pass: speech the pass left without words is decoded again, and
what still fails is stored as untranscribed spans the user sees and can retry (#18).

Runs after a pass's segments are committed and before the pass is marked done, so a job killed during the
check runs it again on resume; each hole's repair is committed on its own, with the spans it leaves.
"""

from __future__ import annotations

from app.domain.interview import TranscriptionJob
from app.domain.transcript import MIXDOWN
from app.library import Library, LibraryError
from app.library.transactions import writing
from app.transcription.messages import CoverageRequest, HoleRepaired, PassFailed, TranscribeRequest
from app.transcription.runner import TranscriptionWorker


def cover_pass(
    library: Library,
    worker: TranscriptionWorker,
    job: TranscriptionJob,
    request: TranscribeRequest,
    speaker_id: int,
    progress: float,
) -> str | None:
    """Check and repair the pass `request` made; returns a failure message, or None."""
    channel = None if request.channel == MIXDOWN else request.channel
    segments = tuple(s for s in library.transcripts.segments(job.interview_id) if s.channel == channel)
    retrying = library.untranscribed.of_pass(job.id, request.channel, retrying=True)
    check = CoverageRequest(
        audio_path=request.audio_path,
        model_path=request.model_path,
        channel=request.channel,
        options=request.options,
        segments=segments,
        known=tuple(library.untranscribed.of_pass(job.id, request.channel)),
        retrying=bool(retrying),
    )
    for message in worker.run(check):
        if isinstance(message, HoleRepaired):
            repair = message.repair
            with writing(library.db):
                looping = [s for s in segments if s.id in repair.hole.loops]
                library.transcripts.replace_segments(looping, [])
                for segment in repair.segments:
                    library.jobs.commit_segment(job, segment, speaker_id, progress)
                library.untranscribed.replace(
                    job.interview_id,
                    job.id,
                    request.channel,
                    (repair.hole.start_ms, repair.hole.end_ms),
                    repair.untranscribed,
                )
        elif isinstance(message, PassFailed):
            return message.message
    with writing(library.db):
        library.untranscribed.finish_retry(job.id, request.channel)
    return None


def retry_untranscribed(library: Library, interview_id: int) -> TranscriptionJob:
    """Queue the interview's untranscribed spans for another try (its job runs their passes' coverage check
    again, with harder settings, then its speaker stage). The caller runs the returned job."""
    job_id = library.untranscribed.retry(interview_id)
    if job_id is None:
        raise LibraryError(f"Interview {interview_id} has no untranscribed speech to try again.")
    return library.jobs.get(job_id)
