"""Recordings: audio files copied into the library, addressed by their content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.domain.interview import Recording
from app.domain.transcript import SpeakerRole
from app.library.clock import now_iso
from app.library.errors import LibraryError
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


class RecordingRepository:
    def __init__(self, db: Database, audio_dir: Path) -> None:
        self._db = db
        self.audio_dir = audio_dir

    def add(
        self,
        interview_id: int,
        *,
        file: str,
        original_name: str,
        sha256: str,
        duration_ms: int,
        sample_rate: int,
        channels: int,
        channel_roles: tuple[SpeakerRole, ...] | None,
        truncated: bool,
    ) -> Recording:
        with writing(self._db):
            cursor = self._db.execute(
                "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, "
                "channels, channel_roles, truncated, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    interview_id,
                    file,
                    original_name,
                    sha256,
                    duration_ms,
                    sample_rate,
                    channels,
                    json.dumps([role.value for role in channel_roles]) if channel_roles else None,
                    int(truncated),
                    now_iso(),
                ],
            )
        return self.get(cursor.lastrowid)

    def get(self, recording_id: int) -> Recording:
        row = next(self._db.query("SELECT * FROM recordings WHERE id = ?", [recording_id]), None)
        if row is None:
            raise LibraryError(f"There is no recording {recording_id} in this library.")
        return _recording(row)

    def by_sha256(self, sha256: str) -> Recording | None:
        row = next(self._db.query("SELECT * FROM recordings WHERE sha256 = ?", [sha256]), None)
        return _recording(row) if row else None

    def for_interview(self, interview_id: int) -> Recording | None:
        row = next(
            self._db.query(
                "SELECT * FROM recordings WHERE interview_id = ? ORDER BY id LIMIT 1", [interview_id]
            ),
            None,
        )
        return _recording(row) if row else None

    def set_peaks(self, recording_id: int, peaks: np.ndarray, resolution_ms: int) -> None:
        """Keep the waveform of a recording: `peaks` is (channels, n) uint8."""
        with writing(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO recording_peaks (recording_id, resolution_ms, channels, peaks) "
                "VALUES (?, ?, ?, ?)",
                [
                    recording_id,
                    resolution_ms,
                    peaks.shape[0],
                    np.ascontiguousarray(peaks, np.uint8).tobytes(),
                ],
            )

    def peaks(self, recording_id: int) -> tuple[np.ndarray, int] | None:
        """(peaks, resolution_ms) of a recording, or None if not computed yet."""
        row = self._db.execute(
            "SELECT resolution_ms, channels, peaks FROM recording_peaks WHERE recording_id = ?",
            [recording_id],
        ).fetchone()
        if row is None:
            return None
        resolution_ms, channels, blob = row
        return np.frombuffer(blob, dtype=np.uint8).reshape(channels, -1), resolution_ms

    def path(self, recording: Recording) -> Path:
        return self.audio_dir / recording.file

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM recordings").fetchone()[0]


def _recording(row: dict[str, Any]) -> Recording:
    roles = json.loads(row["channel_roles"]) if row["channel_roles"] else None
    return Recording(
        id=row["id"],
        interview_id=row["interview_id"],
        file=row["file"],
        original_name=row["original_name"],
        sha256=row["sha256"],
        duration_ms=row["duration_ms"],
        sample_rate=row["sample_rate"],
        channels=row["channels"],
        channel_roles=tuple(SpeakerRole(role) for role in roles) if roles else None,
        truncated=bool(row["truncated"]),
    )
