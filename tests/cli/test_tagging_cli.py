"""Scripted tagging: attach a guide, add quotes by time, and read the board as text or CSV."""

from __future__ import annotations

import csv
import io

import pytest

from app.cli import EXIT_FAILED, EXIT_OK, main
from app.library import Library
from tests.services.test_tagging import make_interview


@pytest.fixture
def lib(tmp_path) -> str:
    root = tmp_path / "library"
    with Library.open(root) as library:
        make_interview(library, "Northwind – ops lead", persona_segment="Mid-market", outcome="won")
        make_interview(library, "Harbor – plant manager", persona_segment="Enterprise", outcome="lost")
    return str(root)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def earful(capsys, lib: str, command: str) -> tuple[int, str, str]:
    """Run `earful --library LIB COMMAND` as a shell would split COMMAND (no quoted spaces in it)."""
    return run(capsys, "--library", lib, *command.split())


def test_guide_use_quote_add_and_board(capsys, lib):
    for interview in ("1", "2"):
        assert run(capsys, "--library", lib, "guide", "use", interview, "recent-buyer-roadmap")[0] == EXIT_OK
    code, out, _ = earful(
        capsys, lib, "quote add 1 --from 0:12 --to 0:14 --question first_steps --tag Search"
    )
    assert code == EXIT_OK and "“I read the pricing page”" in out  # the customer's channel by default
    earful(capsys, lib, "quote add 2 --from 0:03 --to 0:05 --question trigger")
    code, out, _ = run(capsys, "--library", lib, "board", "--guide", "recent-buyer-roadmap")
    assert "Once you decided to look, what did you do first? — 1 of 2 interviews" in out
    assert "“I read the pricing page” (Northwind – ops lead, 0:12)" in out
    code, out, _ = run(
        capsys, "--library", lib, "board", "--guide", "recent-buyer-roadmap", "--outcome", "lost"
    )
    assert "— 0 of 1 interviews" in out and "What was happening when you first started" in out
    code, out, _ = run(capsys, "--library", lib, "quotes", "--question", "first_steps", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["interview"], r["question"], r["tags"], r["text"]) for r in rows] == [
        ("1", "first_steps", "Search", "I read the pricing page")
    ]


def test_a_quote_for_an_unknown_question_is_refused_with_the_known_ones(capsys, lib):
    run(capsys, "--library", lib, "guide", "use", "1", "recent-buyer-roadmap")
    code, _, err = earful(capsys, lib, "quote add 1 --from 0:12 --to 0:14 --question pricing")
    assert code == EXIT_FAILED and "no question 'pricing'" in err and "first_steps" in err


def test_guide_check_reports_the_line_of_a_mistake(capsys, lib, tmp_path):
    broken = tmp_path / "mine.yaml"
    code, _out, _ = run(capsys, "--library", lib, "guide", "export", "win-loss", str(broken))
    assert code == EXIT_OK
    lines = broken.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.strip().startswith("- key:"))
    lines[number - 1] = lines[number - 1].replace("- key:", "- kee:")
    broken.write_text("\n".join(lines))
    code, _, err = run(capsys, "--library", lib, "guide", "check", str(broken))
    assert code == EXIT_FAILED and f"mine.yaml, line {number}" in err


def test_guide_import_keeps_each_changed_edition_as_a_new_version(capsys, lib, tmp_path):
    mine = tmp_path / "mine.yaml"
    earful(capsys, lib, f"guide export win-loss {mine}")
    original = mine.read_text()
    mine.write_text(original.replace("slug: win-loss", "slug: our-win-loss"))
    code, out, _ = earful(capsys, lib, f"guide import {mine}")
    assert code == EXIT_OK and "Imported Win/loss interview" in out and "(our-win-loss) as version 1." in out
    assert (
        "Already in the library: Win/loss interview (our-win-loss) as version 1."
        in earful(capsys, lib, f"guide import {mine}")[1]
    )
    assert earful(capsys, lib, "guide use 1 our-win-loss")[0] == EXIT_OK
    mine.write_text(mine.read_text().replace("name: Win/loss", "name: Our win/loss"))
    code, out, _ = earful(capsys, lib, f"guide import {mine}")
    assert code == EXIT_OK and "Imported Our win/loss interview (our-win-loss) as version 2." in out
    with Library.open(lib) as library:
        assert [(g.slug, g.version) for g in library.guides.all()] == [
            ("our-win-loss", 1),
            ("our-win-loss", 2),
        ]
        assert library.guides.of_interview(1).name == "Win/loss interview"  # keeps the version it used


def test_guide_import_refuses_a_broken_file_naming_the_line(capsys, lib, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: Ours\nsections:\n  - title: Start\n    questions:\n      - key: trigger\n")
    code, _, err = earful(capsys, lib, f"guide import {broken}")
    assert code == EXIT_FAILED and 'broken.yaml, line 5: question "trigger" has no text' in err
    with Library.open(lib) as library:
        assert library.guides.all() == []
