"""The formats a pack can be written in, each a function from the view-model to named files.

A renderer returns {relative file name: bytes}; the writer does all the file-system work, so no renderer
can leave a half-written file behind. Each format also says which names it will write before rendering
anything, so the writer can refuse to replace files nobody agreed to replace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from app.export.pack.markdown import render_markdown
from app.export.pack.model import Pack
from app.export.pack.plain import file_name
from app.export.pack.qdpx import render_qdpx
from app.export.pack.subtitles import render_transcripts
from app.export.pack.table import render_csv

Files = dict[str, bytes | Iterable[bytes]]
"""Relative file name → its bytes, or its bytes in pieces (a large web page is written as it is rendered)."""


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
    names: Callable[[Pack, str], list[str]]
    """(pack, file stem) → the names `render` will return, known without rendering."""
    needs_clips: bool = False
    needs_recordings: bool = False
    needs_qt: bool = False
    """Rendered by Qt's text engine: the caller must have a Qt application running (the export layer never
    starts one; `app.cli.offscreen_qt` does for a headless process)."""


def _single(
    key: str,
    label: str,
    extension: str,
    render: Callable[[Pack], str | bytes],
    encoding: str = "utf-8",
    needs_qt: bool = False,
) -> PackFormat:
    """A format written as one file, `<stem><extension>`."""

    def files(pack: Pack, stem: str, _audio: PackAudio) -> Files:
        data = render(pack)
        return {f"{stem}{extension}": data.encode(encoding) if isinstance(data, str) else data}

    return PackFormat(key, label, files, lambda _pack, stem: [f"{stem}{extension}"], needs_qt=needs_qt)


def _html(pack: Pack, stem: str, audio: PackAudio) -> Files:
    from app.export.pack.html import render_html  # Jinja and PyAV: loaded when a page is written

    return {f"{stem}.html": (piece.encode("utf-8") for piece in render_html(pack, audio.clips))}


def _qdpx(pack: Pack, stem: str, audio: PackAudio) -> Files:
    return {f"{stem}.qdpx": render_qdpx(pack, audio.recordings)}


def _docx(pack: Pack) -> bytes:
    from app.export.pack.docx import render_docx  # python-docx and lxml: loaded when a document is written

    return render_docx(pack)


def _pdf(pack: Pack) -> bytes:
    from app.export.pack.pdf import render_pdf  # Qt is loaded only when a PDF is asked for

    return render_pdf(pack)


def _transcripts(kind: str, label: str) -> PackFormat:
    """One file per conversation with a transcript, in `<stem> transcripts/`."""
    return PackFormat(
        kind,
        label,
        lambda pack, stem, _audio: render_transcripts(pack, stem, kind),
        lambda pack, stem: [file_name(i, stem, kind) for i in pack.interviews if i.lines],
    )


FORMATS: dict[str, PackFormat] = {
    f.key: f
    for f in (
        PackFormat(
            "html",
            "Web page with audio clips (.html)",
            _html,
            lambda _pack, stem: [f"{stem}.html"],
            needs_clips=True,
        ),
        _single("pdf", "PDF for print and email (.pdf)", ".pdf", _pdf, needs_qt=True),
        _single("docx", "Word document (.docx)", ".docx", _docx),
        # A byte-order mark so Excel reads accents correctly; Python's csv and other tools skip it.
        _single("csv", "Quotes as a spreadsheet (.csv)", " quotes.csv", render_csv, "utf-8-sig"),
        _single("md", "Markdown (.md)", ".md", render_markdown),
        PackFormat(
            "qdpx",
            "REFI-QDA project for QualCoder, MAXQDA, NVivo, ATLAS.ti (.qdpx)",
            _qdpx,
            lambda _pack, stem: [f"{stem}.qdpx"],
            needs_recordings=True,
        ),
        _transcripts("txt", "Transcripts as text (.txt, one per conversation)"),
        _transcripts("srt", "Transcripts as subtitles (.srt)"),
        _transcripts("vtt", "Transcripts as WebVTT (.vtt)"),
    )
}
