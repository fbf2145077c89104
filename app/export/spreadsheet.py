"""CSV as spreadsheets open it. Every CSV Earful writes (the pack's quotes, `earful quotes` and `earful board`)
goes through `write_csv`, so no text a user or a model wrote can run as a formula in Excel, LibreOffice or
Google Sheets (OWASP "CSV injection": `=HYPERLINK(…)` in a title becomes a link that leaks data)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """Text a spreadsheet would evaluate gets a leading apostrophe, which it shows as text; numbers and
    other values are left as they are (a negative number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A header row, then `rows`, every text cell made safe; CRLF line ends as RFC 4180 and Excel expect."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
