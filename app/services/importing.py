"""Copy recordings into the library, or refuse them and leave nothing behind (the CLI and the window both
import through `import_recordings`)."""

from __future__ import annotations

import errno
import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.domain.interview import Interview, Recording
from app.domain.timecode import clock
from app.domain.transcript import SpeakerRole
from app.library import Library
from app.library.library import PARTIAL_SUFFIX
from app.library.transactions import writing
from app.media.errors import MediaError
from app.media.peaks import PEAK_RESOLUTION_MS
from app.media.probe import AudioInfo, probe

# The usual convention of call recorders: the microphone (you) left, the other party right.
TWO_PARTY_ROLES = (SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER)


@dataclass(frozen=True, slots=True)
class ImportResult:
    interview: Interview
    recording: Recording
    duplicate: bool
    """The same audio was already in the library; nothing new was added."""
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class FileImport:
    """What became of one file of a batch: imported (or found already imported), or refused."""

    source: Path
    result: ImportResult | None
    refusal: str | None = None
    """Why the file was not imported (it names the file); then `result` is None."""

    @property
    def notes(self) -> list[str]:
        """The result's notes, each naming the file it is about (a batch mixes files)."""
        return [f"{self.source.name}: {note}" for note in self.result.notes] if self.result else []


@dataclass(frozen=True, slots=True)
class ImportBatch:
    files: list[FileImport]

    @property
    def new_interview_ids(self) -> list[int]:
        """Interviews this batch added (files already in the library add none)."""
        return [f.result.interview.id for f in self.files if f.result and not f.result.duplicate]

    @property
    def notes(self) -> list[str]:
        return [note for f in self.files for note in f.notes]

    @property
    def refusals(self) -> list[str]:
        return [f.refusal for f in self.files if f.refusal is not None]


def import_recordings(
    library: Library,
    sources: Iterable[Path],
    title: str | None = None,
    channel_roles: tuple[SpeakerRole, ...] | None = None,
    on_file: Callable[[FileImport], None] | None = None,
) -> ImportBatch:
    """Import each file in turn; a file that cannot be imported is refused with its reason and the others
    still go in. `on_file` hears about each file as soon as it is done (the CLI prints as it goes)."""
    files = []
    for source in map(Path, sources):
        try:
            done = FileImport(source, import_recording(library, source, title, channel_roles))
        except MediaError as error:
            done = FileImport(source, None, refusal=str(error))
        files.append(done)
        if on_file is not None:
            on_file(done)
    return ImportBatch(files)


def import_recording(
    library: Library,
    source: Path,
    title: str | None = None,
    channel_roles: tuple[SpeakerRole, ...] | None = None,
    **metadata: str | None,
) -> ImportResult:
    """Import one audio or video file as a new interview.

    Raises MediaError (naming the file and the reason) for anything that cannot be imported; then neither
    a row nor a file is left behind.
    """
    source = Path(source)
    info = probe(source)
    roles, notes = _channel_roles(source, info, channel_roles)
    if info.truncated:
        notes.append(f"the file is cut off; imported the {clock(info.duration_ms)} that decode.")
    partial, sha256 = _copy_hashing(source, library.audio_dir)
    existing = library.recordings.by_sha256(sha256)
    if existing is not None:
        partial.unlink(missing_ok=True)
        interview = library.interviews.get(existing.interview_id)
        return ImportResult(
            interview,
            existing,
            duplicate=True,
            notes=(f"already in the library as interview {interview.id}.",),
        )
    stored = library.audio_dir / f"{sha256}{source.suffix.lower()}"
    os.replace(partial, stored)
    try:
        with writing(library.db):
            interview = library.interviews.create(title or source.stem, **metadata)
            recording = library.recordings.add(
                interview.id,
                file=stored.name,
                original_name=source.name,
                sha256=sha256,
                duration_ms=info.duration_ms,
                sample_rate=info.sample_rate,
                channels=info.channels,
                channel_roles=roles,
                truncated=info.truncated,
            )
            library.recordings.set_peaks(recording.id, info.peaks, PEAK_RESOLUTION_MS)
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    return ImportResult(interview, recording, duplicate=False, notes=tuple(notes))


def _channel_roles(
    source: Path, info: AudioInfo, requested: tuple[SpeakerRole, ...] | None
) -> tuple[tuple[SpeakerRole, ...] | None, list[str]]:
    if requested:
        if len(requested) == 1 and info.channels >= 1:
            return requested, []
        if len(requested) != info.channels or info.channels != 2:
            raise MediaError(
                source,
                f"has {info.channels} channel(s); give one role for the whole recording, or two for a "
                "two-channel call (e.g. --channels interviewer,customer).",
            )
        return requested, []
    if info.channels == 2 and info.separate_channels:
        return TWO_PARTY_ROLES, [
            "the two channels carry different voices: left = interviewer, right = customer."
        ]
    return None, []


def _copy_hashing(source: Path, audio_dir: Path) -> tuple[Path, str]:
    """Copy `source` into the library under a temporary name, hashing as we go."""
    partial = audio_dir / f"{uuid.uuid4().hex}{PARTIAL_SUFFIX}"
    digest = hashlib.sha256()
    try:
        with open(source, "rb") as reader, open(partial, "wb") as writer:
            for block in iter(lambda: reader.read(1 << 20), b""):
                digest.update(block)
                writer.write(block)
            writer.flush()
            os.fsync(writer.fileno())
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.errno == errno.ENOSPC:
            raise MediaError(source, "could not be copied into the library: the disk is full.") from error
        raise MediaError(
            source, f"could not be copied into the library ({error.strerror or error})."
        ) from error
    return partial, digest.hexdigest()
