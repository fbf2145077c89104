"""Quote rows: where a quote sits in time, what it answers and how it is tagged (its text is derived)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from app.library.clock import now_iso
from app.library.errors import LibraryError

_EDITABLE = ("guide_id", "question_key", "start_ms", "end_ms", "channel", "speaker_id", "note")


@dataclass(frozen=True, slots=True)
class QuoteRow:
    id: int
    interview_id: int
    guide_id: int | None
    question_key: str | None
    start_ms: int
    end_ms: int
    channel: int | None
    speaker_id: int | None
    note: str | None
    tags: tuple[str, ...]


class QuoteRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self, interview_id: int, tags: tuple[str, ...] = (), quote_id: int | None = None, **fields
    ) -> QuoteRow:
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
        return self.get(cursor.lastrowid)

    def update(self, quote_id: int, tags: tuple[str, ...] | None = None, **fields) -> QuoteRow:
        self.get(quote_id)
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
            if tags is not None:
                self._set_tags(quote_id, tags)
        return self.get(quote_id)

    def delete(self, quote_id: int) -> None:
        with self._db.atomic():
            self._db.execute("DELETE FROM quotes WHERE id = ?", [quote_id])

    def get(self, quote_id: int) -> QuoteRow:
        rows = self._rows("q.id = ?", [quote_id])
        if not rows:
            raise LibraryError(f"There is no quote {quote_id}.")
        return rows[0]

    def for_interview(self, interview_id: int) -> list[QuoteRow]:
        return self._rows("q.interview_id = ?", [interview_id])

    def for_interviews(self, interview_ids: list[int]) -> list[QuoteRow]:
        if not interview_ids:
            return []
        return self._rows(f"q.interview_id IN ({', '.join('?' for _ in interview_ids)})", interview_ids)

    def _rows(self, where: str, params: list) -> list[QuoteRow]:
        rows = self._db.query(
            f"""
            SELECT q.*, (SELECT group_concat(tag, char(31)) FROM
                         (SELECT tag FROM quote_tags t WHERE t.quote_id = q.id ORDER BY tag)) AS tag_list
            FROM quotes q WHERE {where} ORDER BY q.interview_id, q.start_ms, q.id
            """,
            params,
        )
        return [
            QuoteRow(
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
            )
            for row in rows
        ]

    def _set_tags(self, quote_id: int, tags: tuple[str, ...]) -> None:
        self._db.execute("DELETE FROM quote_tags WHERE quote_id = ?", [quote_id])
        for tag in dict.fromkeys(tags):
            self._db.execute("INSERT INTO quote_tags (quote_id, tag) VALUES (?, ?)", [quote_id, tag])
