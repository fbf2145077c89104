"""Every format of a pack, read back by the tool its reader would use."""

from __future__ import annotations

import csv
import re
import subprocess

import docx
import pytest

from app.domain.timecode import clock
from app.export.pack.docx import QUOTE_STYLE
from app.export.pack.formats import FORMATS
from app.export.pack.table import COLUMNS
from app.export.pack.writer import export_pack
from app.services.packs import PackRequest, build_pack
from tests.export.pack_files import text_of


@pytest.fixture
def exported(pack_library, tmp_path):
    library, ids = pack_library
    pack = build_pack(library, PackRequest(tuple(ids)))
    files = export_pack(pack, tmp_path / "out", "Pack", list(FORMATS))
    return pack, {path.relative_to(tmp_path / "out").as_posix(): path for path in files}


def test_every_format_is_written_under_the_stem(exported):
    pack, files = exported
    assert {"Pack.html", "Pack.pdf", "Pack.docx", "Pack quotes.csv", "Pack.md", "Pack.qdpx"} <= set(files)
    for kind in ("txt", "srt", "vtt"):
        per_interview = sorted(name for name in files if name.endswith(f".{kind}"))
        assert per_interview == [
            f"Pack transcripts/{i.number:02d} {i.heading}.{kind}" for i in pack.interviews
        ]
    assert not [p for p in files.values() if ".partial" in str(p)]


def test_the_csv_round_trips_one_row_per_quote(exported):
    pack, files = exported
    with files["Pack quotes.csv"].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["text"], r["question_key"], r["tags"]) for r in rows] == [
        (q.text, q.question_key or "", "; ".join(q.tags)) for q in pack.quotes
    ]
    first = pack.quotes[0]
    assert (rows[0]["start"], int(rows[0]["end_ms"]), rows[0]["attribution"]) == (
        clock(first.start_ms),
        first.end_ms,
        first.attribution,
    )


def test_the_docx_has_one_quote_paragraph_per_quote_and_the_counts_table(exported):
    pack, files = exported
    document = docx.Document(str(files["Pack.docx"]))
    quotes = [p.text for p in document.paragraphs if p.style.name == QUOTE_STYLE]
    assert quotes == [
        f"“{q.text}”" for row in (*pack.questions, *pack.themes) for q in row.quotes if q.home == row.id
    ]
    assert sorted(quotes) == sorted(f"“{q.text}”" for q in pack.quotes)
    [table] = document.tables
    counts = [(row.cells[0].text, row.cells[1].text) for row in table.rows[1:]]
    assert counts == [(f"{r.number}. {r.label}", r.headline) for r in pack.questions]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "The conversations in full" in headings


def test_the_pdf_renders_and_holds_the_counts_quotes_and_clip_times(exported, screenshots):
    pack, files = exported
    pdf = files["Pack.pdf"]
    text = " ".join(text_of(pdf).split())
    for row in pack.questions:
        assert f"{row.number}. " in text and row.headline in text
    for quote in pack.quotes:
        assert " ".join(quote.text.split()[:6]) in text
        assert f"clip {quote.times}" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "3", str(pdf), str(screenshots / "pack_pdf")],
        check=True,
    )
    page = screenshots / "pack_pdf-1.png"
    assert page.stat().st_size > 20_000, "the first page has content"


def test_the_markdown_renders_to_the_same_text_and_lists_every_quote(exported):
    from markdown_it import MarkdownIt

    pack, files = exported
    source = files["Pack.md"].read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").render(source)
    assert "<h1>" + pack.title + "</h1>" in rendered  # escapes undone by the renderer: the text as typed
    for quote in pack.quotes:
        assert quote.text in rendered
    assert source.count("\n> — ") == sum(len(row.quotes) for row in (*pack.questions, *pack.themes))


def test_subtitles_carry_the_pack_speakers(exported):
    pack, files = exported
    srt = files[f"Pack transcripts/01 {pack.interviews[0].heading}.srt"].read_text(encoding="utf-8")
    first = pack.interviews[0].lines[0]
    assert srt.startswith(f"1\n00:00:00,500 --> 00:00:05,503\n{first.speaker}: {first.text}\n")


def test_an_unknown_format_is_refused_before_anything_is_written(pack_library, tmp_path):
    library, ids = pack_library
    pack = build_pack(library, PackRequest(tuple(ids)))
    from app.export.pack.writer import ExportError

    with pytest.raises(ExportError, match="Choose formats among"):
        export_pack(pack, tmp_path / "out", "Pack", ["html", "pptx"])
    assert not (tmp_path / "out").exists()


def test_a_read_only_folder_is_explained_and_nothing_is_left(pack_library, tmp_path):
    from app.export.pack.writer import ExportError

    library, ids = pack_library
    pack = build_pack(library, PackRequest(tuple(ids)))
    folder = tmp_path / "locked"
    folder.mkdir()
    # chattr-free read-only for root too: a file where the folder should be
    blocked = folder / "file"
    blocked.write_text("x")
    with pytest.raises(ExportError, match=r"Could not write|read-only"):
        export_pack(pack, blocked / "out", "Pack", ["csv"])
    assert [p.name for p in folder.iterdir()] == ["file"]


def test_a_failure_half_way_leaves_no_file_behind(pack_library, tmp_path, monkeypatch):
    from app.export.pack import formats
    from app.export.pack.writer import ExportError

    library, ids = pack_library
    pack = build_pack(library, PackRequest(tuple(ids)))

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    broken = dict(formats.FORMATS)
    broken["md"] = formats.PackFormat("md", "Markdown", disk_full, formats.FORMATS["md"].names)
    monkeypatch.setattr("app.export.pack.writer.FORMATS", broken)
    with pytest.raises(ExportError, match=r"disk holding .* is full"):
        export_pack(pack, tmp_path / "out", "Pack", ["html", "csv", "md"])
    assert list((tmp_path / "out").iterdir()) == []


def test_a_cancelled_export_leaves_no_file_behind(pack_library, tmp_path):
    import threading

    from app.export.pack.writer import ExportCancelled

    library, ids = pack_library
    pack = build_pack(library, PackRequest(tuple(ids)))
    cancel = threading.Event()
    seen = []

    def on_progress(progress):
        seen.append(progress)
        if progress.done == 3:
            cancel.set()

    with pytest.raises(ExportCancelled):
        export_pack(pack, tmp_path / "out", "Pack", ["html", "csv"], on_progress, cancel)
    assert list((tmp_path / "out").iterdir()) == []
    assert [p.done for p in seen] == [0, 1, 2, 3]
    assert seen[0].total == len(pack.quotes) + 3


def test_no_pdf_page_before_the_conversations_is_left_nearly_blank(exported):
    _pack, files = exported
    pdf = str(files["Pack.pdf"])
    count = int(
        re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout)[
            1
        ]
    )
    pages = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True
        ).stdout
        for n in range(1, count + 1)
    ]
    appendix = next(n for n, text in enumerate(pages) if "The conversations in full" in text)
    fullest = max(len(text) for text in pages)
    # The page just before the appendix may end short: the conversations start on a page of their own.
    short = [n + 1 for n, text in enumerate(pages[: appendix - 1]) if len(text) < 0.4 * fullest]
    assert short == [], f"pages {short} are nearly blank"


def test_a_right_to_left_override_in_a_name_reverses_nothing_else_in_the_pdf_or_word(library, tmp_path):
    from dataclasses import replace

    from tests.export.conftest import PEOPLE, add_interview

    interview_id = add_interview(library, replace(PEOPLE[0], customer_name="Eve\u202e", quoted=(1,)))
    pack = build_pack(library, PackRequest((interview_id,)))
    pdf, word = export_pack(pack, tmp_path / "out", "Pack", ["pdf", "docx"])
    # pdftotext gives the words in the order they are laid out on the page.
    text = " ".join(text_of(pdf).replace("\u2068", "").replace("\u2069", "").split())
    assert f"{PEOPLE[0].role}, {PEOPLE[0].company}, interview 1, 0:05" in text
    by = [p.text for p in docx.Document(str(word)).paragraphs if "interview 1, 0:05" in p.text]
    assert by and all("\u2068Eve\u202e\u2069, " in line for line in by), "the name is isolated in Word too"
