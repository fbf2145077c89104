"""`earful record --live` through real PortAudio on two PulseAudio null sinks with the real model: lines
printed while the call goes on, a complete transcript after it; and a kill -9 mid-call that keeps the audio
and every line printed, recovered with no duplicate and no gap."""

from __future__ import annotations

import itertools
import os
import random
import re
import signal
import subprocess
import time

import pytest
import soundfile

from app.domain.interview import JobState
from app.domain.timecode import clock
from app.library import Library
from app.media.decode import decode_for_whisper, to_float
from app.services.recording import recover_recordings
from app.services.transcribing import Transcriber
from app.transcription.runner import TranscriptionWorker
from tests.conftest import reference_text
from tests.recording.conftest import onset_s, start_recording
from tests.wer import lost, wer

pytestmark = pytest.mark.slow
KILLS = int(os.environ.get("EARFUL_KILL_TRIALS", "3"))
"""Kill moments tried (each a different moment into the customer's answer): the suite tries 3 to stay
within CI's time; `EARFUL_KILL_TRIALS=20` runs the twenty of issue #16 (about 20 s each)."""
_LINE = re.compile(r"^(\d+:\d\d)  (Interviewer|Customer): (.*)$")


def _said(lines: list[str]) -> dict[str, list[str]]:
    return {role: [text for _at, text in printed] for role, printed in _printed(lines).items()}


def _printed(lines: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(time, text) of each transcript line printed, by who said it."""
    printed: dict[str, list[tuple[str, str]]] = {"Interviewer": [], "Customer": []}
    for line in lines:
        match = _LINE.match(line.rstrip("\n"))
        if match:
            printed[match.group(2)].append((match.group(1), match.group(3)))
    return printed


def _stored(library: Library, interview: int) -> dict[str, list]:
    speakers = {s.id: s.role.value.title() for s in library.transcripts.speakers(interview)}
    by_role: dict[str, list] = {"Interviewer": [], "Customer": []}
    for segment in library.transcripts.segments(interview):
        by_role[speakers[segment.speaker_id]].append(segment)
    return by_role


def test_record_live_prints_each_side_as_it_speaks_and_ends_with_the_transcript_stored(
    pulse, clips, speech, tmp_path
):
    root = tmp_path / "library"
    recorder = start_recording(root, "--customer", "customer.monitor", "--live", stdout=subprocess.PIPE)
    yours = pulse.play("you", clips["jfk"])
    first = recorder.stdout.readline()  # while you are speaking, before the customer has said a word
    assert _LINE.match(first) and "Interviewer:" in first, first
    yours.wait()
    theirs = pulse.play("customer", clips["libri"])
    lines = [first]
    while not _said(lines)["Customer"]:
        lines.append(recorder.stdout.readline())
    theirs.wait()
    recorder.send_signal(signal.SIGINT)  # Ctrl-C: stop and save
    out, err = recorder.communicate(timeout=300)
    assert recorder.returncode == 0, err
    lines += out.splitlines()
    said = _said(lines)
    assert wer(reference_text(speech, "jfk"), " ".join(said["Interviewer"])) < 0.35, lines
    assert wer(reference_text(speech, "librispeech_2412-153948-0000"), " ".join(said["Customer"])) < 0.35

    with Library.open(root) as library:
        [summary] = library.interviews.summaries()
        interview = summary.interview.id
        assert library.jobs.latest_for(interview).state is JobState.DONE  # nothing left to run
        stored = _stored(library, interview)
    assert wer(reference_text(speech, "jfk"), " ".join(s.text for s in stored["Interviewer"])) < 0.35
    customer_text = " ".join(s.text for s in stored["Customer"])
    assert wer(reference_text(speech, "librispeech_2412-153948-0000"), customer_text) < 0.35


@pytest.fixture(scope="module")
def bare_model():
    """faster-whisper used directly: what the recovered transcript is compared with."""
    from faster_whisper import WhisperModel

    from app.transcription.models import resolve_model
    from app.transcription.options import TranscriptionOptions

    return WhisperModel(
        str(resolve_model(TranscriptionOptions().model).path), device="cpu", compute_type="int8"
    )


@pytest.mark.parametrize("kill", range(KILLS))
def test_a_live_recording_killed_mid_call_keeps_its_audio_and_every_line_and_recovers_the_rest(
    kill, pulse, clips, speech, tmp_path, bare_model
):
    moment = random.Random(kill).uniform(1.0, 9.0)  # into the customer's answer
    root = tmp_path / "library"
    recorder = start_recording(root, "--customer", "customer.monitor", "--live", stdout=subprocess.PIPE)
    jfk, jfk_rate = soundfile.read(clips["jfk"])
    yours = pulse.play("you", clips["jfk"])
    yours.wait()  # paplay drains its stream before it exits: its last sound has been played by now
    played_from = time.monotonic() - len(jfk) / jfk_rate  # its first sound heard (not paplay's start)
    theirs = pulse.play("customer", clips["libri"])
    time.sleep(moment)  # the moment of the kill, not a wait for something
    recorder.send_signal(signal.SIGKILL)
    fed_s = time.monotonic() - played_from
    theirs.kill()
    printed = recorder.stdout.read()  # every line printed before the kill (each was kept before printing)
    assert recorder.wait() == -signal.SIGKILL

    with Library.open(root) as library:
        [recovered] = recover_recordings(library).interviews
        audio_path = library.recordings.path(recovered.recording)
        with TranscriptionWorker() as worker:
            transcriber = Transcriber(library, worker)
            job = transcriber.queue([recovered.interview.id], _options(library)).queued[0]
            assert transcriber.run(job).state is JobState.DONE
        stored = _stored(library, recovered.interview.id)

    audio, rate = soundfile.read(audio_path)
    recorded_s = len(audio) / rate - onset_s(audio[:, 0], jfk)
    assert abs(recorded_s - fed_s) <= 1.0, f"{fed_s:.2f} s played until the kill, {recorded_s:.2f} s kept"

    for role, lines in _printed(printed.splitlines()).items():
        for at, line in lines:  # every line printed before the kill is in the transcript, as it was, once
            assert sum(s.text == line and clock(s.start_ms) == at for s in stored[role]) == 1, (role, line)
    channels = decode_for_whisper(audio_path, split_stereo=True)
    for channel, role in enumerate(("Interviewer", "Customer")):
        segments = stored[role]
        for before, after in itertools.pairwise(segments):
            assert after.start_ms >= before.end_ms - 50, (before, after)  # nothing transcribed twice
        bare, _info = bare_model.transcribe(to_float(channels[channel]), language="en", vad_filter=True)
        bare_text = " ".join(segment.text for segment in bare)
        recovered_text = " ".join(s.text for s in segments)
        # Nothing said is lost. (Repeats are caught above; a decoding cut at other pauses may word a
        # sentence differently or add a filler such as "Thank you." at its end, which is not this test's.)
        assert lost(bare_text, recovered_text) <= 0.15, (role, bare_text, recovered_text)


def _options(library: Library):
    from app.services.transcribing import library_options

    return library_options(library)
