"""One real model and one real worker session shared by a module's tests (loading is the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.transcription.engine import SAMPLING_SEED
from app.transcription.models import resolve_model
from app.transcription.options import TranscriptionOptions


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def bare_model(models_dir: Path):
    """faster-whisper used directly, as a user of the library would: the baseline Earful must equal."""
    from faster_whisper import WhisperModel

    model = resolve_model(TranscriptionOptions().model, models_dir)
    return WhisperModel(str(model.path), device="cpu", compute_type="int8")


def bare_transcript(bare_model, audio, options: TranscriptionOptions) -> list[tuple[int, int, str]]:
    """What a user's own faster-whisper script gives with these options: the batched pipeline when they
    name a batch size, sampling seeded as Earful seeds it."""
    import ctranslate2
    from faster_whisper import BatchedInferencePipeline

    ctranslate2.set_random_seed(SAMPLING_SEED)
    transcriber = BatchedInferencePipeline(bare_model) if options.batch_size else bare_model
    segments, _info = transcriber.transcribe(audio, **options.whisper_kwargs())
    return [(round(s.start * 1000), round(s.end * 1000), s.text.strip()) for s in segments]
