"""The transcription job's embedding stage: the new transcript's segments embedded by the sentence model run
in the transcription worker process, so suggestions and search by meaning need not wait for it later."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np

from app.analysis.embedder import EmbeddingModelError, model_id, reads_language
from app.analysis.stage import EmbeddingFailed, TextsRequest, VectorsReady, embed_texts, load_sentence_model
from app.services.analysis import AnalysisUnavailable, Analyst
from app.transcription.messages import PassFailed, StageRequest
from app.transcription.runner import WorkerCrashed

if TYPE_CHECKING:
    from app.library import Library
    from app.transcription.options import TranscriptionOptions
    from app.transcription.runner import TranscriptionWorker

log = logging.getLogger(__name__)


class WorkerEmbedder:
    """The sentence model run in the transcription worker process (`analysis/stage.py`), one batch per
    request: a cancel of the job stops it there, and the caller's process never loads the model."""

    def __init__(self, worker: TranscriptionWorker) -> None:
        self._worker = worker
        self.model_id = model_id()

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = None
        for message in self._worker.run(StageRequest(embed_texts, TextsRequest(tuple(texts)))):
            if isinstance(message, VectorsReady):
                vectors = message.vectors
            elif isinstance(message, EmbeddingFailed | PassFailed):
                raise EmbeddingModelError(message.message)
        if vectors is None:
            raise EmbeddingModelError("The transcription process sent no sentence vectors.")
        return vectors


def sentence_model_loading(options: TranscriptionOptions) -> StageRequest | None:
    """Loading the sentence model, to run alongside a job's last pass so that `embed_transcript` finds it
    loaded; None where that stage will not embed (a transcript in another language)."""
    return StageRequest(load_sentence_model, None) if reads_language(options.language) else None


def embed_transcript(library: Library, worker: TranscriptionWorker, interview_id: int) -> None:
    """A transcription job's last stage: embed the new transcript's segments and question clauses in the
    worker, a batch at a time, each batch committed, so suggestions and search by meaning need not wait for
    the model later. Resumable: a job stopped here is resumed by embedding what still has no vector. A
    transcript in another language is left to exact words; a model that cannot be used leaves the
    transcript as it is (logged; so does a crash of the worker here), and the analysis embeds lazily when
    first asked."""
    try:
        analyst = Analyst(library, WorkerEmbedder(worker))
        analyst.require_english(interview_id)
        analyst.embed_interview(interview_id)
    except AnalysisUnavailable:
        return
    except (EmbeddingModelError, WorkerCrashed) as error:
        log.warning("Interview %s was not embedded for reading by meaning: %s", interview_id, error)
