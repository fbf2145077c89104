"""Clips hold the customer's channel only, and the stretch asked for."""

from __future__ import annotations

import numpy as np

from app.export.pack.clips import clip_samples, encode_clip, padded
from app.export.pack.model import ClipSource
from app.media.decode import decode_for_whisper
from app.services.packs import PackRequest, build_pack
from tests.export.conftest import demo_turns
from tests.export.pack_files import decode_clip


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2)))


def test_a_two_channel_call_gives_clips_of_the_customer_channel(pack_library):
    library, ids = pack_library
    pack = build_pack(library, PackRequest(tuple(ids)))
    assert {(q.clip.channel, q.clip.split_stereo) for q in pack.quotes} == {(1, True)}
    # While the interviewer asks a question the customer's channel is quiet; the mix is not.
    question = demo_turns()[2]
    audio = pack.quotes[0].clip.audio
    customer = ClipSource(audio, 1, True, question["start_ms"], question["end_ms"])
    mixed = ClipSource(audio, None, False, question["start_ms"], question["end_ms"])
    assert rms(decode_clip(encode_clip(customer))) < 0.1 * rms(decode_clip(encode_clip(mixed)))


def test_a_clip_read_by_seeking_is_the_same_stretch_as_decoding_the_whole_call(pack_library):
    library, ids = pack_library
    pack = build_pack(library, PackRequest(tuple(ids)))
    whole = decode_for_whisper(pack.quotes[0].clip.audio, split_stereo=True)
    for quote in pack.quotes:
        clip = quote.clip
        expected = whole[clip.channel][clip.start_ms * 16 : clip.end_ms * 16]
        assert np.array_equal(clip_samples(clip), expected), quote.attribution


def test_clips_are_padded_within_the_recording():
    assert padded(1_000, 2_000, 60_000) == (750, 2_250)
    assert padded(100, 59_900, 60_000) == (0, 60_000)


def test_seeking_in_a_44_khz_file_lands_on_the_same_samples(speech):
    """jfk.flac is 44.1 kHz stereo, so a clip is resampled from a point inside the file."""
    jfk = speech / "jfk.flac"
    [whole] = decode_for_whisper(jfk, split_stereo=False)
    for start_ms in (0, 2_345, 7_000):
        clip = ClipSource(jfk, None, False, start_ms, start_ms + 3_000)
        cut = clip_samples(clip).astype(np.float64)
        expected = whole[start_ms * 16 : (start_ms + 3_000) * 16].astype(np.float64)
        assert len(cut) == len(expected)

        # The resampler starts at another phase, so not bit-identical, but aligned to the sample.
        similarity = {lag: similar(cut, expected, lag) for lag in range(-3, 4)}
        assert similarity[0] > 0.99
        assert similarity[0] == max(similarity.values()), f"misaligned at {start_ms} ms"


def similar(cut: np.ndarray, expected: np.ndarray, lag: int) -> float:
    """Correlation of `cut`, shifted by `lag` samples, with `expected` (edges left out)."""
    return float(np.corrcoef(cut[200 + lag : -200 + lag], expected[200:-200])[0, 1])
