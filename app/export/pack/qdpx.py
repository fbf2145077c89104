"""The pack as a REFI-QDA project (.qdpx) a researcher can open in QualCoder, MAXQDA, NVivo or ATLAS.ti.

A .qdpx is a zip of `project.qde` (XML in the `urn:QDA-XML:project:1.0` namespace, valid against the
official QDA-XML 1.0 schema) and the files it refers to as `internal://<guid>.<ext>`, stored under
`Sources/`. What a researcher gets:

- the code book: a category per guide ("Questions: Recent buyer – Roadmap") holding its questions, one
  ("Themes") holding its tags, each code in its colour, and each group kept in the Themes view as a code
  inside the question (or theme) whose quotes it groups;
- each conversation as a case, its attributes (role, segment, outcome, date…) as typed variables;
- each recording as an audio source (a mono AAC copy, muted wherever the pack redacted a word) whose
  transcript is the conversation's text, tied to the audio by sync points at every word, and each quote a
  coded selection between two sync points, so the tool plays exactly the quoted passage. A conversation
  without audio in the pack is a text source with coded text selections instead.

GUIDs are derived from the pack's content, so exporting the same pack twice gives the same project.
"""

from __future__ import annotations

import colorsys
import io
import uuid
import zipfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from app.domain.interview import Outcome
from app.export.pack.model import Pack, PackInterview, PackRow
from app.export.pack.plain import file_title, xml_safe
from app.export.pack.qdpx_transcript import Layout, Passage, lay_out

NAMESPACE = "urn:QDA-XML:project:1.0"
_GUIDS = uuid.UUID("6f1c0e4a-9a53-4c36-9d7e-2b3f8c1d5e70")
CROSSES_TURNS = "This quote runs across turns: the speaker labels between them are part of the selection."
OUTCOMES = "One of: " + ", ".join(outcome.value for outcome in Outcome)
# Pack detail label → (variable name, REFI type, description). Labels not listed are text.
_VARIABLES = {
    "Date": ("Interview date", "Date", "The day of the conversation."),
    "Outcome": ("Outcome", "Text", OUTCOMES),
}


def render_qdpx(pack: Pack, recordings: Mapping[int, bytes]) -> bytes:
    """The project's bytes; `recordings` are the encoded recordings (m4a) by interview number, encoded by
    the writer from `PackInterview.recording` (a conversation without one is a text source)."""
    ET.register_namespace("", NAMESPACE)
    project = _Project(pack, recordings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", ET.tostring(project.root, encoding="utf-8", xml_declaration=True))
        for name, data in project.files.items():
            archive.writestr(
                name, data, zipfile.ZIP_STORED if name.endswith(".m4a") else zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def question_colour(index: int) -> str:
    """A distinct colour for the index-th question (questions have none in a guide): hues a golden turn
    apart, as the app tints its questions, dark enough to read on white."""
    red, green, blue = colorsys.hls_to_rgb((0.58 + index * 0.381966) % 1.0, 0.38, 0.7)
    return "#" + "".join(f"{round(channel * 255):02X}" for channel in (red, green, blue))


class _Project:
    def __init__(self, pack: Pack, recordings: Mapping[int, bytes]) -> None:
        self._pack = pack
        self._recordings = recordings
        self._namespace = uuid.uuid5(_GUIDS, f"{pack.title}|{pack.created}")
        self._user = self.guid("user")
        self._stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        self.files: dict[str, bytes] = {}
        self.root = _element(
            "Project",
            name=xml_safe(pack.title),
            origin="Earful",
            creatingUserGUID=self._user,
            creationDateTime=self._stamp,
        )
        _child(_child(self.root, "Users"), "User", guid=self._user, name="Earful")
        self._codes = self._codebook(_child(_child(self.root, "CodeBook"), "Codes"))
        self._rows_of: dict[int, list[str]] = {}
        for row in (*pack.questions, *pack.themes):
            for quote in row.quotes:
                self._rows_of.setdefault(quote.id, []).append(row.id)
        variables = self._variables()
        cases = _child(self.root, "Cases")
        sources = _child(self.root, "Sources")
        for interview in pack.interviews:
            source = self._source(sources, interview)
            self._case(cases, interview, variables, source)

    def guid(self, name: str) -> str:
        return str(uuid.uuid5(self._namespace, name)).upper()

    def _stamped(self, **attributes: str) -> dict[str, str]:
        return {**attributes, "creatingUser": self._user, "creationDateTime": self._stamp}

    # Code book ---------------------------------------------------------------------------------------

    def _codebook(self, codes: ET.Element) -> dict[str, str]:
        """Questions under their guide's category, tags under "Themes", a group the user kept under the
        question or theme it groups, anything else at the top. Returns row id → code GUID."""
        code_of: dict[str, ET.Element] = {}
        if self._pack.questions:
            name = f"Questions: {self._pack.guide}" if self._pack.guide else "Questions"
            category = _child(
                codes, "Code", guid=self.guid("category-questions"), name=xml_safe(name), isCodable="false"
            )
            for index, row in enumerate(self._pack.questions):
                code_of[row.id] = self._code(category, row, row.colour or question_colour(index))
        themes = [row for row in self._pack.themes if row.kind == "theme"]
        if themes:
            category = _child(
                codes, "Code", guid=self.guid("category-themes"), name="Themes", isCodable="false"
            )
            for row in themes:
                code_of[row.id] = self._code(category, row, row.colour)
        for row in self._pack.themes:
            if row.kind != "theme":
                code_of[row.id] = self._code(code_of.get(row.parent, codes), row, row.colour)
        return {row_id: code.get("guid") for row_id, code in code_of.items()}

    def _code(self, parent: ET.Element, row: PackRow, colour: str | None) -> ET.Element:
        guid = self.guid(row.id)
        name = f"Q{row.number} {row.label}" if row.kind == "question" else row.label
        attributes = {"guid": guid, "name": xml_safe(name), "isCodable": "true"}
        if colour:
            attributes["color"] = colour.upper()
        code = _child(parent, "Code", **attributes)
        if row.definition:
            _child(code, "Description").text = xml_safe(row.definition)
        return code

    # Cases and their variables -----------------------------------------------------------------------

    def _variables(self) -> dict[str, str]:
        """One variable per attribute any conversation has, in the order first met. Label → GUID."""
        labels = dict.fromkeys(
            label for interview in self._pack.interviews for label, _value in interview.details
        )
        if not labels:
            return {}
        variables = _child(self.root, "Variables")
        guids = {}
        for label in labels:
            name, kind, description = _VARIABLES.get(label, (label, "Text", None))
            guids[label] = self.guid(f"variable-{label}")
            variable = _child(
                variables, "Variable", guid=guids[label], name=xml_safe(name), typeOfVariable=kind
            )
            if description:
                _child(variable, "Description").text = description
        return guids

    def _case(
        self, cases: ET.Element, interview: PackInterview, variables: dict[str, str], source: str
    ) -> None:
        case = _child(
            cases, "Case", guid=self.guid(f"case-{interview.number}"), name=xml_safe(file_title(interview))
        )
        for label, value in interview.details:
            holder = _child(case, "VariableValue")
            _child(holder, "VariableRef", targetGUID=variables[label])
            kind = _VARIABLES.get(label, (label, "Text", None))[1]
            _child(holder, f"{kind}Value").text = xml_safe(value)
        _child(case, "SourceRef", targetGUID=source)

    # Sources -----------------------------------------------------------------------------------------

    def _source(self, sources: ET.Element, interview: PackInterview) -> str:
        """The conversation as an audio source with its transcript, or as a text source when the pack has
        no audio of it. Returns the source's GUID."""
        layout = lay_out(interview)
        text_guid = self.guid(f"source-{interview.number}")
        self.files[f"Sources/{text_guid}.txt"] = layout.text.encode("utf-8")
        text = {"guid": text_guid, "plainTextPath": f"internal://{text_guid}.txt"}
        title = file_title(interview)
        if interview.number not in self._recordings:
            source = _child(sources, "TextSource", **self._stamped(**text, name=xml_safe(title)))
            self._notes(source, interview)
            self._selections(source, "PlainTextSelection", interview, layout, self._text_span)
            return text_guid
        audio_guid = self.guid(f"audio-{interview.number}")
        self.files[f"Sources/{audio_guid}.m4a"] = self._recordings[interview.number]
        audio = {"guid": audio_guid, "path": f"internal://{audio_guid}.m4a"}
        source = _child(sources, "AudioSource", **self._stamped(**audio, name=xml_safe(f"{title}.m4a")))
        self._notes(source, interview)
        transcript = _child(source, "Transcript", **self._stamped(**text, name=xml_safe(f"{title}.txt")))
        for position, time_ms in layout.sync_points.items():
            _child(
                transcript,
                "SyncPoint",
                guid=self._sync_guid(interview, position),
                timeStamp=str(time_ms),
                position=str(position),
            )
        self._selections(transcript, "TranscriptSelection", interview, layout, self._synced_span)
        return audio_guid

    def _selections(
        self,
        parent: ET.Element,
        tag: str,
        interview: PackInterview,
        layout: Layout,
        span: Callable[[PackInterview, Passage], dict[str, str]],
    ) -> None:
        """Each quote of the conversation as a selection (`span` gives the attributes saying where), with
        its note (and a warning when it runs across turns) and a coding per question or tag."""
        for quote in self._pack.quotes:
            passage = layout.passages.get(quote.anchor)
            if quote.interview_number != interview.number or passage is None:
                continue
            attributes = {"guid": self.guid(quote.anchor), "name": xml_safe(quote.text[:60])}
            selection = _child(parent, tag, **self._stamped(**attributes, **span(interview, passage)))
            warning = CROSSES_TURNS if passage.crosses_turns else None
            description = "\n\n".join(filter(None, (quote.note, warning)))
            if description:
                _child(selection, "Description").text = xml_safe(description)
            for row_id in self._rows_of.get(quote.id, ()):
                coding = _child(
                    selection, "Coding", **self._stamped(guid=self.guid(f"{quote.anchor}-{row_id}"))
                )
                _child(coding, "CodeRef", targetGUID=self._codes[row_id])

    @staticmethod
    def _text_span(_interview: PackInterview, passage: Passage) -> dict[str, str]:
        return {"startPosition": str(passage.start), "endPosition": str(passage.end)}

    def _synced_span(self, interview: PackInterview, passage: Passage) -> dict[str, str]:
        return {
            "fromSyncPoint": self._sync_guid(interview, passage.start),
            "toSyncPoint": self._sync_guid(interview, passage.end),
        }

    def _sync_guid(self, interview: PackInterview, position: int) -> str:
        return self.guid(f"sync-{interview.number}-{position}")

    def _notes(self, source: ET.Element, interview: PackInterview) -> None:
        if interview.notes:
            _child(source, "Description").text = xml_safe(interview.notes)


def _element(tag: str, **attributes: str) -> ET.Element:
    return ET.Element(f"{{{NAMESPACE}}}{tag}", attributes)


def _child(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
