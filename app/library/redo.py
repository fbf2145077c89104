"""A transcript being redone stays in place until the new one is complete, then is replaced at once.

A *replacement* is an interview's latest job whose channel passes are not all done while the interview
already had a complete transcript (an earlier job finished its passes, and segments from it or edited since
are still there). Its segments are hidden from every reader of the transcript, so cancelling, killing or a
failure of `earful transcribe --redo` never leaves an interview without a transcript (#19). When its last
pass finishes, `take_over` makes its segments the interview's transcript in the same transaction.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

_ALL_PASSES_DONE = (
    "NOT EXISTS (SELECT 1 FROM transcription_passes p WHERE p.job_id = {job}.id AND p.done = 0)"
)

REPLACEMENT_JOBS = f"""
    SELECT j.id FROM transcription_jobs j
    WHERE j.id = (SELECT MAX(id) FROM transcription_jobs WHERE interview_id = j.interview_id)
      AND NOT {_ALL_PASSES_DONE.format(job="j")}
      AND EXISTS (SELECT 1 FROM transcription_jobs e WHERE e.interview_id = j.interview_id AND e.id < j.id
                  AND {_ALL_PASSES_DONE.format(job="e")})
      AND EXISTS (SELECT 1 FROM segments o WHERE o.interview_id = j.interview_id AND o.job_id IS NOT j.id)
"""
"""The ids of jobs redoing a transcript that is still the one shown."""


def shown(alias: str) -> str:
    """An SQL condition on the segments row `alias`: it belongs to the transcript readers see."""
    return f"({alias}.job_id IS NULL OR {alias}.job_id NOT IN ({REPLACEMENT_JOBS}))"


def is_replacement(db: Database, job_id: int) -> bool:
    return db.execute(f"SELECT 1 FROM ({REPLACEMENT_JOBS}) WHERE id = ?", [job_id]).fetchone() is not None


def discard_unfinished_replacement(db: Database, interview_id: int) -> None:
    """Before a new job starts on the interview: the hidden half of an earlier redo is of no use."""
    for table in ("segments", "untranscribed_spans"):
        db.execute(
            f"DELETE FROM {table} WHERE interview_id = ? AND job_id IN ({REPLACEMENT_JOBS})", [interview_id]
        )


def take_over(db: Database, interview_id: int, job_id: int, replacing: bool) -> None:
    """Make the job's segments the interview's transcript (call inside the transaction that finishes its
    last pass). A replacement's segments first take the speakers of the old words they overlap most, so
    names the user gave survive a redo (#12); then the old transcript goes. Otherwise only the segments of
    earlier, unfinished jobs go (what a user edited in this job's transcript stays)."""
    if replacing:
        _carry_speakers(db, interview_id, job_id)
        db.execute("DELETE FROM segments WHERE interview_id = ? AND job_id IS NOT ?", [interview_id, job_id])
    else:
        db.execute(
            "DELETE FROM segments WHERE interview_id = ? AND job_id IS NOT NULL AND job_id != ?",
            [interview_id, job_id],
        )
    # The speech earlier jobs could not transcribe is this job's to report now (its spans are its own).
    db.execute("DELETE FROM untranscribed_spans WHERE interview_id = ? AND job_id IS NOT ?", [interview_id, job_id])


def _carry_speakers(db: Database, interview_id: int, job_id: int) -> None:
    old = db.execute(
        "SELECT start_ms, end_ms, channel, speaker_id FROM segments "
        "WHERE interview_id = ? AND job_id IS NOT ? AND speaker_id IS NOT NULL ORDER BY start_ms",
        [interview_id, job_id],
    ).fetchall()
    if not old:
        return
    starts = [start for start, *_ in old]
    longest = max(end - start for start, end, *_ in old)
    new = db.execute(
        "SELECT id, start_ms, end_ms, channel FROM segments WHERE job_id = ?", [job_id]
    ).fetchall()
    for segment_id, start_ms, end_ms, channel in new:
        overlap = Counter()
        for old_start, old_end, old_channel, speaker_id in old[bisect_left(starts, start_ms - longest) :]:
            if old_start >= end_ms:
                break
            if old_channel == channel and old_end > start_ms:
                overlap[speaker_id] += min(old_end, end_ms) - max(old_start, start_ms)
        if overlap:
            speaker_id = overlap.most_common(1)[0][0]
            db.execute("UPDATE segments SET speaker_id = ? WHERE id = ?", [speaker_id, segment_id])
