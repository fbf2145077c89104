"""What a careless or hostile user types (#19): a message and the README's exit code, never a traceback,
and nothing in the library changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import EXIT_FAILED, EXIT_LIBRARY, EXIT_OK, EXIT_OUTPUT_CLOSED, EXIT_USAGE, main
from app.library import Library
from app.library.search import MAX_QUERY_WORDS
from tests.services.test_tagging import make_interview

TOO_BIG = str(2**63)  # one past SQLite's largest integer: OverflowError before the fix
ESC_TITLE = "T\x1b]0;OWNED\x07 call"


@pytest.fixture
def lib(tmp_path) -> str:
    root = tmp_path / "library"
    with Library.open(root) as library:
        make_interview(library, "Northwind – ops lead")
    return str(root)


def earful(capsys, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `earful ARGS` (argparse's own exits included)."""
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def snapshot(library_dir: str) -> list[str]:
    with Library.open(Path(library_dir), create=False) as library:
        return list(library.db.conn.iterdump())


@pytest.mark.parametrize(
    "command",
    [
        ["show", TOO_BIG],
        ["set", TOO_BIG, "company=Acme"],
        ["quote", "add", TOO_BIG, "--from", "0:01", "--to", "0:02"],
        ["quotes", "--interview", TOO_BIG],
        ["speakers", TOO_BIG],
        ["transcribe", TOO_BIG],
        ["guide", "use", TOO_BIG, "churn"],
        ["guide", "use", "abc", "churn"],
        ["search", "pricing", "--limit", TOO_BIG],
        ["search", "pricing", "--limit", "0"],
        ["export", TOO_BIG, "--out", "/nonexistent"],
        ["quote", "add", "1", "--from", "1e309", "--to", "0:02"],
        ["quote", "add", "1", "--from", "xx", "--to", "0:02"],
        ["guide", "show", "a", "b"],
        ["export", "--out", "/nonexistent"],
    ],
    ids=" ".join,
)
def test_a_wrong_command_line_exits_2_with_a_message(capsys, lib, command):
    before = snapshot(lib)
    code, out, err = earful(capsys, "--library", lib, *command)
    assert code == EXIT_USAGE, err
    assert err.strip() and not out
    assert "could not convert" not in err and "OverflowError" not in err
    assert snapshot(lib) == before


def test_a_refused_request_exits_1_and_a_library_that_cannot_be_opened_exits_3(capsys, lib, tmp_path):
    before = snapshot(lib)
    code, _, err = earful(capsys, "--library", lib, "quote", "add", "1", "--from", "0:42", "--to", "0:38")
    assert code == EXIT_FAILED and "must end after it starts" in err
    code, _, err = earful(capsys, "--library", lib, "show", "41")
    assert code == EXIT_FAILED and "no interview 41" in err
    assert snapshot(lib) == before
    code, _, err = earful(capsys, "--library", str(tmp_path / "Libary"), "list")
    assert code == EXIT_LIBRARY and "No Earful library" in err


@pytest.mark.parametrize("command", ["list", "info", "show 1", "search pricing", "guides"])
def test_a_mistyped_library_folder_is_reported_not_created(capsys, tmp_path, command):
    typo = tmp_path / "Libary"
    code, _, err = earful(capsys, "--library", str(typo), *command.split())
    assert code == EXIT_LIBRARY and str(typo) in err
    assert not typo.exists()


def test_a_search_too_long_to_be_a_search_is_refused_with_a_message(capsys, lib):
    code, _, err = earful(capsys, "--library", lib, "search", " ".join(["pricing"] * 65_000))
    assert code == EXIT_FAILED and "search for at most" in err
    code, _, err = earful(capsys, "--library", lib, "search", " ".join(["at"] * (MAX_QUERY_WORDS + 1)))
    assert code == EXIT_FAILED and f"at most {MAX_QUERY_WORDS}" in err
    code, _, err = earful(capsys, "--library", lib, "search", " ".join(["pricing"] * MAX_QUERY_WORDS))
    assert code in (EXIT_OK, EXIT_FAILED) and "at most" not in err


def test_control_characters_in_titles_are_escaped_in_every_listing(capsys, lib):
    with Library.open(Path(lib)) as library:
        library.interviews.update(1, title=ESC_TITLE)
        library.guides.add_edition("evil", ESC_TITLE, 1, lambda version: f"name: x\nversion: {version}\n")
    for command in ("list", "guides", "search pricing", "quotes"):
        code, out, _ = earful(capsys, "--library", lib, *command.split())
        assert code == EXIT_OK and "\x1b" not in out and "\x07" not in out, command
    _code, out, _ = earful(capsys, "--library", lib, "list")
    assert "T\\x1b]0;OWNED\\x07 call" in out


@pytest.mark.parametrize(
    ("document", "line", "problem"),
    [
        ('name: "T\\e]0;OWNED\\a"\nsections:\n  - title: S\n', 1, "control character (U+001B)"),
        (
            'name: X\nsections:\n  - title: S\n    questions:\n      - key: k\n        text: "a\\eb"\n',
            6,
            "U+001B",
        ),
        ("name: X\nsections: " + "[" * 500 + "]" * 500 + "\n", 2, "nested more than"),
        ("name: X\nversion: 99999999999999999999\nsections:\n  - title: S\n", 2, "version must be"),
    ],
    ids=["escape in the name", "escape in a question", "nested 500 deep", "version past 64 bits"],
)
def test_a_hostile_guide_is_refused_at_its_line_by_check_and_import(
    capsys, lib, tmp_path, document, line, problem
):
    file = tmp_path / "hostile.yaml"
    file.write_text(document, encoding="utf-8")
    before = snapshot(lib)
    for action in ("check", "import"):
        code, _, err = earful(capsys, "--library", lib, "guide", action, str(file))
        assert code == EXIT_FAILED and f"hostile.yaml, line {line}:" in err and problem in err, err
    assert snapshot(lib) == before


def test_a_guide_cannot_take_a_built_in_guides_slug(capsys, lib, tmp_path):
    file = tmp_path / "mine.yaml"
    file.write_text(
        "slug: churn\nname: Not the churn guide\nsections:\n  - title: S\n    questions:\n"
        "      - key: k\n        text: Why?\n",
        encoding="utf-8",
    )
    before = snapshot(lib)
    code, _, err = earful(capsys, "--library", lib, "guide", "import", str(file))
    assert code == EXIT_FAILED and 'the slug "churn" is the built-in guide' in err
    assert snapshot(lib) == before
    code, out, _ = earful(capsys, "--library", lib, "guide", "show", "churn")
    assert code == EXIT_OK and "Not the churn guide" not in out


def test_exporting_a_guide_onto_a_folder_says_so(capsys, lib, tmp_path):
    code, _, err = earful(capsys, "--library", lib, "guide", "export", "churn", str(tmp_path))
    assert code == EXIT_FAILED and "is a folder" in err
    code, _out, _ = earful(capsys, "--library", lib, "guide", "export", "churn", str(tmp_path / "churn.yaml"))
    assert code == EXIT_OK and (tmp_path / "churn.yaml").is_file()


def test_output_closed_early_ends_quietly(lib):
    """`earful guide show churn | head -3`: the reader is gone before Earful writes."""
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--library", lib, "guide", "show", "churn"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == EXIT_OUTPUT_CLOSED
    assert err == ""
