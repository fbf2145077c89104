"""Find out what an audio or video file really holds by decoding all of it once.

Headers lie (a recording cut off mid-stream still declares its full length, an MP3 may declare nothing), so
the duration and the "cut off" verdict come from the samples that actually decode.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from app.media.errors import MediaError
from app.media.peaks import PeakEnvelope
from app.media.wav_header import declared_wav_ms

_LEVEL_FRAME_S = 0.05
_LOUDER_DB = 15.0  # one channel this much louder than the other: a different person is speaking there
_SEPARATE_SHARE = 0.3  # share of active frames where that holds, for the channels to count as separate
_TRUNCATION_SLACK_MS = 500
_TEXT_FORMATS = {"tty", "srt", "webvtt", "ass", "subviewer", "subviewer1", "microdvd", "lrc"}


@dataclass(frozen=True, slots=True)
class AudioInfo:
    duration_ms: int
    sample_rate: int
    channels: int
    codec: str
    truncated: bool
    """Part of the file did not decode; `duration_ms` covers what did."""
    separate_channels: bool
    """The first two channels carry different voices (e.g. microphone left, the other party right)."""
    peaks: np.ndarray
    """Waveform peaks, (channels ≤ 2, n) uint8, one per PEAK_RESOLUTION_MS."""


def probe(path: Path) -> AudioInfo:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise MediaError(path, f"cannot be read ({error.strerror or error}).") from error
    if size == 0:
        raise MediaError(path, "is empty (0 bytes).")
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise MediaError(path, "is not an audio or video file Earful can read.") from error
    with container:
        if not container.streams.audio:
            # FFmpeg "opens" any text file as ANSI art (the tty demuxer), with a video stream.
            if container.format.name in _TEXT_FORMATS or not container.streams.video:
                raise MediaError(path, "is not an audio or video file Earful can read.")
            raise MediaError(path, "is a video with no audio track.")
        stream = container.streams.audio[0]
        declared_ms = declared_wav_ms(path) or _declared_ms(container, stream)
        rate = stream.rate or stream.codec_context.sample_rate or 0
        levels = _ChannelLevels(rate)
        envelope = PeakEnvelope(rate)
        samples, broken = _decode_all(container, stream, levels, envelope)
    if samples == 0 or not rate:
        raise MediaError(
            path, "contains no audio (0 seconds)." if not broken else "has no audio that decodes."
        )
    duration_ms = samples * 1000 // rate
    truncated = broken or (declared_ms is not None and duration_ms < declared_ms - _TRUNCATION_SLACK_MS)
    return AudioInfo(
        duration_ms=duration_ms,
        sample_rate=rate,
        channels=stream.channels,
        codec=stream.codec_context.name,
        truncated=truncated,
        separate_channels=levels.separate(),
        peaks=envelope.peaks(),
    )


def _declared_ms(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> int | None:
    if stream.duration and stream.time_base:
        return int(stream.duration * stream.time_base * 1000)
    if container.duration:
        return container.duration // 1000  # microseconds
    return None


def _decode_all(container, stream, levels: _ChannelLevels, envelope: PeakEnvelope) -> tuple[int, bool]:
    """Decode every packet; returns (samples per channel, whether decoding broke off)."""
    samples = 0
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.InvalidDataError:
                return samples, True
            for frame in frames:
                samples += frame.samples
                channels = _as_float_channels(frame)
                levels.add(channels)
                envelope.add(channels)
    except (av.FFmpegError, EOFError):
        return samples, True
    return samples, False


class _ChannelLevels:
    """Per-50 ms levels of the first two channels, to tell a two-party call from a plain stereo mix."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._frame = max(int(rate * _LEVEL_FRAME_S), 1)
        self._pending: list[np.ndarray] = []
        self._energies: list[np.ndarray] = []

    def add(self, channels: np.ndarray) -> None:
        if channels.shape[0] < 2 or not self.rate:
            return
        self._pending.append(channels[:2])
        if sum(block.shape[1] for block in self._pending) >= self._frame * 200:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        block = np.concatenate(self._pending, axis=1)
        usable = block.shape[1] - block.shape[1] % self._frame
        self._pending = [block[:, usable:]] if usable < block.shape[1] else []
        if usable:
            framed = block[:, :usable].reshape(2, -1, self._frame)
            self._energies.append(np.mean(framed * framed, axis=2))

    def separate(self) -> bool:
        self._flush()
        if not self._energies:
            return False
        energy = np.concatenate(self._energies, axis=1)
        db = 10 * np.log10(energy + 1e-12)
        active = db.max(axis=0) > db.max() - 40
        if active.sum() < 10:
            return False
        louder = np.abs(db[0] - db[1])[active] > _LOUDER_DB
        return bool(louder.mean() > _SEPARATE_SHARE)


def _as_float_channels(frame: av.AudioFrame) -> np.ndarray:
    """The first two channels of a decoded frame as float32 (channels, samples) in -1..1."""
    data = frame.to_ndarray()
    if not frame.format.is_planar:
        data = data.reshape(-1, frame.layout.nb_channels).T
    data = data[:2]
    if data.dtype.kind in "iu":
        data = data.astype(np.float32) / np.iinfo(data.dtype).max
    return data.astype(np.float32, copy=False)
