"""What a user is told when recording cannot work: no device, a wrong name, a library that cannot grow."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.library import Library, LibraryError
from app.services.recording import recover_recordings, start_recording


def earful(
    *args: str, env: dict | None = None, limit_file_bytes: int | None = None
) -> subprocess.CompletedProcess:
    def limit() -> None:
        # A full disk, made real: the kernel refuses writes past this size (EFBIG) in the child only.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_bytes, limit_file_bytes))

    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        preexec_fn=limit if limit_file_bytes else None,
    )


@contextmanager
def read_only(folder: Path):
    """Root ignores permissions, so as root the folder is made immutable instead."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_with_no_sound_server_devices_says_what_to_check(pulse, tmp_path):
    result = earful("devices", env={"PULSE_SERVER": f"unix:{tmp_path}/no-server"})
    assert result.returncode == 1
    assert "No input device found" in result.stderr and "pactl info" in result.stderr


def test_a_device_that_is_not_there_is_named_with_the_ones_that_are(pulse, tmp_path):
    result = earful("record", "--library", str(tmp_path / "library"), "--you", "Headset 3000")
    assert result.returncode == 1
    assert "No input device matches 'Headset 3000'" in result.stderr
    assert "Monitor of YouLine" in result.stderr


def test_devices_lists_each_sink_monitor_as_system_audio(pulse):
    result = earful("devices")
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if "YouLine" in line or "CustomerLine" in line]
    assert len(lines) == 2
    assert all("system audio, PulseAudio" in line and "48000 Hz" in line for line in lines)


def test_a_read_only_library_is_refused_before_recording(pulse, tmp_path):
    root = tmp_path / "library"
    Library.open(root).close()
    with read_only(root), read_only(root / "audio"):
        result = earful("record", "--library", str(root), "--you", "you.monitor", "--duration", "1")
    assert result.returncode == 3
    assert "read-only" in result.stderr


def test_a_recording_folder_that_cannot_be_written_gives_a_reason(library, you):
    (library.root / "recording").mkdir()
    with read_only(library.root / "recording"), pytest.raises(LibraryError, match="read-only"):
        start_recording(library, you)


def test_a_disk_that_fills_up_stops_the_recording_and_keeps_what_was_written(pulse, tmp_path):
    root = tmp_path / "library"
    Library.open(root).close()
    # libpulse's shared memory is a file too: without it, only the recording meets the limit.
    (tmp_path / "client.conf").write_text("enable-shm = no\n")
    result = earful(
        *("record", "--library", str(root), "--you", "you.monitor", "--duration", "60"),
        env={"PULSE_CLIENTCONFIG": str(tmp_path / "client.conf")},
        limit_file_bytes=500_000,
    )
    assert result.returncode == 1
    assert "Recording stopped: the disk is full" in result.stderr
    # What fitted on the disk is in the library, a whole WAV (not one written byte more).
    with Library.open(root) as library:
        [summary] = library.interviews.summaries()
        recording = library.recordings.for_interview(summary.interview.id)
        assert 4_000 < recording.duration_ms <= 500_000 / (48_000 * 2) * 1000
        assert recover_recordings(library).interviews == []
