"""The live transcriber, Qt-free, on real speech and the real model: utterances cut at pauses and bounded,
a recorded call's live lines as good as a whole-file pass, kept on disk and taken over by the job."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
import soundfile

from app.domain.interview import JobState
from app.media.decode import WHISPER_RATE
from app.services.importing import TWO_PARTY_ROLES
from app.services.live_transcript import LIVE_NICENESS, LiveTranscript, journal_segments
from app.services.recording import _Files, _import
from app.services.transcribing import Transcriber, check_options
from app.transcription.live import MAX_UTTERANCE_S, UtteranceCutter
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.recording.calls import build_call, call_wav
from tests.wer import wer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def call(tmp_path_factory):
    """About 50 s of two people taking turns, as the recorder writes it (48 kHz, two channels)."""
    folder = tmp_path_factory.mktemp("call")
    built = build_call(45, folder)
    return built, call_wav(built, folder / "recording.wav")


def test_each_channel_is_cut_into_utterances_at_pauses_and_none_is_longer_than_whisper_takes(tmp_path):
    built = build_call(120, tmp_path, rate=WHISPER_RATE)
    audio, _ = soundfile.read(built.tracks[1], dtype="int16")
    cutter = UtteranceCutter(1)
    utterances = []
    for start in range(0, len(audio), WHISPER_RATE // 2):  # half a second at a time, as the file grows
        cutter.feed(audio[start : start + WHISPER_RATE // 2])
        utterances += cutter.utterances(final=False)
    utterances += cutter.utterances(final=True)

    said = [u for u in built.utterances if u.channel == 1]
    assert len(utterances) >= len(said)
    assert max(len(samples) for _start, samples in utterances) <= MAX_UTTERANCE_S * WHISPER_RATE
    loudness = np.abs(audio.astype(np.int32))
    speech_level = np.percentile(loudness[loudness > 0], 90)
    for start, _samples in utterances[1:]:  # every cut lies in a pause, not in a word
        around = loudness[max(0, start - 800) : start + 800]
        assert np.percentile(around, 90) < speech_level / 4
    for (start, samples), (following, _) in itertools.pairwise(utterances):
        assert start + len(samples) <= following  # nothing given twice
        skipped = loudness[start + len(samples) : following]  # only silence is left out
        assert not len(skipped) or np.percentile(skipped, 99) < speech_level / 4


def test_a_recorded_call_transcribed_live_is_as_good_as_a_whole_file_pass(call, library, models_dir):
    built, wav = call
    options = TranscriptionOptions()
    files = _Files(library.root / "recording.wav")
    files.wav.write_bytes(wav.read_bytes())
    seen = []
    live = LiveTranscript(
        files.wav,
        files.journal,
        TWO_PARTY_ROLES,
        options,
        str(check_options(options, models_dir).path),
        on_line=seen.append,
        on_progress=None,
    )
    live.start()
    live.finish(soundfile.info(files.wav).frames)
    assert live.failure is None
    kept = journal_segments(files.journal)
    assert [_key(line.segment) for line in seen] == [_key(s) for s in kept]  # each shown was kept first
    assert {line.role for line in seen} == set(TWO_PARTY_ROLES)
    for line in seen:  # a line is labelled by the channel it was heard on
        assert line.role is TWO_PARTY_ROLES[line.segment.channel]

    recorded = _import(library, files, markers=(), quotes=(), stats=None, problem=None)
    interview = recorded.interview.id
    assert recorded.live_lines == len(kept)
    job = library.jobs.latest_for(interview)
    stored = library.transcripts.segments(interview)
    assert [(s.start_ms, s.text) for s in stored] == sorted((s.start_ms, s.text) for s in kept)
    for channel_pass in library.jobs.passes(job.id):  # committed as a pass commits: cursor at its last line
        assert channel_pass.cursor_ms == max(s.end_ms for s in kept if s.channel == channel_pass.channel)

    with TranscriptionWorker() as worker:
        final = Transcriber(library, worker, models_dir).run(job)
    assert final.state is JobState.DONE, final.error
    live_text = " ".join(s.text for s in sorted(kept, key=lambda s: (s.channel, s.start_ms)))

    with TranscriptionWorker() as worker:  # the whole file again, as after a recording without live
        transcriber = Transcriber(library, worker, models_dir)
        redo = transcriber.queue([interview], options, redo=True).queued[0]
        assert transcriber.run(redo).state is JobState.DONE
    whole = library.transcripts.segments(interview)
    whole_text = " ".join(s.text for s in sorted(whole, key=lambda s: (s.channel, s.start_ms)))
    reference = f"{built.reference(0)} {built.reference(1)}"
    assert wer(reference, live_text) <= wer(reference, whole_text) + 0.02, (live_text, whole_text)


def test_a_transcriber_behind_the_recording_says_so_and_catches_up_giving_way_to_the_recording(
    call, tmp_path, models_dir
):
    _built, wav = call
    options = TranscriptionOptions(beam_size=1)
    progress, priorities = [], []

    def decoding(behind):
        progress.append(behind)
        if len(progress) == 2:  # the model is loaded and decoding: every thread of the worker
            pid = live._worker._process.pid
            priorities.extend(
                os.getpriority(os.PRIO_PROCESS, int(tid)) for tid in os.listdir(f"/proc/{pid}/task")
            )

    live = LiveTranscript(
        wav,
        tmp_path / "journal.jsonl",
        TWO_PARTY_ROLES,
        options,
        str(check_options(options, models_dir).path),
        on_progress=decoding,
    )
    live.start()  # the whole call is on disk already: the transcript starts ~50 s behind
    live.finish(soundfile.info(wav).frames)
    assert progress[0].behind_ms > 0 or progress[1].behind_ms > 0
    assert max(p.behind_ms for p in progress) >= 20_000
    assert progress[-1].listened_ms >= progress[-1].heard_ms - 1000
    # Its decoding gives the CPU to the recorder and the window first (they run in this process).
    assert len(priorities) > 1
    # (Niceness stops at 19: under `nice` the worker can only go to the bottom.)
    assert min(priorities) >= min(os.getpriority(os.PRIO_PROCESS, 0) + LIVE_NICENESS, 19)


def _key(segment) -> tuple:
    return segment.channel, segment.start_ms, segment.end_ms, segment.text, [w.text for w in segment.words]
