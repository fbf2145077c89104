"""A 16-bit PCM WAV that survives a crash: written as it grows, its header repaired after a kill.

The data reaches the operating system at every append, so a killed process loses nothing it appended; the
header is patched and the file synced to disk every time `sync` is called (the recorder: each second), so
even a machine that dies loses at most that. `repair_wav` fixes the header of a file whose writer never
finished. The live transcriber reads the same file while it grows (`wav_frames_on_disk`, `read_wav_frames`).
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np

WAV_HEADER_BYTES = 44
_MAX_DATA_BYTES = 0xFFFFFFFF - WAV_HEADER_BYTES


class RecordingFailed(Exception):
    """The recording stopped before the user stopped it (e.g. the disk is full); the message says why."""


class CrashSafeWav:
    """A 16-bit PCM WAV written as it grows: appended straight to the OS, header and disk synced on `sync`."""

    def __init__(self, path: Path, samplerate: int, channels: int) -> None:
        self.path = path
        self.samplerate = samplerate
        self.channels = channels
        self.frames = 0
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(self._fd, _wav_header(samplerate, channels, 0))
        except OSError:
            self.close()
            raise

    def append(self, frames: np.ndarray) -> None:
        data = np.ascontiguousarray(frames, dtype="<i2").tobytes()
        if WAV_HEADER_BYTES + (self.frames + len(frames)) * self.channels * 2 > _MAX_DATA_BYTES:
            raise RecordingFailed("The recording reached the 4 GB limit of a WAV file and was stopped.")
        written = 0
        while written < len(data):
            written += os.write(self._fd, data[written:])
        self.frames += len(frames)

    def sync(self) -> None:
        """Make the header tell the length so far, and put everything on the disk."""
        _patch_header(self._fd, self.frames * self.channels * 2)
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd < 0:
            return
        try:
            self.sync()
        finally:
            os.close(self._fd)
            self._fd = -1


def repair_wav(path: Path) -> int:
    """Make the header of a WAV a killed recorder left behind match the whole frames on disk; returns them."""
    with open(path, "r+b") as handle:
        channels = _channels(handle.read(WAV_HEADER_BYTES), path)
        block_align = channels * 2
        data_bytes = (os.fstat(handle.fileno()).st_size - WAV_HEADER_BYTES) // block_align * block_align
        handle.truncate(WAV_HEADER_BYTES + data_bytes)  # a half-written frame at the end
        _patch_header(handle.fileno(), data_bytes)
        os.fsync(handle.fileno())
    return data_bytes // block_align


def wav_format(path: Path) -> tuple[int, int]:
    """(samplerate, channels) of a WAV this module writes, read from its header."""
    with open(path, "rb") as handle:
        header = handle.read(WAV_HEADER_BYTES)
    return struct.unpack("<I", header[24:28])[0], _channels(header, path)


def wav_frames_on_disk(path: Path, channels: int) -> int:
    """Whole frames in a growing WAV, whatever its header says (the header lags by up to a sync)."""
    return max(0, (os.stat(path).st_size - WAV_HEADER_BYTES) // (channels * 2))


def read_wav_frames(path: Path, channels: int, first: int, count: int) -> np.ndarray:
    """Frames `first` … `first + count` of a growing WAV as int16, shaped (frames, channels)."""
    with open(path, "rb") as handle:
        handle.seek(WAV_HEADER_BYTES + first * channels * 2)
        data = handle.read(count * channels * 2)
    whole = len(data) // (channels * 2) * channels * 2
    return np.frombuffer(data[:whole], dtype="<i2").reshape(-1, channels)


def _channels(header: bytes, path: Path) -> int:
    if len(header) < WAV_HEADER_BYTES or header[:4] != b"RIFF" or header[36:40] != b"data":
        raise RecordingFailed(f"{path.name} is not a recording Earful started (no WAV header).")
    return struct.unpack("<H", header[22:24])[0]


def _wav_header(samplerate: int, channels: int, data_bytes: int) -> bytes:
    block_align = channels * 2
    return (
        struct.pack("<4sI4s", b"RIFF", 36 + data_bytes, b"WAVE")
        + struct.pack(
            "<4sIHHIIHH", b"fmt ", 16, 1, channels, samplerate, samplerate * block_align, block_align, 16
        )
        + struct.pack("<4sI", b"data", data_bytes)
    )


def _patch_header(fd: int, data_bytes: int) -> None:
    os.pwrite(fd, struct.pack("<I", 36 + data_bytes), 4)
    os.pwrite(fd, struct.pack("<I", data_bytes), 40)
