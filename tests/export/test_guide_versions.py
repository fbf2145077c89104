"""After a question is reworded (a new version of the guide), each interview still shows the wording it was
asked: on the board, in the CLI's board, and in every format of the pack."""

from __future__ import annotations

import csv
import re
from dataclasses import replace

import docx
import pytest

from app.cli import main
from app.export.pack.formats import FORMATS
from app.export.pack.writer import export_pack
from app.guides import builtin_guides
from app.guides.model import Question
from app.services.board import build_board
from app.services.packs import PackRequest, build_pack
from app.services.tagging import Tagger
from tests.export.conftest import GUIDE_SLUG, fill
from tests.export.pack_files import text_of

REWORDED = "What made you look for something new, just then?"


@pytest.fixture
def versions(library):
    """Three interviews asked version 1; the third is moved to version 2, where `trigger` is reworded."""
    ids = fill(library)
    first = next(guide for guide in builtin_guides() if guide.slug == GUIDE_SLUG)
    old = first.question("trigger").text
    sections = tuple(
        replace(
            section,
            questions=tuple(
                Question(q.key, REWORDED, q.probes) if q.key == "trigger" else q for q in section.questions
            ),
        )
        for section in first.sections
    )
    Tagger(library).use_guide(ids[2], replace(first, version=first.version + 1, sections=sections))
    return library, ids, old


def test_the_board_labels_a_row_with_the_latest_wording_and_each_interview_keeps_its_own(versions):
    library, ids, old = versions
    board = build_board(library, GUIDE_SLUG)
    [row] = [row for row in board.questions if row.key == "trigger"]
    assert row.label == REWORDED
    assert [board.asked(row, i) for i in ids] == [old, old, None]
    assert set(row.cells) == set(ids), "quotes stay under their question whatever its wording"


def test_the_cli_board_says_what_older_interviews_were_asked(versions, capsys):
    library, ids, old = versions
    assert main(["--library", str(library.root), "board", "--guide", GUIDE_SLUG]) == 0
    out = capsys.readouterr().out
    titles = [library.interviews.get(i).title for i in ids]
    assert f"{titles[0]} was asked: {old}" in out and f"{titles[2]} was asked" not in out


def test_every_format_shows_per_interview_the_wording_it_was_asked(versions, tmp_path):
    library, ids, old = versions
    pack = build_pack(library, PackRequest(tuple(ids)))
    trigger = [quote for quote in pack.quotes if quote.question_key == "trigger"]
    assert [(q.interview_number, q.question_text, q.reworded) for q in trigger] == [
        (1, old, True),
        (2, old, True),
        (3, REWORDED, False),
    ]
    files = {path.suffix: path for path in export_pack(pack, tmp_path / "out", "pack", list(FORMATS))}
    with files[".csv"].open(encoding="utf-8-sig", newline="") as handle:
        asked = [row["question"] for row in csv.DictReader(handle) if row["question_key"] == "trigger"]
    assert asked == [old, old, REWORDED]
    for suffix in (".html", ".pdf", ".md"):
        text = re.sub(r"<[^>]+>|\\", "", text_of(files[suffix]))  # tags of the HTML, escapes of the Markdown
        text = " ".join(text.split())
        assert text.count(f"Asked as: {old}") == 2, suffix
        assert f"Asked as: {REWORDED}" not in text, suffix
    paragraphs = [p.text for p in docx.Document(str(files[".docx"])).paragraphs]
    assert paragraphs.count(f"Asked as: {old}") == 2


def test_the_board_view_shows_the_wording_in_the_older_interviews_cells(versions, qtbot):
    from PySide6.QtCore import Qt

    from app.ui.board_view import BoardModel

    library, _ids, old = versions
    model = BoardModel()
    model.show(build_board(library, GUIDE_SLUG), themes=False)
    row = next(n for n, r in enumerate(model.rows()) if r.key == "trigger")
    cells = [model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole) for column in range(3)]
    assert [cell.startswith(f"Asked as: {old}") for cell in cells] == [True, True, False]
    assert model.headerData(row, Qt.Orientation.Vertical).endswith(REWORDED)
