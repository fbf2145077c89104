"""Decode audio to 16 kHz 16-bit samples exactly as faster-whisper does.

The pipeline mirrors `faster_whisper.audio.decode_audio` (same resampler settings, same s16 step) so that
Earful's transcript equals a bare faster-whisper run on the same file; a test holds the two bit-identical.
It differs where Earful needs it to: decoding stops cleanly at the point a file is cut off instead of
raising, and samples stay int16 (half the memory of float32) until the engine takes a window of them.
"""

from __future__ import annotations

import gc
from pathlib import Path

import av
import numpy as np

from app.media.errors import MediaError

WHISPER_RATE = 16_000


def decode_for_whisper(path: Path, split_stereo: bool) -> list[np.ndarray]:
    """int16 sample arrays at 16 kHz: one (the mixdown), or left and right when `split_stereo`."""
    resampler = av.AudioResampler(
        format="s16", layout="stereo" if split_stereo else "mono", rate=WHISPER_RATE
    )
    chunks: list[np.ndarray] = []
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            fifo = av.AudioFifo()
            for frame in _valid_frames(container.decode(audio=0)):
                fifo.write(frame)
                if fifo.samples >= 500_000:
                    chunks.extend(_resampled(resampler, fifo.read()))
            if fifo.samples:
                chunks.extend(_resampled(resampler, fifo.read()))
            chunks.extend(_resampled(resampler, None))
    except av.FFmpegError as error:
        if not chunks:
            raise MediaError(path, f"could not be decoded ({error}).") from error
    # PyAV's resampler holds native buffers until collected (faster-whisper issue #390).
    del resampler
    gc.collect()
    samples = np.concatenate(chunks, axis=1).reshape(-1) if chunks else np.zeros(0, dtype=np.int16)
    if split_stereo:
        return [samples[0::2], samples[1::2]]
    return [samples]


def to_float(samples: np.ndarray) -> np.ndarray:
    """The float32 form Whisper takes, computed as faster-whisper computes it."""
    return samples.astype(np.float32) / 32768.0


def _valid_frames(frames):
    """Skip frames FFmpeg rejects as invalid, as faster-whisper does; stop at a cut-off end."""
    iterator = iter(frames)
    while True:
        try:
            yield next(iterator)
        except StopIteration:
            return
        except av.InvalidDataError:
            continue
        except EOFError:
            return


def _resampled(resampler: av.AudioResampler, frame: av.AudioFrame | None) -> list[np.ndarray]:
    return [out.to_ndarray() for out in resampler.resample(frame)]
