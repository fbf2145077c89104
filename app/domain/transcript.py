"""Transcript values: words, segments and speakers.

Times are integer milliseconds everywhere (STYLE habit 4): floats drift when they are summed and compared,
and milliseconds are fine-grained enough for seeking audio and anchoring quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.domain.timecode import clock


class SpeakerRole(StrEnum):
    INTERVIEWER = "interviewer"
    CUSTOMER = "customer"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Word:
    start_ms: int
    end_ms: int
    text: str
    probability: float


@dataclass(frozen=True, slots=True)
class TranscribedSegment:
    """A stretch of speech as the engine heard it, before it is stored.

    `channel` is the recording channel it came from, or None when the channels were mixed down.
    """

    start_ms: int
    end_ms: int
    text: str
    words: tuple[Word, ...] = field(default_factory=tuple)
    channel: int | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A stored segment: what the library keeps and shows."""

    id: int
    interview_id: int
    start_ms: int
    end_ms: int
    text: str
    speaker_id: int | None
    words: tuple[Word, ...]
    channel: int | None


@dataclass(frozen=True, slots=True)
class Speaker:
    id: int
    interview_id: int
    label: str
    role: SpeakerRole
    display_name: str | None
    channel: int | None

    @property
    def name(self) -> str:
        """What a reader sees: the name the user gave, else the automatic label."""
        return self.display_name or self.label


# The channel key of a pass that transcribes all channels mixed down to one.
MIXDOWN = -1


def words_to_json(words: tuple[Word, ...]) -> list[list]:
    """Compact storage form: [start_ms, end_ms, text, probability] per word."""
    return [[w.start_ms, w.end_ms, w.text, round(w.probability, 4)] for w in words]


def words_from_json(rows: list[list]) -> tuple[Word, ...]:
    return tuple(Word(int(s), int(e), str(t), float(p)) for s, e, t, p in rows)


@dataclass(frozen=True, slots=True)
class UntranscribedSpan:
    """A stretch of speech that held no usable words even after it was decoded again on its own.

    Kept so the transcript shows it (with a retry) instead of silently skipping what the customer said.
    `channel` as for segments; `id` 0 until stored.
    """

    start_ms: int
    end_ms: int
    channel: int | None = None
    id: int = 0

    @property
    def times(self) -> str:
        """"0:12–0:40", as the transcript, the CLI and the bench name it."""
        return f"{clock(self.start_ms)}–{clock(self.end_ms)}"
