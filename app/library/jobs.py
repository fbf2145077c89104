"""Transcription jobs: what is queued, how far each channel got, and committing segments as they arrive.

Each segment is committed together with its pass's cursor, so a job that dies at any moment resumes exactly
where its committed text ends: nothing twice, nothing missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from app.domain.interview import JobState, TranscriptionJob
from app.domain.transcript import MIXDOWN, TranscribedSegment, words_to_json
from app.library.clock import now_iso
from app.library.errors import LibraryError
from app.library.quotes import refresh_quote_text
from app.library.redo import discard_unfinished_replacement, is_replacement, take_over
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class TranscriptionPass:
    """One channel's share of a job (channel MIXDOWN: all channels mixed)."""

    channel: int
    cursor_ms: int
    done: bool


@dataclass(frozen=True, slots=True)
class SpeakerStage:
    """The job's speaker stage: window embeddings are stored up to `cursor_ms`; `done` once applied."""

    cursor_ms: int
    done: bool


class JobRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create(
        self,
        interview_id: int,
        recording_id: int,
        model: str,
        options: dict,
        channels: list[int],
        speaker_stage: bool = True,
    ) -> TranscriptionJob:
        with writing(self._db):
            discard_unfinished_replacement(self._db, interview_id)
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
            if speaker_stage:
                self.add_speaker_stage(cursor.lastrowid)
            # An earlier job's window embeddings (~5 MB an hour) are of no use once a new job starts.
            self._db.execute(
                "DELETE FROM speaker_windows WHERE job_id IN "
                "(SELECT id FROM transcription_jobs WHERE interview_id = ? AND id != ?)",
                [interview_id, cursor.lastrowid],
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
        with writing(self._db):
            self._db.execute(
                "UPDATE transcription_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?",
                [state.value, error, finished, job_id],
            )

    def requeue_interrupted(self) -> int:
        """Jobs left 'running' by a process that died go back to the queue; returns how many.

        Only call this while holding the library's transcriber lock: then no live process owns them.
        """
        with writing(self._db):
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
        with writing(self._db):
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
        """Mark a channel's pass done; with the job's last pass its transcript becomes the interview's
        (replacing the one a redo kept until now, see `app.library.redo`)."""
        with writing(self._db):
            replacing = is_replacement(self._db, job_id)
            self._db.execute(
                "UPDATE transcription_passes SET done = 1 WHERE job_id = ? AND channel = ?", [job_id, channel]
            )
            self._set_progress(job_id, progress)
            if not any(not channel_pass.done for channel_pass in self.passes(job_id)):
                interview_id = self.get(job_id).interview_id
                take_over(self._db, interview_id, job_id, replacing)
                refresh_quote_text(self._db, interview_id, 0, 2**62)

    def speaker_stage(self, job_id: int) -> SpeakerStage | None:
        """None for jobs that have no speaker stage (those queued before Earful had one)."""
        row = self._db.execute(
            "SELECT cursor_ms, done FROM speaker_stages WHERE job_id = ?", [job_id]
        ).fetchone()
        return SpeakerStage(cursor_ms=row[0], done=bool(row[1])) if row else None

    def add_speaker_stage(self, job_id: int) -> None:
        """Give the job a speaker stage to run (again): stored windows are kept, the result is redone."""
        with writing(self._db):
            self._db.execute(
                "INSERT INTO speaker_stages (job_id) VALUES (?) ON CONFLICT (job_id) DO UPDATE SET done = 0",
                [job_id],
            )

    def commit_speaker_windows(
        self, job_id: int, starts_ms: np.ndarray, embeddings: np.ndarray, cursor_ms: int, progress: float
    ) -> None:
        """Store one chunk's window embeddings with the stage's cursor and the job's progress, atomically."""
        with writing(self._db):
            self._db.conn.executemany(
                "INSERT OR REPLACE INTO speaker_windows (job_id, start_ms, embedding) VALUES (?, ?, ?)",
                [
                    (job_id, int(start), np.asarray(embedding, dtype="<f4").tobytes())
                    for start, embedding in zip(starts_ms, embeddings, strict=True)
                ],
            )
            self._db.execute(
                "UPDATE speaker_stages SET cursor_ms = MAX(cursor_ms, ?) WHERE job_id = ?",
                [cursor_ms, job_id],
            )
            self._set_progress(job_id, progress)

    def speaker_windows(self, job_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(starts_ms int64 (n,), embeddings float32 (n, d)) of the job's stored windows, in time order."""
        rows = self._db.execute(
            "SELECT start_ms, embedding FROM speaker_windows WHERE job_id = ? ORDER BY start_ms", [job_id]
        ).fetchall()
        starts = np.array([start for start, _ in rows], dtype=np.int64)
        if not rows:
            return starts, np.zeros((0, 0), dtype=np.float32)
        return starts, np.stack([np.frombuffer(blob, dtype="<f4") for _, blob in rows])

    def finish_speaker_stage(self, job_id: int, progress: float) -> None:
        with writing(self._db):
            self._db.execute("UPDATE speaker_stages SET done = 1 WHERE job_id = ?", [job_id])
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
