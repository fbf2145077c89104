"""The recording tests' real capture, shared with the journeys (registered once in tests/conftest.py, so one
PulseAudio server serves the whole session): a private server, its null sinks' monitors recorded through
real PortAudio, and speech played into the sinks with paplay."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.media.devices import find_input_device, list_input_devices
from app.resources import resource_path
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
    import numpy as np  # loaded by the tests that play sound, not by every test session
    import soundfile
    from scipy.signal import resample_poly

    folder = tmp_path_factory.mktemp("clips")
    made = {}
    for name, source in {
        "jfk": speech / "jfk.flac",
        "libri": speech / "librispeech_2412-153948-0000.flac",
        "demo": resource_path("demo/interview.flac"),
    }.items():
        audio, rate = soundfile.read(source, always_2d=True)
        mono = resample_poly(audio.mean(axis=1), RATE // 100, rate // 100) if rate != RATE else audio[:, 0]
        made[name] = folder / f"{name}.wav"
        soundfile.write(made[name], np.clip(mono, -1, 1), RATE, subtype="PCM_16")
    return made
