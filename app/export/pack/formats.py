"""The formats a pack can be written in, each a function from the view-model to named files.

A renderer returns {relative file name: bytes}; the writer does all the file-system work, so no renderer
can leave a half-written file behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from app.export.pack.docx import render_docx
from app.export.pack.html import render_html
from app.export.pack.markdown import render_markdown
from app.export.pack.model import Pack
from app.export.pack.qdpx import render_qdpx
from app.export.pack.subtitles import render_transcripts
from app.export.pack.table import render_csv

Files = dict[str, bytes]


@dataclass(frozen=True, slots=True)
class PackAudio:
    """The encoded audio the writer hands the renderers that ask for it (m4a files' bytes)."""

    clips: Mapping[int, bytes] = field(default_factory=dict)
    """By quote id."""
    recordings: Mapping[int, bytes] = field(default_factory=dict)
    """Whole recordings by interview number."""


@dataclass(frozen=True, slots=True)
class PackFormat:
    key: str
    label: str
    render: Callable[[Pack, str, PackAudio], Files]
    """(pack, file stem, audio) → files."""
    needs_clips: bool = False
    needs_recordings: bool = False


def _one(extension: str, render: Callable[[Pack], str | bytes], encoding: str = "utf-8"):
    def files(pack: Pack, stem: str, _audio: PackAudio) -> Files:
        data = render(pack)
        return {f"{stem}{extension}": data.encode(encoding) if isinstance(data, str) else data}

    return files


def _html(pack: Pack, stem: str, audio: PackAudio) -> Files:
    return {f"{stem}.html": render_html(pack, audio.clips).encode("utf-8")}


def _qdpx(pack: Pack, stem: str, audio: PackAudio) -> Files:
    return {f"{stem}.qdpx": render_qdpx(pack, audio.recordings)}


def _pdf(pack: Pack) -> bytes:
    from app.export.pack.pdf import render_pdf  # Qt is loaded only when a PDF is asked for

    return render_pdf(pack)


def _transcripts(kind: str, pack: Pack, stem: str, _audio: PackAudio) -> Files:
    return render_transcripts(pack, stem, kind)


FORMATS: dict[str, PackFormat] = {
    f.key: f
    for f in (
        PackFormat("html", "Web page with audio clips (.html)", _html, needs_clips=True),
        PackFormat("pdf", "PDF for print and email (.pdf)", _one(".pdf", _pdf)),
        PackFormat("docx", "Word document (.docx)", _one(".docx", render_docx)),
        # A byte-order mark so Excel reads accents correctly; Python's csv and other tools skip it.
        PackFormat("csv", "Quotes as a spreadsheet (.csv)", _one(" quotes.csv", render_csv, "utf-8-sig")),
        PackFormat("md", "Markdown (.md)", _one(".md", render_markdown)),
        PackFormat(
            "qdpx",
            "REFI-QDA project for QualCoder, MAXQDA, NVivo, ATLAS.ti (.qdpx)",
            _qdpx,
            needs_recordings=True,
        ),
        PackFormat("txt", "Transcripts as text (.txt, one per conversation)", partial(_transcripts, "txt")),
        PackFormat("srt", "Transcripts as subtitles (.srt)", partial(_transcripts, "srt")),
        PackFormat("vtt", "Transcripts as WebVTT (.vtt)", partial(_transcripts, "vtt")),
    )
}
