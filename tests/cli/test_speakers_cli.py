"""`earful speakers ID [--count N]` on a real transcribed call, with the messages and exit codes a script sees."""

from __future__ import annotations

import pytest

from app.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory, speech) -> str:
    root = str(tmp_path_factory.mktemp("cli") / "library")
    assert main(["--library", root, "import", str(speech / "ami_dev00.wav")]) == EXIT_OK
    assert main(["--library", root, "import", str(speech / "jfk.flac")]) == EXIT_OK
    assert main(["--library", root, "transcribe", "1"]) == EXIT_OK
    return root


def earful(capsys, lib: str, command: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--library", lib, *command.split()])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_speaker_count_is_set_and_the_transcript_relabelled(capsys, lib):
    code, _, err = earful(capsys, lib, "show 1")  # until the user says, the voices heard are counted
    assert code == EXIT_OK and "Interview 1: 2 voices heard (two are looked for" in err
    code, out, err = earful(capsys, lib, "speakers 1 --count 3")
    assert code == EXIT_OK and "Interview 1: 3 speakers, as you said." in err
    assert [line.split("\t")[1] for line in out.splitlines()].count("customer") == 2
    assert len(out.splitlines()) == 3
    code, out, _ = earful(capsys, lib, "speakers 1 --count 1")
    assert code == EXIT_OK and out.startswith("Speaker 1\t") and len(out.splitlines()) == 1
    code, out, _ = earful(capsys, lib, "speakers 1")  # the saved count (1) is used again
    assert code == EXIT_OK and len(out.splitlines()) == 1
    code, out, _ = earful(capsys, lib, "speakers 1 --count 2")
    assert code == EXIT_OK
    assert sorted(line.split("\t")[0] for line in out.splitlines()) == ["Customer", "Interviewer"]
    code, shown, _ = earful(capsys, lib, "show 1")
    assert "Interviewer:" in shown and "Customer:" in shown


@pytest.mark.parametrize("count", ["0", "two", "-1"])
def test_a_count_that_is_not_a_number_of_speakers_is_a_usage_error(capsys, lib, count):
    with pytest.raises(SystemExit) as raised:
        main(["--library", lib, "speakers", "1", "--count", count])
    assert raised.value.code == EXIT_USAGE
    assert f"{count!r} is not a number of speakers" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("speakers 42", "There is no interview 42"),
        ("speakers 2 --count 1", "Interview 2 is not transcribed yet"),
    ],
)
def test_what_cannot_be_labelled_is_refused_with_a_message(capsys, lib, command, message):
    code, _, err = earful(capsys, lib, command)
    assert code == EXIT_FAILED and message in err
