"""Writing a pack to a folder: everything is rendered into a hidden staging folder beside the target and
moved into place only when every file is complete, so a failed or cancelled export leaves nothing behind.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.export.pack.clips import encode_clip, encode_recording
from app.export.pack.formats import FORMATS, PackAudio
from app.export.pack.model import Pack


class ExportError(Exception):
    """An export that could not be written; the message says why and what to do."""


class ExportCancelled(Exception):
    pass


@dataclass(frozen=True, slots=True)
class ExportProgress:
    done: int
    total: int
    step: str

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def export_pack(
    pack: Pack,
    folder: Path,
    stem: str,
    formats: Sequence[str],
    on_progress: Callable[[ExportProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[Path]:
    """Render `pack` in each of `formats` into `folder` (files named after `stem`); returns the files."""
    unknown = [key for key in formats if key not in FORMATS]
    if unknown or not formats:
        raise ExportError(f"Choose formats among: {', '.join(FORMATS)} (got {', '.join(unknown) or 'none'}).")
    stem = safe_stem(stem)
    chosen = [FORMATS[key] for key in dict.fromkeys(formats)]
    with_clips = [quote for quote in pack.quotes if quote.clip] if any(f.needs_clips for f in chosen) else []
    with_clips.sort(
        key=lambda quote: (str(quote.clip.audio), quote.clip.start_ms)
    )  # reads each file in order
    with_recordings = (
        [i for i in pack.interviews if i.recording] if any(f.needs_recordings for f in chosen) else []
    )
    total = len(with_clips) + len(with_recordings) + len(chosen) + 1
    step = _Steps(total, on_progress, cancel)
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".partial", dir=folder))
    except OSError as error:
        raise ExportError(_explain(error, folder)) from error
    try:
        clips = {}
        for quote in with_clips:
            step(f"Cutting the clip of {quote.attribution}")
            clips[quote.id] = encode_clip(quote.clip)
        recordings = {}
        for interview in with_recordings:
            step(f"Encoding the recording of {interview.heading}")
            recordings[interview.number] = encode_recording(interview.recording)
        names: list[str] = []
        for pack_format in chosen:
            step(f"Writing {pack_format.label}")
            for name, data in pack_format.render(pack, stem, PackAudio(clips, recordings)).items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                names.append(name)
        step("Moving the files into place")
        written = [_move(staging / name, folder / name) for name in names]
        step.finish()
        return written
    except OSError as error:
        raise ExportError(_explain(error, folder)) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def safe_stem(stem: str) -> str:
    """A file name from a title: no path separators or characters Windows refuses, not too long."""
    cleaned = "".join("" if c == ":" else "-" if c in '<>"/\\|?*' or ord(c) < 32 else c for c in stem)
    cleaned = " ".join(cleaned.split()).strip(" .")
    return cleaned[:80].rstrip(" .") or "Conversation pack"


class _Steps:
    def __init__(self, total: int, on_progress, cancel: threading.Event | None) -> None:
        self._done = 0
        self._total = total
        self._on_progress = on_progress
        self._cancel = cancel

    def __call__(self, label: str) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise ExportCancelled()
        if self._on_progress is not None:
            self._on_progress(ExportProgress(self._done, self._total, label))
        self._done += 1

    def finish(self) -> None:
        if self._on_progress is not None:
            self._on_progress(ExportProgress(self._total, self._total, "Done"))


def _move(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)  # atomic within a file system; staging is inside the target folder
    return target


def _explain(error: OSError, folder: Path) -> str:
    if error.errno == errno.ENOSPC:
        return f"The disk holding {folder} is full. Free some space and export again; nothing was written."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Cannot write to {folder}: it is read-only. Choose another folder; nothing was written."
    return f"Could not write the pack to {folder}: {error.strerror or error}. Nothing was written."
