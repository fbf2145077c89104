"""Markers: moments stamped during a call (a guide question asked, consent given, a bookmark).

Times are milliseconds from the start of the interview's recording. A question marker names the guide
question by its key, as quotes do, so rewording or reordering the guide never detaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from app.library.clock import now_iso
from app.library.errors import LibraryError
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


class MarkerKind(StrEnum):
    QUESTION = "question"
    CONSENT = "consent"
    BOOKMARK = "bookmark"


@dataclass(frozen=True, slots=True)
class Marker:
    id: int
    interview_id: int
    at_ms: int
    kind: MarkerKind
    question: str | None
    """The guide question's key, for a question marker of an interview that follows a guide."""
    label: str | None
    created: str


class MarkerRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        interview_id: int,
        at_ms: int,
        kind: MarkerKind | str,
        question: str | None = None,
        label: str | None = None,
    ) -> Marker:
        kind = _kind(kind)
        _check_time(at_ms)
        if kind is MarkerKind.QUESTION and not (question or label):
            raise LibraryError("A question marker needs the question's key or a label.")
        with writing(self._db):
            cursor = self._db.execute(
                "INSERT INTO markers (interview_id, at_ms, kind, question, label, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [interview_id, at_ms, kind.value, question, label, now_iso()],
            )
        return self.get(cursor.lastrowid)

    def get(self, marker_id: int) -> Marker:
        row = next(self._db.query("SELECT * FROM markers WHERE id = ?", [marker_id]), None)
        if row is None:
            raise LibraryError(f"There is no marker {marker_id} in this library.")
        return _marker(row)

    def of_interview(self, interview_id: int) -> list[Marker]:
        """The interview's markers in time order (stamping order for the same moment)."""
        return [
            _marker(row)
            for row in self._db.query(
                "SELECT * FROM markers WHERE interview_id = ? ORDER BY at_ms, id", [interview_id]
            )
        ]

    def move(self, marker_id: int, at_ms: int) -> Marker:
        _check_time(at_ms)
        self.get(marker_id)
        with writing(self._db):
            self._db.execute("UPDATE markers SET at_ms = ? WHERE id = ?", [at_ms, marker_id])
        return self.get(marker_id)

    def delete(self, marker_id: int) -> Marker:
        """Remove a marker; returns it as it was, for `restore` (undo)."""
        marker = self.get(marker_id)
        with writing(self._db):
            self._db.execute("DELETE FROM markers WHERE id = ?", [marker_id])
        return marker

    def restore(self, marker: Marker) -> Marker:
        """Put a deleted marker back under its own id, so references to it (an undo stack) stay valid."""
        with writing(self._db):
            self._db.execute(
                "INSERT INTO markers (id, interview_id, at_ms, kind, question, label, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    marker.id,
                    marker.interview_id,
                    marker.at_ms,
                    marker.kind.value,
                    marker.question,
                    marker.label,
                    marker.created,
                ],
            )
        return self.get(marker.id)


def _kind(kind: MarkerKind | str) -> MarkerKind:
    try:
        return MarkerKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in MarkerKind)
        raise LibraryError(f"{kind!r} is not a kind of marker; use one of: {kinds}.") from None


def _check_time(at_ms: int) -> None:
    if at_ms < 0:
        raise LibraryError("A marker's time cannot be before the start of the recording.")


def _marker(row: dict[str, Any]) -> Marker:
    return Marker(
        id=row["id"],
        interview_id=row["interview_id"],
        at_ms=row["at_ms"],
        kind=MarkerKind(row["kind"]),
        question=row["question"],
        label=row["label"],
        created=row["created"],
    )
