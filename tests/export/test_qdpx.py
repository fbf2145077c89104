"""The REFI-QDA project, read back the way a QDA tool reads it: valid against the official QDA-XML schema,
every conversation a case with its attributes, each quote exactly its words and playable at its moment
in the recording, codes grouped as in the guide, and nothing naming anyone when anonymised."""

from __future__ import annotations

import re
import tracemalloc
import wave
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from lxml import etree

from app.domain.interview import Outcome
from app.domain.timecode import clock
from app.domain.wording import readable_name
from app.export.pack.clips import encode_recording
from app.export.pack.model import PackInterview, RecordingSource, SpokenWord, TranscriptLine, TranscriptPart
from app.export.pack.qdpx import CROSSES_TURNS, NAMESPACE
from app.export.pack.qdpx_transcript import lay_out
from app.export.pack.writer import export_pack
from app.guides import builtin_guides
from app.media.decode import decode_for_whisper, to_float
from app.resources import resource_path
from app.services.analysis import ThemeGroup
from app.services.packs import PackRequest, build_pack, set_redaction_terms
from app.services.tagging import Tagger
from app.services.theme_groups import keep
from tests.conftest import SPEECH
from tests.export.conftest import GUIDE_SLUG, PEOPLE, demo_turns, fill
from tests.export.pack_files import decode_clip, text_of
from tests.export.test_anonymise import EMAIL, PERSON_MENTIONED, PRODUCT_CODE, SEEDED, secrets

SCHEMA_FILE = SPEECH.parent / "refi-qda" / "Project-mrt2019.xsd"
Q = f"{{{NAMESPACE}}}"
LABEL = re.compile(r"\n\[[\d:]+\] [^:\n]+: ")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not SCHEMA_FILE.is_file():
        pytest.fail(
            f"The REFI-QDA schema is not in {SCHEMA_FILE}: clone the project with ../shared beside it."
        )
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


@pytest.fixture
def two_calls(library):
    """Two interviews with quotes, quote notes, interview notes, attributes and names to redact; the
    second has a quote running from the customer's answer into the interviewer's next question."""
    people = (replace(PEOPLE[0], replace=SEEDED, notes=f"Dana asked us to mail {EMAIL}."), PEOPLE[1])
    ids = fill(library, people)
    set_redaction_terms(library, [PERSON_MENTIONED, PRODUCT_CODE])
    turns = demo_turns()
    result = Tagger(library).add_quote(
        ids[1], turns[3]["start_ms"], turns[4]["end_ms"], None, ("Concern",), note="Answer and next question"
    )
    assert result.quote is not None
    return library, ids


@dataclass
class Project:
    """A .qdpx opened: its XML (checked against the schema) and the files it carries."""

    root: etree._Element
    files: dict[str, bytes]

    def internal(self, path: str) -> bytes:
        return self.files[f"Sources/{path.removeprefix('internal://')}"]

    def sources(self) -> dict[int, etree._Element]:
        """Conversation number → its source element (audio or text)."""
        return {int(source.get("name")[:2]): source for source in self.root.find(f"{Q}Sources")}

    def codes(self) -> dict[str, etree._Element]:
        return {code.get("guid"): code for code in self.root.iter(f"{Q}Code")}


def export(library, ids, schema, tmp_path: Path, **request) -> tuple:
    pack = build_pack(library, PackRequest(tuple(ids), **request))
    [path] = export_pack(pack, tmp_path / "out", "Pack", ["qdpx"])
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(files["project.qde"])
    schema.assertValid(root)
    return pack, Project(root, files), path


@dataclass
class Selection:
    text: str
    start_ms: int
    end_ms: int
    element: etree._Element

    @property
    def description(self) -> str:
        return self.element.findtext(f"{Q}Description") or ""


def selections(project: Project, number: int) -> list[Selection]:
    """Each coded passage of one conversation, read through the sync points it starts and ends on."""
    source = project.sources()[number]
    transcript = source.find(f"{Q}Transcript")
    text = project.internal(transcript.get("plainTextPath")).decode("utf-8")
    points = {
        p.get("guid"): (int(p.get("position")), int(p.get("timeStamp")))
        for p in transcript.iter(f"{Q}SyncPoint")
    }
    found = []
    for selection in transcript.iter(f"{Q}TranscriptSelection"):
        (start, start_ms), (end, end_ms) = (
            points[selection.get("fromSyncPoint")],
            points[selection.get("toSyncPoint")],
        )
        found.append(Selection(text[start:end], start_ms, end_ms, selection))
    return found


@pytest.mark.parametrize(
    "request_options",
    [{"anonymise": True}, {}, {"contents": replace(PackRequest((1,)).contents, clips=False)}],
    ids=["anonymised", "named", "without-audio"],
)
def test_every_export_validates_against_the_official_schema(two_calls, schema, tmp_path, request_options):
    library, ids = two_calls
    _pack, project, _path = export(library, ids, schema, tmp_path, **request_options)
    assert project.root.tag == f"{Q}Project"
    # Beyond the schema, what QualCoder's importer reads without a fallback: file names (with their
    # extension) and creation times of media sources and transcripts, and every internal file present.
    media = list(project.root.iter(f"{Q}AudioSource", f"{Q}Transcript", f"{Q}TextSource"))
    assert len(media) == (2 if "contents" in request_options else 4)
    for element in media:
        assert element.get("name") and element.get("creationDateTime") and element.get("creatingUser")
        path = element.get("path") or element.get("plainTextPath")
        assert project.internal(path), f"{path} is in the archive"
        if element.tag != f"{Q}TextSource":
            assert element.get("name").endswith((".m4a", ".txt"))


NAMING = ("Customer", "Company", "Interviewer")


@pytest.mark.parametrize("anonymise", [False, True], ids=["named", "anonymised"])
def test_each_conversation_is_a_case_with_typed_attributes_linked_to_its_recording(
    two_calls, schema, tmp_path, anonymise
):
    library, ids = two_calls
    pack, project, _path = export(library, ids, schema, tmp_path, anonymise=anonymise)
    variables = {v.get("guid"): v for v in project.root.iter(f"{Q}Variable")}
    kinds = {v.get("name"): v.get("typeOfVariable") for v in variables.values()}
    expected = {
        "Customer": "Text",
        "Company": "Text",
        "Role": "Text",
        "Segment": "Text",
        "Outcome": "Text",
        "Interview date": "Date",
        "Interviewer": "Text",
    }
    assert kinds == {k: v for k, v in expected.items() if not (anonymise and k in NAMING)}
    outcome = next(v for v in variables.values() if v.get("name") == "Outcome")
    assert all(o.value in outcome.findtext(f"{Q}Description") for o in Outcome), "the fixed list is stated"
    sources = {source.get("guid"): source for source in project.root.find(f"{Q}Sources")}
    cases = project.root.findall(f"{Q}Cases/{Q}Case")
    assert len(cases) == 2
    for case, person, interview_id in zip(cases, PEOPLE, ids, strict=False):
        values = {}
        for value in case.iter(f"{Q}VariableValue"):
            variable = variables[value.find(f"{Q}VariableRef").get("targetGUID")]
            [typed] = [child for child in value if child.tag != f"{Q}VariableRef"]
            assert typed.tag == f"{Q}{variable.get('typeOfVariable')}Value"
            values[variable.get("name")] = typed.text
        attributes = {
            "Customer": person.customer_name,
            "Company": person.company,
            "Role": person.role,
            "Segment": person.segment,
            "Outcome": "won",
            "Interview date": f"2026-10-{10 + interview_id:02d}",
            "Interviewer": "Sam Carter",
        }
        assert values == {k: v for k, v in attributes.items() if not (anonymise and k in NAMING)}
        [source] = [sources[ref.get("targetGUID")] for ref in case.iter(f"{Q}SourceRef")]
        assert source.tag == f"{Q}AudioSource" and source.get("name").startswith(case.get("name"))
    assert len(pack.interviews) == 2


def test_each_quote_selects_exactly_its_words_and_plays_at_its_time(two_calls, schema, tmp_path):
    library, ids = two_calls
    pack, project, _path = export(library, ids, schema, tmp_path, anonymise=True)
    for interview in pack.interviews:
        quotes = [quote for quote in pack.quotes if quote.interview_number == interview.number]
        found = selections(project, interview.number)
        assert len(found) == len(quotes) >= 3
        for selection in found:
            words = LABEL.sub(" ", selection.text)
            [quote] = [q for q in quotes if q.text == words]
            assert abs(selection.start_ms - quote.start_ms) <= 300
            assert abs(selection.end_ms - quote.end_ms) <= 300
            assert quote.note in selection.description
            if words == selection.text:
                assert CROSSES_TURNS not in selection.description
            else:  # the one quote running into the interviewer's question carries that label, and says so
                assert "Interviewer: " in selection.text and CROSSES_TURNS in selection.description
    crossing = [s for n in (1, 2) for s in selections(project, n) if CROSSES_TURNS in s.description]
    assert len(crossing) == 1


def test_sync_points_tie_every_word_of_the_transcript_to_the_recording(two_calls, schema, tmp_path):
    library, ids = two_calls
    pack, project, _path = export(library, ids, schema, tmp_path)
    transcript = project.sources()[1].find(f"{Q}Transcript")
    text = project.internal(transcript.get("plainTextPath")).decode("utf-8")
    points = {int(p.get("position")): int(p.get("timeStamp")) for p in transcript.iter(f"{Q}SyncPoint")}
    words = [word for line in pack.interviews[0].lines for part in line.parts for word in part.words]
    assert len(points) == 2 * len(words)
    spelled = [text[start:end] for start, end in zip(list(points)[::2], list(points)[1::2], strict=True)]
    assert spelled == [word.text for word in words]
    assert list(points.values())[::2] == [word.start_ms for word in words]
    # One line per turn, its label first: the demo call's 16 turns alternate speakers.
    assert [line.split(": ", 1)[0] for line in text.splitlines()] == [
        f"[{clock(turn['start_ms'])}] {turn['speaker'].capitalize()}" for turn in demo_turns()
    ]


def test_codes_are_grouped_by_guide_questions_and_themes_in_their_colours(two_calls, schema, tmp_path):
    library, ids = two_calls
    pack, project, _path = export(library, ids, schema, tmp_path)
    guide = next(g for g in builtin_guides() if g.slug == GUIDE_SLUG)
    categories = project.root.findall(f"{Q}CodeBook/{Q}Codes/{Q}Code")
    assert [(c.get("name"), c.get("isCodable")) for c in categories] == [
        (f"Questions: {guide.name}", "false"),
        ("Themes", "false"),
    ]
    questions, themes = (
        [(code.get("name"), code.get("color")) for code in category] for category in categories
    )
    assert [name for name, _colour in questions] == [f"Q{row.number} {row.label}" for row in pack.questions]
    colours = [colour for _name, colour in questions]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours) and len(set(colours)) == len(colours)
    shown = {readable_name(tag.name): tag.colour.upper() for tag in guide.tags}  # "Decision reason"
    assert themes == [(name, colour) for name, colour in shown.items() if any(r.label == name for r in pack.themes)]
    assert ("Decision reason", shown["Decision reason"]) in themes
    codes = project.codes()
    for number in (1, 2):
        for selection in selections(project, number):
            [quote] = [q for q in pack.quotes if q.text == LABEL.sub(" ", selection.text)]
            coded = {
                re.sub(r"^Q\d+ ", "", codes[ref.get("targetGUID")].get("name"))
                for ref in selection.element.iter(f"{Q}CodeRef")
            }
            assert coded == {*quote.tags, *filter(None, [quote.question_text])}


def test_a_group_kept_in_the_themes_view_is_a_code_inside_its_question(two_calls, schema, tmp_path):
    library, ids = two_calls
    quotes = [q for q in library.quotes.for_interviews(ids) if q.question_key]
    key = quotes[0].question_key
    members = tuple((q.id, q.interview_id, q.start_ms, "") for q in quotes if q.question_key == key)
    keep(library, GUIDE_SLUG, key, None, [ThemeGroup("Payroll has to connect", members)])
    pack, project, _path = export(library, ids, schema, tmp_path)  # still valid against the schema
    [group] = [row for row in pack.themes if row.kind == "group"]
    [question] = [row for row in pack.questions if row.id == group.parent]
    parent_of = {child: parent for parent in project.root.iter(f"{Q}Code") for child in parent}
    [code] = [code for code in project.codes().values() if code.get("name") == "Payroll has to connect"]
    parent = parent_of.get(code)  # None: at the top of the code book
    assert parent is not None and parent.get("name") == f"Q{question.number} {question.label}"


def test_an_anonymised_project_names_nobody_and_its_audio_is_silent_where_redacted(
    two_calls, schema, tmp_path
):
    library, ids = two_calls
    pack, project, path = export(library, ids, schema, tmp_path, anonymise=True)
    everything = text_of(path) + "\n".join(project.files)
    leaked = [s for s in secrets() if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", everything, re.IGNORECASE)]
    assert leaked == []
    interview = pack.interviews[0]
    source = project.sources()[1]
    assert source.findtext(f"{Q}Description") == interview.notes
    samples = decode_clip(project.internal(source.get("path")))
    assert abs(len(samples) / 16 - interview.duration_ms) < 100, "the whole recording, from its start"
    # Where the transcript shows a replacement, the audio between its sync points is silent.
    transcript = source.find(f"{Q}Transcript")
    text = project.internal(transcript.get("plainTextPath")).decode("utf-8")
    points = {int(p.get("position")): int(p.get("timeStamp")) for p in transcript.iter(f"{Q}SyncPoint")}
    silenced = []
    for match in re.finditer(r"\[(?:name|interviewer|company|redacted|email|phone)\]\S*", text):
        start_ms, end_ms = points[match.start()], points[match.end()]
        stretch = samples[start_ms * 16 : end_ms * 16]
        assert len(stretch) > 1000 and np.abs(stretch).max() < 0.01, f"{match.group()} can still be heard"
        silenced.append((start_ms, end_ms))
    assert len(silenced) >= 6, "the names, the email, the phone number, the company and the product code"
    spoken = np.ones(len(samples), dtype=bool)
    for start_ms, end_ms in interview.recording.muted:
        spoken[max(start_ms * 16 - 1600, 0) : end_ms * 16 + 1600] = False
    assert np.sqrt(np.mean(samples[spoken] ** 2)) > 0.01, "the conversation itself is still there"


def test_each_recording_is_a_step_of_the_export_that_can_be_cancelled(two_calls, tmp_path):
    import threading

    from app.export.pack.writer import ExportCancelled

    library, ids = two_calls
    pack = build_pack(library, PackRequest(tuple(ids)))
    steps = []
    export_pack(pack, tmp_path / "out", "Pack", ["qdpx"], lambda progress: steps.append(progress.step))
    assert steps[:2] == [f"Encoding the recording of {interview.heading}" for interview in pack.interviews]
    cancel = threading.Event()

    def cancel_after_the_first_recording(progress):
        if progress.done == 1:
            cancel.set()

    with pytest.raises(ExportCancelled):
        export_pack(pack, tmp_path / "cancelled", "Pack", ["qdpx"], cancel_after_the_first_recording, cancel)
    assert list((tmp_path / "cancelled").iterdir()) == []


def test_the_shipped_recording_is_the_call_in_step_with_its_times_encoded_a_block_at_a_time(tmp_path):
    # A five-minute call: the demo call's mixdown four times over, as a plain WAV file.
    [demo] = decode_for_whisper(resource_path("demo/interview.flac"), split_stereo=False)
    mixdown = np.tile(demo, 4)
    call = tmp_path / "call.wav"
    with wave.open(str(call), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
        writer.writeframes(mixdown.tobytes())
    tracemalloc.start()
    try:
        data = encode_recording(RecordingSource(call))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < mixdown.nbytes / 3, "an hour-long call must not be held in memory whole"
    decoded = decode_clip(data)
    assert abs(len(decoded) - len(mixdown)) < 1600
    # In step: the copy matches the recording sample for sample, to the end (10 ms off would not).
    n = min(len(decoded), len(mixdown))
    assert np.corrcoef(decoded[:n], to_float(mixdown[:n]))[0, 1] > 0.9
    assert np.corrcoef(decoded[n - 160_000 : n], to_float(mixdown[n - 160_000 : n]))[0, 1] > 0.9
    assert np.corrcoef(decoded[160:n], to_float(mixdown[: n - 160]))[0, 1] < 0.5


def test_without_audio_each_conversation_is_a_coded_text_source(two_calls, schema, tmp_path):
    library, ids = two_calls
    contents = replace(PackRequest((1,)).contents, clips=False)
    pack, project, _path = export(library, ids, schema, tmp_path, contents=contents)
    assert not [name for name in project.files if name.endswith(".m4a")]
    for number, source in project.sources().items():
        assert source.tag == f"{Q}TextSource"
        text = project.internal(source.get("plainTextPath")).decode("utf-8")
        picked = [
            LABEL.sub(" ", text[int(s.get("startPosition")) : int(s.get("endPosition"))])
            for s in source.iter(f"{Q}PlainTextSelection")
        ]
        assert sorted(picked) == sorted(q.text for q in pack.quotes if q.interview_number == number)


def test_a_turn_of_several_segments_is_one_line_and_a_quote_across_them_has_no_label():
    def line(start_ms: int, speaker: str, *words: str, quote: str | None = None) -> TranscriptLine:
        timed = tuple(SpokenWord(start_ms + i * 100, start_ms + i * 100 + 90, w) for i, w in enumerate(words))
        return TranscriptLine(
            start_ms, start_ms + 1000, speaker, "", (TranscriptPart(" ".join(words), quote, words=timed),)
        )

    interview = PackInterview(
        1,
        "interview-1",
        "Ops lead",
        (),
        10_000,
        None,
        (
            line(0, "Interviewer", "Why?"),
            line(1000, "Customer", "Because", "the", quote="q"),
            line(2000, "Customer", "shift", "broke.", quote="q"),
            line(3000, "Interviewer", "I", "see."),
        ),
    )
    layout = lay_out(interview)
    assert (
        layout.text
        == "[0:00] Interviewer: Why?\n[0:01] Customer: Because the shift broke.\n[0:03] Interviewer: I see.\n"
    )
    passage = layout.passages["q"]
    assert layout.text[passage.start : passage.end] == "Because the shift broke."
    assert (passage.start_ms, passage.end_ms, passage.crosses_turns) == (1000, 2190, False)
    assert layout.sync_points[passage.start] == 1000 and layout.sync_points[passage.end] == 2190
