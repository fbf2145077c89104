"""Waveform peaks for recordings imported before peaks were kept at import (see `RecordingRepository.peaks`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def compute_peaks(audio_path: Path) -> tuple[np.ndarray, int]:
    """Slow (decodes the file): call off the GUI thread, then keep the result with `library.recordings.set_peaks`."""
    # PyAV and numpy load only when an old recording needs its waveform, never on the way to the window.
    from app.media.peaks import PEAK_RESOLUTION_MS
    from app.media.probe import probe

    return probe(audio_path).peaks, PEAK_RESOLUTION_MS
