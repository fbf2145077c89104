"""Quotes as the library keeps them: where they sit in time, what they answer, how they are tagged.

A quote's text is read from the transcript's words in its stretch of time (see `app.domain.quote`). It is
kept in the row so the board can list thousands of quotes in one query, and refreshed, in the same
transaction, whenever segments under a quote are written: a corrected word shows up in every quote holding it.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from app.domain.quote import Quote, quoted_text, quoted_words
from app.domain.transcript import Segment, words_from_json
from app.library.clock import now_iso
from app.library.errors import LibraryError

_EDITABLE = ("guide_id", "question_key", "start_ms", "end_ms", "channel", "speaker_id", "note")


class QuoteRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self, interview_id: int, tags: tuple[str, ...] = (), quote_id: int | None = None, **fields
    ) -> Quote:
        """Insert a quote (under `quote_id` when restoring one that was undone)."""
        values = {name: fields.get(name) for name in _EDITABLE}
        stamp = now_iso()
        columns = {"interview_id": interview_id, **values, "created_at": stamp, "updated_at": stamp}
        if quote_id is not None:
            columns["id"] = quote_id
        with self._db.atomic():
            cursor = self._db.execute(
                f"INSERT INTO quotes ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                list(columns.values()),
            )
            self._set_tags(cursor.lastrowid, tags)
            refresh_quote_text(self._db, interview_id, values["start_ms"], values["end_ms"])
        return self.get(cursor.lastrowid)

    def update(self, quote_id: int, tags: tuple[str, ...] | None = None, **fields) -> Quote:
        quote = self.get(quote_id)
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise LibraryError(f"Unknown quote field(s): {', '.join(sorted(unknown))}.")
        with self._db.atomic():
            if fields:
                assignments = ", ".join(f"{name} = ?" for name in fields)
                self._db.execute(
                    f"UPDATE quotes SET {assignments}, updated_at = ? WHERE id = ?",
                    [*fields.values(), now_iso(), quote_id],
                )
                refresh_quote_text(
                    self._db,
                    quote.interview_id,
                    fields.get("start_ms", quote.start_ms),
                    fields.get("end_ms", quote.end_ms),
                )
            if tags is not None:
                self._set_tags(quote_id, tags)
        return self.get(quote_id)

    def delete(self, quote_id: int) -> None:
        with self._db.atomic():
            self._db.execute("DELETE FROM quotes WHERE id = ?", [quote_id])

    def get(self, quote_id: int) -> Quote:
        quotes = self._quotes("q.id = ?", [quote_id])
        if not quotes:
            raise LibraryError(f"There is no quote {quote_id}.")
        return quotes[0]

    def for_interview(self, interview_id: int) -> list[Quote]:
        return self._quotes("q.interview_id = ?", [interview_id])

    def for_interviews(self, interview_ids: list[int]) -> list[Quote]:
        if not interview_ids:
            return []
        return self._quotes("q.interview_id IN (SELECT value FROM json_each(?))", [json.dumps(interview_ids)])

    def _quotes(self, where: str, params: list) -> list[Quote]:
        rows = self._db.query(
            f"""
            SELECT q.*, (SELECT group_concat(tag, char(31)) FROM
                         (SELECT tag FROM quote_tags t WHERE t.quote_id = q.id ORDER BY tag)) AS tag_list
            FROM quotes q WHERE {where} ORDER BY q.interview_id, q.start_ms, q.id
            """,
            params,
        )
        return [
            Quote(
                id=row["id"],
                interview_id=row["interview_id"],
                guide_id=row["guide_id"],
                question_key=row["question_key"],
                start_ms=row["start_ms"],
                end_ms=row["end_ms"],
                channel=row["channel"],
                speaker_id=row["speaker_id"],
                note=row["note"],
                tags=tuple(row["tag_list"].split("\x1f")) if row["tag_list"] else (),
                text=row["text"],
            )
            for row in rows
        ]

    def _set_tags(self, quote_id: int, tags: tuple[str, ...]) -> None:
        self._db.execute("DELETE FROM quote_tags WHERE quote_id = ?", [quote_id])
        for tag in dict.fromkeys(tags):
            self._db.execute("INSERT INTO quote_tags (quote_id, tag) VALUES (?, ?)", [quote_id, tag])


def refresh_quote_text(db: Database, interview_id: int, start_ms: int, end_ms: int) -> None:
    """Re-read the text of the interview's quotes that overlap [start_ms, end_ms] from the transcript.

    Called inside the transaction that changed the segments, so a quote's stored text is never stale.
    """
    quotes = db.execute(
        "SELECT id, start_ms, end_ms, channel FROM quotes WHERE interview_id = ? AND end_ms >= ? AND start_ms <= ?",
        [interview_id, start_ms, end_ms],
    ).fetchall()
    for quote_id, quote_start, quote_end, channel in quotes:
        segments = [
            Segment(0, interview_id, row[0], row[1], "", None, words_from_json(json.loads(row[2])), row[3])
            for row in db.execute(
                "SELECT start_ms, end_ms, words, channel FROM segments "
                "WHERE interview_id = ? AND end_ms >= ? AND start_ms <= ?",
                [interview_id, quote_start, quote_end],
            )
        ]
        text = quoted_text(quoted_words(segments, quote_start, quote_end, channel))
        db.execute("UPDATE quotes SET text = ? WHERE id = ?", [text, quote_id])
