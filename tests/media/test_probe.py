"""Probing and decoding the shared real recordings: what Earful reports and what Whisper will hear."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from faster_whisper.audio import decode_audio

from app.media.decode import decode_for_whisper, to_float
from app.media.probe import probe

# (file, seconds as MANIFEST.md gives them, sample rate, channels, one voice per channel)
CLIPS = [
    ("jfk.flac", 11.0, 44_100, 2, False),
    ("librispeech_2412-153948-0000.flac", 11.66, 16_000, 1, False),
    ("mfa_acoustic_corpus.wav", 26.7, 16_000, 1, False),
    ("digits_10001-90210-01803.wav", 8.3, 16_000, 1, False),
    ("stereo_diarization.wav", 5.0, 16_000, 2, True),
    ("ami_dev00.wav", 30.0, 16_000, 1, False),
]
CLIP_NAMES = [clip[0] for clip in CLIPS]


@pytest.mark.parametrize(("name", "seconds", "rate", "channels", "separate"), CLIPS, ids=CLIP_NAMES)
def test_probe_reports_what_each_shared_clip_holds(
    speech: Path, name: str, seconds: float, rate: int, channels: int, separate: bool
) -> None:
    info = probe(speech / name)

    assert info.sample_rate == rate
    assert info.channels == channels
    assert info.separate_channels is separate
    assert info.truncated is False
    # MANIFEST.md rounds to 0.1 s (mfa is really 26.723 s), so hold it to that, and hold the exact length
    # to what libsndfile, an independent decoder, counts.
    assert abs(info.duration_ms - seconds * 1000) <= 50
    independent = sf.info(str(speech / name))
    assert abs(info.duration_ms - independent.frames * 1000 / independent.samplerate) <= 20


@pytest.mark.parametrize("split_stereo", [False, True], ids=["mono", "split-stereo"])
@pytest.mark.parametrize("name", CLIP_NAMES)
def test_decode_for_whisper_is_bit_identical_to_faster_whisper(
    speech: Path, name: str, split_stereo: bool
) -> None:
    ours = [to_float(samples) for samples in decode_for_whisper(speech / name, split_stereo=split_stereo)]
    theirs = decode_audio(str(speech / name), split_stereo=split_stereo)
    theirs = list(theirs) if split_stereo else [theirs]

    assert len(ours) == len(theirs) == (2 if split_stereo else 1)
    for mine, reference in zip(ours, theirs, strict=True):
        assert mine.dtype == reference.dtype == np.float32
        assert mine.shape == reference.shape
        assert mine.size > 0
        assert np.array_equal(mine, reference)
