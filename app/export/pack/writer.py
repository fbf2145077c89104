"""Writing a pack to a folder: everything is rendered into a hidden staging folder beside the target and
moved into place only when every file is complete, so a failed or cancelled export leaves nothing behind.

Before anything is rendered, the files the pack will write are named: existing ones are replaced only when
the caller says so (the window asks, the CLI needs --overwrite), and no file is written through a symbolic
link that leads out of the chosen folder (`OUT/pack transcripts` pointing elsewhere).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from app.export.pack.clips import encode_clip, encode_recording
from app.export.pack.formats import FORMATS, PackAudio
from app.export.pack.model import Pack

CLIP_WORKERS = min(4, os.cpu_count() or 1)
Key = TypeVar("Key")
Source = TypeVar("Source")


class ExportError(Exception):
    """An export that could not be written; the message says why and what to do."""


class ExportCancelled(Exception):
    pass


class ExportExists(ExportError):
    """The pack would replace files already in the folder, and replacing was not asked for."""

    def __init__(self, folder: Path, existing: list[Path]) -> None:
        names = ", ".join(path.relative_to(folder).as_posix() for path in existing[:3])
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        super().__init__(f"{folder} already holds {names}{more} from an earlier export. Nothing was written.")
        self.existing = existing


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
    overwrite: bool = False,
) -> list[Path]:
    """Render `pack` in each of `formats` into `folder` (files named after `stem`); returns the files.

    Raises ExportExists, before writing anything, if a file would be replaced and `overwrite` is False."""
    existing = existing_files(pack, folder, stem, formats)
    if existing and not overwrite:
        raise ExportExists(Path(folder), existing)
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
        clips = _encoded(
            {quote.id: quote.clip for quote in with_clips},
            encode_clip,
            [f"Cutting the clip of {quote.attribution}" for quote in with_clips],
            step,
        )
        recordings = _encoded(
            {interview.number: interview.recording for interview in with_recordings},
            encode_recording,
            [f"Encoding the recording of {interview.heading}" for interview in with_recordings],
            step,
        )
        names: list[str] = []
        for pack_format in chosen:
            step(f"Writing {pack_format.label}")
            for name, data in pack_format.render(pack, stem, PackAudio(clips, recordings)).items():
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as file:
                    for piece in (data,) if isinstance(data, bytes) else data:
                        file.write(piece)
                names.append(name)
        step("Moving the files into place")
        written = [_move(staging / name, folder, name) for name in names]
        step.finish()
        return written
    except OSError as error:
        raise ExportError(_explain(error, folder)) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def planned_files(pack: Pack, folder: Path, stem: str, formats: Sequence[str]) -> list[Path]:
    """Every file exporting `pack` in `formats` would write; ExportError for an unknown format or a path
    that a symbolic link would lead out of `folder`."""
    unknown = [key for key in formats if key not in FORMATS]
    if unknown or not formats:
        raise ExportError(f"Choose formats among: {', '.join(FORMATS)} (got {', '.join(unknown) or 'none'}).")
    folder, stem = Path(folder), safe_stem(stem)
    targets = [folder / name for key in dict.fromkeys(formats) for name in FORMATS[key].names(pack, stem)]
    for target in targets:
        _refuse_links(folder, target)
    return targets


def existing_files(pack: Pack, folder: Path, stem: str, formats: Sequence[str]) -> list[Path]:
    """The files of this export already in the folder: what exporting would replace."""
    return [path for path in planned_files(pack, folder, stem, formats) if os.path.lexists(path)]


def _refuse_links(folder: Path, target: Path) -> None:
    """Folders between `folder` and `target` must be real folders: a link there would carry the file out
    of the folder the user chose. (The target itself may be a link: a rename replaces the link.)"""
    for parent in target.relative_to(folder).parents:
        if parent == Path("."):
            continue
        between = folder / parent
        if between.is_symlink():
            raise ExportError(
                f"{between} is a link to {os.path.realpath(between)}; Earful writes a pack only inside "
                f"{folder}. Remove the link or choose another folder. Nothing was written."
            )
        if between.exists() and not between.is_dir():
            raise ExportError(f"{between} is a file where the pack needs a folder. Nothing was written.")


def _encoded(
    sources: dict[Key, Source], encode: Callable[[Source], bytes], steps: list[str], step: _Steps
) -> dict[Key, bytes]:
    """Each source (a quote's clip, a whole recording) encoded on a few threads (PyAV lets go of the GIL
    while it decodes and encodes: a pack of thousands of quotes is mostly AAC encoding), reported and
    cancellable one by one, in order, each under its line of `steps`."""
    pool = ThreadPoolExecutor(max_workers=CLIP_WORKERS, thread_name_prefix="pack-audio")
    try:
        pending = [(key, pool.submit(encode, source)) for key, source in sources.items()]
        encoded = {}
        for (key, future), said in zip(pending, steps, strict=True):
            step(said)
            encoded[key] = future.result()
        return encoded
    finally:  # after a cancel or a failure: drop the ones not started, wait for the few running
        pool.shutdown(wait=True, cancel_futures=True)


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


def _move(source: Path, folder: Path, name: str) -> Path:
    target = folder / name
    _refuse_links(folder, target)  # again: a link made while the pack was rendering counts too
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)  # atomic within a file system; staging is inside the target folder
    return target


def _explain(error: OSError, folder: Path) -> str:
    if error.errno == errno.ENOSPC:
        return f"The disk holding {folder} is full. Free some space and export again; nothing was written."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Cannot write to {folder}: it is read-only. Choose another folder; nothing was written."
    return f"Could not write the pack to {folder}: {error.strerror or error}. Nothing was written."
