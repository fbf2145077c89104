"""Reading interviews by meaning: embeddings kept in the library, the guide's suggestions, themes across
interviews and search by meaning. Used by the CLI (`cli/analysis.py`) and the window (review mode, Themes).

Embeddings are computed lazily and batched (`embed_interview`), so an interview costs nothing until it is
first analysed; a corrected segment loses its vector and is embedded again next time. Suggestions are
stored apart from markers and quotes and become ordinary ones only when the user accepts them, through
the same repositories and tagging service as a marker or quote placed by hand.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from app.analysis.embedder import SentenceEmbedder, reads_language
from app.analysis.questions import CUSTOMER, INTERVIEWER, Turn, analyse, guide_vectors
from app.analysis.sentences import question_clauses, question_steps
from app.analysis.themes import group_quotes
from app.library import redo
from app.library.analysis import DIMENSIONS, AnalysisRepository, unpack_signs
from app.library.markers import MarkerKind
from app.services.board import BoardFilters
from app.services.tagging import Tagger

if TYPE_CHECKING:
    from app.domain.transcript import Segment, Word
    from app.guides.model import Guide
    from app.library import Library
    from app.library.analysis import Suggestion

EMBED_BATCH = 64
"""Segments embedded and committed together: an interrupted run keeps what it finished."""
MIN_ANSWER_WORDS = 4
"""A shorter customer turn ("Yeah.", "Right, exactly.") is not proposed as a quote."""
CANDIDATES = 200
"""Segments kept by the sign-bit pass of a meaning search before rescoring."""
EXACT_BONUS = 0.15
"""What containing the searched words adds to a passage's similarity, so exact hits rank with the others."""


class AnalysisUnavailable(Exception):
    """There is nothing to suggest for a reason the user can act on (no guide, no transcript, language).
    The message ends with what to do on the command line (`str`) or in the window (`in_window`)."""

    def __init__(self, reason: str, command: str = "", window: str = "") -> None:
        super().__init__(f"{reason} {command}".strip())
        self.in_window = f"{reason} {window}".strip()


class Embedder(Protocol):
    """What the analysis needs of a sentence model: its id (stored beside every vector) and unit vectors."""

    model_id: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class ThemeGroup:
    label: str
    quotes: tuple[tuple[int, int, int, str], ...]
    """(quote id, interview id, start ms, text) of each member."""

    @property
    def interviews(self) -> int:
        """In how many of the interviews considered it was said: the "n" of "n of N" (also after the user
        moved quotes between groups or merged two)."""
        return len({interview_id for _, interview_id, _, _ in self.quotes})


@dataclass(frozen=True, slots=True)
class Filed:
    """What filing one suggestion made: an ordinary question marker or quote (`kind` as the suggestion's),
    by its row id, so an undo can take exactly that back."""

    suggestion_id: int
    kind: str
    row_id: int


@dataclass(frozen=True, slots=True)
class Review:
    """What review mode needs to walk an interview's fresh suggestions (read from the library as they are
    decided): the guide they follow and the transcript's words their bounds move by."""

    interview_id: int
    guide: Guide
    words: list[Word]


@dataclass(frozen=True, slots=True)
class MeaningHit:
    segment_id: int
    interview_id: int
    interview_title: str
    start_ms: int
    text: str
    score: float
    exact: bool


class Analyst:
    """The analysis of one library; the sentence model is loaded on first need and kept."""

    def __init__(self, library: Library, embedder: Embedder | None = None) -> None:
        self._library = library
        self._store = AnalysisRepository(library.db)
        self._embedder = embedder
        self._index: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def library(self) -> Library:
        return self._library

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = SentenceEmbedder()
        return self._embedder

    # Embeddings -----------------------------------------------------------------------------------

    def embed_interview(self, interview_id: int) -> int:
        """Embed what has no vector from this model yet: segments (as sign bits) and the interviewer's
        question clauses (int8); returns how many segments were embedded."""
        model = self.embedder.model_id
        # Shortest first across the whole interview, not per batch: each batch is padded to its longest
        # text, so batches of like lengths waste little (a third faster on a 51-minute interview).
        missing = sorted(
            self._store.segments_without_embedding(interview_id, model), key=lambda row: len(row[1])
        )
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = self.embedder.embed([text for _, text in batch])
            self._store.store_segment_embeddings(model, [sid for sid, _ in batch], vectors)
        if missing:
            roles = self._roles(interview_id)
            runs = _runs(self._library.transcripts.segments(interview_id), roles)
            self.embed([clause for run in runs for clause in _clauses(run, roles)])
        return len(missing)

    def embed(self, texts: list[str]) -> np.ndarray:
        """(n, 384) vectors of short texts, looked up in the library and embedded (and kept) if new."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self.embedder.model_id
        known = self._store.text_vectors(model, texts)
        missing = sorted((text for text in dict.fromkeys(texts) if text not in known), key=len)
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            fresh = dict(zip(batch, self.embedder.embed(batch), strict=True))
            known.update(self._store.store_text_vectors(model, fresh))
        return np.stack([known[text] for text in texts])

    def _roles(self, interview_id: int) -> dict[int, str]:
        return {
            speaker.id: speaker.role.value for speaker in self._library.transcripts.speakers(interview_id)
        }

    def embed_library(self) -> tuple[int, int]:
        """Embed every English interview's segments that have no vector yet (before a meaning search).
        Returns (segments embedded, interviews left to exact words because of their language)."""
        embedded = other_language = 0
        for interview_id in self._store.interviews_without_embeddings(self.embedder.model_id):
            try:
                self.require_english(interview_id)
            except AnalysisUnavailable:
                other_language += 1
                continue
            embedded += self.embed_interview(interview_id)
        self._index = None
        return embedded, other_language

    # Suggestions ----------------------------------------------------------------------------------

    def suggest(self, interview_id: int) -> list[Suggestion]:
        """Propose where each guide question was asked and the customer's answers; replaces the open
        suggestions (decided ones stay decided) and never touches markers or quotes."""
        slug, guide = self._usable_guide(interview_id)
        self.embed_interview(interview_id)
        turns = self._turns(interview_id)
        examples = {
            key: unpack_signs(bits)
            for key, bits in self._store.answer_bits(self.embedder.model_id, slug, interview_id).items()
        }
        found = analyse([turn for turn, _ in turns], guide_vectors(guide, self.embed), examples)
        proposed = []
        for (turn, span), asks, answer in zip(turns, found.asks, found.answers, strict=True):
            start_ms, end_ms, channel = span
            for key in asks:
                proposed.append(_proposal("question", key, start_ms, start_ms, channel))
            if answer and len(turn.text.split()) >= MIN_ANSWER_WORDS:
                proposed.append(_proposal("quote", answer, start_ms, end_ms, channel))
        return self._store.replace_open_suggestions(interview_id, self.embedder.model_id, proposed)

    def review(self, interview_id: int) -> Review:
        """Suggest afresh (it may embed: run it off the GUI thread) and gather what review mode needs.
        Raises AnalysisUnavailable with the reason there can be no suggestions."""
        self.suggest(interview_id)
        _, guide = self._usable_guide(interview_id)
        return Review(interview_id, guide, self.words(interview_id))

    def suggestions(self, interview_id: int) -> list[Suggestion]:
        return self._store.of_interview(interview_id)

    def accept(self, interview_id: int, suggestion_ids: list[int] | None = None) -> tuple[int, int]:
        """File open suggestions (all, or these) as ordinary question markers and quotes; returns how many
        of each. Quotes go through the tagging service, which checks the question against the guide."""
        filed = [
            self.file(suggestion)
            for suggestion in self._store.of_interview(interview_id)
            if suggestion_ids is None or suggestion.id in suggestion_ids
        ]
        markers = sum(1 for one in filed if one.kind == "question")
        return markers, len(filed) - markers

    def file(
        self,
        suggestion: Suggestion,
        start_ms: int | None = None,
        end_ms: int | None = None,
        question: str | None = None,
        tags: tuple[str, ...] = (),
        note: str | None = None,
    ) -> Filed:
        """File one suggestion as the user decided it: a question marker at its place, or a quote over
        [start_ms, end_ms] (its own bounds unless moved) under `question` (the suggested one unless
        changed) with tags and a note, through the same services as one placed by hand."""
        start_ms = suggestion.start_ms if start_ms is None else start_ms
        end_ms = suggestion.end_ms if end_ms is None else end_ms
        question = question or suggestion.question
        if suggestion.kind == "question":
            row_id = self._library.markers.add(
                suggestion.interview_id, start_ms, MarkerKind.QUESTION, question=question
            ).id
        else:
            row_id = (
                Tagger(self._library)
                .add_quote(
                    suggestion.interview_id,
                    start_ms,
                    end_ms,
                    question_key=question,
                    tags=tags,
                    note=note,
                    channel=suggestion.channel,
                )
                .quote.id
            )
        self._store.set_state(suggestion.id, "accepted")
        return Filed(suggestion.id, suggestion.kind, row_id)

    def unfile(self, filed: Filed) -> None:
        """Undo `file`: the marker or quote it made is deleted and the suggestion is open again."""
        if filed.kind == "question":
            self._library.markers.delete(filed.row_id)
        else:
            self._library.quotes.delete(filed.row_id)
        self.reopen(filed.suggestion_id)

    def reject(self, suggestion_id: int) -> None:
        self._store.set_state(suggestion_id, "rejected")

    def reopen(self, suggestion_id: int) -> None:
        """Undo a rejection (or a filing, with `unfile`): proposed again."""
        self._store.set_state(suggestion_id, "open")

    def words(self, interview_id: int) -> list[Word]:
        """The transcript's words in time order: the steps a suggested quote's bounds move by."""
        return sorted(
            (word for segment in self._library.transcripts.segments(interview_id) for word in segment.words),
            key=lambda word: (word.start_ms, word.end_ms),
        )

    def _usable_guide(self, interview_id: int) -> tuple[str, Guide]:
        self._library.interviews.get(interview_id)
        stored = Tagger(self._library).guide_of(interview_id)
        if stored is None:
            raise AnalysisUnavailable(
                f"Interview {interview_id} follows no guide, so there are no questions to look for.",
                f"Choose one first: earful guide use {interview_id} GUIDE",
                "Choose its guide in the Guide tab first.",
            )
        if not self._library.transcripts.segments(interview_id):
            raise AnalysisUnavailable(
                f"Interview {interview_id} has no transcript yet;",
                f"transcribe it first: earful transcribe {interview_id}",
                "transcribe it first (Transcription ▸ Transcribe, Ctrl+T).",
            )
        self.require_english(interview_id)
        return stored[0].slug, stored[1]

    def require_english(self, interview_id: int) -> None:
        """The sentence model reads English only: refuse a transcript made in another language."""
        job = self._library.jobs.latest_for(interview_id)
        language = job.options.get("language") if job is not None else None
        if not reads_language(language):
            raise AnalysisUnavailable(
                f"Interview {interview_id} was transcribed in {language!r}; suggestions and search by "
                "meaning work in English only.",
                "Search its exact words instead: earful search WORDS",
                "Search its exact words instead (Ctrl+Shift+F).",
            )

    def _turns(self, interview_id: int) -> list[tuple[Turn, tuple[int, int, int | None]]]:
        """Consecutive segments of one speaker as turns, with their span: the interviewer's question
        clauses and the customer's segments, with their stored vectors."""
        roles = self._roles(interview_id)
        ids, bits = self._store.segment_bits(self.embedder.model_id, [interview_id])
        stored = dict(zip(ids.tolist(), unpack_signs(bits), strict=True))
        turns = []
        for run in _runs(self._library.transcripts.segments(interview_id), roles):
            role = roles.get(run[0].speaker_id, "other")
            text = " ".join(segment.text for segment in run)
            steps: tuple[int, ...] = ()
            if role == CUSTOMER:
                vectors = np.array([stored[s.id] for s in run if s.id in stored]).reshape(-1, DIMENSIONS)
            else:
                vectors = self.embed(_clauses(run, roles))
                steps = question_steps(text) if role == INTERVIEWER else ()
            turns.append(
                (Turn(role, text, vectors, steps), (run[0].start_ms, run[-1].end_ms, run[0].channel))
            )
        return turns

    # Themes ---------------------------------------------------------------------------------------

    def themes(
        self,
        guide_slug: str,
        question: str | None,
        filters: BoardFilters | None = None,
        among: Collection[int] | None = None,
        tag: str | None = None,
    ) -> tuple[list[ThemeGroup], int]:
        """Group the quotes answering `question` (or, given a `tag`, the quotes tagged so) in the interviews
        that follow the guide and pass the filters (and are `among` these, such as those a list shows);
        returns the groups (largest first) and N, the number of interviews considered."""
        filters = filters or BoardFilters()
        interviews = [
            interview
            for interview in self._library.interviews.many(
                sorted(self._library.guides.interviews_using(guide_slug))
            )
            if filters.admits(interview) and (among is None or interview.id in among)
        ]
        if not interviews:
            raise AnalysisUnavailable(
                f"No interview in this library follows the guide {guide_slug!r} (with those filters)."
            )
        lines = self._library.quotes.lines_for([i.id for i in interviews])
        quotes = [line for line in lines if (tag in line.tags if tag else line.question_key == question)]
        if not quotes:
            what = f"is tagged {tag!r}" if tag else f"answers {question!r}"
            raise AnalysisUnavailable(f"No quote {what} yet in those interviews; file or accept some first.")
        groups = group_quotes([q.text for q in quotes], [q.interview_id for q in quotes], self.embed)
        return [
            ThemeGroup(
                label=group.label,
                quotes=tuple(
                    (quotes[m].id, quotes[m].interview_id, quotes[m].start_ms, quotes[m].text)
                    for m in group.members
                ),
            )
            for group in groups
        ], len(interviews)

    # Search ---------------------------------------------------------------------------------------

    def search_meaning(self, query: str, limit: int = 20) -> list[MeaningHit]:
        """Passages that say what `query` says, in any words, ranked together with the passages that
        contain its words: sign bits narrow the library to CANDIDATES, the query vector rescores them."""
        vector = self.embedder.embed([query])[0]
        ids, bits, words = self._segment_index()
        exact = {hit.segment_id for hit in self._library.search(query, limit=CANDIDATES)}
        if len(ids):
            query_words = np.packbits(vector > 0).view(np.uint64)
            distance = np.zeros(len(ids), dtype=np.uint16)
            for column, word in zip(words, query_words, strict=True):
                distance += np.bitwise_count(column ^ word)
            keep = np.argpartition(distance, min(CANDIDATES, len(ids) - 1))[:CANDIDATES]
            candidates = ids[keep]
            scores = unpack_signs(bits[keep]) @ vector
        else:
            candidates, scores = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        ranked = {int(sid): float(score) for sid, score in zip(candidates, scores, strict=True)}
        for segment_id in exact:
            ranked[segment_id] = ranked.get(segment_id, 0.0) + EXACT_BONUS
        best = sorted(ranked, key=lambda sid: -ranked[sid])[:limit]
        return self._hits(best, ranked, exact)

    def _segment_index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every embedded segment's sign bits, read once per Analyst (19 MB for 390,000 segments), and
        the same bits as six columns of 64-bit words: XOR and popcount over contiguous columns is ten
        times faster than over rows of six words."""
        if self._index is None:
            ids, bits = self._store.segment_bits(self.embedder.model_id)
            self._index = (ids, bits, np.ascontiguousarray(bits.view(np.uint64).T))
        return self._index

    def _hits(self, segment_ids: list[int], scores: dict[int, float], exact: set[int]) -> list[MeaningHit]:
        if not segment_ids:
            return []
        rows = self._library.db.execute(
            f"SELECT s.id, s.interview_id, i.title, s.start_ms, s.text FROM segments s "
            f"JOIN interviews i ON i.id = s.interview_id WHERE s.id IN ({', '.join('?' * len(segment_ids))}) "
            f"AND {redo.shown('s')}",  # never the hidden half of a transcript being redone
            segment_ids,
        ).fetchall()
        by_id = {row[0]: row for row in rows}
        return [
            MeaningHit(
                sid, by_id[sid][1], by_id[sid][2], by_id[sid][3], by_id[sid][4], scores[sid], sid in exact
            )
            for sid in segment_ids
            if sid in by_id
        ]


def _runs(segments: list[Segment], roles: dict[int, str]) -> list[list[Segment]]:
    """Consecutive segments of one party, the turns of the conversation: the interviewer's, the
    customer's (a customer's voice told apart as two by the speaker stage is still one customer), or one
    other speaker's."""
    runs: list[list[Segment]] = []
    previous: object = None
    for segment in segments:
        role = roles.get(segment.speaker_id)
        party = role if role in (INTERVIEWER, CUSTOMER) else ("speaker", segment.speaker_id)
        if runs and party == previous:
            runs[-1].append(segment)
        else:
            runs.append([segment])
        previous = party
    return runs


def _clauses(run: list[Segment], roles: dict[int, str]) -> list[str]:
    """The question clauses of an interviewer's turn (none for anyone else)."""
    if roles.get(run[0].speaker_id) != INTERVIEWER:
        return []
    return question_clauses(" ".join(segment.text for segment in run))


def _proposal(kind: str, question: str, start_ms: int, end_ms: int, channel: int | None) -> dict:
    return {"kind": kind, "question": question, "start_ms": start_ms, "end_ms": end_ms, "channel": channel}
