"""Features, speech frames and window embeddings on real speech, with the real CAM++ model."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.media.blocks import mono_blocks
from app.media.decode import decode_for_whisper
from app.media.errors import MediaError
from app.resources import resource_path
from app.speakers.embedder import MODEL_RESOURCE, SpeakerEmbedder
from app.speakers.embedding import embed_chunks
from app.speakers.features import fbank
from app.speakers.speech import speech_frames
from app.speakers.windows import HOP_MS, WINDOW_MS, SpeakerWindows
from tests.conftest import REPO


@pytest.fixture(scope="module")
def ami_samples(speech: Path) -> np.ndarray:
    [samples] = decode_for_whisper(speech / "ami_dev00.wav", split_stereo=False)
    return samples


def test_the_shipped_model_is_the_one_its_notice_describes():
    model = resource_path(MODEL_RESOURCE)
    notice = resource_path("models/NOTICE.md").read_text()
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    assert re.search(rf"sha256: {digest} \({model.stat().st_size:,} bytes\)", notice)
    assert "Apache License" in notice and "arXiv:2303.00332" in notice


def test_filterbank_has_80_bins_every_10_ms_and_speech_is_found_where_people_talk(ami_samples):
    features = fbank(ami_samples)
    assert features.shape == (2998, 80)  # 30 s: Kaldi's snip_edges framing (25 ms frames, 10 ms hop)
    speech = speech_frames(ami_samples, len(features))
    assert not speech[:100].any()  # the reference's first turn starts at 1.44 s
    assert 0.6 < speech.mean() < 0.95  # a meeting: mostly talk, some pauses


def test_windows_lie_on_the_grid_over_speech_only(ami_samples, embedder):
    windows = SpeakerWindows.joined([w for _, w in embed_chunks([ami_samples], embedder)])
    assert len(windows) > 30 and windows.embeddings.shape == (len(windows), 192)
    assert np.all(windows.starts_ms % HOP_MS == 0) and np.all(np.diff(windows.starts_ms) > 0)
    assert windows.starts_ms[0] >= 1000 and windows.starts_ms[-1] + WINDOW_MS <= 30_000
    assert np.all(np.isfinite(windows.embeddings))


def test_the_stream_decodes_exactly_what_transcription_decodes(speech: Path):
    for clip in ("ami_dev00.wav", "jfk.flac"):  # float WAV; 44.1 kHz stereo FLAC (resampled, mixed down)
        [whole] = decode_for_whisper(speech / clip, split_stereo=False)
        assert np.array_equal(np.concatenate(list(mono_blocks(speech / clip))), whole)


def test_a_file_that_does_not_decode_is_refused_with_its_name(tmp_path: Path):
    text = tmp_path / "notes.wav"
    text.write_text("not audio")
    with pytest.raises(MediaError, match=re.escape("notes.wav: could not be decoded")):
        list(mono_blocks(text))


def test_resuming_at_a_cursor_gives_exactly_the_windows_of_one_run(ami_samples, embedder):
    chunks = list(embed_chunks(_blocks(ami_samples, 7_000), embedder, chunk_ms=10_000))
    assert [cursor for cursor, _ in chunks] == [10_000, 20_000, 30_000]
    resumed = list(embed_chunks([ami_samples], embedder, start_ms=10_000, chunk_ms=10_000))
    assert [cursor for cursor, _ in resumed] == [20_000, 30_000]
    for (_, whole), (_, again) in zip(chunks[1:], resumed, strict=True):
        assert np.array_equal(whole.starts_ms, again.starts_ms)
        assert np.allclose(whole.embeddings, again.embeddings, atol=1e-5)


def _blocks(samples: np.ndarray, size: int) -> list[np.ndarray]:
    """The samples in pieces of `size`, as a decoder hands them over (the chunking must not depend on it)."""
    return [samples[start : start + size] for start in range(0, len(samples), size)]


def test_a_cursor_off_the_window_grid_is_refused(ami_samples, embedder):
    with pytest.raises(ValueError, match="500 ms window grid"):
        next(embed_chunks([ami_samples], embedder, start_ms=250))


def test_silence_and_very_short_audio_give_no_windows(embedder):
    assert len(next(embed_chunks([np.zeros(16_000 * 5, dtype=np.int16)], embedder))[1]) == 0
    assert list(embed_chunks([], embedder)) == []


def test_a_missing_or_broken_model_is_refused_with_its_path(tmp_path: Path):
    broken = tmp_path / "campplus.onnx"
    broken.write_bytes(b"not a model")
    for path in (broken, tmp_path / "absent.onnx"):
        with pytest.raises(ValueError, match=re.escape(str(path))):
            SpeakerEmbedder(path)


def test_the_callers_process_leaves_the_model_and_its_libraries_to_the_worker():
    """The GUI and CLI import the stage to name its functions; decoding and the model stay in the worker."""
    heavy = ["av", "onnxruntime", "kaldi_native_fbank", "faster_whisper"]
    code = f"import sys, app.services.transcribing; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"
