"""Voices onto speakers: the interviewer guess, labels, and the names a user gave surviving a re-run."""

from __future__ import annotations

from app.domain.transcript import Segment, Speaker, SpeakerRole, Word
from app.speakers.attribution import Turn
from app.speakers.naming import interviewer_voice, role_labels, voice_speakers


def turn(voice: int, text: str, start_ms: int, speaker_id: int | None = None) -> Turn:
    words = tuple(
        Word(start_ms + 100 * i, start_ms + 100 * i + 90, w, 1.0) for i, w in enumerate(text.split())
    )
    segment = Segment(start_ms, 1, start_ms, start_ms + 1000, text, speaker_id, words, None)
    return Turn(segment, 0, len(words), voice)


def test_the_voice_with_more_questions_is_the_interviewer_even_when_it_speaks_second():
    turns = [
        turn(0, "Hi, thanks for having me.", 0),
        turn(1, "Why did you switch?", 2000),
        turn(1, "And then?", 4000),
    ]
    assert interviewer_voice(turns) == 1


def test_with_as_many_questions_the_first_voice_heard_is_the_interviewer():
    turns = [turn(1, "Shall we start?", 0), turn(0, "Sure, why not?", 2000)]
    assert interviewer_voice(turns) == 1
    assert interviewer_voice([turn(1, "Hello", 0), turn(0, "Hi", 900)]) == 1


def test_labels_follow_roles_and_are_numbered_when_shared():
    customer, interviewer = SpeakerRole.CUSTOMER, SpeakerRole.INTERVIEWER
    assert role_labels([interviewer, customer]) == ["Interviewer", "Customer"]
    assert role_labels([customer, interviewer, customer]) == ["Customer 1", "Interviewer", "Customer 2"]


def test_a_named_speaker_keeps_name_and_role_and_takes_the_voice_with_its_words():
    named = Speaker(5, 1, "Interviewer", SpeakerRole.INTERVIEWER, "Sam", None)
    other = Speaker(6, 1, "Customer", SpeakerRole.CUSTOMER, None, None)
    # A re-run in which Sam's words now come out as voice 1 and Sam asks no questions any more.
    turns = [turn(0, "What happened next?", 0, 6), turn(1, "We signed.", 2000, 5), turn(2, "Right.", 4000, 6)]
    speakers = voice_speakers(turns, 3, [named, other], interview_id=1)
    assert [(s.id, s.name, s.role) for s in speakers] == [
        (6, "Interviewer 1", SpeakerRole.INTERVIEWER),  # two interviewers now: numbered
        (5, "Sam", SpeakerRole.INTERVIEWER),
        (0, "Customer", SpeakerRole.CUSTOMER),
    ]
    assert len({s.label for s in speakers}) == 3


def test_one_voice_is_speaker_1_with_the_role_it_had():
    only = Speaker(3, 1, "Speaker 1", SpeakerRole.CUSTOMER, None, None)
    [speaker] = voice_speakers([turn(0, "Hello?", 0, 3)], 1, [only], interview_id=1)
    assert (speaker.id, speaker.label, speaker.role) == (3, "Speaker 1", SpeakerRole.CUSTOMER)
