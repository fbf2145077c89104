"""The crash-safe WAV: readable while it grows, and whole again after a writer that never closed it."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile

from app.media.wav_writer import (
    CrashSafeWav,
    RecordingFailed,
    read_wav_frames,
    repair_wav,
    wav_format,
    wav_frames_on_disk,
)


def _speechlike(frames: int, channels: int) -> np.ndarray:
    return np.random.default_rng(7).integers(-20_000, 20_000, (frames, channels), dtype=np.int16)


def test_a_growing_wav_is_read_frame_for_frame_before_its_header_is_patched(tmp_path):
    audio = _speechlike(48_000, 2)
    wav = CrashSafeWav(tmp_path / "call.wav", 48_000, 2)
    wav.append(audio[:30_000])
    assert wav_format(wav.path) == (48_000, 2)
    assert wav_frames_on_disk(wav.path, 2) == 30_000  # no sync yet: the header still says 0
    wav.append(audio[30_000:])
    np.testing.assert_array_equal(read_wav_frames(wav.path, 2, 29_000, 2_000), audio[29_000:31_000])
    np.testing.assert_array_equal(read_wav_frames(wav.path, 2, 47_000, 5_000), audio[47_000:])
    wav.close()


def test_a_wav_whose_writer_was_killed_is_repaired_to_its_whole_frames(tmp_path):
    audio = _speechlike(16_000, 2)
    wav = CrashSafeWav(tmp_path / "call.wav", 16_000, 2)
    wav.append(audio)
    with open(wav.path, "ab") as handle:
        handle.write(b"\x01\x02")  # half a frame: the writer died mid-write
    # The writer never closes (killed): only the OS has the data.
    assert repair_wav(wav.path) == 16_000
    kept, rate = soundfile.read(wav.path, dtype="int16", always_2d=True)
    assert rate == 16_000
    np.testing.assert_array_equal(kept, audio)
    wav.close()


def test_a_file_that_is_not_a_recording_is_refused_with_its_name(tmp_path):
    other = tmp_path / "notes.wav"
    other.write_bytes(b"hello")
    with pytest.raises(RecordingFailed, match=r"notes\.wav is not a recording"):
        repair_wav(other)
    assert other.read_bytes() == b"hello"
    assert os.path.getsize(other) == 5
