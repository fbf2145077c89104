"""The pack view-model: everything a conversation pack shows, built once, already anonymised and redacted.

Every renderer (HTML, PDF, Word, CSV, Markdown, subtitles, REFI-QDA) reads only this, so the formats can
never disagree about a count, an attribution or what was redacted. Text here is plain and unescaped; each
renderer escapes for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.domain.timecode import clock
from app.domain.wording import counted


@dataclass(frozen=True, slots=True)
class ClipSource:
    """Where a quote's audio clip comes from: a stretch of a library recording, with what must be muted.

    `channel` is the recording channel to keep (the customer's on a two-channel call) or None for a mix of
    all channels. `muted` are (start_ms, end_ms) stretches of redacted words, in recording time.
    """

    audio: Path
    channel: int | None
    split_stereo: bool
    start_ms: int
    end_ms: int
    muted: tuple[tuple[int, int], ...] = ()

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


@dataclass(frozen=True, slots=True)
class RecordingSource:
    """A whole library recording as a pack ships it (channels mixed to one), with what must be muted:
    (start_ms, end_ms) stretches of redacted words, in recording time."""

    audio: Path
    muted: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class PackQuote:
    id: int
    anchor: str
    """HTML id of the quote's card in the summary; `transcript_anchor` is its place in the conversation."""
    interview_number: int
    question_key: str | None
    question_text: str | None
    tags: tuple[str, ...]
    speaker: str
    who: str
    """Who said it, from the user's metadata ("Ops lead, Mid-market logistics"); see `attribution`."""
    start_ms: int
    end_ms: int
    text: str
    note: str | None
    clip: ClipSource | None
    reworded: bool
    """The interview was asked `question_text`, a wording other than the one its question row shows (it
    followed another version of the guide): renderers say "Asked as …" under that row."""
    home: str
    """The row where the quote is shown in full with its player; elsewhere it is a reference."""

    @property
    def transcript_anchor(self) -> str:
        return f"t-{self.anchor}"

    @property
    def place(self) -> str:
        """Where it was said, in the pack's own words: "interview 3, 12:41"."""
        return f"interview {self.interview_number}, {clock(self.start_ms)}"

    @property
    def attribution(self) -> str:
        """Who said it and when, e.g. "Ops lead, Mid-market logistics, interview 3, 12:41". Renderers that
        can isolate user text (HTML's <bdi>) write `who` and `place` apart, so a stray right-to-left mark
        in a name cannot reorder the pack's own words."""
        return f"{self.who}, {self.place}"

    @property
    def times(self) -> str:
        return f"{clock(self.start_ms)}–{clock(self.end_ms)}"


@dataclass(frozen=True, slots=True)
class PackRow:
    """One guide question (or theme tag) with the interviews that answered it, as on the board."""

    id: str
    """`question-<key>` or `theme-<n>`: unique in the pack, safe as an HTML id."""
    kind: str
    """"question" or "theme"."""
    number: int
    label: str
    definition: str
    colour: str | None
    answered: int
    total: int
    quotes: tuple[PackQuote, ...]
    parent: str | None = None
    """For a group the user kept (`kind` "group"): the id of the question or theme row it groups."""

    @property
    def headline(self) -> str:
        return f"{self.answered} of {self.total}"


@dataclass(frozen=True, slots=True)
class SpokenWord:
    """One word of a transcript line as shown (after redaction), with when it was said in the recording."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True, slots=True)
class TranscriptPart:
    """A run of words in a transcript line; `quote` is the anchor of the quote holding it, if any.

    `opens_quote` marks the first run of a quote (which may span lines): the one the summary links to.
    `words` are its words with their times (`text` is them joined by spaces), for formats that place
    each word in the recording (REFI-QDA sync points); empty when the segment has no word times."""

    text: str
    quote: str | None = None
    opens_quote: bool = False
    words: tuple[SpokenWord, ...] = ()


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    start_ms: int
    end_ms: int
    speaker: str
    role: str
    parts: tuple[TranscriptPart, ...]

    @property
    def text(self) -> str:
        return " ".join(part.text for part in self.parts if part.text)


@dataclass(frozen=True, slots=True)
class PackInterview:
    number: int
    anchor: str
    heading: str
    """The title, or the descriptor when anonymised ("Ops lead, Mid-market logistics")."""
    details: tuple[tuple[str, str], ...]
    """Label and value pairs shown under the heading (role, segment, outcome, date, interviewer…)."""
    duration_ms: int
    notes: str | None
    """The interviewer's private notes: None unless the user included them (never when anonymised)."""
    lines: tuple[TranscriptLine, ...]
    """Always built (subtitle and REFI-QDA files need them); `PackContents.transcripts` says whether the
    reading formats show them."""
    recording: RecordingSource | None = None
    """None when the pack carries no audio (clips not included, or the file is missing). The REFI-QDA
    project ships it."""

    @property
    def meta(self) -> tuple[str, ...]:
        """The line under the heading in the list of conversations, to join with " · ": details (but the
        role, which the heading already says when anonymised) and length ("Mid-market logistics", "won",
        "12:41"). Empty when there is nothing to say, so no renderer prints a stray separator."""
        values = [value for label, value in self.details if label != "Role"]
        return (*values, clock(self.duration_ms)) if self.duration_ms else tuple(values)


@dataclass(frozen=True, slots=True)
class PackContents:
    """What the user chose to include."""

    summary: bool = True
    quotes: bool = True
    transcripts: bool = True
    clips: bool = True
    notes: bool = False
    """Each interview's private notes: off unless the user asks, and never shown in an anonymised pack
    (`app.services.packs.shows_interview_notes`)."""


@dataclass(frozen=True, slots=True)
class Pack:
    title: str
    subtitle: str
    """The guide's name and purpose, or a plain description when there is no guide."""
    created: str
    date_range: str | None
    anonymised: bool
    contents: PackContents
    questions: tuple[PackRow, ...]
    themes: tuple[PackRow, ...]
    interviews: tuple[PackInterview, ...]
    guided: int
    """How many of the interviews follow the guide: the N of every "n of N"."""
    redactions: dict[str, int] = field(default_factory=dict)
    """Label (a term, "email address", "phone number", a customer's name…) → how many were replaced."""
    guide: str | None = None
    """The name of the guide whose questions structure the pack (None when there is none)."""

    @property
    def facts(self) -> str:
        """The one-line summary under the title in the text formats: how many, when, prepared, anonymised."""
        facts = [
            counted(len(self.interviews), "conversation"),
            counted(len(self.quotes), "quote"),
            f"prepared {self.created}",
        ]
        if self.date_range:
            facts.insert(1, self.date_range)
        return " · ".join(facts) + (" · anonymised" if self.anonymised else "")

    @property
    def tag_colours(self) -> dict[str, str]:
        """Theme name → its guide colour, for tag chips."""
        return {row.label: row.colour for row in self.themes if row.colour}

    @property
    def quotes(self) -> tuple[PackQuote, ...]:
        """Each quote once, in the order of the summary (question rows first, then themes)."""
        seen: dict[int, PackQuote] = {}
        for row in (*self.questions, *self.themes):
            for quote in row.quotes:
                seen.setdefault(quote.id, quote)
        return tuple(seen.values())
