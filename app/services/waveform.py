"""Waveform peaks for recordings imported before peaks were kept at import (see `RecordingRepository.peaks`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from app.domain.interview import Recording
    from app.library import Library


def compute_peaks(audio_path: Path) -> tuple[np.ndarray, int]:
    """Slow (decodes the file): call off the GUI thread."""
    # PyAV and numpy load only when an old recording needs its waveform, never on the way to the window.
    from app.media.peaks import PEAK_RESOLUTION_MS
    from app.media.probe import probe

    return probe(audio_path).peaks, PEAK_RESOLUTION_MS


def recording_peaks(library: Library, recording: Recording) -> tuple[np.ndarray, int]:
    """The recording's peaks: computed and kept the first time they are asked for (slow then: call off the
    GUI thread, with the thread's own library connection)."""
    stored = library.recordings.peaks(recording.id)
    if stored is not None:
        return stored
    peaks, resolution = compute_peaks(library.recordings.path(recording))
    library.recordings.set_peaks(recording.id, peaks, resolution)
    return peaks, resolution
