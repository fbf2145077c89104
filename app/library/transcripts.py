"""Stored transcripts: segments in time order and the speakers they are attributed to."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from app.domain.transcript import Segment, Speaker, SpeakerRole, words_from_json


class TranscriptRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def segments(self, interview_id: int) -> list[Segment]:
        return [
            _segment(row)
            for row in self._db.query(
                "SELECT * FROM segments WHERE interview_id = ? ORDER BY start_ms, id", [interview_id]
            )
        ]

    def speakers(self, interview_id: int) -> list[Speaker]:
        return [
            _speaker(row)
            for row in self._db.query(
                "SELECT * FROM speakers WHERE interview_id = ? ORDER BY id", [interview_id]
            )
        ]

    def ensure_speaker(self, interview_id: int, label: str, role: SpeakerRole, channel: int | None) -> int:
        """The id of the interview's speaker called `label`, created with `role` the first time."""
        with self._db.atomic():
            self._db.execute(
                "INSERT INTO speakers (interview_id, label, role, channel) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (interview_id, label) DO NOTHING",
                [interview_id, label, role.value, channel],
            )
        return self._db.execute(
            "SELECT id FROM speakers WHERE interview_id = ? AND label = ?", [interview_id, label]
        ).fetchone()[0]

    def delete_all(self, interview_id: int) -> None:
        """Forget an interview's transcript (before it is transcribed again)."""
        with self._db.atomic():
            self._db.execute("DELETE FROM segments WHERE interview_id = ?", [interview_id])
            self._db.execute("DELETE FROM speakers WHERE interview_id = ?", [interview_id])


def _segment(row: dict[str, Any]) -> Segment:
    return Segment(
        id=row["id"],
        interview_id=row["interview_id"],
        start_ms=row["start_ms"],
        end_ms=row["end_ms"],
        text=row["text"],
        speaker_id=row["speaker_id"],
        words=words_from_json(json.loads(row["words"])),
        channel=row["channel"],
    )


def _speaker(row: dict[str, Any]) -> Speaker:
    return Speaker(
        id=row["id"],
        interview_id=row["interview_id"],
        label=row["label"],
        role=SpeakerRole(row["role"]),
        display_name=row["display_name"],
        channel=row["channel"],
    )
