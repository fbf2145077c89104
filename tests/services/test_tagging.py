"""Quotes anchored to word times survive corrections and splits; the board counts what a person would."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain.interview import JobState
from app.domain.transcript import SpeakerRole, TranscribedSegment, Word
from app.guides.model import Guide, Question, Section, Tag
from app.library import Library, LibraryError
from app.services.board import BoardFilters, build_board
from app.services.editing import TranscriptEditor
from app.services.tagging import Coverage, Tagger

GUIDE = Guide(
    slug="mini-roadmap",
    name="Mini roadmap",
    version=1,
    purpose="Test guide",
    consent="May I record?",
    sections=(
        Section("Start", (Question("trigger", "What made you start looking?"),)),
        Section(
            "Search",
            (
                Question("first-steps", "Where did you look first?"),
                Question("criteria", "What mattered most?"),
            ),
        ),
    ),
    tags=(Tag("Pricing", "#1f77b4", "Anything about price"), Tag("Peers", "#ff7f0e", "Advice from peers")),
)

TURNS = [  # (channel, start_ms, text): interviewer on the left, the customer on the right
    (0, 0, "What made you start looking?"),
    (1, 3000, "The night shift fell apart and the spreadsheet failed us"),
    (0, 9000, "Where did you look first?"),
    (1, 12000, "I read the pricing page and asked a few peers"),
]


def _words(text: str, start_ms: int) -> tuple[Word, ...]:
    return tuple(
        Word(start_ms + i * 400, start_ms + i * 400 + 350, token, 0.9) for i, token in enumerate(text.split())
    )


def make_interview(library: Library, title: str, **metadata) -> int:
    """An interview with a two-channel transcript stored as the transcription worker stores it."""
    interview = library.interviews.create(title, **metadata)
    with library.db.atomic():
        library.db.execute(
            "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, channels, "
            "imported_at) VALUES (?, 'x.wav', 'x.wav', ?, 20000, 16000, 2, 'now')",
            [interview.id, f"sha-{interview.id}"],
        )
    recording_id = library.recordings.for_interview(interview.id).id
    job = library.jobs.create(interview.id, recording_id, "tiny.en", {}, [0, 1])
    speakers = {
        0: library.transcripts.ensure_speaker(interview.id, "Interviewer", SpeakerRole.INTERVIEWER, 0),
        1: library.transcripts.ensure_speaker(interview.id, "Customer", SpeakerRole.CUSTOMER, 1),
    }
    for channel, start, text in TURNS:
        words = _words(text, start)
        library.jobs.commit_segment(
            job, TranscribedSegment(start, words[-1].end_ms, text, words, channel), speakers[channel], 0.5
        )
    # Finished, as a transcribed interview's job is: a window's queue would otherwise try to resume it on a
    # recording that has no audio.
    library.jobs.set_state(job.id, JobState.DONE)
    return interview.id


@pytest.fixture
def interview(library) -> int:
    interview_id = make_interview(library, "Northwind – ops lead")
    Tagger(library).use_guide(interview_id, GUIDE)
    return interview_id


def customer_segment(library, interview_id, index=1):
    return library.transcripts.segments(interview_id)[index]


def test_a_quote_made_from_selected_words_has_their_times_speaker_and_text(library, interview):
    segment = customer_segment(library, interview, 3)  # "I read the pricing page and asked a few peers"
    result = Tagger(library).quote_words(
        interview,
        [(segment.id, i) for i in range(2, 5)],
        question_key="first-steps",
        tags=("Pricing",),
        note="Wants prices up front",
    )
    quote = result.quote
    assert quote.text == "the pricing page"
    assert (quote.start_ms, quote.end_ms) == (segment.words[2].start_ms, segment.words[4].end_ms)
    assert library.transcripts.speaker(quote.speaker_id).role is SpeakerRole.CUSTOMER
    assert (quote.question_key, quote.tags, quote.note, result.warnings) == (
        "first-steps",
        ("Pricing",),
        "Wants prices up front",
        (),
    )


def test_correcting_a_word_inside_a_quote_changes_its_text_and_keeps_its_times(library, interview):
    segment = customer_segment(library, interview, 3)
    quote = Tagger(library).quote_words(interview, [(segment.id, i) for i in range(2, 5)]).quote
    TranscriptEditor(library).correct_text(segment.id, segment.text.replace("pricing", "prices"))
    again = library.quotes.get(quote.id)
    assert again.text == "the prices page"
    assert (again.start_ms, again.end_ms) == (quote.start_ms, quote.end_ms)


def test_splitting_or_merging_the_segment_keeps_the_quote(library, interview):
    segment = customer_segment(library, interview, 3)
    quote = Tagger(library).quote_words(interview, [(segment.id, i) for i in range(1, 7)]).quote
    editor = TranscriptEditor(library)
    editor.split(segment.id, 4)  # through the middle of the quote
    assert library.quotes.get(quote.id).text == quote.text
    editor.merge_with_next(customer_segment(library, interview, 1).id)
    assert [q.text for q in Tagger(library).quotes(interview)] == [quote.text]


def test_quoting_the_interviewer_warns(library, interview):
    question = library.transcripts.segments(interview)[0]
    result = Tagger(library).quote_words(interview, [(question.id, 0), (question.id, 1)])
    assert "interviewer" in result.warnings[0]


@pytest.mark.parametrize(
    ("details", "message"),
    [({"question_key": "price"}, "no question 'price'"), ({"tags": ("Pricng",)}, "Unknown tag")],
)
def test_unknown_questions_and_tags_are_refused_and_nothing_is_stored(library, interview, details, message):
    segment = customer_segment(library, interview)
    with pytest.raises(LibraryError, match=message):
        Tagger(library).quote_words(interview, [(segment.id, 0)], **details)
    assert library.quotes.for_interview(interview) == []


def test_a_stretch_with_no_words_is_refused(library, interview):
    with pytest.raises(LibraryError, match="Nothing is said"):
        Tagger(library).add_quote(interview, 50_000, 60_000)


def test_deleting_and_restoring_a_quote_keeps_its_id_and_tags(library, interview):
    segment = customer_segment(library, interview)
    tagger = Tagger(library)
    quote = tagger.quote_words(interview, [(segment.id, 1), (segment.id, 2)], tags=("Peers",)).quote
    row = tagger.delete_quote(quote.id)
    assert tagger.quotes(interview) == []
    assert tagger.restore_quote(row) == quote


def test_coverage_shows_which_questions_were_answered_asked_or_missed(library, interview):
    segment = customer_segment(library, interview)
    Tagger(library).quote_words(interview, [(segment.id, 0)], question_key="trigger")
    library.markers.add(interview, 9000, "question", question="first-steps")
    library.markers.add(interview, 9500, "bookmark")
    coverage = Tagger(library).coverage(interview)
    assert [(c.number, c.question.key, c.quotes, c.state) for c in coverage] == [
        (1, "trigger", 1, Coverage.ANSWERED),
        (2, "first-steps", 0, Coverage.ASKED),
        (3, "criteria", 0, Coverage.MISSING),
    ]


def test_deleting_a_segment_deletes_the_quotes_only_it_held_and_undo_restores_both(library, interview):
    segments = library.transcripts.segments(interview)
    tagger, editor = Tagger(library), TranscriptEditor(library)
    inside = tagger.quote_words(
        interview, [(segments[3].id, 2), (segments[3].id, 3)], tags=("Pricing",)
    ).quote
    across = tagger.add_quote(interview, segments[2].start_ms, segments[3].end_ms).quote
    assert editor.quotes_emptied_by_deleting(segments[3].id) == [inside]
    edit = editor.delete_segment(segments[3].id)
    assert [s.id for s in library.transcripts.segments(interview)] == [s.id for s in segments[:3]]
    assert [q.id for q in tagger.quotes(interview)] == [across.id]
    assert library.quotes.get(across.id).text == segments[2].text
    editor.revert(edit)
    assert library.transcripts.segments(interview) == segments
    assert {q.id: q for q in tagger.quotes(interview)} == {inside.id: inside, across.id: across}


def test_an_interview_keeps_the_guide_version_it_was_tagged_with(library, interview):
    tagger = Tagger(library)
    reworded = replace(
        GUIDE, version=2, sections=(Section("Start", (Question("trigger", "What happened first?"),)),)
    )
    other = make_interview(library, "Harbor Foods – plant manager")
    tagger.use_guide(other, reworded)
    assert tagger.guide_of(interview)[1].question("trigger").text == "What made you start looking?"
    assert tagger.guide_of(other)[1].version == 2
    with pytest.raises(LibraryError, match="new version number"):
        tagger.use_guide(other, replace(reworded, purpose="changed without a new version"))


# The board -----------------------------------------------------------------------------------------

SIX = [  # title, segment, outcome, questions answered (customer quotes), tags
    ("Acme", "Mid-market", "won", ("trigger", "first-steps"), ("Pricing",)),
    ("Bolt", "Mid-market", "won", ("first-steps",), ("Pricing", "Peers")),
    ("Crane", "Mid-market", "lost", ("trigger",), ()),
    ("Delta", "Enterprise", "won", ("first-steps", "criteria"), ("Pricing",)),
    ("Echo", "Enterprise", "churned", (), ("Peers",)),
    ("Fjord", "Mid-market", "won", ("first-steps",), ("Pricing",)),
]


@pytest.fixture
def six(library) -> dict[str, int]:
    tagger = Tagger(library)
    ids = {}
    for title, segment, outcome, questions, tags in SIX:
        interview_id = ids[title] = make_interview(library, title, persona_segment=segment, outcome=outcome)
        tagger.use_guide(interview_id, GUIDE)
        answer = customer_segment(library, interview_id, 3)
        for key in questions:
            tagger.quote_words(interview_id, [(answer.id, 0), (answer.id, 1)], question_key=key)
        if tags:
            tagger.quote_words(interview_id, [(answer.id, 3)], tags=tags)
    make_interview(library, "No guide yet")  # not counted: it does not use the guide
    return ids


def counts(board) -> dict[str, int]:
    return {row.key: row.answered for row in (*board.questions, *board.themes)}


def test_board_counts_equal_hand_counted_ones(library, six):
    board = build_board(library, "mini-roadmap")
    assert len(board.interviews) == 6
    assert counts(board) == {"trigger": 2, "first-steps": 4, "criteria": 1, "Pricing": 4, "Peers": 2}
    assert board.headline(board.questions[1]) == "4 of 6 interviews"
    assert set(board.questions[1].cells) == {six["Acme"], six["Bolt"], six["Delta"], six["Fjord"]}


@pytest.mark.parametrize(
    ("filters", "interviews", "expected"),
    [
        (
            BoardFilters(persona_segment="Mid-market"),
            4,
            {"trigger": 2, "first-steps": 3, "criteria": 0, "Pricing": 3, "Peers": 1},
        ),
        (
            BoardFilters(outcome="won"),
            4,
            {"trigger": 1, "first-steps": 4, "criteria": 1, "Pricing": 4, "Peers": 1},
        ),
        (
            BoardFilters(persona_segment="Enterprise", outcome="churned"),
            1,
            {"trigger": 0, "first-steps": 0, "criteria": 0, "Pricing": 0, "Peers": 1},
        ),
    ],
)
def test_board_counts_under_filters(library, six, filters, interviews, expected):
    board = build_board(library, "mini-roadmap", filters)
    assert len(board.interviews) == interviews
    assert counts(board) == expected
