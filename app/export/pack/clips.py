"""Audio clips of quotes: the customer's own voice, cut from the library recording and encoded small.

Each clip decodes only its own stretch (a seek, then a second or so of audio), so a pack of one-hour calls
costs no more than a pack of short ones. Samples come out at 16 kHz as for transcription (the same
resampling as `app.media.decode`), one channel kept on a two-channel call. Clips are AAC in an MP4 (.m4a)
container: the one speech-sized codec that Safari, Chrome, Edge and Firefox all play from a data: URI
(Ogg Opus is smaller but older Safari versions will not play it).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from fractions import Fraction

import av
import numpy as np

from app.export.pack.model import ClipSource, RecordingSource
from app.media.blocks import mono_blocks
from app.media.decode import WHISPER_RATE, decode_for_whisper
from app.media.errors import MediaError

MIME = "audio/mp4"
BITRATE = 32_000
PADDING_MS = 250
"""Added before and after a quote (within the recording) so its first and last words are not clipped."""
MUTE_MARGIN_MS = 40
"""Muted around a redacted word too: word times from the recogniser are only accurate to a few tens of ms."""
_SEEK_LEAD_MS = 1_000  # seek this far before a clip: demuxers land on a packet at or before the target


def padded(start_ms: int, end_ms: int, duration_ms: int) -> tuple[int, int]:
    """The clip's stretch for a quote: a little padding each side, kept inside the recording."""
    end = end_ms + PADDING_MS
    if duration_ms:
        end = min(end, duration_ms)
    return max(0, start_ms - PADDING_MS), end


def encode_clip(clip: ClipSource) -> bytes:
    """The clip's samples, redacted stretches silenced, as an .m4a file's bytes."""
    piece = clip_samples(clip)
    _silence(piece, clip.muted, _index(clip.start_ms))
    return encode_aac(piece)


def encode_recording(recording: RecordingSource) -> bytes:
    """The whole recording, channels mixed to one and redacted stretches silenced, as an .m4a file's
    bytes. It is decoded and encoded a few seconds at a time, so an hour-long call costs megabytes of
    memory, not the gigabyte its samples and their copies would."""

    def silenced() -> Iterator[np.ndarray]:
        first = 0
        for block in mono_blocks(recording.audio):
            _silence(block, recording.muted, first)
            first += len(block)
            yield block

    return _encode_aac_blocks(silenced())


def _silence(samples: np.ndarray, muted: Iterable[tuple[int, int]], first: int) -> None:
    """Zero what `muted` covers (recording ms, widened by MUTE_MARGIN_MS) in `samples`, a stretch of the
    recording starting at its sample number `first`."""
    for start_ms, end_ms in muted:
        lo = max(_index(start_ms - MUTE_MARGIN_MS) - first, 0)
        hi = min(_index(end_ms + MUTE_MARGIN_MS) - first, len(samples))
        if hi > lo:
            samples[lo:hi] = 0


def clip_samples(clip: ClipSource) -> np.ndarray:
    """Mono int16 samples at 16 kHz of the clip's stretch of the recording (its channel only)."""
    channels = _decode_stretch(clip)
    if channels is None:  # the file cannot be entered by time: decode it from the start
        first, last = _index(clip.start_ms), _index(clip.end_ms)
        channels = [samples[first:last] for samples in decode_for_whisper(clip.audio, clip.split_stereo)]
    keep = clip.channel if clip.channel is not None and clip.split_stereo else 0
    return channels[keep].copy()


def _decode_stretch(clip: ClipSource) -> list[np.ndarray] | None:
    """The clip's stretch, one array per channel, by seeking; None when the frames carry no timestamps
    or the seek landed after the clip's start."""
    resampler = av.AudioResampler(
        format="s16", layout="stereo" if clip.split_stereo else "mono", rate=WHISPER_RATE
    )
    chunks: list[np.ndarray] = []
    origin_ms: float | None = None
    wanted = _index(clip.end_ms - clip.start_ms)
    try:
        with av.open(str(clip.audio), metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            zero = stream.start_time or 0  # recording times count from the first sample, as decoding does
            target = max(clip.start_ms - _SEEK_LEAD_MS, 0) / 1000
            container.seek(zero + int(target / stream.time_base), stream=stream, backward=True)
            for frame in container.decode(stream):
                if origin_ms is None:
                    if frame.pts is None:
                        return None
                    origin_ms = float((frame.pts - zero) * stream.time_base) * 1000
                    if origin_ms > clip.start_ms:
                        return None
                chunks += [out.to_ndarray() for out in resampler.resample(frame)]
                decoded = sum(chunk.shape[-1] for chunk in chunks) // (2 if clip.split_stereo else 1)
                if decoded > _index(round(clip.end_ms - origin_ms)):
                    break
            chunks += [out.to_ndarray() for out in resampler.resample(None)]
    except (av.FFmpegError, EOFError) as error:
        raise MediaError(clip.audio, f"could not be read for a clip ({error}).") from error
    if origin_ms is None:
        return None
    samples = np.concatenate(chunks, axis=1).reshape(-1)
    channels = [samples[0::2], samples[1::2]] if clip.split_stereo else [samples]
    offset = round((clip.start_ms - origin_ms) * WHISPER_RATE / 1000)
    return [channel[offset : offset + wanted] for channel in channels]


def encode_aac(samples: np.ndarray) -> bytes:
    """Mono int16 samples at 16 kHz → an .m4a file's bytes."""
    return _encode_aac_blocks([samples])


def _encode_aac_blocks(blocks: Iterable[np.ndarray]) -> bytes:
    """Consecutive blocks of mono int16 samples at 16 kHz → one .m4a file's bytes."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="ipod") as container:
        # FFmpeg's default "twoloop" AAC coder costs ~25 ms per second of audio; "fast" is 4× quicker and
        # sounds the same for speech at this rate, which keeps a 100-quote pack within seconds.
        stream = container.add_stream("aac", rate=WHISPER_RATE, layout="mono", options={"aac_coder": "fast"})
        stream.bit_rate = BITRATE
        resampler = av.AudioResampler(
            format=stream.codec_context.format.name, layout="mono", rate=WHISPER_RATE
        )
        pts = 0
        for samples in blocks:
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = WHISPER_RATE
            # With a timestamp the encoder's priming samples get an edit list, so players start at the
            # first real sample; without one every clip (and its muted stretches) would play 64 ms late.
            frame.pts, frame.time_base = pts, Fraction(1, WHISPER_RATE)
            pts += samples.size
            for converted in resampler.resample(frame):
                container.mux(stream.encode(converted))
        for converted in resampler.resample(None):
            container.mux(stream.encode(converted))
        container.mux(stream.encode(None))
    return buffer.getvalue()


def _index(ms: int) -> int:
    return max(ms, 0) * WHISPER_RATE // 1000
