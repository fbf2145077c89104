"""Full-text search over every transcript, pointing at the moment a phrase was said."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.transcript import words_from_json

if TYPE_CHECKING:
    from sqlite_utils import Database

# Snippet highlight markers: control characters cannot occur in transcript text, so renderers can
# replace them safely (with ANSI bold on a terminal, with <mark> after escaping in HTML).
MATCH_START = "\x02"
MATCH_END = "\x03"

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchHit:
    segment_id: int
    interview_id: int
    interview_title: str
    speaker: str | None
    start_ms: int
    """When the first matching word is spoken (the segment's start if no single word matches)."""
    snippet: str

    def highlighted(self, start: str, end: str) -> str:
        return self.snippet.replace(MATCH_START, start).replace(MATCH_END, end)


class TranscriptSearch:
    def __init__(self, db: Database) -> None:
        self._db = db

    def __call__(self, query: str, limit: int = 50) -> list[SearchHit]:
        terms = [token.lower() for token in _TOKEN.findall(query)]
        if not terms:
            return []
        rows = self._db.query(
            f"""
            SELECT s.id, s.interview_id, i.title, s.start_ms, s.words,
                   COALESCE(sp.display_name, sp.label) AS speaker,
                   snippet(segments_fts, 0, '{MATCH_START}', '{MATCH_END}', '…', 16) AS snippet,
                   highlight(segments_fts, 0, '{MATCH_START}', '{MATCH_END}') AS marked
            FROM segments_fts
            JOIN segments s ON s.id = segments_fts.rowid
            JOIN interviews i ON i.id = s.interview_id
            LEFT JOIN speakers sp ON sp.id = s.speaker_id
            WHERE segments_fts MATCH :match
            ORDER BY rank
            LIMIT :limit
            """,
            {"match": _fts_query(query, terms), "limit": limit},
        )
        return [
            SearchHit(
                segment_id=row["id"],
                interview_id=row["interview_id"],
                interview_title=row["title"],
                speaker=row["speaker"],
                start_ms=_first_match_ms(row["words"], row["marked"], row["start_ms"]),
                snippet=row["snippet"],
            )
            for row in rows
        ]


def _fts_query(query: str, terms: list[str]) -> str:
    """A quoted phrase stays a phrase; otherwise every word must occur. Quoting keeps FTS syntax inert."""
    stripped = query.strip()
    if len(stripped) > 1 and stripped[0] == stripped[-1] == '"':
        return '"' + " ".join(terms) + '"'
    return " ".join(f'"{term}"' for term in terms)


def _first_match_ms(words_json: str, marked: str, fallback_ms: int) -> int:
    """When the first matched token is spoken: FTS marks the match (stemmed forms and phrases included);
    counting the word tokens before the mark finds the stored word that holds it."""
    tokens_before = len(_TOKEN.findall(marked.split(MATCH_START, 1)[0]))
    seen = 0
    for word in words_from_json(json.loads(words_json)):
        seen += len(_TOKEN.findall(word.text))
        if seen > tokens_before:
            return word.start_ms
    return fallback_ms
