"""Put the blocks of one or two capture streams on one timeline, so each channel of the file lines up.

Two sources on two devices are two PortAudio streams whose blocks arrive independently. Each block
carries the time its first sample was captured (`inputBufferAdcTime`, one clock for every stream), which
places it on one timeline that starts with the first block of either stream. A stream that skips (an
overflow) gets silence for the sound it lost; when the two streams' clocks run more than `ALIGN_TOLERANCE_S`
apart, the customer's channel is padded or trimmed back in line with yours. Through PulseAudio those
times are good to about ±25 ms, which is how closely the channels line up (bench/recording.py).
"""

from __future__ import annotations

import numpy as np

GAP_TOLERANCE_S = 0.1
ALIGN_TOLERANCE_S = 0.1
SETTLE_S = 1.0
_ALIGN_SMOOTHING = 0.005  # per customer block: a time constant of ~200 blocks, four seconds
MAX_SKEW_S = 0.5
"""A source that delivers nothing for this long is filled with silence rather than holding the other back."""


class Source:
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


class Timeline:
    """The sources of one recording (yours first, then the customer's) lined up frame for frame.

    `accept` places each block as it arrives; `take_ready` hands out the frames every source has reached.
    Used by one thread (the recorder's writer); `sources` may be read by others for a display.
    """

    def __init__(self, layout: list[int], samplerate: int) -> None:
        self.samplerate = samplerate
        self.sources = [Source(channels) for channels in layout]
        self.t0: float | None = None  # capture time of timeline frame 0
        self.realignments = 0
        self._taken = 0
        self._apart: float | None = None  # the customer's offset minus yours, smoothed (see _align)
        self._aligned_once = False

    def accept(self, index: int, block: np.ndarray, adc: float | None) -> None:
        """Place one block of source `index`, captured at `adc` (None where the host API does not know)."""
        source = self.sources[index]
        if adc is not None:
            if self.t0 is None:
                self.t0 = adc
            block = self._place(source, block, round((adc - self.t0) * self.samplerate))
            if len(self.sources) == 2 and index == 1 and self.sources[0].placed:
                block = self._align(source, block)
        if len(block):
            source.push(block)

    def pad_stalled_sources(self, final: bool) -> None:
        """Fill a source that fell more than MAX_SKEW_S behind (or any, when `final`) with silence."""
        ahead = max(source.end for source in self.sources)
        limit = ahead if final else ahead - round(MAX_SKEW_S * self.samplerate)
        for source in self.sources:
            if source.end < limit:
                source.pad_to(limit)
                source.placed = False  # its next block is placed by its capture time, over the silence

    def take_ready(self) -> tuple[int, np.ndarray | None]:
        """(first timeline frame, frames every source has reached since the last call, channels side by
        side); None when there are none."""
        first = self._taken
        count = min(source.end for source in self.sources) - first
        if count <= 0:
            return first, None
        self._taken += count
        return first, np.hstack([source.take(count) for source in self.sources])

    def columns(self, index: int) -> slice:
        """The file's channels that source `index` fills."""
        first = sum(source.channels for source in self.sources[:index])
        return slice(first, first + self.sources[index].channels)

    def _place(self, source: Source, block: np.ndarray, at: int) -> np.ndarray:
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

    def _align(self, customer: Source, block: np.ndarray) -> np.ndarray:
        """Keep the customer's channel in line with yours when the two devices' clocks run apart.

        The capture times PulseAudio reports jitter by tens of ms (more on a busy machine), so the
        comparison is smoothed (a few seconds) and, after one exact alignment once the streams have
        settled, only a shift beyond `ALIGN_TOLERANCE_S` is corrected: each correction pads or cuts a
        little of the customer's sound, which must stay rare. See bench/recording.py.
        """
        if customer.end < SETTLE_S * self.samplerate:
            return block  # the first capture times are the least reliable (see _place)
        apart = customer.offset_frames - self.sources[0].offset_frames
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
        self.realignments += 1
        return block
