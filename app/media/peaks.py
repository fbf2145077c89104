"""Waveform peaks: the loudest sample of each short stretch, per channel, small enough to keep in the library.

Computed during the one decode pass that import already makes, so drawing a waveform never decodes again.
"""

from __future__ import annotations

import numpy as np

PEAK_RESOLUTION_MS = 20
MAX_PEAK_CHANNELS = 2  # a waveform lane per party of a two-channel call; more would not be readable


class PeakEnvelope:
    """Accumulates |sample| maxima per PEAK_RESOLUTION_MS for up to two channels."""

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._window = max(rate * PEAK_RESOLUTION_MS // 1000, 1)
        self._pending: list[np.ndarray] = []
        self._pending_samples = 0
        self._peaks: list[np.ndarray] = []

    def add(self, samples: np.ndarray) -> None:
        """`samples`: float32 array (channels, n) with values in -1..1."""
        if not self._rate:
            return
        self._pending.append(np.abs(samples[:MAX_PEAK_CHANNELS]))
        self._pending_samples += samples.shape[1]
        if self._pending_samples >= self._window * 500:
            self._flush(final=False)

    def peaks(self) -> np.ndarray:
        """(channels, n) uint8 peaks, 0 = silence, 255 = full scale."""
        self._flush(final=True)
        if not self._peaks:
            return np.zeros((1, 0), dtype=np.uint8)
        return np.concatenate(self._peaks, axis=1)

    def _flush(self, final: bool) -> None:
        if not self._pending:
            return
        block = np.concatenate(self._pending, axis=1)
        usable = block.shape[1] if final else block.shape[1] - block.shape[1] % self._window
        rest = block[:, usable:]
        self._pending, self._pending_samples = ([rest], rest.shape[1]) if rest.shape[1] else ([], 0)
        if usable:
            padded = np.pad(block[:, :usable], ((0, 0), (0, -usable % self._window)))
            maxima = padded.reshape(block.shape[0], -1, self._window).max(axis=2)
            self._peaks.append(np.clip(np.rint(maxima * 255), 0, 255).astype(np.uint8))
