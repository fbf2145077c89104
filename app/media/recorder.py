"""Record a call: you and (optionally) the customer, each on a channel of a WAV file that survives a crash.

PortAudio calls us on its own real-time thread; anything slow there (a lock, a write, a full queue) drops
sound. So the callback only copies the block into a queue, and a writer thread does the rest: lines the
two sources up (`channel_alignment.Timeline`), drops paused stretches, measures levels and appends to the
file (`wav_writer.CrashSafeWav`).

Crash safety: the data reaches the operating system within one writer pass (tens of milliseconds), so a
killed process loses only what PortAudio had not yet handed over; the header is patched and the file
synced to disk every `SYNC_S`, so even a machine that dies loses at most that.

The live transcript taps the file, not this class: it reads the WAV as it grows (`wav_writer.read_wav_frames`),
so transcription can fall behind, but can never hold up or drop a block of the recording.
"""

from __future__ import annotations

import contextlib
import errno
import math
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app.media.channel_alignment import Timeline
from app.media.devices import AudioUnavailable, InputDevice, open_input_stream, sounddevice
from app.media.wav_writer import CrashSafeWav, RecordingFailed

SYNC_S = 1.0
BLOCK_S = 0.02
"""PortAudio block length: latency does not matter when recording, and fewer, larger blocks cost less CPU."""
STOP_WAIT_S = 1.0
_QUEUE_BLOCKS = 4000  # ~40 s of PortAudio blocks: room for a writer stalled by a slow disk


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
        self._timeline = Timeline(layout, self.samplerate)
        self._sources = self._timeline.sources
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
        self._stats.realignments = self._timeline.realignments
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
            self._timeline.pad_stalled_sources(final=stopping)
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
        columns = self._timeline.columns(index)
        self._peaks[columns] = np.maximum(
            self._peaks[columns], np.abs(block.astype(np.int32)).max(axis=0) / 32768
        )
        self._timeline.accept(index, block, adc)

    def _write_ready(self) -> None:
        first, frames = self._timeline.take_ready()
        if frames is None:
            return
        keep = self._unpaused_mask(first, len(frames))
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
        gap moves slowly, see `Timeline._place`), so a marker lands on the sound heard when it was stamped.
        """
        if self._timeline.t0 is not None and self._streams:
            try:
                clock = round((self._streams[0].time - self._timeline.t0) * self.samplerate)
                return max(0, clock - self._sources[0].offset_frames)
            except sounddevice().PortAudioError:
                pass  # the stream was closed meanwhile (stopping)
        return self._sources[0].end

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
