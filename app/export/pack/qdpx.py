"""The pack as a REFI-QDA project (.qdpx) a researcher can open in QualCoder, MAXQDA, NVivo or ATLAS.ti.

A .qdpx is a zip of `project.qde` (XML in the `urn:QDA-XML:project:1.0` namespace) and the sources it
refers to as `internal://<guid>.txt`, stored under `Sources/`. Each conversation is a text source; the
guide's questions and themes are codes; each quote is a coded selection of the transcript, its positions
counted in characters of that text (as the standard defines them). GUIDs are derived from the pack's
content, so exporting the same pack twice gives the same project.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from app.domain.timecode import clock
from app.export.pack.model import Pack, PackInterview, PackRow
from app.export.pack.plain import xml_safe

NAMESPACE = "urn:QDA-XML:project:1.0"
_GUIDS = uuid.UUID("6f1c0e4a-9a53-4c36-9d7e-2b3f8c1d5e70")


def render_qdpx(pack: Pack) -> bytes:
    ET.register_namespace("", NAMESPACE)
    namespace = uuid.uuid5(_GUIDS, f"{pack.title}|{pack.created}")

    def _guid(name: str) -> str:
        return str(uuid.uuid5(namespace, name)).upper()

    user = _guid("user")
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    project = _element(
        "Project", name=xml_safe(pack.title), origin="Earful", creatingUserGUID=user, creationDateTime=stamp
    )
    users = _child(project, "Users")
    _child(users, "User", guid=user, name="Earful")
    codes = _child(_child(project, "CodeBook"), "Codes")
    code_of: dict[str, str] = {}
    for row in (*pack.questions, *pack.themes):
        code_of[row.id] = _code(codes, row, _guid(row.id))
    sources = _child(project, "Sources")
    files: dict[str, str] = {}
    for interview in pack.interviews:
        guid = _guid(f"source-{interview.number}")
        text, spans = _plain_text(interview)
        files[f"Sources/{guid}.txt"] = text
        source = _child(
            sources,
            "TextSource",
            guid=guid,
            name=xml_safe(f"{interview.number:02d} {interview.heading}"),
            plainTextPath=f"internal://{guid}.txt",
            creatingUser=user,
            creationDateTime=stamp,
        )
        if interview.notes:
            _child(source, "Description").text = xml_safe(interview.notes)
        for quote in (q for q in pack.quotes if q.interview_number == interview.number and q.anchor in spans):
            start, end = spans[quote.anchor]
            selection = _child(
                source,
                "PlainTextSelection",
                guid=_guid(quote.anchor),
                name=xml_safe(quote.text[:60]),
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=user,
                creationDateTime=stamp,
            )
            if quote.note:
                _child(selection, "Description").text = xml_safe(quote.note)
            for row_id in _rows_of(pack, quote.id):
                coding = _child(
                    selection,
                    "Coding",
                    guid=_guid(f"{quote.anchor}-{row_id}"),
                    creatingUser=user,
                    creationDateTime=stamp,
                )
                _child(coding, "CodeRef", targetGUID=code_of[row_id])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", ET.tostring(project, encoding="utf-8", xml_declaration=True))
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()


def _plain_text(interview: PackInterview) -> tuple[str, dict[str, tuple[int, int]]]:
    """The transcript as the source text, and each quote's [start, end) character positions in it."""
    text, spans = "", {}
    for line in interview.lines:
        text += f"[{clock(line.start_ms)}] {xml_safe(line.speaker)}: "
        for i, part in enumerate(line.parts):
            if i:
                text += " "
            start = len(text)
            text += xml_safe(part.text)
            if part.quote:
                first = spans.get(part.quote, (start, 0))[0]
                spans[part.quote] = (first, len(text))
        text += "\n"
    return text, spans


def _code(codes: ET.Element, row: PackRow, guid: str) -> str:
    name = f"Q{row.number} {row.label}" if row.kind == "question" else row.label
    attributes = {"guid": guid, "name": xml_safe(name), "isCodable": "true"}
    if row.colour:
        attributes["color"] = row.colour.upper()
    code = _child(codes, "Code", **attributes)
    if row.definition:
        _child(code, "Description").text = xml_safe(row.definition)
    return guid


def _rows_of(pack: Pack, quote_id: int) -> list[str]:
    return [row.id for row in (*pack.questions, *pack.themes) if any(q.id == quote_id for q in row.quotes)]


def _element(tag: str, **attributes: str) -> ET.Element:
    return ET.Element(f"{{{NAMESPACE}}}{tag}", attributes)


def _child(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
