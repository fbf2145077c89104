"""Helpers of the recording tests; their PulseAudio server, devices and clips are in sinks.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np

from app.domain.interview import JobState
from app.library import Library
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.recording.sinks import RATE


def transcribe(library: Library, interview_id: int, models_dir: Path) -> None:
    """Run the real transcription worker on one interview, as the window's queue does."""
    from app.services.transcribing import Transcriber

    with TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker, models_dir)
        outcome = transcriber.queue([interview_id], TranscriptionOptions())
        final = transcriber.run(outcome.queued[0])
    assert final.state is JobState.DONE, final.error


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def onset_s(recording: np.ndarray, clip: np.ndarray) -> float:
    """Where the start of `clip` lies in `recording` (both at RATE), by cross-correlation."""
    probe = clip[: RATE * 2]
    size = 1 << int(np.ceil(np.log2(len(recording) + len(probe))))
    correlation = np.fft.irfft(np.fft.rfft(recording, size) * np.conj(np.fft.rfft(probe, size)), size)
    return int(np.argmax(correlation[: len(recording)])) / RATE


def start_recording(root: Path, *options: str, stdout: int | None = None) -> subprocess.Popen:
    """`earful record` from the `you` null sink into the library at `root` (more `options`, e.g. the
    customer's sink or --live), as a user starts it; returns once it says sound is arriving."""
    command = [sys.executable, "-m", "app", "record", "--library", str(root), "--you", "you.monitor"]
    recorder = subprocess.Popen(
        [*command, *options, "--title", "Call"],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
    )
    announced = recorder.stderr.readline()  # printed once sound is arriving
    assert announced.startswith("Recording"), announced + recorder.stderr.read()
    return recorder
