"""The pack's quotes as CSV: one row per quote, for a spreadsheet or a research tool."""

from __future__ import annotations

import csv
import io

from app.domain.timecode import clock
from app.export.pack.model import Pack

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
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(pack: Pack) -> str:
    """UTF-8 text with a header row; a BOM is left to the writer, so Excel reads accents correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for quote in pack.quotes:
        writer.writerow(
            [
                quote.interview_number,
                _cell(quote.attribution),
                _cell(quote.speaker),
                quote.question_key or "",
                _cell(quote.question_text or ""),
                _cell("; ".join(quote.tags)),
                clock(quote.start_ms),
                clock(quote.end_ms),
                quote.start_ms,
                quote.end_ms,
                _cell(quote.text),
                _cell(quote.note or ""),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP "CSV injection")."""
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text
