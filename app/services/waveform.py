"""Waveform peaks for recordings imported before peaks were kept at import (see `RecordingRepository.peaks`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.media.peaks import PEAK_RESOLUTION_MS


def compute_peaks(audio_path: Path) -> tuple[np.ndarray, int]:
    """Slow (decodes the file): call off the GUI thread, then keep the result with `library.recordings.set_peaks`."""
    from app.media.probe import probe  # PyAV, loaded only when an old recording needs its waveform

    return probe(audio_path).peaks, PEAK_RESOLUTION_MS
