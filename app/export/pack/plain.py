"""Plain-text helpers shared by the renderers that write XML (Word, REFI-QDA) or Markdown."""

from __future__ import annotations

import re

from app.export.pack.model import PackInterview

# Characters XML 1.0 cannot hold at all (python-docx and lxml refuse them): C0 controls but tab/newline/CR.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Bidi controls (LRM/RLM/ALM, embeddings, overrides, isolates) and the right-to-left scripts' letters.
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~])")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def isolated(text: str) -> str:
    """User text that cannot reorder the words around it, for formats without HTML's <bdi> (PDF, Word,
    Markdown): text holding a right-to-left letter or a bidi control is wrapped in FIRST STRONG ISOLATE …
    POP DIRECTIONAL ISOLATE, which also ends any override it left open (an unterminated U+202E in a name
    otherwise reverses "interview 1, 10:01" after it). Plain left-to-right text is returned as it is."""
    return f"\u2068{text}\u2069" if _BIDI.search(text) else text


def markdown_escaped(text: str) -> str:
    """Text that a Markdown renderer shows exactly as written (no links, emphasis, HTML or headings)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def file_name(interview: PackInterview, stem: str, extension: str) -> str:
    """Where one conversation's transcript goes in the pack folder, e.g. `Pack transcripts/03 Ops lead.srt`."""
    return f"{stem} transcripts/{file_title(interview)}.{extension}"


def file_title(interview: PackInterview) -> str:
    """A conversation's number and heading as a file name any system accepts, e.g. `03 Ops lead`."""
    heading = "".join("-" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in interview.heading).strip(" .")
    return f"{interview.number:02d} {heading[:60].rstrip(' .')}"
