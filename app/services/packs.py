"""Building a conversation pack from the library: the selection, its guide, anonymisation and redaction.

The result is the view-model in `app.export.pack.model`; renderers never see the library. Counts come
from the board (`build_board`) restricted to the selection, so the pack says exactly what the board says.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from app.domain.interview import Interview, Recording
from app.domain.quote import Quote, holds_word, quoted_words
from app.domain.transcript import Segment, Speaker, SpeakerRole, Word
from app.domain.wording import counted, readable_name
from app.export.pack.clips import padded
from app.export.pack.model import (
    ClipSource,
    Pack,
    PackContents,
    PackInterview,
    PackQuote,
    RecordingSource,
    SpokenWord,
    TranscriptLine,
    TranscriptPart,
)
from app.export.pack.plain import isolated
from app.export.pack.redaction import Redactor, Term, parse_terms
from app.library import Library, LibraryError
from app.services.board import Board, asked_wording, build_board, guides_followed
from app.services.pack_summary import SummaryRows

REDACTION_TERMS_SETTING = "pack_redaction_terms"


@dataclass(frozen=True, slots=True)
class PackRequest:
    interview_ids: tuple[int, ...]
    contents: PackContents = field(default_factory=PackContents)
    anonymise: bool = False
    guide_slug: str | None = None
    """The guide whose questions structure the pack; default: the one most of the selection follows."""
    title: str | None = None


def shows_interview_notes(request: PackRequest) -> bool:
    """Whether the pack shows each interview's Notes: the interviewer's private working notes ("Chose us
    over Globex… follow up on pricing") go out only when the user ticks them in, and never in an anonymised
    pack, whose redactor cannot know every name a free-form note may hold. Every format reads the notes
    from the view-model, so this is the one place that decides."""
    return request.contents.notes and not request.anonymise


def redaction_terms(library: Library) -> list[str]:
    return list(library.settings.get(REDACTION_TERMS_SETTING, []))


def set_redaction_terms(library: Library, terms: list[str]) -> list[str]:
    """Store the library's terms to redact (people mentioned, product codes…); returns them cleaned."""
    cleaned = parse_terms(terms)
    library.settings.set(REDACTION_TERMS_SETTING, cleaned or None)
    return cleaned


def build_pack(library: Library, request: PackRequest) -> Pack:
    if not request.interview_ids:
        raise LibraryError("Choose at least one interview for the pack.")
    interviews = library.interviews.many(list(request.interview_ids))
    missing = set(request.interview_ids) - {interview.id for interview in interviews}
    if missing:
        raise LibraryError(f"There is no interview {', '.join(map(str, sorted(missing)))} in this library.")
    interviews.sort(key=lambda interview: (_date(interview), interview.id))
    numbers = {interview.id: number for number, interview in enumerate(interviews, start=1)}
    board = _board(library, request.guide_slug, interviews)
    guided = {i.id for i in board.interviews} & set(numbers) if board else set()
    redactor = _redactor(library, interviews) if request.anonymise else Redactor(patterns=False)
    builder = _Builder(library, request, redactor, interviews, numbers, board)
    quotes = library.quotes.for_interviews(list(numbers))
    rows = SummaryRows(
        builder.quotes(quotes), len(interviews), lambda text, source: redactor.text(text, source) or ""
    )
    questions = rows.from_board(board.questions, "question", guided, board) if board else ()
    themes = rows.from_board(board.themes, "theme", guided, board) if board else ()
    if board:
        kept = library.theme_groups.of_guide(board.guide.slug)
        themes += rows.kept(kept, board, {numbers[i] for i in guided})
    questions, themes = rows.placed(questions, (*themes, *rows.other()))
    dates = sorted(filter(None, (interview.interview_date for interview in interviews)))
    subtitle = board.guide.purpose.strip() if board else ""
    pack_interviews = tuple(
        builder.interview(interview, [q for q in quotes if q.interview_id == interview.id])
        for interview in interviews
    )
    return Pack(
        title=redactor.text(request.title, "title") or _default_title(board, len(interviews), len(guided)),
        subtitle=redactor.text(subtitle, "subtitle") or "",
        created=date.today().isoformat(),
        date_range=(dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}") if dates else None,
        anonymised=request.anonymise,
        contents=request.contents,
        questions=questions,
        themes=themes,
        interviews=pack_interviews,
        guided=len(guided),
        redactions=redactor.report(),
        guide=redactor.text(board.guide.name, "guide") if board else None,
    )


def _date(interview: Interview) -> str:
    return interview.interview_date or interview.created_at[:10]


def _default_title(board: Board | None, count: int, guided: int) -> str:
    """ "Roadmap interview: 3 customer conversations" when all three followed that guide; otherwise the
    title says how many did, rather than putting every conversation under one guide's name."""
    conversations = counted(count, "customer conversation")
    if board is None or not guided:
        return conversations.capitalize()
    if guided == count:
        return f"{board.guide.name}: {conversations}"
    return f"{conversations.capitalize()}, {guided} following {board.guide.name}"


def _board(library: Library, slug: str | None, interviews: list[Interview]) -> Board | None:
    if slug is None:
        used = Counter(
            stored.slug
            for stored in (library.guides.of_interview(interview.id) for interview in interviews)
            if stored is not None
        )
        if not used:
            return None
        slug = used.most_common(1)[0][0]
    return build_board(library, slug)


def _redactor(library: Library, interviews: list[Interview]) -> Redactor:
    """Each customer's and interviewer's name (whole and each part) and company (whole and its first word),
    then the library's own terms."""
    terms = []
    for interview in interviews:
        for name, replacement in (
            (interview.customer_name, "[name]"),
            (interview.interviewer, "[interviewer]"),
        ):
            if name and name.strip():
                whole = name.strip()
                terms += [Term(part, replacement, whole) for part in (whole, *whole.split()) if len(part) > 1]
        if interview.company and interview.company.strip():
            company = interview.company.strip()
            first = company.split()[0]
            terms += [Term(company, "[company]")] + (
                [Term(first, "[company]", company)] if len(first) >= 4 else []
            )
    terms += [Term(text) for text in redaction_terms(library)]
    return Redactor(terms)


_ROLE_NAMES = {SpeakerRole.INTERVIEWER: "Interviewer", SpeakerRole.CUSTOMER: "Customer"}


class _Builder:
    """Turns one library interview and its quotes into pack values, redacting every text on the way."""

    def __init__(
        self,
        library: Library,
        request: PackRequest,
        redactor: Redactor,
        interviews: list[Interview],
        numbers: dict[int, int],
        board: Board | None,
    ) -> None:
        self._library = library
        self._request = request
        self._redact = redactor
        self._numbers = numbers
        self._interviews = {interview.id: interview for interview in interviews}
        self._segments = {i: library.transcripts.segments(i) for i in numbers}
        self._speakers = {
            i: {speaker.id: speaker for speaker in library.transcripts.speakers(i)} for i in numbers
        }
        self._recordings = {i: library.recordings.for_interview(i) for i in numbers}
        self._followed = guides_followed(library, list(numbers))
        self._row_labels = {row.key: row.label for row in board.questions} if board else {}
        self._words: dict[Word, str] = {}
        self._muted: dict[int, list[tuple[int, int]]] = {}
        for interview_id in numbers:
            self._redact_transcript(interview_id)

    # Descriptions -----------------------------------------------------------------------------------

    def descriptor(self, interview: Interview) -> str:
        """ "Ops lead, Mid-market logistics": who the customer is, without saying who they are."""
        parts = [
            self._redact.text(value, (interview.id, name))
            for name, value in (("role", interview.role), ("segment", interview.persona_segment))
            if value
        ]
        return _joined(parts) or "Customer"

    def _speaker_name(self, interview_id: int, speaker_id: int | None) -> tuple[str, str]:
        speaker: Speaker | None = self._speakers[interview_id].get(speaker_id)
        if speaker is None:
            return "Unknown", SpeakerRole.OTHER.value
        if self._request.anonymise:
            return _ROLE_NAMES.get(speaker.role, "Speaker"), speaker.role.value
        return speaker.name, speaker.role.value

    def _who(self, interview: Interview) -> str:
        if self._request.anonymise:
            return self.descriptor(interview)
        return _joined((interview.customer_name, interview.role, interview.company)) or interview.title

    # Quotes -----------------------------------------------------------------------------------------

    def quotes(self, quotes: list[Quote]) -> dict[int, PackQuote]:
        return {quote.id: self._quote(quote) for quote in quotes}

    def _quote(self, quote: Quote) -> PackQuote:
        interview = self._interviews[quote.interview_id]
        words = quoted_words(self._segments[quote.interview_id], quote.start_ms, quote.end_ms, quote.channel)
        if words:
            text = " ".join(filter(None, (self._words[word] for word in words)))
        else:  # its words were deleted from the transcript: keep the stored text
            text = self._redact.text(quote.text, ("quote", quote.id)) or ""
        speaker, _role = self._speaker_name(quote.interview_id, quote.speaker_id)
        question, reworded = self._question_text(quote.interview_id, quote.question_key)
        return PackQuote(
            id=quote.id,
            anchor=_anchor(quote.id),
            interview_number=self._numbers[quote.interview_id],
            question_key=quote.question_key,
            question_text=self._redact.text(question, ("question", quote.question_key, question)),
            tags=tuple(self._redact.text(readable_name(tag), ("tag", tag)) or "" for tag in quote.tags),
            speaker=speaker,
            who=self._who(interview),
            start_ms=quote.start_ms,
            end_ms=quote.end_ms,
            text=text,
            note=self._redact.text(quote.note, ("note", quote.id)),
            clip=self._clip(quote),
            reworded=reworded,
            home="",
        )

    def _question_text(self, interview_id: int, key: str | None) -> tuple[str | None, bool]:
        """The wording the interview was asked (its own version of its guide), and whether that differs
        from the wording its row in the pack shows (the latest version's)."""
        if key is None:
            return None, False
        asked = asked_wording(self._followed.get(interview_id), key)
        shown = self._row_labels.get(key)
        if asked is None:
            return shown or key, False
        return asked, shown is not None and asked != shown

    def _redact_transcript(self, interview_id: int) -> None:
        """Redact each channel's words as one stream (a name can straddle two segments), remembering each
        word's new text and the stretches to mute in any clip of this interview."""
        channels: dict[int | None, list[Word]] = {}
        for segment in self._segments[interview_id]:
            channels.setdefault(segment.channel, []).extend(segment.words)
        muted = []
        for channel, words in channels.items():
            words.sort(key=lambda word: word.start_ms)
            texts, stretches = self._redact.words(words, (interview_id, channel))
            for word, text in zip(words, texts, strict=True):
                if text != word.text or word not in self._words:  # an identical word on another channel
                    self._words[word] = text  # keeps its redaction

            muted += stretches
        self._muted[interview_id] = sorted(muted)

    def _audio(self, interview_id: int) -> tuple[Recording, Path] | None:
        """The interview's recording and its file, when the pack carries audio and the file is there."""
        recording: Recording | None = self._recordings[interview_id]
        if not self._request.contents.clips or recording is None:
            return None
        path = self._library.recordings.path(recording)
        return (recording, path) if path.exists() else None

    def _clip(self, quote: Quote) -> ClipSource | None:
        audio = self._audio(quote.interview_id)
        if audio is None or quote.start_ms >= audio[0].duration_ms:
            return None
        recording, path = audio
        channel = quote.channel if quote.channel is not None else _customer_channel(recording)
        start, end = padded(quote.start_ms, quote.end_ms, recording.duration_ms)
        # Redacted words on any channel are muted, padding included: a name the interviewer says can
        # be heard faintly on the customer's microphone too.
        muted = tuple((s, e) for s, e in self._muted[quote.interview_id] if s < end and e > start)
        return ClipSource(path, channel, recording.split_channels, start, end, muted)

    def _whole_recording(self, interview_id: int) -> RecordingSource | None:
        """The recording, every redacted stretch (on any channel) to be muted."""
        audio = self._audio(interview_id)
        return RecordingSource(audio[1], tuple(self._muted[interview_id])) if audio else None

    # Interviews -------------------------------------------------------------------------------------

    def interview(self, interview: Interview, quotes: list[Quote]) -> PackInterview:
        recording = self._recordings[interview.id]
        return PackInterview(
            number=self._numbers[interview.id],
            anchor=f"interview-{self._numbers[interview.id]}",
            heading=self.descriptor(interview) if self._request.anonymise else interview.title,
            details=self._details(interview),
            duration_ms=recording.duration_ms if recording else 0,
            notes=self._redact.text(interview.notes, (interview.id, "notes"))
            if shows_interview_notes(self._request)
            else None,
            lines=self._lines(interview.id, quotes),
            recording=self._whole_recording(interview.id),
        )

    def _details(self, interview: Interview) -> tuple[tuple[str, str], ...]:
        shown = (
            ("Role", interview.role),
            ("Segment", interview.persona_segment),
            ("Outcome", interview.outcome.value if interview.outcome else None),
            ("Date", interview.interview_date),
        )
        if not self._request.anonymise:
            shown = (
                ("Customer", interview.customer_name),
                ("Company", interview.company),
                *shown,
                ("Interviewer", interview.interviewer),
            )
        return tuple(
            (
                label,
                value if label == "Date" else self._redact.text(value, (interview.id, label.lower())) or "",
            )
            for label, value in shown
            if value
        )

    def _lines(self, interview_id: int, quotes: list[Quote]) -> tuple[TranscriptLine, ...]:
        lines, opened = [], set()
        for segment in self._segments[interview_id]:
            speaker, role = self._speaker_name(interview_id, segment.speaker_id)
            parts = self._parts(segment, quotes)
            for i, part in enumerate(parts):
                if part.quote and part.quote not in opened:
                    opened.add(part.quote)
                    parts[i] = replace(part, opens_quote=True)
            lines.append(TranscriptLine(segment.start_ms, segment.end_ms, speaker, role, tuple(parts)))
        return tuple(lines)

    def _parts(self, segment: Segment, quotes: list[Quote]) -> list[TranscriptPart]:
        """The segment's words grouped into runs inside and outside quotes (quotes are highlighted)."""
        if not segment.words:
            return [TranscriptPart(self._redact.text(segment.text, ("segment", segment.id)) or "")]
        parts: list[TranscriptPart] = []
        for word in segment.words:
            text = self._words[word]
            if not text:
                continue
            holder = next(
                (
                    _anchor(quote.id)
                    for quote in quotes
                    if holds_word(quote.start_ms, quote.end_ms, quote.channel, word, segment.channel)
                ),
                None,
            )
            spoken = SpokenWord(word.start_ms, word.end_ms, text)
            if parts and parts[-1].quote == holder:
                parts[-1] = TranscriptPart(
                    f"{parts[-1].text} {text}", holder, words=(*parts[-1].words, spoken)
                )
            else:
                parts.append(TranscriptPart(text, holder, words=(spoken,)))
        return parts


def _joined(parts) -> str:
    """ "Dana Whitfield, Ops lead, Northwind Freight": each part isolated if it holds right-to-left text or a
    bidi control, so a mark left open in a name cannot reverse the role and company after it."""
    return ", ".join(isolated(part) for part in parts if part)


def _anchor(quote_id: int) -> str:
    return f"quote-{quote_id}"


def _customer_channel(recording: Recording) -> int | None:
    if not recording.split_channels:
        return None
    roles = recording.channel_roles or ()
    return roles.index(SpeakerRole.CUSTOMER) if SpeakerRole.CUSTOMER in roles else None
