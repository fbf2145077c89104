"""A job killed, crashed or cancelled mid-way loses nothing committed and resumes without seams."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.domain.interview import JobState
from app.domain.transcript import MIXDOWN
from app.library import Library
from app.resources import resource_path
from app.services.importing import import_recording
from app.services.transcribing import Transcriber, transcriber_lock
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.wer import wer

DEMO = resource_path("demo/interview.flac")


def earful(library_dir: Path, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "--library", str(library_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory, models_dir: Path) -> dict[int, list]:
    """The demo interview transcribed in one go: the reference an interrupted run must match."""
    with Library.open(tmp_path_factory.mktemp("reference") / "library") as library:
        interview = import_recording(library, DEMO).interview
        with TranscriptionWorker() as worker:
            transcriber = Transcriber(library, worker, models_dir)
            job = transcriber.queue([interview.id], TranscriptionOptions()).queued[0]
            assert transcriber.run(job).state is JobState.DONE
        return _by_channel(library.transcripts.segments(interview.id))


def _by_channel(segments) -> dict[int, list]:
    channels: dict[int, list] = {}
    for segment in segments:
        channels.setdefault(segment.channel, []).append(segment)
    return channels


def _assert_seamless(segments: list) -> None:
    """In time order, no segment repeats or overlaps the one before it."""
    for before, after in itertools.pairwise(segments):
        assert after.start_ms >= before.end_ms, (before, after)
        assert (after.start_ms, after.text) != (before.start_ms, before.text)


def test_sigkill_mid_job_resumes_with_no_duplicate_gap_or_overlap(tmp_path: Path, uninterrupted):
    library_dir = tmp_path / "library"
    with Library.open(library_dir) as library:
        interview_id = import_recording(library, DEMO).interview.id

    # The whole process group dies at once, as on a power cut: the CLI and its worker process.
    process = earful(library_dir, "transcribe", start_new_session=True)
    first_line = process.stderr.readline()  # the CLI reports each segment after committing it
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert "[0:" in first_line, first_line

    with Library.open(library_dir) as library:
        job = library.jobs.latest_for(interview_id)
        assert job.state is JobState.RUNNING, "the kill should land mid-job"
        committed = library.transcripts.segments(interview_id)
        cursors = {p.channel: p.cursor_ms for p in library.jobs.passes(job.id)}
    assert committed, "at least the reported segment was committed"
    assert len(committed) < sum(len(v) for v in uninterrupted.values())

    resumed = earful(library_dir, "transcribe")
    _out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err

    with Library.open(library_dir) as library:
        assert library.jobs.latest_for(interview_id).state is JobState.DONE
        final = _by_channel(library.transcripts.segments(interview_id))
    committed_ids = {s.id for s in committed}
    for channel, reference in uninterrupted.items():
        segments = final[channel]
        _assert_seamless(segments)
        assert {s.id for s in segments} >= {s.id for s in committed if s.channel == channel}
        cursor = cursors[MIXDOWN if channel is None else channel]
        new = [s for s in segments if s.id not in committed_ids]
        assert all(s.start_ms >= cursor for s in new), (cursor, new[:1])
        expected = " ".join(s.text for s in reference if s.end_ms > cursor)
        if expected:
            assert wer(expected, " ".join(s.text for s in new)) <= 0.1
        else:  # the kill came after this channel was finished: nothing more may be added to it
            assert new == []


def test_cancel_keeps_committed_segments_and_a_rerun_completes(
    tmp_path: Path, models_dir: Path, uninterrupted
):
    library_dir = tmp_path / "library"
    with Library.open(library_dir) as library:
        interview_id = import_recording(library, DEMO).interview.id
    first_segment = threading.Event()
    outcome: list = []

    def transcribe_in_background(worker: TranscriptionWorker) -> None:
        # As in the GUI: the job runs on its own thread, with its own library connection.
        with Library.open(library_dir) as own:
            transcriber = Transcriber(own, worker, models_dir)
            job = transcriber.queue([interview_id], TranscriptionOptions()).queued[0]
            outcome.append(transcriber.run(job, lambda event: event.segment and first_segment.set()))

    with TranscriptionWorker() as worker:
        thread = threading.Thread(target=transcribe_in_background, args=(worker,))
        thread.start()
        assert first_segment.wait(timeout=300)
        worker.cancel()  # what the GUI's Cancel button and the CLI's Ctrl-C do
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert outcome and outcome[0].state is JobState.CANCELLED

        with Library.open(library_dir) as library:
            kept = library.transcripts.segments(interview_id)
            assert 0 < len(kept) < sum(len(v) for v in uninterrupted.values())
            # The same worker object starts a fresh process and finishes the job.
            transcriber = Transcriber(library, worker, models_dir)
            again = transcriber.queue([interview_id], TranscriptionOptions()).queued
            assert [j.id for j in again] == [outcome[0].id]
            assert transcriber.run(again[0]).state is JobState.DONE
            final = _by_channel(library.transcripts.segments(interview_id))
    assert {s.id for s in kept} <= {s.id for c in final.values() for s in c}
    for segments in final.values():
        _assert_seamless(segments)


def test_transcribing_again_starts_afresh_even_where_a_job_was_cancelled(library: Library, models_dir: Path):
    interview_id = import_recording(library, DEMO).interview.id
    with TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker, models_dir)
        cancelled = transcriber.queue([interview_id], TranscriptionOptions()).queued[0]
        library.jobs.set_state(cancelled.id, JobState.CANCELLED)
        assert [j.id for j in transcriber.queue([interview_id], TranscriptionOptions()).queued] == [
            cancelled.id
        ]
        fresh = transcriber.queue([interview_id], TranscriptionOptions(), redo=True).queued
    assert [j.id for j in fresh] != [cancelled.id]
    assert library.jobs.latest_for(interview_id).id == fresh[0].id


def test_ctrl_c_on_the_cli_cancels_and_says_how_to_resume(tmp_path: Path):
    library_dir = tmp_path / "library"
    with Library.open(library_dir) as library:
        interview_id = import_recording(library, DEMO).interview.id
    process = earful(library_dir, "transcribe", start_new_session=True)
    process.stderr.readline()
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C goes to the terminal's whole process group
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert f"earful transcribe {interview_id}" in err
    assert "Traceback" not in err and "leaked" not in err, err  # nothing but what the user can act on
    with Library.open(library_dir) as library:
        assert library.jobs.latest_for(interview_id).state is JobState.CANCELLED
        assert library.transcripts.segments(interview_id)


def test_a_second_transcriber_on_the_same_library_is_refused(library: Library):
    from app.library import LibraryError

    with (
        transcriber_lock(library),
        pytest.raises(LibraryError, match="Another Earful"),
        transcriber_lock(library),
    ):
        pass


def test_two_channel_call_reads_as_the_conversation_went(uninterrupted):
    """Each reference turn of the demo call comes out as its own segment, on the right channel, in order."""
    turns = json.loads(resource_path("demo/interview.ref.json").read_text())
    segments = sorted((s for channel in uninterrupted.values() for s in channel), key=lambda s: s.start_ms)
    channel_of = {"interviewer": 0, "customer": 1}
    assert [s.channel for s in segments] == [channel_of[turn["speaker"]] for turn in turns]
    for segment, turn in zip(segments, turns, strict=True):
        assert abs(segment.start_ms - turn["start_ms"]) <= 1000, (segment, turn)
        assert wer(turn["text"], segment.text) <= 0.5, (segment.text, turn["text"])
