"""What the worker does beside a pass, so the job costs little more than a bare faster-whisper run (#12 item
9): stages alongside take only the CPU time Whisper's decoding leaves idle, a job's last pass loads the
sentence model beside it (the embedding stage after it does not wait for the load), and the model loads
while the audio decodes. On a machine busy with other programs a thread at the lowest priority may hardly
run at all, so the pass never waits for what runs beside it.

The real worker decodes real speech; the stages below are probes sent to it like any stage (pickled by
name), reporting what they see from inside the worker process.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.transcript import MIXDOWN
from app.services.embedding_stage import sentence_model_loading
from app.services.transcribing import check_options
from app.transcription.messages import PassDone, PassFailed, StageRequest, TranscribeRequest
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker


def report_niceness(_payload: None, send: Callable[[object], None]) -> None:
    """A stage: the nice value of the thread it runs on (Linux gives each thread its own)."""
    send(("niceness", os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))


def report_sentence_model(wait_s: float, send: Callable[[object], None]) -> None:
    """A stage: whether the worker holds the sentence model loaded, or comes to within `wait_s` (a load
    beside a pass may go on at the lowest priority after it; nothing else loads it meanwhile)."""
    from app.analysis import stage

    deadline = time.monotonic() + wait_s
    while not stage._embedders and time.monotonic() < deadline:
        time.sleep(0.05)
    send(("sentence model loaded", bool(stage._embedders)))


def keep_sending(_payload: None, send: Callable[[object], None]) -> None:
    """A stage with no end that gets almost no CPU time (it mostly waits): a stand-in for one that other
    programs keep from running at the lowest priority."""
    ticks = 0
    while True:
        ticks += 1
        send(("tick", ticks))
        time.sleep(0.01)


def report_stages_still_running(_payload: None, send: Callable[[object], None]) -> None:
    """A stage: whether a stage thread beside an earlier pass still runs (given a moment to stop)."""
    deadline = time.monotonic() + 30
    while _alongside_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    send(("still running", len(_alongside_threads())))


def _alongside_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "earful-stage-alongside"]


def _reported(worker: TranscriptionWorker, request: TranscribeRequest | StageRequest) -> list[object]:
    messages = list(worker.run(request))
    return [message[1] for message in messages if isinstance(message, tuple)]


def _pass(speech: Path, models_dir: Path, *alongside: StageRequest) -> TranscribeRequest:
    options = TranscriptionOptions()
    model = str(check_options(options, models_dir).path)
    return TranscribeRequest(str(speech / "jfk.flac"), model, MIXDOWN, 0, options, alongside=alongside)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own nice value is Linux's")
def test_a_stage_alongside_the_pass_runs_at_the_lowest_priority_and_a_stage_on_its_own_does_not(
    speech, models_dir
):
    with TranscriptionWorker() as worker:
        worker.begin_job()
        on_its_own = _reported(worker, StageRequest(report_niceness, None))
        request = _pass(speech, models_dir, StageRequest(report_niceness, None))
        messages = list(worker.run(request))
        alongside = [message[1] for message in messages if isinstance(message, tuple)]
        assert isinstance(messages[-1], PassDone)
    assert alongside == [19]
    assert on_its_own == [os.getpriority(os.PRIO_PROCESS, 0)]  # the worker's own priority, as the caller's


def test_the_last_pass_of_an_english_job_loads_the_sentence_model_beside_it(speech, models_dir):
    loading = sentence_model_loading(TranscriptionOptions())
    assert loading is not None
    with TranscriptionWorker() as worker:
        worker.begin_job()
        assert _reported(worker, StageRequest(report_sentence_model, 0.0)) == [False]
        list(worker.run(_pass(speech, models_dir, loading)))
        assert _reported(worker, StageRequest(report_sentence_model, 60.0)) == [True]


def test_the_pass_does_not_wait_for_a_stage_beside_it_and_nothing_of_it_follows_the_pass(speech, models_dir):
    """Before, the pass waited for its stages to finish: at the lowest priority, on a machine kept busy by
    other programs, that held the job up for minutes (20 jobs of the window's search test took 618 s beside
    two busy programs, 38 s without). Now a stage that gets almost no CPU time is left behind, and the
    speaker stage goes on from its last commit at normal priority after the pass."""
    with TranscriptionWorker() as worker:
        worker.begin_job()
        messages = list(worker.run(_pass(speech, models_dir, StageRequest(keep_sending, None))))
        assert isinstance(messages[-1], PassDone)
        assert ("tick", 1) in messages  # it ran beside the pass
        assert _reported(worker, StageRequest(report_stages_still_running, None)) == [0]  # and stopped


def test_a_job_in_another_language_does_not_load_the_sentence_model():
    assert sentence_model_loading(TranscriptionOptions(language="de")) is None


def test_a_model_that_cannot_load_while_the_audio_decodes_fails_the_pass_and_the_worker_goes_on(
    speech, models_dir, tmp_path
):
    """The model loads in a thread while the audio decodes: its failure still reaches the user as the
    pass's, and the next pass (with a model that loads) is served as usual."""
    broken = tmp_path / "not-a-model"
    broken.mkdir()
    good = _pass(speech, models_dir)
    with TranscriptionWorker() as worker:
        worker.begin_job()
        [failed] = list(worker.run(TranscribeRequest(good.audio_path, str(broken), MIXDOWN, 0, good.options)))
        assert isinstance(failed, PassFailed) and failed.message.startswith("Could not start transcription")
        assert isinstance(list(worker.run(good))[-1], PassDone)


def test_each_pass_loads_its_model_once_while_its_audio_decodes(speech, models_dir, monkeypatch):
    """Run in this process (the worker's own code, over a real pipe, with the real model): each pass gets a
    model that has not decoded yet, loaded once, however the early load and the pass's own request meet."""
    from multiprocessing import Pipe

    from app.transcription import engine, worker

    real_load, loads = engine.load_model, []
    monkeypatch.setattr(
        engine, "load_model", lambda *args, **kwargs: loads.append(args) or real_load(*args, **kwargs)
    )
    models, pass_speech = worker._Models(), worker._PassSpeech()
    ours, theirs = Pipe()
    for passes in (1, 2):
        worker._serve(_pass(speech, models_dir), models, pass_speech, theirs)
        messages = []
        while ours.poll():
            messages.append(ours.recv())
        assert isinstance(messages[-1], PassDone)
        assert len(loads) == passes


def test_the_coverage_check_does_not_wait_for_speech_still_being_found_at_the_lowest_priority(monkeypatch):
    """The VAD beside a pass runs at the lowest priority; when the check comes before it is done, the check
    gets no spans (it finds the speech itself) and the late result never reaches a later pass. The VAD is
    replaced by one that waits to be let go: a stand-in for one starved by other programs."""
    from app.transcription import coverage, worker

    let_go, started = threading.Event(), threading.Event()

    def starved_vad(samples):
        started.set()
        let_go.wait(30)
        return [(0, 1000)]

    monkeypatch.setattr(coverage, "speech_spans", starved_vad)
    kept = worker._PassSpeech()
    kept.start("call.flac", MIXDOWN, "samples", awaited=False)
    assert started.wait(30)
    assert kept.take("call.flac", MIXDOWN) == ("samples", None)
    monkeypatch.setattr(coverage, "speech_spans", lambda samples: [(5, 6)])
    kept.start("call.flac", MIXDOWN, "next samples", awaited=False)
    let_go.set()
    assert kept.spans() == [(5, 6)]
    assert kept.take("call.flac", MIXDOWN) == ("next samples", [(5, 6)])
