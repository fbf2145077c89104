"""Quotes filed on the live transcript while a call is recorded.

The interview does not exist yet while it is recorded, so a quote filed on live text is kept, like the
markers, as one line appended (and synced) to a file beside the recording: a crash keeps it with the audio.
At import, once the live lines are the interview's transcript, each kept quote is filed through `Tagger`,
which holds every rule a filed quote obeys.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from app.library import Library, LibraryError
from app.services.tagging import Tagger


@dataclass(frozen=True, slots=True)
class LiveQuote:
    """Live text the user quoted: its moments in the recording, the question it answers and its channel
    (None when it takes words from both people)."""

    start_ms: int
    end_ms: int
    question: str | None
    channel: int | None


def keep_quote(path: Path, quote: LiveQuote) -> None:
    """Append `quote` to the journal at `path`, synced to disk before returning."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(quote)) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def kept_quotes(path: Path) -> list[LiveQuote]:
    """The quotes the journal at `path` kept, in the order filed; a line cut off by a crash is left out."""
    quotes = []
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else ()
    for line in lines:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            fields = json.loads(line)
            quotes.append(
                LiveQuote(
                    int(fields["start_ms"]),
                    int(fields["end_ms"]),
                    None if fields["question"] is None else str(fields["question"]),
                    None if fields["channel"] is None else int(fields["channel"]),
                )
            )
    return quotes


def file_kept_quotes(library: Library, interview_id: int, quotes: Sequence[LiveQuote]) -> list[str]:
    """File each kept quote in the interview (its live transcript already adopted); returns a sentence for
    each that could not be filed (its words were not transcribed after all), so none is lost unseen."""
    tagger = Tagger(library)
    problems = []
    for quote in quotes:
        try:
            tagger.add_quote(
                interview_id, quote.start_ms, quote.end_ms, question_key=quote.question, channel=quote.channel
            )
        except LibraryError as error:
            problems.append(f"A quote filed during the call could not be kept: {error}")
    return problems
