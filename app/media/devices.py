"""The microphones and system-audio sources a call can be recorded from, and how to open one.

PortAudio (through sounddevice) is the only audio API we use. On Linux it reaches PulseAudio/PipeWire only
through ALSA's single `pulse` device, which records the server's *default* source; the other side of a
call (the monitor of the speakers) would be out of reach. So when a PulseAudio server answers `pactl`, each
of its sources is listed as a device of its own and opened through that `pulse` device with the server
told which source to use (`PULSE_SOURCE`, read by libpulse when the stream connects).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

PULSE_HOST_API = "PulseAudio"
_PULSE_ALSA_DEVICE = "pulse"
# PULSE_SOURCE is process-wide: two streams opened at once must not see each other's choice.
_open_lock = threading.Lock()


class AudioUnavailable(Exception):
    """Nothing can be recorded on this computer; the message says what to do about it."""


class DeviceNotFound(AudioUnavailable):
    """A device asked for by name is not there; the message lists the ones that are."""


@dataclass(frozen=True, slots=True)
class InputDevice:
    """A source of sound to record: a microphone, a headset, or the monitor of what the speakers play."""

    name: str
    """Friendly name, as the system shows it (e.g. "Monitor of Built-in Audio Analog Stereo")."""
    channels: int
    native_rate: int
    host_api: str
    is_monitor: bool
    """Loopback of an output (the other side of a softphone call), not a microphone."""
    is_default: bool
    portaudio_index: int
    """The PortAudio device that is opened (for a PulseAudio source: ALSA's `pulse` device)."""
    pulse_source: str | None = None
    """The PulseAudio source name that stream is routed to, when listed from PulseAudio."""

    @property
    def key(self) -> str:
        """A name that stays the same across restarts (indices do not), for remembering a choice."""
        return f"pulse:{self.pulse_source}" if self.pulse_source else f"{self.host_api}:{self.name}"

    def __str__(self) -> str:
        kind = "system audio" if self.is_monitor else "input"
        return f"{self.name} ({kind}, {self.host_api}, {self.channels} ch, {self.native_rate} Hz)"


def sounddevice() -> ModuleType:
    """The sounddevice module, or AudioUnavailable saying how to install PortAudio."""
    try:
        import sounddevice as sd
    except OSError as error:  # the wheel bundles PortAudio on Windows and macOS, not on Linux
        raise AudioUnavailable(
            "Recording needs the PortAudio library, which is not installed "
            f"({error}). On Debian or Ubuntu: sudo apt install libportaudio2; on Fedora: "
            "sudo dnf install portaudio."
        ) from error
    return sd


def list_input_devices(refresh: bool = False) -> list[InputDevice]:
    """Every device that can be recorded from, defaults first.

    `refresh` makes PortAudio look again (a headset plugged in, a sound server started since). Raises
    AudioUnavailable when there is none, with the fix for this system.
    """
    sd = sounddevice()
    if refresh:
        # sounddevice has no public rescan; terminating and re-initialising PortAudio is the known way
        # (sounddevice issue #47). Streams must not be open meanwhile: callers refresh between recordings.
        sd._terminate()
        sd._initialize()
    pulse = _pulse_sources(sd)
    portaudio = _portaudio_inputs(sd)
    if pulse:
        # With the sources listed one by one, ALSA's `pulse` device would only repeat the default source,
        # and PulseAudio's default is the one the system settings show.
        portaudio = [replace(d, is_default=False) for d in portaudio if d.name != _PULSE_ALSA_DEVICE]
    devices = pulse + portaudio
    if not devices:
        raise AudioUnavailable(_no_device_message())
    return sorted(devices, key=lambda device: not device.is_default)


def find_input_device(query: str, devices: list[InputDevice] | None = None) -> InputDevice:
    """The device a user named: its key, its exact name, its number in `earful devices`, or a unique part
    of its name (case-insensitive)."""
    devices = devices if devices is not None else list_input_devices()
    text = query.strip()
    if text.isdigit() and 1 <= int(text) <= len(devices):
        return devices[int(text) - 1]
    for exact in (
        [d for d in devices if d.key == text],
        [d for d in devices if d.name == text or d.pulse_source == text],
        [d for d in devices if text.lower() in d.name.lower() or text.lower() in d.key.lower()],
    ):
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            names = "; ".join(d.key for d in exact)
            raise DeviceNotFound(f"{query!r} matches several devices ({names}); give more of the name.")
    listing = "\n".join(f"  {number}. {device}" for number, device in enumerate(devices, start=1))
    raise DeviceNotFound(f"No input device matches {query!r}. The devices are:\n{listing}")


def default_input_device(devices: list[InputDevice] | None = None) -> InputDevice:
    """The system's default microphone (the first device when the system names none)."""
    devices = devices if devices is not None else list_input_devices()
    return next((d for d in devices if d.is_default and not d.is_monitor), devices[0])


def open_input_stream(device: InputDevice, channels: int, samplerate: int, **options: Any) -> Any:
    """An (unstarted) `sounddevice.InputStream` on `device`, routed to its PulseAudio source if it has one."""
    sd = sounddevice()
    with _open_lock:
        previous = os.environ.get("PULSE_SOURCE")
        if device.pulse_source:
            os.environ["PULSE_SOURCE"] = device.pulse_source
        try:
            return sd.InputStream(
                device=device.portaudio_index,
                channels=channels,
                samplerate=samplerate,
                dtype="int16",
                **options,
            )
        except sd.PortAudioError as error:
            raise AudioUnavailable(f"Cannot record from {device.name}: {error}.") from error
        finally:
            if previous is None:
                os.environ.pop("PULSE_SOURCE", None)
            else:
                os.environ["PULSE_SOURCE"] = previous


def _portaudio_inputs(sd: ModuleType) -> list[InputDevice]:
    try:
        default_index = sd.default.device[0]
        host_apis = sd.query_hostapis()
        found = sd.query_devices()
    except sd.PortAudioError as error:
        raise AudioUnavailable(
            f"The audio system does not answer ({error}). {_no_device_message()}"
        ) from error
    inputs = []
    for info in found:
        if info["max_input_channels"] < 1:
            continue
        name = info["name"]
        inputs.append(
            InputDevice(
                name=name,
                channels=info["max_input_channels"],
                native_rate=round(info["default_samplerate"]),
                host_api=host_apis[info["hostapi"]]["name"],
                is_monitor=_looks_like_loopback(name),
                is_default=info["index"] == default_index,
                portaudio_index=info["index"],
            )
        )
    return inputs


def _pulse_sources(sd: ModuleType) -> list[InputDevice]:
    """PulseAudio's sources, when its server runs and PortAudio has ALSA's `pulse` device to reach them."""
    if not sys.platform.startswith("linux") or shutil.which("pactl") is None:
        return []
    try:
        pulse_index = sd.query_devices(_PULSE_ALSA_DEVICE, "input")["index"]
    except (ValueError, sd.PortAudioError):
        return []
    try:
        sources = json.loads(_pactl("-f", "json", "list", "sources"))
        default = _pactl("get-default-source").strip()
    except (OSError, subprocess.SubprocessError, ValueError):
        return []  # no server, or a pactl older than 15 without JSON output
    return [
        InputDevice(
            name=source.get("description") or source["name"],
            channels=_channel_count(source),
            native_rate=_source_rate(source),
            host_api=PULSE_HOST_API,
            is_monitor=source.get("properties", {}).get("device.class") == "monitor"
            or source["name"].endswith(".monitor"),
            is_default=source["name"] == default,
            portaudio_index=pulse_index,
            pulse_source=source["name"],
        )
        for source in sources
    ]


def _pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=3, check=True).stdout


def _channel_count(source: dict) -> int:
    spec = source.get("sample_specification", "")  # e.g. "s16le 2ch 48000Hz"
    return next((int(part[:-2]) for part in spec.split() if part.endswith("ch")), 2)


def _source_rate(source: dict) -> int:
    spec = source.get("sample_specification", "")
    return next((int(part[:-2]) for part in spec.split() if part.endswith("Hz")), 48000)


def _looks_like_loopback(name: str) -> bool:
    lowered = name.lower()
    return any(word in lowered for word in ("monitor", "loopback", "blackhole", "stereo mix", "what u hear"))


def _no_device_message() -> str:
    if sys.platform == "darwin":
        return (
            "No microphone is available to Earful. Allow it in System Settings › Privacy & Security › "
            "Microphone, then restart Earful; or connect a microphone or headset."
        )
    if sys.platform == "win32":
        return (
            "No microphone is available. Connect one, and allow desktop apps to use it in Settings › "
            "Privacy & security › Microphone."
        )
    return (
        "No input device found. Connect a microphone or headset, and check that the sound server "
        "(PipeWire or PulseAudio) is running: `pactl info` should answer."
    )


class LevelProbe:
    """A device's level while nothing is recorded: the "say something, the meter moves" test.

    The callback keeps only the peak (one float, no queue): it runs on PortAudio's real-time thread.
    """

    def __init__(self, device: InputDevice) -> None:
        self.device = device
        self._peak = 0.0
        self._stream = open_input_stream(device, 1, device.native_rate, callback=self._on_block)
        self._stream.start()

    def take_level(self) -> float:
        """Peak level (0–1) since the last call."""
        peak, self._peak = self._peak, 0.0
        return peak

    def close(self) -> None:
        self._stream.abort(ignore_errors=True)
        self._stream.close(ignore_errors=True)

    def _on_block(self, indata: Any, frames: int, times: Any, status: Any) -> None:
        self._peak = max(self._peak, float(abs(indata).max()) / 32768)
