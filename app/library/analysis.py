"""Stored sentence embeddings and suggestions (see migration "embeddings and suggestions").

Segments keep only the sign of each of the 384 dimensions (48 bytes): search ranks by those bits and then
rescores the best candidates with the full query vector against the signs, which keeps the library's
growth small (a segment's words already take several hundred bytes). Quotes, far fewer, keep int8 vectors
with a scale, precise enough to group them into themes. Every vector carries its model's id, so vectors of
another model are never compared with these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from app.library.clock import now_iso

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


class AnalysisRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # Segments -------------------------------------------------------------------------------------

    def segments_without_embedding(self, interview_id: int, model: str) -> list[tuple[int, str]]:
        """(segment id, text) of the interview's segments with no vector from `model`, in time order."""
        return list(
            self._db.execute(
                "SELECT s.id, s.text FROM segments s LEFT JOIN segment_embeddings e "
                "ON e.segment_id = s.id AND e.model = ? WHERE s.interview_id = ? AND e.segment_id IS NULL "
                "ORDER BY s.start_ms, s.id",
                [model, interview_id],
            ).fetchall()
        )

    def store_segment_embeddings(
        self, interview_id: int, model: str, segment_ids: list[int], vectors: np.ndarray
    ) -> None:
        bits = pack_signs(vectors)
        with self._db.atomic():
            self._db.conn.executemany(
                "INSERT OR REPLACE INTO segment_embeddings (segment_id, interview_id, model, bits) "
                "VALUES (?, ?, ?, ?)",
                [
                    (sid, interview_id, model, row.tobytes())
                    for sid, row in zip(segment_ids, bits, strict=True)
                ],
            )

    def segment_bits(
        self, model: str, interview_ids: list[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(segment ids, (n, 48) uint8 sign bits) of every embedded segment (of these interviews)."""
        where, params = "model = ?", [model]
        if interview_ids is not None:
            where += f" AND interview_id IN ({', '.join('?' * len(interview_ids))})"
            params += interview_ids
        rows = self._db.execute(f"SELECT segment_id, bits FROM segment_embeddings WHERE {where}", params)
        ids, blobs = [], []
        for segment_id, blob in rows:
            ids.append(segment_id)
            blobs.append(blob)
        bits = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(ids), DIMENSIONS // 8)
        return np.array(ids, dtype=np.int64), bits

    # Quotes ---------------------------------------------------------------------------------------

    def quote_vectors(self, model: str, quotes: dict[int, str]) -> dict[int, np.ndarray]:
        """Stored vectors of these quotes (id → text) still made from the same text by `model`."""
        found: dict[int, np.ndarray] = {}
        ids = list(quotes)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._db.execute(
                f"SELECT quote_id, text, vector, scale FROM quote_embeddings WHERE model = ? "
                f"AND quote_id IN ({', '.join('?' * len(chunk))})",
                [model, *chunk],
            )
            for quote_id, text, vector, scale in rows:
                if quotes[quote_id] == text:
                    found[quote_id] = np.frombuffer(vector, dtype=np.int8).astype(np.float32) * scale
        return found

    def store_quote_vectors(self, model: str, quotes: dict[int, str], vectors: dict[int, np.ndarray]) -> None:
        with self._db.atomic():
            self._db.conn.executemany(
                "INSERT OR REPLACE INTO quote_embeddings (quote_id, model, text, vector, scale) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (quote_id, model, quotes[quote_id], *quantise(vector))
                    for quote_id, vector in vectors.items()
                ],
            )

    # Suggestions ----------------------------------------------------------------------------------

    def replace_open_suggestions(
        self, interview_id: int, model: str, proposed: list[dict]
    ) -> list[Suggestion]:
        """Drop the interview's open suggestions and store `proposed` ones (kind, question, start_ms,
        end_ms, channel), except those the user already rejected or accepted at the same place."""
        with self._db.atomic():
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
        with self._db.atomic():
            self._db.execute("UPDATE suggestions SET state = ? WHERE id = ?", [state, suggestion_id])
