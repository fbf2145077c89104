"""The worker-process half of the embedding stage: sentence vectors computed where the transcription runs.

The services layer sends `embed_texts` to the transcription worker in a `StageRequest` (pickled by name)
once a job's transcript is final, so the sentence model runs in that spawned process, never in the window's:
a cancel terminates it like a transcription, and the window's memory never holds the model. Its heavy
imports (onnxruntime, tokenizers) happen inside it, in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from app.analysis.embedder import SentenceEmbedder

_embedders: list[object] = []  # the worker keeps the model loaded between batches and jobs


@dataclass(frozen=True, slots=True)
class TextsRequest:
    """Embed these texts (one batch: the caller commits each batch's vectors before asking for more)."""

    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VectorsReady:
    """The unit vectors of a TextsRequest's texts, in their order."""

    vectors: np.ndarray


@dataclass(frozen=True, slots=True)
class EmbeddingFailed:
    """The sentence model could not be used; the message says why."""

    message: str


def embed_texts(request: TextsRequest, send: Callable[[object], None]) -> None:
    from app.analysis.embedder import EmbeddingModelError

    try:
        embedder = _embedder()
    except EmbeddingModelError as error:
        send(EmbeddingFailed(str(error)))
        return
    send(VectorsReady(embedder.embed(list(request.texts))))


def load_sentence_model(_payload: None, _send: Callable[[object], None]) -> None:
    """Load the sentence model ahead of `embed_texts`: run alongside a job's last pass, on the CPU time the
    decoding leaves idle, so the embedding stage after it does not wait for the load. A model that cannot
    be loaded raises here and is reported by `embed_texts`."""
    _embedder()


def _embedder() -> SentenceEmbedder:
    """The worker's one sentence model, loaded by the first caller. A load beside a pass may still be on its
    way (at the lowest priority) when the stage needs the model: the stage then loads its own rather than
    wait, and the first loaded is kept."""
    from app.analysis.embedder import SentenceEmbedder

    if not _embedders:
        loaded = SentenceEmbedder()
        if not _embedders:
            _embedders.append(loaded)
    return _embedders[0]
