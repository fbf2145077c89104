"""Real capture for the recording tests: a private PulseAudio server, its null sinks' monitors recorded
through real PortAudio, and speech played into the sinks with paplay."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile
from scipy.signal import resample_poly

from app.domain.interview import JobState
from app.library import Library
from app.media.devices import find_input_device, list_input_devices
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.conftest import REPO
from tests.recording.pulse import PulseServer, PulseUnavailable

RATE = 48_000
"""The sinks' rate; clips are resampled to it so the recording holds them sample for sample."""


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory):
    """The server, reachable from this process (PortAudio re-initialised to see it) and its children."""
    try:
        server = PulseServer(tmp_path_factory.mktemp("pulse")).start()
    except PulseUnavailable as error:
        pytest.fail(str(error))
    saved = {name: os.environ.get(name) for name in server.env}
    os.environ.update(server.env)
    list_input_devices(refresh=True)
    yield server
    server.stop()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def you(pulse):
    return find_input_device("you.monitor")


@pytest.fixture(scope="session")
def customer(pulse):
    return find_input_device("customer.monitor")


@pytest.fixture(scope="session")
def clips(speech, tmp_path_factory) -> dict[str, Path]:
    """16-bit 48 kHz mono WAVs of real speech (paplay garbles 24-bit FLAC such as jfk.flac)."""
    folder = tmp_path_factory.mktemp("clips")
    made = {}
    for name, source in {
        "jfk": speech / "jfk.flac",
        "libri": speech / "librispeech_2412-153948-0000.flac",
        "demo": REPO / "resources" / "demo" / "interview.flac",
    }.items():
        audio, rate = soundfile.read(source, always_2d=True)
        mono = resample_poly(audio.mean(axis=1), RATE // 100, rate // 100) if rate != RATE else audio[:, 0]
        made[name] = folder / f"{name}.wav"
        soundfile.write(made[name], np.clip(mono, -1, 1), RATE, subtype="PCM_16")
    return made


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
