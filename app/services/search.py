"""Search every interview for what was said: passages that contain the words and passages that say the
same thing in other words, ranked together, each pointing at the moment it was said.

The window's search keeps one `Finder`: it loads the sentence model once and is called from pool threads,
each with its own library connection. `prepare` embeds what has no vectors yet (a write, done once when
search opens); `search` only reads. Search by meaning covers English interviews only (the model is
MiniLM); when it cannot run, or covers fewer interviews than exact words do, `SearchResults.note` says why,
and the exact-word hits are still given.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.analysis.embedder import EmbeddingModelError, SentenceEmbedder
from app.domain.wording import counted
from app.services.analysis import Analyst, MeaningHit

if TYPE_CHECKING:
    from app.library import Library
    from app.library.search import SearchHit

MEANING_FLOOR = 0.3
"""A passage found only by meaning is shown from this cosine similarity up: below it, MiniLM's nearest
passages to a short query are mostly unrelated small talk."""


@dataclass(frozen=True, slots=True)
class Found:
    """One passage: where it was said, and the words to show (matches between \\x02 and \\x03)."""

    interview_id: int
    interview_title: str
    speaker: str | None
    start_ms: int
    snippet: str
    exact: bool
    """It contains the searched words."""
    by_meaning: bool
    """Search by meaning found it (alone, or as well as the exact words)."""


@dataclass(frozen=True, slots=True)
class SearchResults:
    hits: list[Found]
    note: str | None
    """Why search by meaning did not cover every interview, or None."""


class Finder:
    """Search by exact words and by meaning; safe to share between pool threads."""

    def __init__(self, load_embedder: Callable[[], SentenceEmbedder] = SentenceEmbedder) -> None:
        self._load_embedder = load_embedder
        self._embedder: SentenceEmbedder | None = None
        self._unavailable: str | None = None
        self._other_language = 0
        self._prepared = False
        self._lock = threading.Lock()

    def prepare(self, library: Library) -> None:
        """Load the model and embed every English interview not embedded yet (on a writable connection)."""
        embedder = self._model()
        if embedder is None:
            return
        _embedded, other_language = Analyst(library, embedder).embed_library()
        with self._lock:
            self._other_language, self._prepared = other_language, True

    def search(self, library: Library, query: str, limit: int) -> SearchResults:
        """The best `limit` passages for `query` (exact-word hits ranked among those found by meaning)."""
        exact = library.search(query, limit=limit)
        with self._lock:
            embedder, prepared = self._embedder, self._prepared
        if embedder is None or not prepared:
            return SearchResults([_found(hit, by_meaning=False) for hit in exact], self.note())
        meaning = Analyst(library, embedder).search_meaning(query, limit=limit)
        return SearchResults(ranked_together(exact, meaning, limit), self.note())

    def note(self) -> str | None:
        """What the user should know about search by meaning: why it is unavailable, or which interviews
        it leaves to exact words. Nothing while it gets ready (a moment; the hits are shown again then)."""
        with self._lock:
            if self._unavailable:
                return f"Only exact words are searched: {self._unavailable}"
            if self._other_language:
                return (
                    f"{counted(self._other_language, 'interview')} not in English: only exact words are "
                    "searched there (search by meaning reads English)."
                )
            return None

    def _model(self) -> SentenceEmbedder | None:
        with self._lock:
            if self._embedder is None and self._unavailable is None:
                try:
                    self._embedder = self._load_embedder()
                except EmbeddingModelError as error:
                    self._unavailable = str(error)
            return self._embedder


def ranked_together(exact: list[SearchHit], meaning: list[MeaningHit], limit: int) -> list[Found]:
    """Meaning's order, in which containing the words already counts (`analysis.EXACT_BONUS`); a passage
    found both ways shows the exact hit (its marked words, the moment the first is said); then the exact
    hits meaning did not rank; passages found only by meaning below MEANING_FLOOR are left out."""
    exact_by_segment = {hit.segment_id: hit for hit in exact}
    ranked: list[Found] = []
    for hit in meaning:
        if hit.segment_id in exact_by_segment:
            ranked.append(_found(exact_by_segment.pop(hit.segment_id), by_meaning=True))
        elif hit.score >= MEANING_FLOOR:
            ranked.append(
                Found(hit.interview_id, hit.interview_title, None, hit.start_ms, hit.text, hit.exact, True)
            )
    ranked.extend(_found(hit, by_meaning=False) for hit in exact if hit.segment_id in exact_by_segment)
    return ranked[:limit]


def _found(hit: SearchHit, by_meaning: bool) -> Found:
    return Found(
        hit.interview_id, hit.interview_title, hit.speaker, hit.start_ms, hit.snippet, True, by_meaning
    )
