"""Transcript corrections: persisted at once, word times kept, undo/redo exact (ids included)."""

from __future__ import annotations

import pytest

from app.domain.editing import EditError
from app.domain.transcript import SpeakerRole, TranscribedSegment, Word
from app.library import Library
from app.services.editing import TranscriptEditor
from app.services.importing import import_recording


def _words(text: str, start_ms: int, step_ms: int = 400) -> tuple[Word, ...]:
    return tuple(
        Word(start_ms + i * step_ms, start_ms + i * step_ms + step_ms - 50, token, 0.9)
        for i, token in enumerate(text.split())
    )


@pytest.fixture
def transcript(library: Library, speech):
    """An interview with two speakers and three segments, stored as the transcription worker stores them."""
    interview = import_recording(library, speech / "stereo_diarization.wav").interview
    job = library.jobs.create(interview.id, 1, "tiny.en", {}, [0, 1])
    interviewer = library.transcripts.ensure_speaker(interview.id, "Interviewer", SpeakerRole.INTERVIEWER, 0)
    customer = library.transcripts.ensure_speaker(interview.id, "Customer", SpeakerRole.CUSTOMER, 1)
    for text, start, channel, speaker in (
        ("Where did you look first?", 0, 0, interviewer),
        ("I searched for shift scheduling and read the pricing page", 3000, 1, customer),
        ("Then I asked a few peers", 8000, 1, customer),
    ):
        words = _words(text, start)
        segment = TranscribedSegment(start, words[-1].end_ms, text, words, channel)
        library.jobs.commit_segment(job, segment, speaker, 0.5)
    return interview.id, interviewer, customer


def texts(library: Library, interview_id: int) -> list[str]:
    return [segment.text for segment in library.transcripts.segments(interview_id)]


def reopened(library: Library) -> Library:
    """A second connection: what another process (or the next start after a crash) would see."""
    return Library.open(library.root)


def test_correcting_a_misheard_word_keeps_every_word_time_and_is_saved_at_once(library, transcript):
    interview_id, _, _ = transcript
    before = library.transcripts.segments(interview_id)[1]
    TranscriptEditor(library).correct_text(
        before.id, "I searched for shift scheduling and read the Tallyline page"
    )
    with reopened(library) as other:
        after = other.transcripts.segment(before.id)
    assert after.text.endswith("the Tallyline page")
    assert [(w.start_ms, w.end_ms) for w in after.words] == [(w.start_ms, w.end_ms) for w in before.words]
    assert after.words[8].text == "Tallyline"
    assert [hit.segment_id for hit in library.search("Tallyline")] == [before.id]
    assert library.search("pricing") == []


def test_an_added_word_takes_its_time_from_its_neighbour(library, transcript):
    interview_id, _, _ = transcript
    segment = library.transcripts.segments(interview_id)[2]
    edit = TranscriptEditor(library).correct_text(segment.id, "Then I asked a few trusted peers")
    words = edit.segments_after[0].words
    assert [w.text for w in words] == ["Then", "I", "asked", "a", "few", "trusted", "peers"]
    assert words[5].start_ms == words[4].end_ms
    assert (words[6].start_ms, words[6].end_ms) == (segment.words[5].start_ms, segment.words[5].end_ms)


def test_undo_and_redo_of_a_text_edit_restore_each_side_exactly(library, transcript):
    interview_id, _, _ = transcript
    original = library.transcripts.segments(interview_id)
    editor = TranscriptEditor(library)
    edit = editor.correct_text(original[0].id, "Where did you search first?")
    editor.revert(edit)
    assert library.transcripts.segments(interview_id) == original
    editor.apply(edit)
    assert texts(library, interview_id)[0] == "Where did you search first?"


def test_split_then_undo_and_redo_keep_segment_ids_stable(library, transcript):
    interview_id, _, customer = transcript
    original = library.transcripts.segments(interview_id)
    editor = TranscriptEditor(library)
    edit = editor.split(original[1].id, 5)
    first, second = library.transcripts.segments(interview_id)[1:3]
    assert (first.id, first.text, second.text) == (
        original[1].id,
        "I searched for shift scheduling",
        "and read the pricing page",
    )
    assert second.start_ms == original[1].words[5].start_ms and first.end_ms == original[1].words[4].end_ms
    assert second.speaker_id == customer
    editor.revert(edit)
    assert library.transcripts.segments(interview_id) == original
    editor.apply(edit)
    assert [s.id for s in library.transcripts.segments(interview_id)[1:3]] == [first.id, second.id]


def test_merge_then_undo_restores_both_segments_with_their_ids(library, transcript):
    interview_id, _, _ = transcript
    original = library.transcripts.segments(interview_id)
    editor = TranscriptEditor(library)
    edit = editor.merge_with_next(original[1].id)
    merged = library.transcripts.segments(interview_id)
    assert len(merged) == 2 and merged[1].text == f"{original[1].text} {original[2].text}"
    assert len(merged[1].words) == len(original[1].words) + len(original[2].words)
    editor.revert(edit)
    assert library.transcripts.segments(interview_id) == original


def test_rename_role_and_swap_speakers_with_undo(library, transcript):
    interview_id, interviewer, customer = transcript
    editor = TranscriptEditor(library)
    rename = editor.rename_speaker(customer, "Dana (customer)")
    swap = editor.swap_speakers(interviewer, customer)
    with reopened(library) as other:
        names = {s.id: (s.name, s.role) for s in other.transcripts.speakers(interview_id)}
    assert names == {
        interviewer: ("Dana (customer)", SpeakerRole.CUSTOMER),
        customer: ("Interviewer", SpeakerRole.INTERVIEWER),
    }
    editor.revert(swap)
    editor.revert(rename)
    assert {s.id: s.name for s in library.transcripts.speakers(interview_id)} == {
        interviewer: "Interviewer",
        customer: "Customer",
    }
    role = editor.set_role(interviewer, SpeakerRole.OTHER)
    assert library.transcripts.speaker(interviewer).role is SpeakerRole.OTHER
    editor.revert(role)
    assert library.transcripts.speaker(interviewer).role is SpeakerRole.INTERVIEWER


def test_reassigning_a_segment_to_another_speaker_and_back(library, transcript):
    interview_id, interviewer, customer = transcript
    segment = library.transcripts.segments(interview_id)[2]
    editor = TranscriptEditor(library)
    edit = editor.reassign(segment.id, interviewer)
    assert library.transcripts.segment(segment.id).speaker_id == interviewer
    editor.revert(edit)
    assert library.transcripts.segment(segment.id).speaker_id == customer


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (lambda editor, segment: editor.split(segment.id, 0), "between two words"),
        (lambda editor, segment: editor.correct_text(segment.id, "   "), "cannot be empty"),
        (lambda editor, segment: editor.merge_with_next(segment.id), "last segment"),
    ],
)
def test_edits_that_make_no_sense_are_refused_and_change_nothing(library, transcript, operation, message):
    interview_id, _, _ = transcript
    original = library.transcripts.segments(interview_id)
    with pytest.raises(EditError, match=message):
        operation(TranscriptEditor(library), original[-1])
    assert library.transcripts.segments(interview_id) == original


def test_giving_selected_words_to_another_speaker_cuts_the_turn_around_them(library, transcript):
    interview_id, interviewer, customer = transcript
    editor = TranscriptEditor(library)
    before = library.transcripts.segments(interview_id)
    long_turn = before[1]  # "I searched for shift scheduling and read the pricing page"
    edit = editor.reassign_words([(long_turn.id, 5), (long_turn.id, 6)], interviewer)  # "and read"
    pieces = [s for s in library.transcripts.segments(interview_id) if s.channel == 1][:3]
    assert [(p.text, p.speaker_id) for p in pieces] == [
        ("I searched for shift scheduling", customer),
        ("and read", interviewer),
        ("the pricing page", customer),
    ]
    assert pieces[0].id == long_turn.id
    assert pieces[1].words == long_turn.words[5:7], "word times are kept"
    editor.revert(edit)
    assert library.transcripts.segments(interview_id) == before


def test_merging_a_speaker_into_another_gives_them_every_word_and_undo_separates_them(library, transcript):
    interview_id, interviewer, customer = transcript
    editor = TranscriptEditor(library)
    before = library.transcripts.segments(interview_id)
    edit = editor.merge_speakers(interviewer, customer)
    assert {s.speaker_id for s in library.transcripts.segments(interview_id)} == {customer}
    editor.revert(edit)
    assert library.transcripts.segments(interview_id) == before
    editor.merge_speakers(interviewer, customer)
    with pytest.raises(EditError, match="says nothing"):
        editor.merge_speakers(interviewer, customer)  # nothing left to merge
