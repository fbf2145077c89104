"""Full-text search over every transcript, pointing at the moment a phrase was said."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.transcript import words_from_json
from app.library.errors import LibraryError
from app.library.redo import shown

if TYPE_CHECKING:
    from sqlite_utils import Database

# Snippet highlight markers: control characters cannot occur in transcript text, so renderers can
# replace them safely (with ANSI bold on a terminal, with <mark> after escaping in HTML).
MATCH_START = "\x02"
MATCH_END = "\x03"

_TOKEN = re.compile(r"\w+", re.UNICODE)

MAX_QUERY_WORDS = 64
MAX_QUERY_CHARACTERS = 1_000
"""A search is a phrase or a few words; FTS5's cost grows faster than the query (a 65,000-word query took
94 s, #19), so longer ones are refused with a message rather than left to hang the search."""


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
        """The best `limit` hits for `query`; raises LibraryError for a query too long to be a search."""
        if len(query) > MAX_QUERY_CHARACTERS:
            raise LibraryError(
                f"The search is {len(query):,} characters long; search for at most "
                f"{MAX_QUERY_CHARACTERS:,} (a phrase or a few words)."
            )
        terms = [token.lower() for token in _TOKEN.findall(query)]
        if len(terms) > MAX_QUERY_WORDS:
            raise LibraryError(
                f"The search has {len(terms):,} words; search for at most {MAX_QUERY_WORDS} "
                "(a phrase or a few words)."
            )
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
            WHERE segments_fts MATCH :match AND {shown("s")}
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
