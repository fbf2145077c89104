"""Plain-text helpers shared by the renderers that write XML (Word, REFI-QDA) or Markdown."""

from __future__ import annotations

import re

from app.export.pack.model import PackInterview

# Characters XML 1.0 cannot hold at all (python-docx and lxml refuse them): C0 controls but tab/newline/CR.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~])")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


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
