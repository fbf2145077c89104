"""Interviews, their recordings and their transcription jobs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.transcript import SpeakerRole


class Outcome(StrEnum):
    WON = "won"
    LOST = "lost"
    CHURNED = "churned"
    NO_DECISION = "no-decision"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """Open jobs still have work to do (and are resumed by the next run)."""
        return self in (JobState.QUEUED, JobState.RUNNING, JobState.CANCELLED)


# Metadata a user may set on an interview, in the order forms and listings show them. The customer's market
# segment is `persona_segment` in code, where a bare "segment" is a stretch of transcript; users still
# read and type "Segment" (the window, `earful set segment=…`, packs).
INTERVIEW_FIELDS: tuple[str, ...] = (
    "title",
    "customer_name",
    "company",
    "role",
    "persona_segment",
    "outcome",
    "interview_date",
    "interviewer",
    "notes",
)


@dataclass(frozen=True, slots=True)
class Interview:
    id: int
    title: str
    customer_name: str | None
    company: str | None
    role: str | None
    persona_segment: str | None
    outcome: Outcome | None
    interview_date: str | None
    notes: str | None
    interviewer: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Recording:
    id: int
    interview_id: int
    file: str
    original_name: str
    sha256: str
    duration_ms: int
    sample_rate: int
    channels: int
    channel_roles: tuple[SpeakerRole, ...] | None
    truncated: bool

    @property
    def split_channels(self) -> bool:
        """True when each channel carries its own speaker and is transcribed on its own."""
        return self.channel_roles is not None and len(self.channel_roles) > 1


@dataclass(frozen=True, slots=True)
class TranscriptionJob:
    id: int
    interview_id: int
    recording_id: int
    state: JobState
    progress: float
    model: str
    options: dict
    error: str | None
