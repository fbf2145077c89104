"""A conversation laid out as the text of a REFI-QDA transcript: one line per turn, with sync points.

A QDA tool codes character ranges of this text, so the speaker and time labels must not sit inside what a
researcher quotes: consecutive segments of one speaker form one turn, written on one line with its label
at the start ("[0:12] Customer: …"). A quote within a turn is then exactly its words; only a quote that
runs across turns (a customer interrupted by the interviewer, say) contains the labels between them.

Sync points tie character positions to recording time (milliseconds) at the start and end of every word
(of every segment, when the transcript has no word times), so a tool can play any coded passage.
Positions count characters (code points) of the text, as the standard does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.timecode import clock
from app.export.pack.model import PackInterview, SpokenWord, TranscriptLine, TranscriptPart
from app.export.pack.plain import xml_safe


@dataclass(slots=True)
class Passage:
    """Where a quote sits in the text ([start, end) in characters) and in the recording."""

    start: int
    end: int
    start_ms: int
    end_ms: int
    turns: set[int] = field(default_factory=set)

    @property
    def crosses_turns(self) -> bool:
        return len(self.turns) > 1


@dataclass(frozen=True, slots=True)
class Layout:
    text: str
    sync_points: dict[int, int]
    """Character position → recording time in ms, in order of position."""
    passages: dict[str, Passage]
    """Quote anchor → its passage."""


def lay_out(interview: PackInterview) -> Layout:
    writer = _Writer()
    speaker = None
    for line in interview.lines:
        parts = [part for part in line.parts if part.text]
        if not parts:
            continue
        if line.speaker != speaker:
            writer.start_turn(f"[{clock(line.start_ms)}] {xml_safe(line.speaker)}: ")
            speaker = line.speaker
        else:
            writer.write(" ")
        for i, part in enumerate(parts):
            if i:
                writer.write(" ")
            writer.part(part.quote, _timed_words(part, line))
    if writer.length:
        writer.write("\n")
    return Layout("".join(writer.pieces), writer.points, writer.passages)


class _Writer:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.length = 0
        self.turn = 0
        self.points: dict[int, int] = {}
        self.passages: dict[str, Passage] = {}

    def write(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)

    def start_turn(self, label: str) -> None:
        if self.length:
            self.write("\n")
        self.turn += 1
        self.write(label)

    def part(self, quote: str | None, words: tuple[SpokenWord, ...]) -> None:
        for i, word in enumerate(words):
            if i:
                self.write(" ")
            start = self.length
            self.write(xml_safe(word.text))
            self.points.setdefault(start, word.start_ms)
            self.points.setdefault(self.length, word.end_ms)
            if quote:
                passage = self.passages.setdefault(quote, Passage(start, start, word.start_ms, word.start_ms))
                passage.end, passage.end_ms = self.length, word.end_ms
                passage.turns.add(self.turn)


def _timed_words(part: TranscriptPart, line: TranscriptLine) -> tuple[SpokenWord, ...]:
    """The part's words when they spell its text, else the whole part over the line's times (a segment
    without word times)."""
    if part.words and " ".join(word.text for word in part.words) == part.text:
        return part.words
    return (SpokenWord(line.start_ms, line.end_ms, part.text),)
