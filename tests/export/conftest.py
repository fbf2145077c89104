"""A real library for pack tests: the demo call's real two-channel audio, transcripts stored as the
transcription worker stores them, the built-in recent-buyer guide and quotes tagged through the Tagger."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.transcript import SpeakerRole, TranscribedSegment, Word
from app.guides import builtin_guides
from app.library import Library
from app.resources import resource_path
from app.services.importing import import_recording
from app.services.tagging import Tagger

GUIDE_SLUG = "recent-buyer-roadmap"


@pytest.fixture(autouse=True, scope="session")
def _offscreen_qt() -> None:
    """Tests that export packs straight through `export_pack` stand where the CLI stands: the PDF
    renderer needs a Qt application and the caller provides it."""
    from app.cli.offscreen_qt import start_offscreen_qt

    start_offscreen_qt()
ROLES = {"interviewer": (0, SpeakerRole.INTERVIEWER), "customer": (1, SpeakerRole.CUSTOMER)}
# Customer turns of the demo call (by index in interview.ref.json) → question and tags quoted there.
QUOTED_TURNS = {
    1: ("trigger", ("Trigger",)),
    3: ("goal", ("Goal",)),
    5: ("first_steps", ("Search",)),
    7: ("criteria", ("Criteria",)),
    9: ("alternatives", ("Alternative",)),
    11: (None, ("Concern",)),  # a theme with no question: shown in full under its theme
}


@dataclass(frozen=True)
class Person:
    title: str
    customer_name: str
    company: str
    role: str
    segment: str
    quoted: tuple[int, ...]
    """Which of QUOTED_TURNS this interview has quotes on."""
    replace: tuple[tuple[str, str], ...] = ()
    """Text substitutions in the transcript (to seed names, contact details or hostile text)."""
    notes: str | None = None


PEOPLE = (
    Person(
        "Northwind – ops lead",
        "Dana Whitfield",
        "Northwind Freight",
        "Ops lead",
        "Mid-market logistics",
        (1, 3, 5, 7, 9, 11),
    ),
    Person(
        "Contoso – warehouse manager",
        "Priya Raman",
        "Contoso Cold Chain",
        "Warehouse manager",
        "Enterprise food",
        (1, 5, 7),
    ),
    Person("Fabrikam – owner", "Marco Bellini", "Fabrikam Parts", "Owner", "Small business", (1, 11)),
)


def demo_turns() -> list[dict]:
    return json.loads(resource_path("demo/interview.ref.json").read_text(encoding="utf-8"))


def words_of(text: str, start_ms: int, end_ms: int) -> tuple[Word, ...]:
    """Words spread evenly over the turn (the real call's turn times; word times are approximate)."""
    tokens = text.split()
    step = (end_ms - start_ms) / len(tokens)
    return tuple(
        Word(round(start_ms + i * step), round(start_ms + (i + 0.9) * step), token, 0.9)
        for i, token in enumerate(tokens)
    )


def add_interview(library: Library, person: Person, audio: Path | None = None) -> int:
    """An interview of the demo call's audio with `person`'s metadata, transcript and quotes."""
    if audio is None:
        result = import_recording(
            library,
            resource_path("demo/interview.flac"),
            title=person.title,
            channel_roles=(SpeakerRole.INTERVIEWER, SpeakerRole.CUSTOMER),
        )
        interview_id = result.interview.id
    else:  # the same audio again: the library stores a file once, so add the row as an import would
        interview_id = library.interviews.create(person.title).id
        first = library.recordings.for_interview(1)
        library.db.execute(
            "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, channels, "
            "channel_roles, truncated, imported_at) VALUES (?, ?, 'call.flac', ?, ?, 16000, 2, ?, 0, 'now')",
            [
                interview_id,
                first.file,
                f"copy-{interview_id}",
                first.duration_ms,
                '["interviewer", "customer"]',
            ],
        )
    library.interviews.update(
        interview_id,
        title=person.title,
        customer_name=person.customer_name,
        company=person.company,
        role=person.role,
        persona_segment=person.segment,
        outcome="won",
        interview_date=f"2026-10-{10 + interview_id:02d}",
        interviewer="Sam Carter",
        notes=person.notes,
    )
    recording = library.recordings.for_interview(interview_id)
    job = library.jobs.create(interview_id, recording.id, "tiny.en", {}, [0, 1])
    speakers = {
        role: library.transcripts.ensure_speaker(interview_id, role.capitalize(), speaker_role, channel)
        for role, (channel, speaker_role) in ROLES.items()
    }
    for turn in demo_turns():
        text = turn["text"]
        for old, new in person.replace:
            text = text.replace(old, new)
        words = words_of(text, turn["start_ms"], turn["end_ms"])
        channel = ROLES[turn["speaker"]][0]
        library.jobs.commit_segment(
            job,
            TranscribedSegment(turn["start_ms"], turn["end_ms"], text, words, channel),
            speakers[turn["speaker"]],
            0.5,
        )
    tagger = Tagger(library)
    tagger.use_guide(interview_id, next(g for g in builtin_guides() if g.slug == GUIDE_SLUG))
    turns = demo_turns()
    for index in person.quoted:
        question, tags = QUOTED_TURNS[index]
        turn = turns[index]
        tagger.add_quote(
            interview_id,
            turn["start_ms"],
            turn["end_ms"],
            question,
            tags,
            channel=1,
            note=f"Note on {question or tags[0]}",
        )
    return interview_id


def fill(library: Library, people: tuple[Person, ...] = PEOPLE) -> list[int]:
    ids = [add_interview(library, people[0])]
    audio = library.recordings.path(library.recordings.for_interview(ids[0]))
    ids += [add_interview(library, person, audio) for person in people[1:]]
    return ids


@pytest.fixture
def pack_library(library: Library) -> tuple[Library, list[int]]:
    return library, fill(library)
