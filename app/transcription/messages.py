"""What passes between the caller and the worker process: small picklable values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.domain.transcript import Segment, TranscribedSegment, UntranscribedSpan
from app.transcription.coverage import Repair
from app.transcription.options import TranscriptionOptions


@dataclass(frozen=True, slots=True)
class TranscribeRequest:
    """Transcribe one channel (or the mixdown) of one audio file from `start_ms` to its end."""

    audio_path: str
    model_path: str
    channel: int
    """MIXDOWN, or 0/1 for the left/right channel of a two-party recording."""
    start_ms: int
    options: TranscriptionOptions
    alongside: tuple[StageRequest, ...] = ()
    """Later stages to run at the same time, one after the other, on the CPU Whisper leaves idle (the speaker
    embeddings while the words are decoded; loading the sentence model). Their messages come between this
    pass's; PassDone waits for them. One that fails just stops: the caller runs the stage again afterwards
    from what it stored, and reports that."""


@dataclass(frozen=True, slots=True)
class CoverageRequest:
    """After a pass: decode again every stretch of speech its stored `segments` left without words (or
    filled with a loop), apart from those inside `known` untranscribed spans. The worker answers with one
    HoleRepaired per hole, then PassDone."""

    audio_path: str
    model_path: str
    channel: int
    options: TranscriptionOptions
    segments: tuple[Segment, ...]
    known: tuple[UntranscribedSpan, ...]
    retrying: bool = False
    """The user asked to try the untranscribed spans again: harder settings are tried as well."""


@dataclass(frozen=True, slots=True)
class HoleRepaired:
    repair: Repair


@dataclass(frozen=True, slots=True)
class StageRequest:
    """Run a later stage of a job (speaker labelling) in the worker process, where a crash or a cancel
    ends only that process.

    `stage` is a module-level function, pickled by name and imported by the worker: the services layer
    chooses it, so this package need not know the stage's package (app.speakers sits beside it). The worker
    calls `stage(payload, send)`; whatever it sends comes back to the caller, followed by StageDone, or by
    PassFailed when it raises.
    """

    stage: Callable[[object, Callable[[object], None]], None]
    payload: object


@dataclass(frozen=True, slots=True)
class LiveRequest:
    """Transcribe a recording while it is being made: follow the WAV at `wav_path` as it grows (see
    `transcription/live.py`). The worker answers with LiveSegment and LiveProgress messages until the caller
    sends LiveFinish, then transcribes what is left and ends with LiveDone."""

    wav_path: str
    model_path: str
    options: TranscriptionOptions
    channels: tuple[int, ...]
    """The file's channels in order: (0, 1) for a two-party call, (MIXDOWN,) for one channel."""


@dataclass(frozen=True, slots=True)
class LiveFinish:
    """Sent by the caller during a LiveRequest: the recording stopped after `frames` frames of its file."""

    frames: int


@dataclass(frozen=True, slots=True)
class LiveSegment:
    """A final segment of the recording, in recording time: it will not be decoded again."""

    segment: TranscribedSegment


@dataclass(frozen=True, slots=True)
class LiveProgress:
    """How much has been recorded and how much of it the live transcriber has listened to (an utterance it
    has heard is transcribed at its pause): the difference is the backlog it has fallen behind by."""

    heard_ms: int
    listened_ms: int

    @property
    def behind_ms(self) -> int:
        return max(0, self.heard_ms - self.listened_ms)


@dataclass(frozen=True, slots=True)
class LiveDone:
    """The recording's last utterance is transcribed; `duration_ms` is how long the recording is."""

    duration_ms: int


@dataclass(frozen=True, slots=True)
class LoadModel:
    """Load the model now, while the caller prepares the first request (no reply)."""

    model_path: str


@dataclass(frozen=True, slots=True)
class PassStarted:
    duration_ms: int


@dataclass(frozen=True, slots=True)
class SegmentReady:
    segment: TranscribedSegment
    duration_ms: int

    @property
    def progress(self) -> float:
        """How far through this channel the transcript has got (segment end / duration)."""
        return min(self.segment.end_ms / self.duration_ms, 1.0) if self.duration_ms else 1.0


@dataclass(frozen=True, slots=True)
class PassDone:
    duration_ms: int


@dataclass(frozen=True, slots=True)
class PassFailed:
    message: str


@dataclass(frozen=True, slots=True)
class StageDone:
    """A StageRequest finished; its own messages came before this."""


WorkerMessage = (
    PassStarted
    | SegmentReady
    | HoleRepaired
    | PassDone
    | PassFailed
    | StageDone
    | LiveSegment
    | LiveProgress
    | LiveDone
)
