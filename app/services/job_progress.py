"""How far a transcription job has come, as one number for a progress bar: the mean of its channel passes,
then its speaker stage's share; and the event a view follows it by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.domain.interview import TranscriptionJob
from app.domain.transcript import TranscribedSegment

SPEAKER_SHARE = 0.3
"""The speaker stage's share of a job's progress bar: it took 0.37–0.57 × Whisper's time (bench/diarization.py)."""


@dataclass(frozen=True, slots=True)
class JobProgress:
    """Sent after every committed segment (and at each pass's end) so a view can follow along."""

    job: TranscriptionJob
    progress: float
    segment: TranscribedSegment | None


class Progress:
    """A job's progress: the mean of its passes, then its speaker stage's share (when it has one)."""

    def __init__(self, passes: dict[int, float], stage: float | None) -> None:
        self.passes = passes
        self.stage = stage

    @property
    def overall(self) -> float:
        transcribed = sum(self.passes.values()) / len(self.passes) if self.passes else 1.0
        if self.stage is None:
            return transcribed
        return transcribed * (1 - SPEAKER_SHARE) + self.stage * SPEAKER_SHARE


def report(
    on_progress: Callable[[JobProgress], None] | None,
    job: TranscriptionJob,
    progress: Progress,
    segment: TranscribedSegment | None = None,
) -> None:
    if on_progress:
        on_progress(JobProgress(job, progress.overall, segment))
