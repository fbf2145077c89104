"""Record a call: you and (optionally) the customer, each on a channel of a WAV file that survives a crash.

PortAudio calls us on its own real-time thread; anything slow there (a lock, a write, a full queue) drops
sound. So the callback only copies the block into a queue, and a writer thread does the rest: lines the
two sources up, drops paused stretches, measures levels and appends to the file.

Two sources on two devices are two PortAudio streams whose blocks arrive independently. Each block
carries the time its first sample was captured (`inputBufferAdcTime`, one clock for every stream), which
places it on one timeline that starts with the first block of either stream. A stream that skips (an
overflow) gets silence for the sound it lost; when the two streams' clocks run more than `ALIGN_TOLERANCE_S`
apart, the customer's channel is padded or trimmed back in line with yours. Through PulseAudio those
times are good to about ±25 ms, which is how closely the channels line up (bench/recording.py).

Crash safety: the data reaches the operating system within one writer pass (tens of milliseconds), so a
killed process loses only what PortAudio had not yet handed over; the header is patched and the file
synced to disk every `SYNC_S`, so even a machine that dies loses at most that. `repair_wav` fixes the
header of a file whose recorder never finished.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import queue
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app.media.devices import AudioUnavailable, InputDevice, open_input_stream, sounddevice

SYNC_S = 1.0
BLOCK_S = 0.02
"""PortAudio block length: latency does not matter when recording, and fewer, larger blocks cost less CPU."""
GAP_TOLERANCE_S = 0.1
ALIGN_TOLERANCE_S = 0.1
SETTLE_S = 1.0
_ALIGN_SMOOTHING = 0.005  # per customer block: a time constant of ~200 blocks, four seconds
MAX_SKEW_S = 0.5
STOP_WAIT_S = 1.0
"""A source that delivers nothing for this long is filled with silence rather than holding the other back."""
_QUEUE_BLOCKS = 4000  # ~40 s of PortAudio blocks: room for a writer stalled by a slow disk
_WAV_HEADER = 44
_MAX_DATA_BYTES = 0xFFFFFFFF - _WAV_HEADER


class RecordingFailed(Exception):
    """The recording stopped before the user stopped it (e.g. the disk is full); the message says why."""


@dataclass(slots=True)
class RecorderStats:
    """What went wrong during a recording, counted so that nothing is silent."""

    frames_written: int = 0
    overflows: int = 0
    """Blocks PortAudio flagged as overflowed: the system lost sound before it reached us."""
    dropped_blocks: int = 0
    """Blocks the writer thread could not keep up with (the queue was full)."""
    padded_ms: list[int] = field(default_factory=list)
    """Silence inserted per source, for a gap in its data or a source that fell behind."""
    realignments: int = 0
    """Times the customer's channel was moved back in line with yours (two devices whose clocks differ)."""
    clock_offsets_ms: list[float] = field(default_factory=list)
    """Per source: where its latest block arrived on the timeline minus where its capture time puts it."""


class CrashSafeWav:
    """A 16-bit PCM WAV written as it grows: appended straight to the OS, header and disk synced each second."""

    def __init__(self, path: Path, samplerate: int, channels: int) -> None:
        self.path = path
        self.samplerate = samplerate
        self.channels = channels
        self.frames = 0
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(self._fd, _wav_header(samplerate, channels, 0))
        except OSError:
            self.close()
            raise

    def append(self, frames: np.ndarray) -> None:
        data = np.ascontiguousarray(frames, dtype="<i2").tobytes()
        if _WAV_HEADER + (self.frames + len(frames)) * self.channels * 2 > _MAX_DATA_BYTES:
            raise RecordingFailed("The recording reached the 4 GB limit of a WAV file and was stopped.")
        written = 0
        while written < len(data):
            written += os.write(self._fd, data[written:])
        self.frames += len(frames)

    def sync(self) -> None:
        """Make the header tell the length so far, and put everything on the disk."""
        _patch_header(self._fd, self.frames * self.channels * 2)
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd < 0:
            return
        try:
            self.sync()
        finally:
            os.close(self._fd)
            self._fd = -1


def repair_wav(path: Path) -> int:
    """Make the header of a WAV a killed recorder left behind match the whole frames on disk; returns them."""
    with open(path, "r+b") as handle:
        header = handle.read(_WAV_HEADER)
        if len(header) < _WAV_HEADER or header[:4] != b"RIFF" or header[36:40] != b"data":
            raise RecordingFailed(f"{path.name} is not a recording Earful started (no WAV header).")
        channels = struct.unpack("<H", header[22:24])[0]
        block_align = channels * 2
        data_bytes = (os.fstat(handle.fileno()).st_size - _WAV_HEADER) // block_align * block_align
        handle.truncate(_WAV_HEADER + data_bytes)  # a half-written frame at the end
        _patch_header(handle.fileno(), data_bytes)
        os.fsync(handle.fileno())
    return data_bytes // block_align


def _wav_header(samplerate: int, channels: int, data_bytes: int) -> bytes:
    block_align = channels * 2
    return (
        struct.pack("<4sI4s", b"RIFF", 36 + data_bytes, b"WAVE")
        + struct.pack(
            "<4sIHHIIHH", b"fmt ", 16, 1, channels, samplerate, samplerate * block_align, block_align, 16
        )
        + struct.pack("<4sI", b"data", data_bytes)
    )


def _patch_header(fd: int, data_bytes: int) -> None:
    os.pwrite(fd, struct.pack("<I", 36 + data_bytes), 4)
    os.pwrite(fd, struct.pack("<I", data_bytes), 40)


class _Source:
    """One PortAudio stream's blocks on the recording's timeline (in frames from its start)."""

    def __init__(self, channels: int) -> None:
        self.channels = channels
        self.pending: list[np.ndarray] = []
        self.end = 0  # timeline frame just after the last one buffered
        self.padded = 0
        self.offset_frames = 0  # where its capture clock puts its blocks minus where they are put
        self.placed = False

    def push(self, block: np.ndarray) -> None:
        self.pending.append(block)
        self.end += len(block)

    def pad_to(self, frame: int) -> None:
        if frame > self.end:
            self.padded += frame - self.end
            self.push(np.zeros((frame - self.end, self.channels), np.int16))

    def take(self, count: int) -> np.ndarray:
        data = np.concatenate(self.pending) if len(self.pending) > 1 else self.pending[0]
        self.pending = [data[count:]] if len(data) > count else []
        return data[:count]


class Recorder:
    """Records `you` (left channel) and, if given, `customer` (right channel) into `path`.

    One stream when both are one device (its first two inputs), two streams otherwise, at `you`'s native
    rate. Not thread-safe except `position_ms`, `take_levels`, `failure` and `stats`, which a GUI may poll.
    """

    def __init__(
        self,
        path: Path,
        you: InputDevice,
        customer: InputDevice | None = None,
        samplerate: int | None = None,
    ) -> None:
        self.samplerate = samplerate or you.native_rate
        self.channels = 1 if customer is None else 2
        self._queue: queue.Queue[tuple[int, np.ndarray, float | None] | None] = queue.Queue(_QUEUE_BLOCKS)
        self._stats = RecorderStats()
        self._failure: Exception | None = None
        self._paused: list[list[float]] = []  # [start, end] on the timeline, in frames; end inf while paused
        self._t0: float | None = None  # capture time of timeline frame 0
        self._written = 0  # timeline frames consumed (written or dropped as paused)
        self._apart: float | None = None  # the customer's offset minus yours, smoothed (see _align)
        self._aligned_once = False
        self._peaks = np.zeros(self.channels)
        if customer is not None and customer.key == you.key:
            if you.channels < 2:
                raise AudioUnavailable(
                    f"{you.name} has one input channel, so it cannot carry both you and the customer; "
                    "choose another device for the customer."
                )
            layout = [2]
        else:
            layout = [1] * self.channels
        self._sources = [_Source(channels) for channels in layout]
        devices = [you] if len(layout) == 1 else [you, customer]
        self._streams: list[Any] = []
        try:
            for index, (device, channels) in enumerate(zip(devices, layout, strict=True)):
                self._streams.append(
                    open_input_stream(
                        device,
                        channels,
                        self.samplerate,
                        blocksize=round(BLOCK_S * self.samplerate),
                        callback=self._callback(index),
                    )
                )
            self._file = CrashSafeWav(path, self.samplerate, self.channels)
        except BaseException:
            self._close_streams()
            raise
        self._writer = threading.Thread(target=self._write_loop, name="recorder-writer", daemon=True)

    # Control (the caller's thread) -----------------------------------------------------------------

    def start(self) -> None:
        self._writer.start()
        for stream in self._streams:
            stream.start()

    def pause(self) -> None:
        if not self.paused:
            self._paused.append([self._now_frame(), math.inf])

    def resume(self) -> None:
        if self.paused:
            self._paused[-1][1] = max(self._now_frame(), self._paused[-1][0])

    @property
    def capturing(self) -> bool:
        """Sound has started to arrive (a sound server can take a second after `start`)."""
        return any(source.end for source in self._sources)

    @property
    def paused(self) -> bool:
        return bool(self._paused) and self._paused[-1][1] == math.inf

    def stop(self) -> RecorderStats:
        """Stop capturing, write what is buffered and close the file. Raises RecordingFailed if writing
        failed earlier (what was written before the failure is kept and readable).

        The file ends at the moment of the call: sound captured until then is still on its way from the
        sound server (a few hundred ms with PulseAudio), so we wait for it before closing the streams.
        """
        target, deadline = self._now_frame(), time.monotonic() + STOP_WAIT_S
        while min(s.end for s in self._sources) < target and time.monotonic() < deadline:
            time.sleep(0.01)
        self._close_streams()
        if self._writer.is_alive():
            self._queue.put(None)
            self._writer.join()
        else:
            self._file.close()
        if self._failure is not None:
            raise RecordingFailed(_explain(self._failure)) from self._failure
        return self.stats

    # Polled by a display -----------------------------------------------------------------------------

    def position_ms(self) -> int:
        """Where in the file a sound heard now ends up: the time to stamp a marker with."""
        frame = self._now_frame()
        return max(0, round((frame - self._paused_before(frame)) * 1000 / self.samplerate))

    def take_levels(self) -> tuple[float, ...]:
        """Peak level (0–1) of each channel since the last call."""
        peaks, self._peaks = self._peaks, np.zeros(self.channels)
        return tuple(float(peak) for peak in peaks)

    @property
    def failure(self) -> str | None:
        """Why writing stopped, if it did; the recording should then be stopped."""
        return _explain(self._failure) if self._failure is not None else None

    @property
    def stats(self) -> RecorderStats:
        self._stats.frames_written = self._file.frames
        self._stats.padded_ms = [round(s.padded * 1000 / self.samplerate) for s in self._sources]
        self._stats.clock_offsets_ms = [s.offset_frames * 1000 / self.samplerate for s in self._sources]
        return self._stats

    # PortAudio's thread ------------------------------------------------------------------------------

    def _callback(self, index: int):
        def on_block(indata: np.ndarray, frames: int, times: Any, status: Any) -> None:
            if status.input_overflow:
                self._stats.overflows += 1
            adc = times.inputBufferAdcTime or None  # 0 where the host API does not know it
            try:
                self._queue.put_nowait((index, indata.copy(), adc))
            except queue.Full:
                self._stats.dropped_blocks += 1

        return on_block

    # The writer thread --------------------------------------------------------------------------------

    def _write_loop(self) -> None:
        last_sync = time.monotonic()
        stopping = False
        while not stopping:
            try:
                items = [self._queue.get(timeout=0.1)]
                while not self._queue.empty() and len(items) < 256:
                    items.append(self._queue.get_nowait())
            except queue.Empty:
                items = []
            for item in items:
                if item is None:
                    stopping = True
                else:
                    self._accept(*item)
            self._pad_stalled_sources(final=stopping)
            if self._failure is None:
                try:
                    self._write_ready()
                    if stopping:
                        self._file.close()
                    elif time.monotonic() - last_sync >= SYNC_S:
                        self._file.sync()
                        last_sync = time.monotonic()
                except (OSError, RecordingFailed) as error:
                    self._failure = error
        if self._failure is not None:
            # The disk may refuse the last header patch too; repair_wav fixes the header from the data.
            with contextlib.suppress(OSError):
                self._file.close()

    def _accept(self, index: int, block: np.ndarray, adc: float | None) -> None:
        source = self._sources[index]
        columns = self._columns(index)
        self._peaks[columns] = np.maximum(
            self._peaks[columns], np.abs(block.astype(np.int32)).max(axis=0) / 32768
        )
        if adc is not None:
            if self._t0 is None:
                self._t0 = adc
            block = self._place(source, block, round((adc - self._t0) * self.samplerate))
            if len(self._sources) == 2 and index == 1 and self._sources[0].placed:
                block = self._align(source, block)
        if len(block):
            source.push(block)

    def _place(self, source: _Source, block: np.ndarray, at: int) -> np.ndarray:
        """Put a block where its capture time says; fill a gap in its stream (an overflow) with silence.

        `at` is corrected by the source's offset, which follows slow movement: PortAudio's capture times
        run ahead of the sound for the first ~0.3 s of a PulseAudio stream, and its clock and the sound
        card's may run apart (~80 ppm measured); following those instead would cut or pad real sound.
        Only a jump counts as a gap.
        """
        target = at - source.offset_frames
        if not source.placed:  # its first block, or the first after it stalled and was filled with silence
            source.placed = True
            if target < source.end:
                return block[source.end - target :]
            source.pad_to(target)
        elif target - source.end > GAP_TOLERANCE_S * self.samplerate:
            source.pad_to(target)
        else:
            source.offset_frames = at - source.end
        return block

    def _align(self, customer: _Source, block: np.ndarray) -> np.ndarray:
        """Keep the customer's channel in line with yours when the two devices' clocks run apart.

        The capture times PulseAudio reports jitter by tens of ms (more on a busy machine), so the
        comparison is smoothed (a few seconds) and, after one exact alignment once the streams have
        settled, only a shift beyond `ALIGN_TOLERANCE_S` is corrected: each correction pads or cuts a
        little of the customer's sound, which must stay rare. See bench/recording.py.
        """
        if customer.end < SETTLE_S * self.samplerate:
            return block  # the first capture times are the least reliable (see _place)
        apart = customer.offset_frames - self._sources[0].offset_frames
        self._apart = apart if self._apart is None else self._apart + (apart - self._apart) * _ALIGN_SMOOTHING
        shift = round(self._apart)
        if not self._aligned_once:
            # Once both streams have settled, line them up exactly, whatever the tolerance.
            if customer.end < 2 * SETTLE_S * self.samplerate:
                return block
            self._aligned_once = True
        elif abs(shift) <= ALIGN_TOLERANCE_S * self.samplerate:
            return block
        if shift > 0:
            customer.pad_to(customer.end + shift)
        else:
            block = block[-shift:]
        customer.offset_frames -= shift
        self._apart -= shift
        self._stats.realignments += 1
        return block

    def _pad_stalled_sources(self, final: bool) -> None:
        ahead = max(source.end for source in self._sources)
        limit = ahead if final else ahead - round(MAX_SKEW_S * self.samplerate)
        for source in self._sources:
            if source.end < limit:
                source.pad_to(limit)
                source.placed = False  # its next block is placed by its capture time, over the silence

    def _write_ready(self) -> None:
        count = min(source.end for source in self._sources) - self._written
        if count <= 0:
            return
        frames = np.hstack([source.take(count) for source in self._sources])
        keep = self._unpaused_mask(self._written, count)
        self._written += count
        self._file.append(frames if keep is None else frames[keep])

    def _unpaused_mask(self, first: int, count: int) -> np.ndarray | None:
        stretches = [
            (start, end) for start, end in list(self._paused) if end > first and start < first + count
        ]
        if not stretches:
            return None
        frame = np.arange(first, first + count)
        keep = np.ones(count, bool)
        for start, end in stretches:
            keep &= (frame < start) | (frame >= end)
        return keep

    def _paused_before(self, frame: int) -> int:
        return int(sum(max(0, min(end, frame) - start) for start, end in list(self._paused) if start < frame))

    def _now_frame(self) -> int:
        """The timeline frame being captured now: by the streams' clock, else by what has arrived.

        The clock is corrected by how far your stream's blocks sit from where its clock puts them (that
        gap moves slowly, see `_place`), so a marker lands on the sound heard when it was stamped.
        """
        if self._t0 is not None and self._streams:
            try:
                clock = round((self._streams[0].time - self._t0) * self.samplerate)
                return max(0, clock - self._sources[0].offset_frames)
            except sounddevice().PortAudioError:
                pass  # the stream was closed meanwhile (stopping)
        return self._sources[0].end

    def _columns(self, index: int) -> slice:
        first = sum(source.channels for source in self._sources[:index])
        return slice(first, first + self._sources[index].channels)

    def _close_streams(self) -> None:
        for stream in self._streams:
            stream.abort(ignore_errors=True)
            stream.close(ignore_errors=True)


def why_not_written(error: OSError) -> str:
    """Why the disk refused a write, in words that say what to do."""
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "the disk is full. Free some space and try again."
    if error.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
        return "the folder is read-only. Choose a library folder you can write to."
    return error.strerror or str(error)


def _explain(error: BaseException) -> str:
    if isinstance(error, OSError):
        return f"Recording stopped: {why_not_written(error)} What was recorded until then is kept."
    return str(error)
