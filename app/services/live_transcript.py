"""The transcript of a call while it is recorded: each line kept on disk the moment it is transcribed.

A `LiveTranscript` runs a LiveRequest on its own worker process (the model stays loaded for the whole call)
from a thread, so neither the recorder nor a window waits for it. Every segment the worker sends is appended
to a journal beside the recording and synced to disk *before* anyone is told about it: a line that was
shown survives a kill. When the recording is imported (`services/recording.py`) the journal becomes the
interview's transcription job, committed segment by segment with each channel's cursor, exactly as a pass
commits; running that job transcribes only what comes after the cursors (the last utterance, or whatever a
crash left), checks coverage and labels the speakers.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.domain.transcript import MIXDOWN, SpeakerRole, TranscribedSegment, words_from_json, words_to_json
from app.transcription.messages import LiveDone, LiveProgress, LiveRequest, LiveSegment, PassFailed
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionCancelled, TranscriptionWorker, WorkerCrashed

LIVE_NICENESS = 10
"""The live transcriber's worker runs this much below the window's CPU priority: on two cores its decoding
took both while the window waited for one (`bench/live.py --watch`). The recording and the window come
first; the transcript falls behind instead, and says so."""
FINISH_TIMEOUT_S = 120.0
"""Stop waits this long for the live transcript to catch up; the rest is then left to the job's passes."""


@dataclass(frozen=True, slots=True)
class LiveLine:
    """One line of the live transcript, kept on disk: who said it (by channel role) and when."""

    segment: TranscribedSegment
    role: SpeakerRole | None
    """Interviewer or customer for a two-party call; None for one channel (speakers come after Stop)."""


class LiveTranscript:
    """Transcribe the growing WAV at `wav` into the journal at `journal`, telling `on_line` each line.

    `on_line` and `on_progress` are called on this object's thread.
    """

    def __init__(
        self,
        wav: Path,
        journal: Path,
        roles: tuple[SpeakerRole, ...] | None,
        options: TranscriptionOptions,
        model_path: str,
        on_line: Callable[[LiveLine], None] | None = None,
        on_progress: Callable[[LiveProgress], None] | None = None,
    ) -> None:
        self.journal = journal
        self._roles = roles
        self._on_line = on_line
        self._on_progress = on_progress
        channels = tuple(range(len(roles))) if roles else (MIXDOWN,)
        self._request = LiveRequest(str(wav), model_path, options, channels)
        self._worker = TranscriptionWorker(niceness=LIVE_NICENESS)
        self._answering = threading.Event()  # the worker has the request: a LiveFinish now reaches it
        self._done = threading.Event()
        self.failure: str | None = None
        self.progress = LiveProgress(0, 0)
        self._thread = threading.Thread(target=self._run, name="earful-live-transcript", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def behind_ms(self) -> int:
        """How far the transcript trails the recording (it falls behind, never the recording)."""
        return self.progress.behind_ms

    def finish(self, frames: int, timeout: float = FINISH_TIMEOUT_S) -> None:
        """The recording ended after `frames` frames: transcribe the rest and wait (at most `timeout`; what
        is not done by then is left to the job, which resumes after the last line kept)."""
        deadline = time.monotonic() + timeout
        if self._answering.wait(timeout):
            self._worker.finish_live(frames)
        if not self._done.wait(max(0.0, deadline - time.monotonic())):
            self._worker.cancel()
        self._thread.join()
        self._worker.close()

    def abort(self) -> None:
        """Stop now (the recording is thrown away)."""
        self._worker.cancel()
        self._thread.join()
        self._worker.close()

    def _run(self) -> None:
        try:
            with open(self.journal, "a", encoding="utf-8") as journal:
                for message in self._worker.run(self._request):
                    self._answering.set()
                    if isinstance(message, LiveSegment):
                        self._keep(journal, message.segment)
                    elif isinstance(message, LiveProgress):
                        self.progress = message
                        if self._on_progress is not None:
                            self._on_progress(message)
                    elif isinstance(message, PassFailed):
                        self.failure = message.message
                    elif isinstance(message, LiveDone):
                        break
        except TranscriptionCancelled:
            pass
        except (WorkerCrashed, OSError) as error:
            self.failure = f"The live transcript stopped ({error}); the call is transcribed after Stop."
        finally:
            self._answering.set()
            self._done.set()

    def _keep(self, journal, segment: TranscribedSegment) -> None:
        journal.write(json.dumps(_segment_to_json(segment)) + "\n")
        journal.flush()
        os.fsync(journal.fileno())
        if self._on_line is not None:
            role = self._roles[segment.channel] if self._roles and segment.channel is not None else None
            self._on_line(LiveLine(segment, role))


def journal_segments(path: Path) -> list[TranscribedSegment]:
    """The segments a journal kept, in the order they were transcribed; a line cut off by a crash is left
    out (its utterance is transcribed again after the cursor)."""
    segments = []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else ()
    for line in lines:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            segments.append(_segment_from_json(json.loads(line)))
    return segments


def _segment_to_json(segment: TranscribedSegment) -> dict:
    return {
        "channel": segment.channel,
        "start_ms": segment.start_ms,
        "end_ms": segment.end_ms,
        "text": segment.text,
        "words": words_to_json(segment.words),
    }


def _segment_from_json(fields: dict) -> TranscribedSegment:
    return TranscribedSegment(
        start_ms=int(fields["start_ms"]),
        end_ms=int(fields["end_ms"]),
        text=str(fields["text"]),
        words=words_from_json(fields["words"]),
        channel=None if fields["channel"] is None else int(fields["channel"]),
    )
