"""Stretches of speech a transcription could not put words to, kept so the transcript shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.domain.interview import JobState
from app.domain.transcript import MIXDOWN, UntranscribedSpan
from app.library import redo
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


class UntranscribedRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def of_interview(self, interview_id: int) -> list[UntranscribedSpan]:
        """The interview's untranscribed spans in time order (not those of a redo still under way, whose
        transcript is not shown yet)."""
        return self._spans(f"interview_id = ? AND {redo.shown('untranscribed_spans')}", [interview_id])

    def of_pass(self, job_id: int, channel: int, retrying: bool = False) -> list[UntranscribedSpan]:
        """The spans a job's pass (channel MIXDOWN: the mixdown) left, in time order: those to leave alone,
        or (`retrying`) those the user asked to try again."""
        return self._spans(
            "job_id = ? AND channel IS ? AND retry = ?",
            [job_id, None if channel == MIXDOWN else channel, int(retrying)],
        )

    def _spans(self, where: str, parameters: list) -> list[UntranscribedSpan]:
        return [
            UntranscribedSpan(start_ms=start, end_ms=end, channel=channel, id=span_id)
            for span_id, start, end, channel in self._db.execute(
                f"SELECT id, start_ms, end_ms, channel FROM untranscribed_spans WHERE {where} "
                "ORDER BY start_ms, id",
                parameters,
            ).fetchall()
        ]

    def replace(
        self,
        interview_id: int,
        job_id: int,
        channel: int,
        between: tuple[int, int],
        spans: Iterable[UntranscribedSpan],
    ) -> None:
        """Store the spans a repair of the pass's stretch `between` (start_ms, end_ms) left, in place of
        spans being retried there. The caller's transaction makes them land with the repair's segments."""
        self._db.execute(
            "DELETE FROM untranscribed_spans WHERE job_id = ? AND channel IS ? AND retry = 1 "
            "AND start_ms < ? AND end_ms > ?",
            [job_id, None if channel == MIXDOWN else channel, between[1], between[0]],
        )
        self._db.conn.executemany(
            "INSERT INTO untranscribed_spans (interview_id, job_id, channel, start_ms, end_ms) "
            "VALUES (?, ?, ?, ?, ?)",
            [(interview_id, job_id, span.channel, span.start_ms, span.end_ms) for span in spans],
        )

    def retry(self, interview_id: int) -> int | None:
        """Mark the interview's spans for another try and reopen what must run again for it: the passes
        that left them, the speaker stage (new words need a speaker) and the job, queued. Returns the job's
        id, or None when there is nothing to retry."""
        rows = self._db.execute(
            "SELECT DISTINCT job_id, COALESCE(channel, ?) FROM untranscribed_spans WHERE interview_id = ?",
            [MIXDOWN, interview_id],
        ).fetchall()
        if not rows:
            return None
        with writing(self._db):
            self._db.execute(
                "UPDATE untranscribed_spans SET retry = 1 WHERE interview_id = ?", [interview_id]
            )
            for job_id, channel in rows:
                self._db.execute(
                    "UPDATE transcription_passes SET done = 0 WHERE job_id = ? AND channel = ?",
                    [job_id, channel],
                )
                self._db.execute("UPDATE speaker_stages SET done = 0 WHERE job_id = ?", [job_id])
                self._db.execute(
                    "UPDATE transcription_jobs SET state = ?, finished_at = NULL WHERE id = ?",
                    [JobState.QUEUED.value, job_id],
                )
        return rows[-1][0]

    def finish_retry(self, job_id: int, channel: int) -> None:
        """Spans still marked for retry once their pass is checked again held words after all: drop them."""
        self._db.execute(
            "DELETE FROM untranscribed_spans WHERE job_id = ? AND channel IS ? AND retry = 1",
            [job_id, None if channel == MIXDOWN else channel],
        )

    def forget(self, interview_id: int) -> None:
        """Drop the interview's spans: they are tried again (a retry) or a new transcript replaces them."""
        self._db.execute("DELETE FROM untranscribed_spans WHERE interview_id = ?", [interview_id])
