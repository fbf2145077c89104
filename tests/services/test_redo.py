"""Transcribing again replaces a transcript only with a complete one, and keeps the names the user gave.

Real model, real speech, the real CLI in its own process group (as a terminal runs it), real signals.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.domain.interview import JobState
from app.library import Library
from app.services.importing import import_recording
from app.services.transcribing import Transcriber
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker

BATCH = ("jfk.flac", "librispeech_2412-153948-0000.flac", "digits_10001-90210-01803.wav")


def earful(library_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--library", str(library_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def transcripts(library_dir: Path) -> dict[int, list[str]]:
    with Library.open(library_dir) as library:
        return {
            summary.interview.id: [s.text for s in library.transcripts.segments(summary.interview.id)]
            for summary in library.interviews.summaries()
        }


@pytest.fixture(scope="module")
def transcribed(tmp_path_factory: pytest.TempPathFactory, speech: Path) -> Path:
    """A library of three short interviews, each transcribed once by `earful transcribe`."""
    library_dir = tmp_path_factory.mktemp("batch") / "library"
    for name in BATCH:
        assert earful(library_dir, "import", str(speech / name)).wait(timeout=120) == 0
    process = earful(library_dir, "transcribe")
    _out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return library_dir


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_stopping_a_redo_of_three_interviews_keeps_a_transcript_for_each(transcribed, tmp_path, stop):
    library_dir = tmp_path / "library"
    shutil.copytree(transcribed, library_dir)
    before = transcripts(library_dir)
    assert len(before) == 3 and all(before.values())
    word = before[1][0].split()[-1]
    with Library.open(library_dir) as library:
        found_before = [hit.segment_id for hit in library.search(word)]

    process = earful(library_dir, "transcribe", "--redo", *map(str, before))
    for line in process.stderr:  # one line per committed segment when stderr is not a terminal
        if "%" in line and "[" in line:
            break
    os.killpg(process.pid, stop)  # Ctrl-C reaches the terminal's whole process group
    process.communicate(timeout=120)
    assert process.returncode == (130 if stop is signal.SIGINT else -signal.SIGKILL)

    after = transcripts(library_dir)
    with Library.open(library_dir) as library:
        for interview_id, old in before.items():
            job = library.jobs.latest_for(interview_id)
            # The old transcript, untouched, unless the new one was complete before the stop.
            assert after[interview_id] == old or job.state is JobState.DONE, interview_id
            assert after[interview_id], interview_id
        # Search finds the transcript that is shown, not the half-done new one beside it.
        if library.jobs.latest_for(1).state is not JobState.DONE:
            assert [hit.segment_id for hit in library.search(word)] == found_before

    for interview_id in before:
        shown = earful(library_dir, "show", str(interview_id))
        out, err = shown.communicate(timeout=60)
        assert shown.returncode == 0 and out.strip() and "no transcript" not in err

    # Running again finishes the redo: every interview ends with one complete transcript.
    resumed = earful(library_dir, "transcribe")
    _out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    with Library.open(library_dir) as library:
        for interview_id in before:
            assert library.jobs.latest_for(interview_id).state is JobState.DONE
            assert library.transcripts.segments(interview_id)


def test_transcribing_again_keeps_the_speaker_names_the_user_gave(library: Library, speech: Path):
    interview_id = import_recording(library, speech / "ami_dev00.wav").interview.id
    with TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker)
        first = transcriber.queue([interview_id], TranscriptionOptions()).queued[0]
        assert transcriber.run(first).state is JobState.DONE
        speakers = library.transcripts.speakers(interview_id)
        assert len(speakers) == 2
        named = [replace(s, display_name=name) for s, name in zip(speakers, ("Alice", "Bob"), strict=True)]
        library.transcripts.write_speakers(named)

        [again] = transcriber.queue([interview_id], TranscriptionOptions(), redo=True).queued
        assert transcriber.run(again).state is JobState.DONE

    by_id = {s.id: s for s in library.transcripts.speakers(interview_id)}
    speaking = {by_id[s.speaker_id].display_name for s in library.transcripts.segments(interview_id)}
    assert speaking == {"Alice", "Bob"}
