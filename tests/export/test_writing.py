"""Where a pack is written: never over an earlier export unless asked, never through a link out of the
chosen folder, and whatever the length of its title."""

from __future__ import annotations

import os
from dataclasses import replace

import docx
import pytest

from app.cli import main
from app.export.pack.formats import FORMATS
from app.export.pack.writer import ExportError, ExportExists, export_pack
from app.guides import builtin_guides
from app.services.packs import PackRequest, build_pack
from app.services.tagging import Tagger
from tests.export.conftest import GUIDE_SLUG


def export_cli(library, ids, out, *extra: str) -> int:
    return main(
        ["--library", str(library.root), "export", *map(str, ids), "--out", str(out), "--name", "Q4", *extra]
    )


def test_the_cli_refuses_to_replace_an_earlier_export_unless_told(pack_library, tmp_path, capsys):
    library, ids = pack_library
    out = tmp_path / "out"
    assert export_cli(library, ids, out, "--format", "md", "--format", "txt") == 0
    earlier = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    for path in earlier:
        path.write_bytes(b"edited since")
    capsys.readouterr()
    assert export_cli(library, ids[:1], out, "--format", "md", "--format", "txt") == 1
    err = capsys.readouterr().err
    assert "already holds Q4.md" in err and "--overwrite" in err and "Traceback" not in err
    assert all(path.read_bytes() == b"edited since" for path in earlier), "nothing was replaced"
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [], "no staging left"

    assert export_cli(library, ids, out, "--format", "md", "--format", "txt", "--overwrite") == 0
    assert all(path.read_bytes() == data for path, data in earlier.items())


def test_transcripts_are_never_written_through_a_link_out_of_the_folder(pack_library, tmp_path, capsys):
    library, ids = pack_library
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "Q4 transcripts").symlink_to(elsewhere, target_is_directory=True)
    assert export_cli(library, ids, out, "--format", "txt", "--format", "md") == 1
    err = capsys.readouterr().err
    assert "is a link to" in err and "Traceback" not in err
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == ["Q4 transcripts"], "nothing else written either"

    pack = build_pack(library, PackRequest(tuple(ids)))
    with pytest.raises(ExportError, match="is a link to"):
        export_pack(pack, out, "Q4", ["srt"], overwrite=True)
    assert list(elsewhere.iterdir()) == []


def test_a_file_that_is_a_link_is_replaced_not_written_through(pack_library, tmp_path):
    library, ids = pack_library
    out, outside = tmp_path / "out", tmp_path / "outside.md"
    out.mkdir()
    outside.write_text("keep me")
    (out / "Q4.md").symlink_to(outside)
    pack = build_pack(library, PackRequest(tuple(ids)))
    with pytest.raises(ExportExists):
        export_pack(pack, out, "Q4", ["md"])
    export_pack(pack, out, "Q4", ["md"], overwrite=True)
    assert outside.read_text() == "keep me"
    assert not os.path.islink(out / "Q4.md") and pack.title in (out / "Q4.md").read_text(encoding="utf-8")


def test_a_title_longer_than_word_allows_exports_in_every_format(pack_library, tmp_path):
    library, ids = pack_library
    title = "Why they bought " + "x" * 240  # 256 characters: python-docx refuses more than 255 in a property
    pack = build_pack(library, PackRequest(tuple(ids), title=title))
    files = export_pack(pack, tmp_path / "out", "pack", list(FORMATS))
    document = docx.Document(str(next(path for path in files if path.suffix == ".docx")))
    assert document.paragraphs[0].text == title, "the heading keeps the whole title"
    assert document.core_properties.title == title[:255], "only the property Word limits is cut"


def test_a_long_guide_name_as_the_default_title_exports_in_every_format(pack_library, tmp_path, capsys):
    library, ids = pack_library
    guide = next(g for g in builtin_guides() if g.slug == GUIDE_SLUG)
    long_named = replace(guide, name="Roadmap " * 40, version=guide.version + 1)
    for interview_id in ids:
        Tagger(library).use_guide(interview_id, long_named)
    assert (
        main(
            [
                "--library",
                str(library.root),
                "export",
                "--all",
                "--out",
                str(tmp_path / "out"),
                "--every-format",
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert "Traceback" not in err and len(out.splitlines()) >= len(FORMATS)
