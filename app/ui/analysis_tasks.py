"""The window's reading by meaning (review mode's suggestions, the Themes view) run off the GUI thread.

Suggesting and grouping may run the sentence model and write what it computed (vectors, open suggestions),
so each request runs `work(analyst)` on the thread pool with its own writable library connection. The model
is loaded once per window, on the pool on first need, and shared under a lock: two requests in flight (a
review and a grouping) take turns on it rather than loading it twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from PySide6.QtCore import QObject

from app.ui.tasks import run_in_library

if TYPE_CHECKING:
    from app.analysis.embedder import SentenceEmbedder
    from app.services.analysis import Analyst

T = TypeVar("T")


class SharedSentenceModel:
    """The `Embedder` the analysis asks for: loads the model on its first use (on a pool thread) and lets one
    thread at a time run it."""

    def __init__(self) -> None:
        from app.analysis.embedder import model_id

        self.model_id = model_id()
        self._lock = threading.Lock()
        self._model: SentenceEmbedder | None = None

    def embed(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            if self._model is None:
                from app.analysis.embedder import SentenceEmbedder

                self._model = SentenceEmbedder()
            return self._model.embed(texts)


class AnalysisTasks:
    """Runs analysis requests for the library in `root` on the pool, answers back on the GUI thread."""

    def __init__(self, root: Path, owner: QObject) -> None:
        self._root = root
        self._owner = owner
        self._model: SharedSentenceModel | None = None
        self._stopped = False

    def stop(self) -> None:
        """The window is closing (its library with it): answers still on their way are dropped."""
        self._stopped = True

    def run(
        self,
        work: Callable[[Analyst], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """`work(analyst)` on the pool (an `Analyst` over its own connection and the shared model)."""
        from app.analysis.embedder import EmbeddingModelError
        from app.services.analysis import Analyst

        if self._model is None:
            try:
                self._model = SharedSentenceModel()
            except EmbeddingModelError as error:  # the model's package is missing: say so where it was asked
                on_error(error)
                return
        model = self._model
        run_in_library(
            self._root,
            lambda library: work(Analyst(library, model)),
            lambda answer: self._stopped or on_done(answer),
            lambda error: self._stopped or on_error(error),
            owner=self._owner,
        )
