"""A private PulseAudio server with null sinks: real sound through real PortAudio on a machine with no
sound card. Used by the recording tests and `bench/recording.py`.

The server gets its own socket and runtime folder, so it never meets a desktop's (or another test run's)
server; `module-suspend-on-idle` is not loaded, because an idle sink's monitor would otherwise deliver
nothing at all and a recording would stall until something played.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import soundfile

SINKS = ("you", "customer")
_START_TIMEOUT_S = 15


class PulseUnavailable(RuntimeError):
    pass


class PulseServer:
    """Start with `PulseServer(folder).start()`; `env` reaches it from other processes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "native"
        self.process: subprocess.Popen | None = None

    @property
    def env(self) -> dict[str, str]:
        return {"PULSE_SERVER": f"unix:{self.socket}", "PULSE_RUNTIME_PATH": str(self.folder)}

    def start(self) -> PulseServer:
        missing = [tool for tool in ("pulseaudio", "pactl", "paplay") if shutil.which(tool) is None]
        if missing:
            raise PulseUnavailable(
                f"The recording tests need a PulseAudio server and its tools; {', '.join(missing)} not "
                "found. Install them with packaging/dev.sh (apt-get install pulseaudio pulseaudio-utils "
                "libportaudio2)."
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        sinks = [
            f"module-null-sink sink_name={name} rate=48000 sink_properties=device.description={name.title()}Line"
            for name in SINKS
        ]
        modules = [f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}", *sinks]
        command = ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no"]
        command += [argument for module in modules for argument in ("-L", module)]
        log = open(self.folder / "pulseaudio.log", "wb")  # noqa: SIM115 - kept open for the server's life
        self.process = subprocess.Popen(
            command, env={**os.environ, **self.env, "HOME": str(self.folder)}, stdout=log, stderr=log
        )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while self.pactl_ok() is False:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise PulseUnavailable(
                    "PulseAudio did not start: "
                    + (self.folder / "pulseaudio.log").read_text(errors="replace")
                )
            time.sleep(0.1)
        return self

    def pactl_ok(self) -> bool:
        result = subprocess.run(["pactl", "info"], env={**os.environ, **self.env}, capture_output=True)
        return result.returncode == 0

    def pactl(self, *args: str) -> str:
        return subprocess.run(
            ["pactl", *args], env={**os.environ, **self.env}, capture_output=True, text=True, check=True
        ).stdout

    def play(self, sink: str, clip: Path) -> subprocess.Popen:
        """Start playing `clip` into `sink` (a 16-bit WAV: paplay garbles 24-bit FLAC, e.g. jfk.flac)."""
        return subprocess.Popen(
            ["paplay", "-d", sink, str(clip)], env={**os.environ, **self.env}, stderr=subprocess.PIPE
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def playable(clip: Path, folder: Path, seconds: float | None = None) -> Path:
    """`clip` as a 16-bit WAV paplay plays faithfully, optionally cut or looped to `seconds`."""
    audio, rate = soundfile.read(clip, dtype="int16", always_2d=True)
    if seconds is not None:
        wanted = round(seconds * rate)
        audio = np.tile(audio, (wanted // len(audio) + 1, 1))[:wanted]
    out = folder / f"{clip.stem}{'' if seconds is None else f'-{seconds:g}s'}.wav"
    soundfile.write(out, audio, rate, subtype="PCM_16")
    return out
