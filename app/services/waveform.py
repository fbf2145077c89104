"""Waveform peaks for a recording: stored at import, computed again only for older recordings."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.domain.interview import Recording
from app.library import Library
from app.media.peaks import PEAK_RESOLUTION_MS


def stored_peaks(library: Library, recording: Recording) -> tuple[np.ndarray, int] | None:
    """Fast: what the library holds (None for a recording imported before peaks were kept)."""
    return library.recordings.peaks(recording.id)


def compute_peaks(audio_path: Path) -> tuple[np.ndarray, int]:
    """Slow (decodes the file): call off the GUI thread, then keep the result with `library.recordings.set_peaks`."""
    from app.media.probe import probe  # PyAV, loaded only when an old recording needs its waveform

    return probe(audio_path).peaks, PEAK_RESOLUTION_MS
