"""Tagging: attach a guide to an interview and mark what the customer said as quotes answering its questions.

Quotes are stored as stretches of time; their text is read from the transcript whenever it is shown, so a
corrected word shows up in every quote that holds it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from app.domain.quote import Quote, main_speaker, quoted_words
from app.domain.transcript import SpeakerRole
from app.guides.dumping import dump_guide
from app.guides.loader import builtin_guides, load_guide
from app.guides.model import Guide, Question
from app.library.errors import LibraryError
from app.library.transactions import writing

if TYPE_CHECKING:
    from app.library import Library
    from app.library.guides import StoredGuide


@dataclass(frozen=True, slots=True)
class QuoteResult:
    quote: Quote
    warnings: tuple[str, ...] = field(default_factory=tuple)


class Coverage(Enum):
    ANSWERED = "answered"
    """At least one quote answers it."""
    ASKED = "asked"
    """A marker says it was asked (during the call, or placed on the transcript), but nothing is quoted."""
    MISSING = "missing"
    """Neither asked nor answered: the gap to fill in the next interview."""


@dataclass(frozen=True, slots=True)
class QuestionCoverage:
    number: int
    question: Question
    quotes: int
    asked: bool

    @property
    def state(self) -> Coverage:
        if self.quotes:
            return Coverage.ANSWERED
        return Coverage.ASKED if self.asked else Coverage.MISSING


def parsed_guide(stored: StoredGuide) -> Guide:
    """The guide a stored edition holds, named by slug and version in any message about its document."""
    return load_guide(stored.document, f"{stored.slug} v{stored.version}")


class Tagger:
    def __init__(self, library: Library) -> None:
        self._library = library

    # Guides ----------------------------------------------------------------------------------------

    def use_guide(self, interview_id: int, guide: Guide) -> StoredGuide:
        """Tag this interview with `guide` (a copy of that version goes into the library)."""
        self._library.interviews.get(interview_id)
        with writing(self._library.db):
            stored = self._library.guides.store(guide.slug, guide.version, guide.name, dump_guide(guide))
            self._library.guides.use(interview_id, stored.id)
        return stored

    def save_guide(self, guide: Guide) -> tuple[StoredGuide, bool]:
        """Keep a guide the user wrote or edited as a new version of its slug, and whether it was added: an
        unchanged guide is not stored again, and interviews keep the version they followed."""
        return self._library.guides.add_edition(
            guide.slug, guide.name, guide.version, functools.partial(dump_guide, guide)
        )

    def available_guides(self) -> list[Guide]:
        """Guides to choose from: the built-ins, each replaced by the library's own edition when the user
        has made a newer one, then the guides only the library has."""
        latest: dict[str, Guide] = {}
        for stored in self._library.guides.all():
            if stored.slug not in latest or stored.version > latest[stored.slug].version:
                latest[stored.slug] = parsed_guide(stored)
        chosen = []
        for builtin in builtin_guides():
            own = latest.pop(builtin.slug, None)
            chosen.append(own if own is not None and own.version >= builtin.version else builtin)
        return chosen + sorted(latest.values(), key=lambda guide: guide.name.casefold())

    def guide_of(self, interview_id: int) -> tuple[StoredGuide, Guide] | None:
        stored = self._library.guides.of_interview(interview_id)
        if stored is None:
            return None
        return stored, parsed_guide(stored)

    # Quotes ----------------------------------------------------------------------------------------

    def add_quote(
        self,
        interview_id: int,
        start_ms: int,
        end_ms: int,
        question_key: str | None = None,
        tags: tuple[str, ...] = (),
        note: str | None = None,
        channel: int | None = None,
    ) -> QuoteResult:
        """Mark [start_ms, end_ms] as a quote. Refuses a stretch with no words, an unknown question or tag;
        warns (but keeps it) when the words are the interviewer's."""
        if end_ms <= start_ms:
            raise LibraryError("A quote must end after it starts.")
        segments = self._library.transcripts.segments_between(interview_id, start_ms, end_ms)
        words = quoted_words(segments, start_ms, end_ms, channel)
        if not words:
            raise LibraryError("Nothing is said in that stretch of the transcript; choose words to quote.")
        guide = self.guide_of(interview_id)
        guide_id = self._check_question_and_tags(guide, question_key, tags)
        speaker_id = main_speaker(segments, start_ms, end_ms, channel)
        quote = self._library.quotes.add(
            interview_id,
            tags=tags,
            guide_id=guide_id,
            question_key=question_key,
            start_ms=words[0].start_ms,
            end_ms=words[-1].end_ms,
            channel=channel,
            speaker_id=speaker_id,
            note=(note or "").strip() or None,
        )
        return QuoteResult(quote, self._speaker_warnings(speaker_id))

    def quote_words(self, interview_id: int, selection: list[tuple[int, int]], **details) -> QuoteResult:
        """A quote from selected words, given as (segment id, word index): what the transcript view offers."""
        if not selection:
            raise LibraryError("Select the words to quote first.")
        chosen = []
        for segment_id, index in selection:
            segment = self._library.transcripts.segment(segment_id)
            if segment.interview_id != interview_id:
                raise LibraryError("Those words belong to another interview.")
            chosen.append((segment.words[index], segment.channel))
        channels = {channel for _word, channel in chosen}
        start = min(word.start_ms for word, _ in chosen)
        end = max(word.end_ms for word, _ in chosen)
        return self.add_quote(
            interview_id, start, end, channel=channels.pop() if len(channels) == 1 else None, **details
        )

    def update_quote(self, quote_id: int, **changes) -> Quote:
        """Change a quote's question, tags or note (validated against the interview's guide)."""
        quote = self._library.quotes.get(quote_id)
        if "question_key" in changes or "tags" in changes:
            guide = self.guide_of(quote.interview_id)
            self._check_question_and_tags(
                guide, changes.get("question_key", quote.question_key), tuple(changes.get("tags", quote.tags))
            )
        if "tags" in changes:
            changes["tags"] = tuple(changes["tags"])
        return self._library.quotes.update(quote_id, **changes)

    def delete_quote(self, quote_id: int) -> Quote:
        """Delete a quote; returns it so an undo can put it back under the same id."""
        quote = self._library.quotes.get(quote_id)
        self._library.quotes.delete(quote_id)
        return quote

    def restore_quote(self, row: Quote) -> Quote:
        return restore_quote(self._library, row)

    def quotes(self, interview_id: int) -> list[Quote]:
        return self._library.quotes.for_interview(interview_id)

    def coverage(self, interview_id: int) -> list[QuestionCoverage]:
        """Each question of the interview's guide, in guide order, with its quotes and whether it was asked."""
        guide = self.guide_of(interview_id)
        if guide is None:
            return []
        counts = dict.fromkeys((q.key for q in guide[1].questions), 0)
        for quote in self._library.quotes.for_interview(interview_id):
            if quote.question_key in counts:
                counts[quote.question_key] += 1
        asked = {
            marker.question
            for marker in self._library.markers.of_interview(interview_id)
            if marker.kind == "question"
        }
        return [
            QuestionCoverage(number, question, counts[question.key], question.key in asked)
            for number, question in enumerate(guide[1].questions, start=1)
        ]

    # Helpers ---------------------------------------------------------------------------------------

    @staticmethod
    def _check_question_and_tags(
        guide: tuple[StoredGuide, Guide] | None, question_key: str | None, tags: tuple[str, ...]
    ) -> int | None:
        if guide is None:
            if question_key is not None:
                raise LibraryError("This interview has no guide yet; choose one before tagging questions.")
            return None
        stored, model = guide
        keys = [question.key for question in model.questions]
        if question_key is not None and question_key not in keys:
            keys = ", ".join(keys)
            raise LibraryError(
                f"The guide {model.name!r} has no question {question_key!r}. Its questions: {keys}."
            )
        known = {tag.name for tag in model.tags}
        unknown = [tag for tag in tags if tag not in known]
        if unknown:
            raise LibraryError(
                f"Unknown tag(s) {', '.join(unknown)} for guide {model.name!r}. Its tags: {', '.join(sorted(known))}."
            )
        return stored.id

    def _speaker_warnings(self, speaker_id: int | None) -> tuple[str, ...]:
        if (
            speaker_id is not None
            and self._library.transcripts.speaker(speaker_id).role is SpeakerRole.INTERVIEWER
        ):
            return ("These words are the interviewer's; quotes should be what the customer said.",)
        return ()


def restore_quote(library: Library, row: Quote) -> Quote:
    """Put a deleted quote back under its old id (undo), with its question, tags and note."""
    return library.quotes.add(
        row.interview_id,
        tags=row.tags,
        quote_id=row.id,
        guide_id=row.guide_id,
        question_key=row.question_key,
        start_ms=row.start_ms,
        end_ms=row.end_ms,
        channel=row.channel,
        speaker_id=row.speaker_id,
        note=row.note,
    )
