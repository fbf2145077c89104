"""Record a call into the library, and bring back recordings a crash interrupted.

While recording, everything lives in the library's `recording/` folder: the growing WAV, a JSON note of
what it is (title, who is on which channel, the guide) and the markers, appended one line each as they are
stamped. Nothing goes into the database until the recording stops; then the WAV is imported like any
other call (channel roles interviewer/customer, so transcription labels each channel) together with its
markers. A file lock held while recording tells a live recording from one whose process died: at the next
start those are repaired, imported with "(recovered)" in the title, and their files removed.

With the live transcript on, the folder also holds its journal (`services/live_transcript.py`): at import
its lines become the interview's transcription job, so a crash keeps every line already transcribed. Quotes
filed on the live text during the call are kept the way markers are, one line each, and filed in the
interview once its live lines are in (they can only quote words the journal already holds).
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from app.domain.interview import Interview, Recording
from app.domain.timecode import clock
from app.domain.transcript import SpeakerRole
from app.guides.dumping import dump_guide
from app.guides.model import Guide
from app.library import Library, LibraryError
from app.library.markers import Marker, MarkerKind
from app.library.transactions import writing
from app.media.devices import InputDevice
from app.media.errors import MediaError
from app.media.recorder import Recorder, RecorderStats, why_not_written
from app.media.wav_writer import RecordingFailed, repair_wav
from app.services.importing import TWO_PARTY_ROLES, import_recording
from app.services.live_transcript import LiveLine, LiveTranscript, journal_segments
from app.services.tagging import Tagger
from app.services.transcribing import adopt_transcript, check_options, library_options
from app.transcription.messages import LiveProgress

IN_PROGRESS_DIR = "recording"
RECOVERED = "(recovered)"


@dataclass(frozen=True, slots=True)
class StampedMarker:
    """A marker stamped during the recording, before the interview exists."""

    at_ms: int
    kind: MarkerKind
    question: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class StampedQuote:
    """Words quoted from the live transcript during the call, before the interview exists."""

    start_ms: int
    end_ms: int
    channel: int | None
    """Whose words (a two-party call's channel), or None for words of both sides or one mixed channel."""
    question: str | None
    """The guide question stamped last before the words: the one they answer."""


@dataclass(frozen=True, slots=True)
class RecordedInterview:
    """A recording now in the library: the interview to transcribe next."""

    interview: Interview
    recording: Recording
    markers: list[Marker]
    stats: RecorderStats | None
    """None for a recovered recording: its recorder died with its counts."""
    recovered: bool
    problem: str | None = None
    """Why the recording stopped early (e.g. a full disk), if it did; what was recorded is kept."""
    live_lines: int = 0
    """Lines the live transcript kept (now the start of the interview's transcription job)."""
    live_problem: str | None = None
    """Why the live transcript stopped early, if it did; the job transcribes the rest."""
    quotes: int = 0
    """Quotes filed on the live transcript during the call, now in the interview."""


class _Files:
    """The files of one recording in progress, named after its WAV."""

    def __init__(self, wav: Path) -> None:
        self.wav = wav
        self.note = wav.with_suffix(".json")
        self.markers = wav.with_suffix(".markers.jsonl")
        self.journal = wav.with_suffix(".live.jsonl")
        self.quotes = wav.with_suffix(".quotes.jsonl")
        # Not thread-local: a window records on its GUI thread and imports on a worker.
        self.lock = FileLock(wav.with_suffix(".lock"), thread_local=False)

    def remove(self) -> None:
        for path in (self.wav, self.note, self.markers, self.journal, self.quotes):
            path.unlink(missing_ok=True)
        self.lock.release()
        Path(self.lock.lock_file).unlink(missing_ok=True)


class RecordingSession:
    """One call being recorded: stamp markers, pause, resume, then `stop` to put it in the library."""

    def __init__(
        self, library: Library, recorder: Recorder, files: _Files, live: LiveTranscript | None = None
    ) -> None:
        self._library = library
        self.recorder = recorder
        self.live = live
        self._files = files
        self.markers: list[StampedMarker] = []
        self.quotes: list[StampedQuote] = []

    def mark(
        self, kind: MarkerKind | str, question: str | None = None, label: str | None = None
    ) -> StampedMarker:
        """Stamp this moment; kept on disk at once, so a crash keeps it with the audio."""
        marker = StampedMarker(self.recorder.position_ms(), MarkerKind(kind), question, label)
        self.markers.append(marker)
        _keep(
            self._files.markers,
            {"at_ms": marker.at_ms, "kind": marker.kind.value, "question": question, "label": label},
        )
        return marker

    def file_quote(self, start_ms: int, end_ms: int, channel: int | None) -> StampedQuote:
        """Quote the live transcript's words from `start_ms` to `end_ms` (kept on disk at once, as a marker
        is), under the question stamped last before them; it is filed in the interview when it is saved."""
        if end_ms <= start_ms:
            raise LibraryError("A quote must end after it starts.")
        asked = [m for m in self.markers if m.kind is MarkerKind.QUESTION and m.at_ms <= start_ms]
        quote = StampedQuote(
            start_ms, end_ms, channel, max(asked, key=lambda m: m.at_ms).question if asked else None
        )
        self.quotes.append(quote)
        _keep(
            self._files.quotes,
            {"start_ms": start_ms, "end_ms": end_ms, "channel": channel, "question": quote.question},
        )
        return quote

    def pause(self) -> None:
        self.recorder.pause()

    def resume(self) -> None:
        self.recorder.resume()

    def finish(self) -> FinishedRecording:
        """Stop recording and close the file, after the sound still on its way from the sound server (a few
        hundred ms: not on a GUI thread); `import_finished` then puts it in the library.

        Raises RecordingFailed when nothing was recorded (the files are removed)."""
        problem = None
        try:
            stats = self.recorder.stop()
        except RecordingFailed as failure:
            stats, problem = self.recorder.stats, str(failure)
        if stats.frames_written == 0:
            if self.live is not None:
                self.live.abort()
            self._files.remove()
            raise RecordingFailed(
                problem or "Nothing was recorded: the call was stopped before any sound came in."
            )
        return FinishedRecording(
            self._files, stats, problem, tuple(self.markers), self.live, tuple(self.quotes)
        )

    def discard(self) -> None:
        """Stop and throw the recording away (nothing worth keeping came in)."""
        with contextlib.suppress(RecordingFailed):
            self.recorder.stop()
        if self.live is not None:
            self.live.abort()
        self._files.remove()

    def stop(self, into: Library | None = None) -> RecordedInterview:
        """`finish`, then import into `into` (a connection of the calling thread: a window stops on a pool
        thread, since finishing waits for the sound still on its way) or this session's library."""
        return import_finished(into or self._library, self.finish())


@dataclass(frozen=True, slots=True)
class FinishedRecording:
    """A recording whose file is complete, waiting to be imported (by any thread, with its own Library)."""

    files: _Files
    stats: RecorderStats
    problem: str | None
    """Why the recording stopped early (e.g. a full disk), if it did; what was recorded is kept."""
    markers: tuple[StampedMarker, ...]
    live: LiveTranscript | None = None
    quotes: tuple[StampedQuote, ...] = ()


def import_finished(library: Library, finished: FinishedRecording) -> RecordedInterview:
    """Import a finished recording with its markers, guide and live transcript, then remove its working
    files. With a live transcript this first waits for its last utterance (seconds: call it off the GUI
    thread)."""
    live_problem = None
    if finished.live is not None:
        finished.live.finish(finished.stats.frames_written)
        live_problem = finished.live.failure
    recorded = _import(
        library, finished.files, finished.markers, finished.quotes, finished.stats, finished.problem
    )
    return replace(recorded, live_problem=live_problem) if live_problem else recorded


def start_recording(
    library: Library,
    you: InputDevice,
    customer: InputDevice | None = None,
    title: str | None = None,
    guide: Guide | None = None,
    live: bool = False,
    on_line: Callable[[LiveLine], None] | None = None,
    on_progress: Callable[[LiveProgress], None] | None = None,
) -> RecordingSession:
    """Start recording `you` (and `customer` on the second channel) into the library; with `live`, transcribe
    it as it is recorded (with the library's transcription options), telling `on_line` each line kept and
    `on_progress` how far behind the transcript is (both on the live transcript's thread).

    Raises AudioUnavailable for a device that cannot be opened, LibraryError when the library cannot take
    the file (read-only, full), and ModelError (live) when the model cannot be used.
    """
    model_path = str(check_options(library_options(library)).path) if live else None
    started = datetime.now().astimezone()
    folder = library.root / IN_PROGRESS_DIR
    files = _Files(folder / f"{started:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.wav")
    guide_id = None
    if guide is not None:
        guide_id = library.guides.store(guide.slug, guide.version, guide.name, dump_guide(guide)).id
    note = {
        "title": title or f"Call {started:%Y-%m-%d %H:%M}",
        "date": f"{started:%Y-%m-%d}",
        "roles": [role.value for role in TWO_PARTY_ROLES] if customer is not None else None,
        "guide_id": guide_id,
        "devices": [device.key for device in (you, customer) if device is not None],
    }
    try:
        folder.mkdir(exist_ok=True)
        files.lock.acquire(timeout=0)
        files.note.write_text(json.dumps(note, indent=1), encoding="utf-8")
        recorder = Recorder(files.wav, you, customer)
    except OSError as error:
        files.remove()
        raise LibraryError(
            f"Cannot record into the library in {library.root}: {why_not_written(error)}"
        ) from error
    except BaseException:
        files.remove()
        raise
    transcript = None
    if model_path is not None:
        roles = TWO_PARTY_ROLES if customer is not None else None
        transcript = LiveTranscript(
            files.wav, files.journal, roles, library_options(library), model_path, on_line, on_progress
        )
    recorder.start()
    if transcript is not None:
        transcript.start()
    return RecordingSession(library, recorder, files, transcript)


def unfinished_recordings(library: Library) -> list[Path]:
    """Recordings whose process died before it stopped (a live one holds its lock and is left alone)."""
    folder = library.root / IN_PROGRESS_DIR
    found = []
    for wav in sorted(folder.glob("*.wav")) if folder.is_dir() else ():
        lock = FileLock(wav.with_suffix(".lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue
        lock.release()
        found.append(wav)
    return found


@dataclass(frozen=True, slots=True)
class Recovery:
    interviews: list[RecordedInterview]
    problems: list[str]
    """One sentence per recording that could not be imported; its files are left for another try."""


def recover_recordings(library: Library) -> Recovery:
    """Import every unfinished recording, marked recovered. Call at start-up, before recording again."""
    recovered, problems = [], []
    for wav in unfinished_recordings(library):
        files = _Files(wav)
        try:
            files.lock.acquire(timeout=0)
        except Timeout:
            continue  # a recorder started on it meanwhile
        try:
            frames = repair_wav(wav)
        except RecordingFailed:
            frames = 0  # the process died before it wrote the header
        if frames == 0:
            files.remove()  # no sound to keep
            continue
        try:
            recovered.append(
                _import(
                    library, files, _stamped(files.markers), _quoted(files.quotes), stats=None, problem=None
                )
            )
        except LibraryError as error:
            files.lock.release()
            problems.append(str(error))
    return Recovery(recovered, problems)


def _import(
    library: Library,
    files: _Files,
    markers: Sequence[StampedMarker],
    quotes: Sequence[StampedQuote],
    stats: RecorderStats | None,
    problem: str | None,
) -> RecordedInterview:
    note = json.loads(files.note.read_text(encoding="utf-8")) if files.note.exists() else {}
    recovered = stats is None
    title = note.get("title") or files.wav.stem
    roles = tuple(SpeakerRole(role) for role in note["roles"]) if note.get("roles") else None
    try:
        result = import_recording(
            library,
            files.wav,
            title=f"{title} {RECOVERED}" if recovered else title,
            channel_roles=roles,
            interview_date=note.get("date"),
        )
    except MediaError as error:
        raise LibraryError(
            f"The recording {files.wav} could not be imported ({error.reason}); it was left in place."
        ) from error
    interview_id = result.interview.id
    live = journal_segments(files.journal)
    if live and not result.duplicate:
        adopt_transcript(library, result.recording, library_options(library), live)
    with writing(library.db):
        # A recording imported before a crash comes back as a duplicate that already has its markers.
        if not library.markers.of_interview(interview_id):
            for marker in markers:
                library.markers.add(interview_id, marker.at_ms, marker.kind, marker.question, marker.label)
        if note.get("guide_id") is not None:
            library.guides.use(interview_id, note["guide_id"])
        filed, unfiled = _file_quotes(library, interview_id, quotes)
    if unfiled:
        problem = " ".join(filter(None, (problem, unfiled)))
    files.remove()
    return RecordedInterview(
        result.interview,
        result.recording,
        library.markers.of_interview(interview_id),
        stats,
        recovered,
        problem,
        live_lines=len(live),
        quotes=filed,
    )


def _file_quotes(library: Library, interview_id: int, quotes: Sequence[StampedQuote]) -> tuple[int, str]:
    """File the quotes of the call in its interview: how many, and what to tell the user of any that could
    not be (the words they quoted are not in the transcript). A recording imported before a crash comes
    back as a duplicate whose quotes are in already."""
    if library.quotes.for_interview(interview_id):
        return 0, ""
    tagger, filed, reasons = Tagger(library), 0, []
    for quote in quotes:
        try:
            tagger.add_quote(
                interview_id, quote.start_ms, quote.end_ms, quote.question, channel=quote.channel
            )
        except LibraryError as error:
            reasons.append(f"{clock(quote.start_ms)}: {error}")
        else:
            filed += 1
    if not reasons:
        return filed, ""
    return filed, f"{len(reasons)} quote(s) filed during the call could not be kept ({'; '.join(reasons)})"


def _stamped(path: Path) -> list[StampedMarker]:
    return [
        StampedMarker(fields["at_ms"], MarkerKind(fields["kind"]), fields["question"], fields["label"])
        for fields in _kept(path, ("at_ms", "kind", "question", "label"))
    ]


def _quoted(path: Path) -> list[StampedQuote]:
    return [
        StampedQuote(fields["start_ms"], fields["end_ms"], fields["channel"], fields["question"])
        for fields in _kept(path, ("start_ms", "end_ms", "channel", "question"))
    ]


def _keep(path: Path, fields: dict[str, object]) -> None:
    """Append one stamp to its file and sync it. A full disk must not lose the stamp: it is kept in memory
    too, and only a crash would lose both."""
    with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(fields) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _kept(path: Path, names: tuple[str, ...]) -> list[dict]:
    """The stamps `_keep` wrote, skipping the last line when a crash cut it off."""
    kept = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else ():
        try:
            fields = json.loads(line)
            kept.append({name: fields[name] for name in names})
        except (ValueError, KeyError, TypeError):
            continue
    return kept
