"""Stored transcripts: segments in time order and the speakers they are attributed to."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.domain.transcript import Segment, Speaker, SpeakerRole, words_from_json, words_to_json
from app.library.errors import LibraryError
from app.library.quotes import refresh_quote_text
from app.library.redo import shown
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


class TranscriptRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def segments(self, interview_id: int) -> list[Segment]:
        return [
            _segment(row)
            for row in self._db.query(
                f"SELECT * FROM segments s WHERE interview_id = ? AND {shown('s')} ORDER BY start_ms, id",
                [interview_id],
            )
        ]

    def segments_between(self, interview_id: int, start_ms: int, end_ms: int) -> list[Segment]:
        """Segments overlapping a stretch of time (what a quote needs to read its words)."""
        return [
            _segment(row)
            for row in self._db.query(
                "SELECT * FROM segments s WHERE interview_id = ? AND end_ms >= ? AND start_ms <= ? "
                f"AND {shown('s')} ORDER BY start_ms, id",
                [interview_id, start_ms, end_ms],
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
        with writing(self._db):
            self._db.execute(
                "INSERT INTO speakers (interview_id, label, role, channel) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (interview_id, label) DO NOTHING",
                [interview_id, label, role.value, channel],
            )
        return self._db.execute(
            "SELECT id FROM speakers WHERE interview_id = ? AND label = ?", [interview_id, label]
        ).fetchone()[0]

    def segment(self, segment_id: int) -> Segment:
        row = next(self._db.query("SELECT * FROM segments WHERE id = ?", [segment_id]), None)
        if row is None:
            raise LibraryError(f"There is no segment {segment_id}; it may have been deleted.")
        return _segment(row)

    def speaker(self, speaker_id: int) -> Speaker:
        row = next(self._db.query("SELECT * FROM speakers WHERE id = ?", [speaker_id]), None)
        if row is None:
            raise LibraryError(f"There is no speaker {speaker_id}.")
        return _speaker(row)

    def replace_segments(self, remove: list[Segment], add: list[Segment]) -> list[Segment]:
        """Delete `remove` and write `add` in one transaction; returns `add` as stored.

        A segment of `add` whose id exists is updated in place (its row, and whatever anchors to it, stays);
        one with a known id that is gone (undoing a merge) is re-inserted under that id; id 0 gets a new one.
        """
        keep = {segment.id for segment in add}
        stored = []
        with writing(self._db):
            for segment in remove:
                if segment.id not in keep:
                    self._db.execute("DELETE FROM segments WHERE id = ?", [segment.id])
            for segment in add:
                stored.append(self._write(segment))
            for interview_id in {segment.interview_id for segment in (*remove, *add)}:
                changed = [s for s in (*remove, *add) if s.interview_id == interview_id]
                refresh_quote_text(
                    self._db, interview_id, min(s.start_ms for s in changed), max(s.end_ms for s in changed)
                )
        return stored

    def _write(self, segment: Segment) -> Segment:
        values = {
            "interview_id": segment.interview_id,
            "start_ms": segment.start_ms,
            "end_ms": segment.end_ms,
            "speaker_id": segment.speaker_id,
            "text": segment.text,
            "words": json.dumps(words_to_json(segment.words)),
            "channel": segment.channel,
        }
        exists = (
            segment.id and self._db.execute("SELECT 1 FROM segments WHERE id = ?", [segment.id]).fetchone()
        )
        if exists:
            assignments = ", ".join(f"{name} = ?" for name in values)
            self._db.execute(
                f"UPDATE segments SET {assignments} WHERE id = ?", [*values.values(), segment.id]
            )
            return segment
        recording_id = self._db.execute(
            "SELECT id FROM recordings WHERE interview_id = ? ORDER BY id LIMIT 1", [segment.interview_id]
        ).fetchone()[0]
        columns = {**values, "recording_id": recording_id, **({"id": segment.id} if segment.id else {})}
        cursor = self._db.execute(
            f"INSERT INTO segments ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            list(columns.values()),
        )
        return replace(segment, id=cursor.lastrowid)

    def write_speakers(self, speakers: list[Speaker]) -> None:
        """Store label, role and display name of these speakers together (a swap exchanges labels, which
        must stay unique per interview, so labels go through a temporary value)."""
        with writing(self._db):
            for speaker in speakers:
                self._db.execute(
                    "UPDATE speakers SET label = ? WHERE id = ?", [f"\x00{speaker.id}", speaker.id]
                )
            for speaker in speakers:
                self._db.execute(
                    "UPDATE speakers SET label = ?, role = ?, display_name = ? WHERE id = ?",
                    [speaker.label, speaker.role.value, speaker.display_name, speaker.id],
                )

    def speaker_count(self, interview_id: int) -> int | None:
        """How many people the user said speak in the interview; None when they have not said."""
        row = self._db.execute(
            "SELECT speakers FROM speaker_counts WHERE interview_id = ?", [interview_id]
        ).fetchone()
        return row[0] if row else None

    def set_speaker_count(self, interview_id: int, count: int) -> None:
        if not isinstance(count, int) or count < 1:
            raise LibraryError("The number of speakers must be a whole number, at least 1.")
        with writing(self._db):
            self._db.execute(
                "INSERT INTO speaker_counts (interview_id, speakers) VALUES (?, ?) "
                "ON CONFLICT (interview_id) DO UPDATE SET speakers = excluded.speakers",
                [interview_id, count],
            )

    def save_speakers(self, interview_id: int, speakers: list[Speaker]) -> list[int]:
        """Make `speakers` the interview's speakers; returns their ids in order (id 0: created now).

        Other speakers go, unless the user named them (a later run may give them their words back);
        their segments' speaker becomes unknown until the caller rewrites those segments.
        """
        with writing(self._db):
            keep = {speaker.id for speaker in speakers if speaker.id}
            for old in self.speakers(interview_id):
                if old.id not in keep and not old.display_name:
                    self._db.execute("DELETE FROM speakers WHERE id = ?", [old.id])
            ids = []
            for speaker in speakers:
                if speaker.id:
                    ids.append(speaker.id)
                    continue
                cursor = self._db.execute(
                    "INSERT INTO speakers (interview_id, label, role, channel) VALUES (?, ?, ?, ?)",
                    [interview_id, f"\x00new{len(ids)}", speaker.role.value, speaker.channel],
                )
                ids.append(cursor.lastrowid)
            self.write_speakers(
                [replace(speaker, id=id_) for speaker, id_ in zip(speakers, ids, strict=True)]
            )
        return ids


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
