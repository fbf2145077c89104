"""The pack's quotes as CSV: one row per quote, for a spreadsheet or a research tool."""

from __future__ import annotations

import io

from app.domain.timecode import clock
from app.export.pack.model import Pack
from app.export.spreadsheet import write_csv

COLUMNS = (
    "interview",
    "attribution",
    "speaker",
    "question_key",
    "question",
    "tags",
    "start",
    "end",
    "start_ms",
    "end_ms",
    "text",
    "note",
)


def render_csv(pack: Pack) -> str:
    """UTF-8 text with a header row; a BOM is left to the writer, so Excel reads accents correctly.
    `question` is the wording that quote's interview was asked."""
    out = io.StringIO()
    rows = (
        [
            quote.interview_number,
            quote.attribution,
            quote.speaker,
            quote.question_key or "",
            quote.question_text or "",
            "; ".join(quote.tags),
            clock(quote.start_ms),
            clock(quote.end_ms),
            quote.start_ms,
            quote.end_ms,
            quote.text,
            quote.note or "",
        ]
        for quote in pack.quotes
    )
    write_csv(out, COLUMNS, rows)
    return out.getvalue()
