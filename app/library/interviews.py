"""Interviews and the metadata a marketer keeps about each customer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.domain.interview import INTERVIEW_FIELDS, Interview, JobState, Outcome
from app.library.clock import now_iso
from app.library.errors import LibraryError
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class InterviewSummary:
    """One row of the interview list: the interview plus what the list shows about its transcript."""

    interview: Interview
    duration_ms: int
    job_state: JobState | None
    job_progress: float


class InterviewRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, title: str, **fields: str | None) -> Interview:
        values = _validated({"title": title, **fields})
        stamp = now_iso()
        with writing(self._db):
            cursor = self._db.execute(
                f"INSERT INTO interviews ({', '.join(values)}, created_at, updated_at) "
                f"VALUES ({', '.join('?' for _ in values)}, ?, ?)",
                [*values.values(), stamp, stamp],
            )
        return self.get(cursor.lastrowid)

    def get(self, interview_id: int) -> Interview:
        row = next(self._db.query("SELECT * FROM interviews WHERE id = ?", [interview_id]), None)
        if row is None:
            raise LibraryError(f"There is no interview {interview_id} in this library.")
        return _interview(row)

    def many(self, interview_ids: list[int]) -> list[Interview]:
        """Several interviews in one query, in id order (ids that do not exist are left out)."""
        rows = self._db.query(
            "SELECT * FROM interviews WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
            [json.dumps(interview_ids)],
        )
        return [_interview(row) for row in rows]

    def update(self, interview_id: int, **fields: str | None) -> Interview:
        self.get(interview_id)
        values = _validated(fields)
        if values:
            with writing(self._db):
                assignments = ", ".join(f"{name} = ?" for name in values)
                self._db.execute(
                    f"UPDATE interviews SET {assignments}, updated_at = ? WHERE id = ?",
                    [*values.values(), now_iso(), interview_id],
                )
        return self.get(interview_id)

    def delete(self, interview_id: int) -> None:
        with writing(self._db):
            self._db.execute("DELETE FROM interviews WHERE id = ?", [interview_id])

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM interviews").fetchone()[0]

    def summaries(self) -> list[InterviewSummary]:
        """Every interview with its duration and latest job, newest first."""
        rows = self._db.query(
            """
            SELECT i.*,
                   COALESCE((SELECT SUM(duration_ms) FROM recordings r WHERE r.interview_id = i.id), 0)
                       AS summary_duration_ms,
                   j.state AS summary_job_state,
                   COALESCE(j.progress, 0) AS summary_job_progress
            FROM interviews i
            LEFT JOIN transcription_jobs j ON j.id = (
                SELECT MAX(id) FROM transcription_jobs WHERE interview_id = i.id)
            ORDER BY COALESCE(i.interview_date, i.created_at) DESC, i.id DESC
            """
        )
        return [
            InterviewSummary(
                interview=_interview(row),
                duration_ms=row["summary_duration_ms"],
                job_state=JobState(row["summary_job_state"]) if row["summary_job_state"] else None,
                job_progress=row["summary_job_progress"],
            )
            for row in rows
        ]


def _validated(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(INTERVIEW_FIELDS)
    if unknown:
        raise LibraryError(
            f"Unknown interview field(s): {', '.join(sorted(unknown))}. Known: {', '.join(INTERVIEW_FIELDS)}."
        )
    values = {
        name: (value.strip() or None) if isinstance(value, str) else value for name, value in fields.items()
    }
    if "title" in values and not values["title"]:
        raise LibraryError("An interview needs a title.")
    interview_date = values.get("interview_date")
    if interview_date is not None:
        try:
            values["interview_date"] = date.fromisoformat(interview_date).isoformat()
        except (TypeError, ValueError):
            raise LibraryError(f"Interview date {interview_date!r} is not a date like 2026-11-02.") from None
    outcome = values.get("outcome")
    if outcome is not None:
        try:
            values["outcome"] = Outcome(outcome.lower()).value
        except ValueError:
            raise LibraryError(
                f"Outcome {outcome!r} is not one of: {', '.join(o.value for o in Outcome)}."
            ) from None
    return values


def _interview(row: dict[str, Any]) -> Interview:
    return Interview(
        id=row["id"],
        title=row["title"],
        customer_name=row["customer_name"],
        company=row["company"],
        role=row["role"],
        persona_segment=row["persona_segment"],
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
        interview_date=row["interview_date"],
        notes=row["notes"],
        interviewer=row["interviewer"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
