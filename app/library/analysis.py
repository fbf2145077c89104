"""Stored sentence embeddings and suggestions (see migration "embeddings and suggestions").

Segments keep only the sign of each of the 384 dimensions (48 bytes): search ranks by those bits and then
rescores the best candidates with the full query vector against the signs, which keeps the library's
growth small (a segment's words already take several hundred bytes). Short texts the analysis compares
closely (question clauses, quote sentences, a guide's wording) keep int8 vectors with a scale. Every vector
carries its model's id, so vectors of another model are never compared with these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from app.library.clock import now_iso
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

DIMENSIONS = 384


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed question marker (`kind` "question", at `start_ms`) or quote answering `question`."""

    id: int
    interview_id: int
    kind: str
    question: str
    start_ms: int
    end_ms: int
    channel: int | None
    state: str
    model: str


def pack_signs(vectors: np.ndarray) -> np.ndarray:
    """(n, 48) uint8: one bit per dimension, set where the component is positive."""
    return np.packbits(vectors > 0, axis=1)


def unpack_signs(bits: np.ndarray) -> np.ndarray:
    """(n, 384) float32 of ±1/√384: sign vectors of unit length, for rescoring against a real query."""
    signs = np.unpackbits(bits, axis=1, count=DIMENSIONS).astype(np.float32) * 2 - 1
    return signs / np.sqrt(DIMENSIONS, dtype=np.float32)


def quantise(vector: np.ndarray) -> tuple[bytes, float]:
    scale = float(np.abs(vector).max()) / 127 or 1.0
    return np.round(vector / scale).astype(np.int8).tobytes(), scale


def dequantise(data: bytes, scale: float) -> np.ndarray:
    """The vector `quantise` stored: what every later read of it gives."""
    return np.frombuffer(data, dtype=np.int8).astype(np.float32) * scale


class AnalysisRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._model_ids: dict[str, int] = {}

    def _model(self, name: str) -> int:
        """The small integer a model's name is stored as (every row naming it in full would cost bytes)."""
        if name not in self._model_ids:
            row = self._db.execute("SELECT id FROM embedding_models WHERE name = ?", [name]).fetchone()
            if row is None:  # only then write: a search on a read-only connection must not need to
                with writing(self._db):
                    self._db.execute("INSERT OR IGNORE INTO embedding_models (name) VALUES (?)", [name])
                row = self._db.execute("SELECT id FROM embedding_models WHERE name = ?", [name]).fetchone()
            self._model_ids[name] = row[0]
        return self._model_ids[name]

    # Segments -------------------------------------------------------------------------------------

    def segments_without_embedding(self, interview_id: int, model: str) -> list[tuple[int, str]]:
        """(segment id, text) of the interview's segments with no vector from `model`, in time order."""
        return list(
            self._db.execute(
                "SELECT s.id, s.text FROM segments s LEFT JOIN segment_embeddings e "
                "ON e.segment_id = s.id AND e.model_id = ? WHERE s.interview_id = ? AND e.segment_id IS NULL "
                "ORDER BY s.start_ms, s.id",
                [self._model(model), interview_id],
            ).fetchall()
        )

    def interviews_without_embeddings(self, model: str) -> list[int]:
        return [
            row[0]
            for row in self._db.execute(
                "SELECT DISTINCT s.interview_id FROM segments s LEFT JOIN segment_embeddings e "
                "ON e.segment_id = s.id AND e.model_id = ? WHERE e.segment_id IS NULL",
                [self._model(model)],
            )
        ]

    def store_segment_embeddings(self, model: str, segment_ids: list[int], vectors: np.ndarray) -> None:
        bits = pack_signs(vectors)
        model_id = self._model(model)
        with writing(self._db):
            self._db.conn.executemany(
                "INSERT OR REPLACE INTO segment_embeddings (segment_id, model_id, bits) VALUES (?, ?, ?)",
                [(sid, model_id, row.tobytes()) for sid, row in zip(segment_ids, bits, strict=True)],
            )

    def segment_bits(
        self, model: str, interview_ids: list[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(segment ids, (n, 48) uint8 sign bits) of every embedded segment (of these interviews)."""
        if interview_ids is None:
            rows = self._db.execute(
                "SELECT segment_id, bits FROM segment_embeddings WHERE model_id = ?", [self._model(model)]
            )
        else:
            rows = self._db.execute(
                f"SELECT e.segment_id, e.bits FROM segments s JOIN segment_embeddings e ON e.segment_id = s.id "
                f"WHERE e.model_id = ? AND s.interview_id IN ({', '.join('?' * len(interview_ids))})",
                [self._model(model), *interview_ids],
            )
        ids, blobs = [], []
        for segment_id, blob in rows:
            ids.append(segment_id)
            blobs.append(blob)
        bits = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(ids), DIMENSIONS // 8)
        return np.array(ids, dtype=np.int64), bits

    def answer_bits(self, model: str, guide_slug: str, besides: int) -> dict[str, np.ndarray]:
        """Per question key, the sign bits of the segments other interviews of this guide answered it
        with: inside their quotes and their open or accepted suggested quotes."""
        rows = self._db.execute(
            """
            WITH spans AS (
                SELECT q.interview_id, q.question_key AS question, q.start_ms, q.end_ms
                FROM quotes q JOIN guides g ON g.id = q.guide_id
                WHERE g.slug = :slug AND q.question_key IS NOT NULL AND q.interview_id != :besides
                UNION
                SELECT s.interview_id, s.question, s.start_ms, s.end_ms
                FROM suggestions s JOIN interview_guides ig ON ig.interview_id = s.interview_id
                JOIN guides g ON g.id = ig.guide_id
                WHERE g.slug = :slug AND s.kind = 'quote' AND s.state != 'rejected' AND s.interview_id != :besides
            )
            SELECT DISTINCT spans.question, e.segment_id, e.bits FROM spans
            JOIN segments sg ON sg.interview_id = spans.interview_id
                AND sg.start_ms >= spans.start_ms AND sg.end_ms <= spans.end_ms
            JOIN segment_embeddings e ON e.segment_id = sg.id AND e.model_id = :model
            """,
            {"slug": guide_slug, "besides": besides, "model": self._model(model)},
        )
        found: dict[str, list[bytes]] = {}
        for question, _, blob in rows:
            found.setdefault(question, []).append(blob)
        return {
            question: np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), DIMENSIONS // 8)
            for question, blobs in found.items()
        }

    # Short texts ----------------------------------------------------------------------------------

    def text_vectors(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        """Stored vectors of these texts by `model` (those never embedded are absent)."""
        found: dict[str, np.ndarray] = {}
        model_id = self._model(model)
        unique = list(dict.fromkeys(texts))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            rows = self._db.execute(
                f"SELECT text, vector, scale FROM text_embeddings WHERE model_id = ? "
                f"AND text IN ({', '.join('?' * len(chunk))})",
                [model_id, *chunk],
            )
            for text, vector, scale in rows:
                found[text] = dequantise(vector, scale)
        return found

    def store_text_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Keep `vectors` (compacted to int8); returns them as stored, so that the caller computes with the
        same values as every later read (a grouping must not change between two calls)."""
        model_id = self._model(model)
        stored = {text: quantise(vector) for text, vector in vectors.items()}
        with writing(self._db):
            self._db.conn.executemany(
                "INSERT OR REPLACE INTO text_embeddings (model_id, text, vector, scale) VALUES (?, ?, ?, ?)",
                [(model_id, text, data, scale) for text, (data, scale) in stored.items()],
            )
        return {text: dequantise(data, scale) for text, (data, scale) in stored.items()}

    # Suggestions ----------------------------------------------------------------------------------

    def replace_open_suggestions(
        self, interview_id: int, model: str, proposed: list[dict]
    ) -> list[Suggestion]:
        """Drop the interview's open suggestions and store `proposed` ones (kind, question, start_ms,
        end_ms, channel), except those the user already rejected or accepted at the same place."""
        with writing(self._db):
            self._db.execute(
                "DELETE FROM suggestions WHERE interview_id = ? AND state = 'open'", [interview_id]
            )
            decided = {
                (row["kind"], row["question"], row["start_ms"])
                for row in self._db.query(
                    "SELECT kind, question, start_ms FROM suggestions WHERE interview_id = ?", [interview_id]
                )
            }
            created = now_iso()
            self._db.conn.executemany(
                "INSERT INTO suggestions (interview_id, kind, question, start_ms, end_ms, channel, model, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        interview_id,
                        s["kind"],
                        s["question"],
                        s["start_ms"],
                        s["end_ms"],
                        s["channel"],
                        model,
                        created,
                    )
                    for s in proposed
                    if (s["kind"], s["question"], s["start_ms"]) not in decided
                ],
            )
        return self.of_interview(interview_id)

    def of_interview(self, interview_id: int, state: str | None = "open") -> list[Suggestion]:
        where, params = "interview_id = ?", [interview_id]
        if state is not None:
            where += " AND state = ?"
            params.append(state)
        return [
            Suggestion(**row)
            for row in self._db.query(
                f"SELECT id, interview_id, kind, question, start_ms, end_ms, channel, state, model "
                f"FROM suggestions WHERE {where} ORDER BY start_ms, kind DESC, id",
                params,
            )
        ]

    def set_state(self, suggestion_id: int, state: str) -> None:
        with writing(self._db):
            self._db.execute("UPDATE suggestions SET state = ? WHERE id = ?", [state, suggestion_id])
