"""Which 10 ms frames hold speech, from the Silero VAD that faster-whisper already ships (ONNX, no torch)."""

from __future__ import annotations

import numpy as np

from app.media.decode import WHISPER_RATE, to_float
from app.speakers.features import FRAME_SHIFT_MS

# Turns in a conversation are separated by short pauses; Whisper's default (2 s of silence) would glue
# the two voices of a quick exchange into one region and so into the same windows.
_MIN_SILENCE_MS = 300
_PAD_MS = 100
_SAMPLES_PER_FRAME = WHISPER_RATE * FRAME_SHIFT_MS // 1000


def speech_frames(samples: np.ndarray, frames: int) -> np.ndarray:
    """A bool per filterbank frame of int16 16 kHz `samples`: True where someone speaks."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    mask = np.zeros(frames, dtype=bool)
    if len(samples) == 0:
        return mask
    regions = get_speech_timestamps(
        to_float(samples), VadOptions(min_silence_duration_ms=_MIN_SILENCE_MS, speech_pad_ms=_PAD_MS)
    )
    for region in regions:
        mask[region["start"] // _SAMPLES_PER_FRAME : region["end"] // _SAMPLES_PER_FRAME] = True
    return mask
