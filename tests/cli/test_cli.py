"""The CLI as scripts use it: output, messages and exit codes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.cli import EXIT_FAILED, EXIT_LIBRARY, EXIT_MODEL, EXIT_OK, EXIT_USAGE, main, parse


@pytest.fixture
def lib(tmp_path: Path) -> str:
    return str(tmp_path / "library")


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("position", ["before", "after"])
def test_library_option_is_honoured_before_or_after_the_command(capsys, lib, speech, position):
    args = ["import", str(speech / "digits_10001-90210-01803.wav")]
    args = ["--library", lib, *args] if position == "before" else [*args, "--library", lib]
    assert run(capsys, *args)[0] == EXIT_OK
    code, out, _ = run(capsys, "list", "--library", lib)
    assert code == EXIT_OK and "digits_10001-90210-01803" in out


def test_library_comes_from_the_environment_when_not_given(capsys, tmp_path, monkeypatch, speech):
    monkeypatch.setenv("EARFUL_LIBRARY", str(tmp_path / "from-env"))
    assert run(capsys, "import", str(speech / "jfk.flac"))[0] == EXIT_OK
    assert (tmp_path / "from-env" / "library.db").is_file()


def test_import_reports_each_refused_file_and_still_imports_the_good_ones(capsys, lib, speech, tmp_path):
    notes = tmp_path / "notes.mp3"
    notes.write_text("meeting notes, not audio")
    code, out, err = run(capsys, "--library", lib, "import", str(notes), str(speech / "jfk.flac"))
    assert code == EXIT_FAILED
    assert "Imported: 1\tjfk" in out
    assert "Not imported: notes.mp3: is not an audio or video file" in err


def test_duplicate_import_is_reported_and_adds_nothing(capsys, lib, speech):
    run(capsys, "--library", lib, "import", str(speech / "jfk.flac"))
    code, out, _ = run(capsys, "--library", lib, "import", str(speech / "jfk.flac"), "--title", "Again")
    assert code == EXIT_OK and out.startswith("Already imported: 1\tjfk")
    assert run(capsys, "--library", lib, "list")[1].count("\n") == 1


def test_set_updates_metadata_and_rejects_unknown_fields(capsys, lib, speech):
    run(capsys, "--library", lib, "import", str(speech / "jfk.flac"), "--title", "Acme – ops lead")
    code, _, _ = run(
        capsys, "--library", lib, "set", "1", "company=Acme", "outcome=Won", "segment=Mid-market"
    )
    assert code == EXIT_OK
    assert "Acme · Mid-market · won" in run(capsys, "--library", lib, "list")[1]
    code, _, err = run(capsys, "--library", lib, "set", "1", "colour=blue")
    assert code == EXIT_USAGE and "colour=blue" in err
    code, _, err = run(capsys, "--library", lib, "set", "1", "outcome=maybe")
    assert code == EXIT_FAILED and "not one of" in err


def test_english_only_model_with_another_language_is_refused_with_advice(capsys, lib, speech):
    run(capsys, "--library", lib, "import", str(speech / "jfk.flac"))
    code, _, err = run(capsys, "--library", lib, "transcribe", "--language", "de")
    assert code == EXIT_MODEL
    assert "only understands English" in err and "earful[base]" in err


def test_unknown_model_is_refused_without_downloading(capsys, lib, speech):
    run(capsys, "--library", lib, "import", str(speech / "jfk.flac"))
    code, _, err = run(capsys, "--library", lib, "transcribe", "--model", "large-v3")
    assert code == EXIT_MODEL and "earful models --download large-v3" in err
    advised = err.split("earful ", 1)[1].split()  # the command the advice gives must be one Earful takes
    args = parse(advised)
    assert args.command == "models" and args.download == "large-v3"


def test_settings_are_stored_per_library_and_validated(capsys, lib):
    code, out, _ = run(capsys, "--library", lib, "settings", "vocabulary=Tallyline, Northwind", "beam_size=3")
    assert code == EXIT_OK and "vocabulary=Tallyline, Northwind" in out and "beam_size=3" in out
    assert "beam_size=3" in run(capsys, "--library", lib, "settings")[1]
    code, _, err = run(capsys, "--library", lib, "settings", "beam_size=50")
    assert code == EXIT_FAILED and "beam_size" in err
    assert "beam_size=3" in run(capsys, "--library", lib, "settings")[1]
    code, out, _ = run(capsys, "--library", lib, "settings", "lanes=2")
    assert code == EXIT_OK and "lanes=2" in out
    code, _, err = run(capsys, "--library", lib, "settings", "lanes=9")
    assert code == EXIT_FAILED and "lanes must be a whole number from 1 to 4" in err


def test_library_from_a_newer_earful_exits_3_and_says_so(capsys, lib):
    assert run(capsys, "--library", lib, "settings", "beam_size=3")[0] == EXIT_OK
    with sqlite3.connect(Path(lib) / "library.db") as conn:
        conn.execute("INSERT INTO migrations (id, name, applied_at) VALUES (999, 'future', 'later')")
    code, _, err = run(capsys, "--library", lib, "list")
    assert code == EXIT_LIBRARY and "newer version of Earful" in err


def test_show_formats_and_search_after_transcription(capsys, lib, speech, tmp_path):
    clip = tmp_path / "Acme call – ünïcødé.wav"
    shutil.copy(speech / "digits_10001-90210-01803.wav", clip)
    run(capsys, "--library", lib, "import", str(clip))
    code, out, _ = run(capsys, "--library", lib, "transcribe", "1")
    assert code == EXIT_OK and "Transcribed: 1" in out
    code, out, _ = run(capsys, "--library", lib, "show", "1", "--format", "srt")
    # One voice: a second was looked for and none sounded apart, so every word keeps the one speaker.
    assert code == EXIT_OK and out.startswith("1\n00:00:0") and "Speaker 1:" in out
    code, out, _ = run(capsys, "--library", lib, "show", "1", "--format", "vtt")
    assert out.startswith("WEBVTT") and "<v Speaker 1>" in out
    code, out, _ = run(capsys, "--library", lib, "search", "9")
    assert code == EXIT_OK and out.startswith("1\t0:0") and "[9]" in out
    assert run(capsys, "--library", lib, "search", "pricing")[0] == EXIT_FAILED
    code, out, err = run(capsys, "--library", lib, "transcribe", "1")
    assert "already transcribed" in err and "Nothing to transcribe" in out


def test_missing_interview_is_a_clear_error(capsys, lib, speech):
    run(capsys, "--library", lib, "import", str(speech / "jfk.flac"))
    code, _, err = run(capsys, "--library", lib, "show", "7")
    assert code == EXIT_FAILED and "no interview 7" in err


def test_a_relative_library_path_works_for_every_later_command(capsys, tmp_path, monkeypatch, speech):
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "--library", "interviews", "import", str(speech / "jfk.flac"))[0] == EXIT_OK
    code, out, _ = run(capsys, "--library", "interviews", "list")
    assert code == EXIT_OK and "jfk" in out


def test_demo_transcribes_and_prints_the_demo_interview(capsys, tmp_path):
    """What `bash packaging/dev.sh run` shows on a machine without a display: the demo, transcribed."""
    import json

    from app.resources import resource_path
    from tests.wer import wer

    assert main(["demo", "--library", str(tmp_path / "demo")]) == EXIT_OK
    printed = capsys.readouterr().out
    reference = json.loads(resource_path("demo/interview.ref.json").read_text(encoding="utf-8"))
    said = " ".join(turn["text"] for turn in reference)
    heard = " ".join(line.partition(": ")[2] for line in printed.splitlines() if line.startswith("["))
    assert wer(said, heard) < 0.25, printed
