"""How far apart the two channels of a two-stream recording drift, and what recording costs.

Two PortAudio streams (the "you" and "customer" devices) are lined up once by the capture times PortAudio
reports, then each runs on its own; a clock that runs apart, or a timestamp that lies, would slowly move
one voice against the other. To measure that, both streams record the *same* sound: a private PulseAudio
server plays speech into a null sink, and the streams record its monitor and a remapped copy of it. The
lag between the two channels of the file, measured by cross-correlation once a minute, is the residual
drift. Also reported: the CPU the recorder uses (target ≤ 5 % of one core for 2 channels at 48 kHz),
overflowed and dropped blocks (target 0) and the silence inserted to keep the channels aligned.

Run:  python bench/recording.py [--minutes 10]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.media.devices import find_input_device, list_input_devices, open_input_stream  # noqa: E402
from app.media.recorder import BLOCK_S, Recorder  # noqa: E402
from tests.recording.pulse import PulseServer, playable  # noqa: E402

SPEECH = Path(os.environ.get("EARFUL_SHARED", REPO.parent / "shared")) / "data" / "speech"
CPU_TARGET = 0.05
WINDOW_S = 2.0
MAX_LAG_S = 0.25
BASELINE_S = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    seconds = args.minutes * 60
    with tempfile.TemporaryDirectory(prefix="earful-drift-") as folder:
        folder = Path(folder)
        server = PulseServer(folder / "pulse").start()
        try:
            os.environ.update(server.env)
            server.pactl("load-module", "module-remap-source", "master=you.monitor", "source_name=mirror")
            devices = list_input_devices(refresh=True)
            you, mirror = find_input_device("you.monitor", devices), find_input_device("mirror", devices)
            clip = playable(REPO / "resources" / "demo" / "interview.flac", folder, seconds + 30)
            player = server.play("you", clip)
            baseline = idle_streams_cpu([you, mirror], BASELINE_S)
            print(f"Baseline: the same two streams with an empty callback use {baseline:.2%} of one core")
            recorder = Recorder(folder / "call.wav", you, mirror, samplerate=48_000)
            print(f"Recording {args.minutes:g} min, 2 channels at 48 kHz: {you.name} + {mirror.name}")
            cpu0, wall0 = time.process_time(), time.monotonic()
            recorder.start()
            while (elapsed := time.monotonic() - wall0) < seconds:
                time.sleep(min(60.0, seconds - elapsed))
                elapsed = time.monotonic() - wall0
                stats = recorder.stats
                print(
                    f"  {elapsed / 60:5.1f} min  cpu {(time.process_time() - cpu0) / elapsed:6.2%}  "
                    f"clock offsets {', '.join(f'{o:+.1f}' for o in stats.clock_offsets_ms)} ms  "
                    f"padded {stats.padded_ms} ms",
                    flush=True,
                )
            stats = recorder.stop()
            cpu = (time.process_time() - cpu0) / (time.monotonic() - wall0)
            player.kill()
        finally:
            server.stop()
        lags = channel_lags(folder / "call.wav")
    print("\nLag of channel 2 behind channel 1, once a minute (ms):")
    print("  " + "  ".join(f"{minute}:{lag:+.2f}" for minute, lag in lags))
    values = [lag for _, lag in lags]
    print(f"residual drift over {args.minutes:g} min: {max(values) - min(values):.2f} ms (max − min lag)")
    print(
        f"recording CPU: {cpu:.2%} of one core (target ≤ {CPU_TARGET:.0%}); PortAudio alone {baseline:.2%}, "
        f"so the recorder adds {cpu - baseline:+.2%}"
    )
    print(
        f"overflowed blocks {stats.overflows}, dropped blocks {stats.dropped_blocks} (target 0), "
        f"silence inserted {stats.padded_ms} ms, frames written {stats.frames_written}"
    )


def idle_streams_cpu(devices: list, seconds: float) -> float:
    """CPU share of the process while PortAudio runs these streams into a callback that does nothing."""
    streams = [
        open_input_stream(device, 1, 48_000, blocksize=round(BLOCK_S * 48_000), callback=lambda *_: None)
        for device in devices
    ]
    cpu0, wall0 = time.process_time(), time.monotonic()
    for stream in streams:
        stream.start()
    time.sleep(seconds)
    share = (time.process_time() - cpu0) / (time.monotonic() - wall0)
    for stream in streams:
        stream.close()
    return share


def channel_lags(path: Path) -> list[tuple[int, float]]:
    """(minute, lag in ms) of the right channel against the left, from a window at each minute."""
    info = soundfile.info(path)
    lags = []
    for minute in range(int(info.duration // 60) + 1):
        start = max(round(minute * 60 * info.samplerate), round(5 * info.samplerate))
        window, rate = soundfile.read(path, start=start, frames=round(WINDOW_S * info.samplerate))
        if len(window) < round(WINDOW_S * rate):
            break
        lags.append((minute, _lag_ms(window[:, 0], window[:, 1], rate)))
    return lags


def _lag_ms(left: np.ndarray, right: np.ndarray, rate: int) -> float:
    size = 1 << int(np.ceil(np.log2(2 * len(left))))
    spectrum = np.fft.rfft(right, size) * np.conj(np.fft.rfft(left, size))
    correlation = np.fft.irfft(spectrum, size)
    reach = round(MAX_LAG_S * rate)
    candidates = np.concatenate([correlation[-reach:], correlation[: reach + 1]])
    return (int(np.argmax(candidates)) - reach) * 1000 / rate


if __name__ == "__main__":
    main()
