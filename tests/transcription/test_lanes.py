"""A long recording decoded in lanes (chunks cut at pauses, two at once): whole, in order, the same text every
time, and a kill or a cancel mid-way still resumes without a gap or a repeat.

The recording is built from distinct real utterances (`tests/longform.py`), a little longer than one
window, the shortest audio that goes in lanes.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
from pathlib import Path

import pytest

from app.domain.interview import JobState
from app.domain.transcript import MIXDOWN
from app.library import Library
from app.media.decode import decode_for_whisper
from app.services.importing import import_recording
from app.services.transcribing import OPTIONS_SETTING, Transcriber
from app.transcription.coverage import speech_spans
from app.transcription.engine import WINDOW_MS, lane_chunks, lanes_for, load_model, transcribe_in_lanes
from app.transcription.models import resolve_model
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.longform import build_recording
from tests.transcription.test_interruptions import earful
from tests.wer import wer

LANES = TranscriptionOptions(lanes=2)
# Each test decodes about six minutes of speech (some twice) on two cores shared with other work.
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def long_call(tmp_path_factory: pytest.TempPathFactory):
    return build_recording(WINDOW_MS / 60_000 + 0.5, tmp_path_factory.mktemp("lanes") / "call.wav")


def _assert_in_order(segments) -> None:
    for before, after in itertools.pairwise(segments):
        assert after.start_ms >= before.end_ms, (before, after)


def test_chunks_are_cut_only_in_pauses_and_short_audio_stays_one_call():
    minute = 60_000
    spans = [(0, 3 * minute), (3 * minute + 100, 6 * minute), (6 * minute + 900, 7 * minute)]
    spans += [(7 * minute + 900, 12 * minute), (12 * minute + 900, 13 * minute)]
    # 100 ms after 3 min is no pause; the first pause at least a chunk (5 min) in is at 6 min; the next
    # one would leave a piece shorter than half a chunk, which joins the one before.
    assert lane_chunks(spans, 0, 13 * minute + 500, 2) == [
        (0, 6 * minute + 450),
        (6 * minute + 450, 13 * minute + 500),
    ]
    # Six minutes for two lanes: at least three minutes each, so both lanes have work.
    halves = [(0, 3 * minute + 200), (3 * minute + 700, 6 * minute + 500)]
    assert lane_chunks(halves, 0, 6 * minute + 500, 2) == [
        (0, 3 * minute + 450),
        (3 * minute + 450, 6 * minute + 500),
    ]
    assert lanes_for(LANES, WINDOW_MS, 0) == 1  # identical to a bare faster-whisper call
    assert lanes_for(LANES, WINDOW_MS + 1000, 0) == 2
    assert lanes_for(LANES, WINDOW_MS + 1000, 2000) == 1  # resumed with less than a window left
    assert lanes_for(TranscriptionOptions(lanes=2, batch_size=8), WINDOW_MS + 1000, 0) == 1


def test_lanes_give_every_passage_in_order_and_the_same_text_every_time(long_call, models_dir):
    [samples] = decode_for_whisper(long_call.path, split_stereo=False)
    spans = speech_spans(samples)
    path = str(resolve_model(LANES.model, models_dir).path)
    texts = []
    for _run in range(2):  # models that have not sampled yet, as the worker gives each pass
        models = [load_model(path, threads=1) for _ in range(2)]
        segments = list(transcribe_in_lanes(models, samples, LANES, MIXDOWN, 0, spans))
        _assert_in_order(segments)
        assert all(word.start_ms >= 0 for segment in segments for word in segment.words)
        assert segments[-1].end_ms > (len(samples) // 16 - 20_000)  # reached the end
        texts.append(" ".join(segment.text for segment in segments))
    assert texts[0] == texts[1]
    assert wer(long_call.reference, texts[0]) <= 0.15


def test_sigkill_mid_job_in_lanes_resumes_with_no_duplicate_gap_or_overlap(tmp_path: Path, long_call):
    library_dir = tmp_path / "library"
    with Library.open(library_dir) as library:
        interview_id = import_recording(library, long_call.path).interview.id
        library.settings.set(OPTIONS_SETTING, {"lanes": 2})

    process = earful(library_dir, "transcribe", start_new_session=True)
    first_line = process.stderr.readline()  # the CLI reports each segment after committing it
    os.killpg(process.pid, signal.SIGKILL)  # the CLI and its worker, as on a power cut
    process.wait()
    assert "[0:" in first_line, first_line
    with Library.open(library_dir) as library:
        job = library.jobs.latest_for(interview_id)
        assert job.state is JobState.RUNNING and job.options["lanes"] == 2
        committed = library.transcripts.segments(interview_id)
        [cursor] = [p.cursor_ms for p in library.jobs.passes(job.id)]
    assert committed and cursor == committed[-1].end_ms

    resumed = earful(library_dir, "transcribe")
    _out, err = resumed.communicate(timeout=900)
    assert resumed.returncode == 0, err
    with Library.open(library_dir) as library:
        assert library.jobs.latest_for(interview_id).state is JobState.DONE
        final = library.transcripts.segments(interview_id)
    _assert_in_order(final)
    assert {s.id for s in final} >= {s.id for s in committed}
    assert wer(long_call.reference, " ".join(s.text for s in final)) <= 0.15


def test_cancel_in_lanes_keeps_committed_segments_and_a_rerun_completes(
    tmp_path: Path, models_dir, long_call
):
    library_dir = tmp_path / "library"
    with Library.open(library_dir) as library:
        interview_id = import_recording(library, long_call.path).interview.id
    first_segment = threading.Event()
    outcome: list = []

    def transcribe_in_background(worker: TranscriptionWorker) -> None:
        with Library.open(library_dir) as own:
            transcriber = Transcriber(own, worker, models_dir)
            job = transcriber.queue([interview_id], LANES).queued[0]
            outcome.append(transcriber.run(job, lambda event: event.segment and first_segment.set()))

    with TranscriptionWorker() as worker:
        thread = threading.Thread(target=transcribe_in_background, args=(worker,))
        thread.start()
        assert first_segment.wait(timeout=600)
        worker.cancel()
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert outcome and outcome[0].state is JobState.CANCELLED
        with Library.open(library_dir) as library:
            kept = library.transcripts.segments(interview_id)
            transcriber = Transcriber(library, worker, models_dir)
            again = transcriber.queue([interview_id], LANES).queued
            assert [j.id for j in again] == [outcome[0].id]
            assert transcriber.run(again[0]).state is JobState.DONE
            final = library.transcripts.segments(interview_id)
    assert 0 < len(kept) < len(final)
    assert {s.id for s in kept} <= {s.id for s in final}
    _assert_in_order(final)
    assert wer(long_call.reference, " ".join(s.text for s in final)) <= 0.15
