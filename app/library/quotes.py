"""Quotes as the library keeps them: where they sit in time, what they answer, how they are tagged.

A quote's text is read from the transcript's words in its stretch of time (see `app.domain.quote`). It is
kept in the row so the board can list thousands of quotes in one query, and refreshed, in the same
transaction, whenever segments under a quote are written: a corrected word shows up in every quote holding it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import namedtuple
from dataclasses import fields
from typing import TYPE_CHECKING

from app.domain.quote import Quote, quoted_text, quoted_words
from app.domain.transcript import Segment, words_from_json
from app.library.clock import now_iso
from app.library.errors import LibraryError
from app.library.redo import shown
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

_EDITABLE = ("guide_id", "question_key", "start_ms", "end_ms", "channel", "speaker_id", "note")


_IN_INTERVIEWS = "q.interview_id IN (SELECT value FROM json_each(?))"


# A quote as the board lists it: the fields of `Quote`, in its order, as a named tuple. The board of a busy
# library holds ten thousand quotes; building a frozen dataclass costs about 4 µs (one `object.__setattr__`
# per field), a named tuple a third of that, which keeps the board under 100 ms. Rows are built positionally.
QuoteLine = namedtuple("QuoteLine", [field.name for field in fields(Quote)])


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
        with writing(self._db):
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
        with writing(self._db):
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
        with writing(self._db):
            self._db.execute("DELETE FROM quotes WHERE id = ?", [quote_id])

    def get(self, quote_id: int) -> Quote:
        quotes = self._quotes("q.id = ?", [quote_id])
        if not quotes:
            raise LibraryError(f"There is no quote {quote_id}.")
        return quotes[0]

    def for_interview(self, interview_id: int) -> list[Quote]:
        return self._quotes("q.interview_id = ?", [interview_id])

    def for_interviews(self, interview_ids: list[int]) -> list[Quote]:
        return [
            Quote(*row[:9], _tags(row[9]), row[10])
            for row in self._select(_IN_INTERVIEWS, [json.dumps(interview_ids)])
        ]

    def lines_for(self, interview_ids: list[int]) -> list[QuoteLine]:
        """The quotes of many interviews as `QuoteLine`s, for the board (see `QuoteLine`)."""
        make = QuoteLine._make  # a third faster than calling the class: no keyword handling
        return [
            make((*row[:9], _tags(row[9]), row[10]))
            for row in self._select(_IN_INTERVIEWS, [json.dumps(interview_ids)])
        ]

    def _quotes(self, where: str, params: list) -> list[Quote]:
        return [Quote(*row[:9], _tags(row[9]), row[10]) for row in self._select(where, params)]

    def _select(self, where: str, params: list) -> sqlite3.Cursor:
        """Rows in `Quote` field order, the tags as one string (see `_tags`). Plain tuples from the cursor:
        sqlite-utils' dict per row was most of the board's time."""
        return self._db.execute(
            f"""
            SELECT q.id, q.interview_id, q.guide_id, q.question_key, q.start_ms, q.end_ms, q.channel,
                   q.speaker_id, q.note,
                   (SELECT group_concat(tag, char(31)) FROM quote_tags t WHERE t.quote_id = q.id),
                   q.text
            FROM quotes q WHERE {where} ORDER BY q.interview_id, q.start_ms, q.id
            """,
            params,
        )

    def _set_tags(self, quote_id: int, tags: tuple[str, ...]) -> None:
        self._db.execute("DELETE FROM quote_tags WHERE quote_id = ?", [quote_id])
        for tag in dict.fromkeys(tags):
            self._db.execute("INSERT INTO quote_tags (quote_id, tag) VALUES (?, ?)", [quote_id, tag])


def _tags(joined: str | None) -> tuple[str, ...]:
    # Sorted here: an ORDER BY inside the tag subquery cost a sort for every quote.
    return tuple(sorted(joined.split("\x1f"))) if joined else ()


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
                "SELECT start_ms, end_ms, words, channel FROM segments s "
                f"WHERE interview_id = ? AND end_ms >= ? AND start_ms <= ? AND {shown('s')}",
                [interview_id, quote_start, quote_end],
            )
        ]
        text = quoted_text(quoted_words(segments, quote_start, quote_end, channel))
        db.execute("UPDATE quotes SET text = ? WHERE id = ?", [text, quote_id])
