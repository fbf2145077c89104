"""Transcription jobs: what is queued, how far each channel got, and committing segments as they arrive.

Each segment is committed together with its pass's cursor, so a job that dies at any moment resumes exactly
where its committed text ends: nothing twice, nothing missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from app.domain.interview import JobState, TranscriptionJob
from app.domain.transcript import MIXDOWN, TranscribedSegment, words_to_json
from app.library.clock import now_iso
from app.library.errors import LibraryError
from app.library.quotes import refresh_quote_text


@dataclass(frozen=True, slots=True)
class TranscriptionPass:
    """One channel's share of a job (channel MIXDOWN: all channels mixed)."""

    channel: int
    cursor_ms: int
    done: bool


class JobRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self, interview_id: int, recording_id: int, model: str, options: dict, channels: list[int]
    ) -> TranscriptionJob:
        with self._db.atomic():
            cursor = self._db.execute(
                "INSERT INTO transcription_jobs (interview_id, recording_id, state, model, options, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [interview_id, recording_id, JobState.QUEUED.value, model, json.dumps(options), now_iso()],
            )
            for channel in channels:
                self._db.execute(
                    "INSERT INTO transcription_passes (job_id, channel) VALUES (?, ?)",
                    [cursor.lastrowid, channel],
                )
        return self.get(cursor.lastrowid)

    def get(self, job_id: int) -> TranscriptionJob:
        row = next(self._db.query("SELECT * FROM transcription_jobs WHERE id = ?", [job_id]), None)
        if row is None:
            raise LibraryError(f"There is no transcription job {job_id}.")
        return _job(row)

    def latest_for(self, interview_id: int) -> TranscriptionJob | None:
        row = next(
            self._db.query(
                "SELECT * FROM transcription_jobs WHERE interview_id = ? ORDER BY id DESC LIMIT 1",
                [interview_id],
            ),
            None,
        )
        return _job(row) if row else None

    def interrupted_interviews(self) -> list[int]:
        """Interviews whose latest job is queued (left unfinished), oldest job first."""
        rows = self._db.execute(
            "SELECT j.interview_id FROM transcription_jobs j WHERE j.state = ? AND j.id = "
            "(SELECT MAX(id) FROM transcription_jobs WHERE interview_id = j.interview_id) ORDER BY j.id",
            [JobState.QUEUED.value],
        ).fetchall()
        return [interview_id for (interview_id,) in rows]

    def passes(self, job_id: int) -> list[TranscriptionPass]:
        return [
            TranscriptionPass(channel=row["channel"], cursor_ms=row["cursor_ms"], done=bool(row["done"]))
            for row in self._db.query(
                "SELECT * FROM transcription_passes WHERE job_id = ? ORDER BY channel", [job_id]
            )
        ]

    def set_state(self, job_id: int, state: JobState, error: str | None = None) -> None:
        finished = now_iso() if state in (JobState.DONE, JobState.FAILED, JobState.CANCELLED) else None
        with self._db.atomic():
            self._db.execute(
                "UPDATE transcription_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?",
                [state.value, error, finished, job_id],
            )

    def requeue_interrupted(self) -> int:
        """Jobs left 'running' by a process that died go back to the queue; returns how many.

        Only call this while holding the library's transcriber lock: then no live process owns them.
        """
        with self._db.atomic():
            cursor = self._db.execute(
                "UPDATE transcription_jobs SET state = ? WHERE state = ?",
                [JobState.QUEUED.value, JobState.RUNNING.value],
            )
        return cursor.rowcount

    def commit_segment(
        self,
        job: TranscriptionJob,
        segment: TranscribedSegment,
        speaker_id: int | None,
        progress: float,
    ) -> int:
        """Store one segment, advance its pass's cursor and the job's progress, all in one transaction."""
        channel = MIXDOWN if segment.channel is None else segment.channel
        with self._db.atomic():
            cursor = self._db.execute(
                "INSERT INTO segments (interview_id, recording_id, job_id, channel, start_ms, end_ms, speaker_id, "
                "text, words, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    job.interview_id,
                    job.recording_id,
                    job.id,
                    segment.channel,
                    segment.start_ms,
                    segment.end_ms,
                    speaker_id,
                    segment.text,
                    json.dumps(words_to_json(segment.words)),
                    job.model,
                ],
            )
            self._db.execute(
                "UPDATE transcription_passes SET cursor_ms = MAX(cursor_ms, ?) WHERE job_id = ? AND channel = ?",
                [segment.end_ms, job.id, channel],
            )
            self._set_progress(job.id, progress)
            refresh_quote_text(self._db, job.interview_id, segment.start_ms, segment.end_ms)
        return cursor.lastrowid

    def finish_pass(self, job_id: int, channel: int, progress: float) -> None:
        with self._db.atomic():
            self._db.execute(
                "UPDATE transcription_passes SET done = 1 WHERE job_id = ? AND channel = ?", [job_id, channel]
            )
            self._set_progress(job_id, progress)

    def _set_progress(self, job_id: int, progress: float) -> None:
        self._db.execute(
            "UPDATE transcription_jobs SET progress = ? WHERE id = ?", [min(max(progress, 0.0), 1.0), job_id]
        )


def _job(row: dict[str, Any]) -> TranscriptionJob:
    return TranscriptionJob(
        id=row["id"],
        interview_id=row["interview_id"],
        recording_id=row["recording_id"],
        state=JobState(row["state"]),
        progress=row["progress"],
        model=row["model"],
        options=json.loads(row["options"]),
        error=row["error"],
    )
