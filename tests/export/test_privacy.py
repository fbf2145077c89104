"""An interview's Notes are the interviewer's own: no pack format shows them unless the user includes them,
and an anonymised pack never does, whatever was ticked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.cli import main
from app.export.pack.formats import FORMATS
from app.export.pack.model import PackContents
from app.export.pack.writer import export_pack
from app.services.packs import PackRequest, build_pack
from tests.export.conftest import PEOPLE, fill
from tests.export.pack_files import text_of

NOTES = "Chose us over Globex after the demo. Follow up on pricing with Dana."
SECRET = "Globex"
EVERY_KIND = {".html", ".pdf", ".docx", ".csv", ".md", ".qdpx", ".txt", ".srt", ".vtt"}


@pytest.fixture
def noted(library):
    return library, fill(library, (replace(PEOPLE[0], notes=NOTES), *PEOPLE[1:]))


def written(library, ids, folder: Path, **request) -> dict[Path, str]:
    pack = build_pack(library, PackRequest(tuple(ids), **request))
    files = export_pack(pack, folder, "pack", list(FORMATS))
    assert {path.suffix for path in files} == EVERY_KIND
    return {path: text_of(path) for path in files}


@pytest.mark.parametrize(
    "request_",
    [{}, {"anonymise": True, "contents": PackContents(notes=True)}],
    ids=["by default", "anonymised though included"],
)
def test_no_format_shows_the_notes(noted, tmp_path, request_):
    library, ids = noted
    leaked = [
        path.name
        for path, text in written(library, ids, tmp_path / "out", **request_).items()
        if SECRET in text
    ]
    assert leaked == []


def test_included_notes_are_in_every_format_that_shows_a_conversation(noted, tmp_path):
    library, ids = noted
    texts = written(library, ids, tmp_path / "out", contents=PackContents(notes=True))
    showing = {path.suffix for path, text in texts.items() if SECRET in text}
    assert showing >= {".html", ".pdf", ".docx", ".md"}, "the test would notice notes if they were there"


def test_the_cli_leaves_notes_out_unless_asked(noted, tmp_path, capsys):
    library, ids = noted
    base = ["--library", str(library.root), "export", *map(str, ids), "--format", "md"]
    assert main([*base, "--out", str(tmp_path / "plain"), "--name", "p"]) == 0
    assert SECRET not in (tmp_path / "plain" / "p.md").read_text(encoding="utf-8")
    assert main([*base, "--out", str(tmp_path / "noted"), "--name", "p", "--include-notes"]) == 0
    assert SECRET in (tmp_path / "noted" / "p.md").read_text(encoding="utf-8")
    capsys.readouterr()
    assert (
        main([*base, "--out", str(tmp_path / "anon"), "--name", "p", "--include-notes", "--anonymise"]) == 0
    )
    assert "never put in an anonymised pack" in capsys.readouterr().err
    assert SECRET not in (tmp_path / "anon" / "p.md").read_text(encoding="utf-8")
