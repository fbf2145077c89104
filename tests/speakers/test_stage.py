"""The speaker stage as part of a transcription job: progress, cancel, resume, re-runs and names kept."""

from __future__ import annotations

import functools
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.domain.interview import JobState
from app.domain.quote import main_speaker
from app.domain.transcript import MIXDOWN, SpeakerRole
from app.library import Library, LibraryError
from app.resources import resource_path
from app.services import speaker_stage
from app.services.importing import import_recording
from app.services.tagging import Tagger
from app.services.transcribing import Transcriber, check_options
from app.speakers.embedder import MODEL_RESOURCE
from app.speakers.stage import EmbedRequest, WindowsReady, embed_recording
from app.transcription.messages import PassDone, SegmentReady, StageRequest, TranscribeRequest
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.speakers.conftest import transcribe, transcribe_without_stage

CHUNK_MS = 10_000  # three chunks of the 30 s clip, so there is a "middle" of the stage to stop in


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speaker_stage, "EmbedRequest", functools.partial(EmbedRequest, chunk_ms=CHUNK_MS))


def test_cancel_inside_the_stage_then_resume_matches_an_uninterrupted_run(
    tmp_path: Path, speech: Path, models_dir: Path, small_chunks, ami
):
    reference_library, reference_id = ami
    library_dir = tmp_path / "library"
    with Library.open(library_dir) as library:
        interview_id = import_recording(library, speech / "ami_dev00.wav").interview.id
    progress: list[float] = []
    outcome: list = []
    first_chunk = threading.Event()

    def transcribe_in_background(worker: TranscriptionWorker) -> None:
        with Library.open(library_dir) as own:  # as in the GUI: its own thread and connection
            transcriber = Transcriber(own, worker, models_dir)
            job = transcriber.queue([interview_id], TranscriptionOptions()).queued[0]

            def follow(event) -> None:
                progress.append(event.progress)
                stage = own.jobs.speaker_stage(job.id)
                if stage.cursor_ms and not first_chunk.is_set():
                    first_chunk.set()
                    worker.cancel()  # what Cancel does; here, right after the first chunk is stored
                    # (while the words are still transcribed, or after: the stage runs alongside)

            outcome.append(transcriber.run(job, follow))

    with TranscriptionWorker() as worker:
        thread = threading.Thread(target=transcribe_in_background, args=(worker,))
        thread.start()
        thread.join(timeout=280)
        assert not thread.is_alive() and outcome[0].state is JobState.CANCELLED
        with Library.open(library_dir) as library:
            job = outcome[0]
            assert library.jobs.speaker_stage(job.id).cursor_ms == CHUNK_MS
            assert library.jobs.get(job.id).progress < 1
            kept, _ = library.jobs.speaker_windows(job.id)
            assert len(kept) and kept.max() < CHUNK_MS
            transcriber = Transcriber(library, worker, models_dir)
            assert transcriber.run(library.jobs.get(job.id)).state is JobState.DONE
            assert library.jobs.get(job.id).progress == 1.0
            starts, _ = library.jobs.speaker_windows(job.id)
            labelled = _words_by_role(library, interview_id)
    assert progress == sorted(progress)
    assert set(kept) <= set(starts) and np.all(np.diff(starts) > 0)
    assert labelled == _words_by_role(reference_library, reference_id)


def test_speakers_are_embedded_while_the_words_are_transcribed(speech: Path, worker, models_dir):
    audio = str(speech / "ami_dev00.wav")
    options = TranscriptionOptions()
    embed = StageRequest(
        embed_recording, EmbedRequest(audio, str(resource_path(MODEL_RESOURCE)), 0, 30_000, CHUNK_MS)
    )
    words = TranscribeRequest(audio, str(check_options(options, models_dir).path), MIXDOWN, 0, options)
    worker.begin_job()
    together = list(worker.run(replace(words, alongside=(embed,))))
    assert isinstance(together[-1], PassDone)
    windows = [message.windows for message in together if isinstance(message, WindowsReady)]
    assert len(windows) == 3  # every chunk, all before the pass's end
    alone = [message.windows for message in worker.run(embed) if isinstance(message, WindowsReady)]
    for mine, theirs in zip(windows, alone, strict=True):
        assert np.array_equal(mine.starts_ms, theirs.starts_ms)
        assert np.allclose(mine.embeddings, theirs.embeddings, atol=1e-4)
    segments = [message.segment for message in together if isinstance(message, SegmentReady)]
    assert segments == [message.segment for message in worker.run(words) if isinstance(message, SegmentReady)]


def test_the_user_chooses_the_number_of_speakers_and_names_are_kept(library, speech, worker, models_dir):
    interview_id = transcribe(library, speech / "ami_dev00.wav", worker, models_dir)
    transcriber = Transcriber(library, worker, models_dir)
    interviewer = next(
        s for s in library.transcripts.speakers(interview_id) if s.role is SpeakerRole.INTERVIEWER
    )
    words_before = _words_by_role(library, interview_id)
    library.transcripts.write_speakers([_named(interviewer, "Dana (PM)")])
    windows_before = library.jobs.speaker_windows(library.jobs.latest_for(interview_id).id)[0]

    assert transcriber.relabel_speakers(interview_id, 3).state is JobState.DONE
    speakers = library.transcripts.speakers(interview_id)
    assert len({s.speaker_id for s in library.transcripts.segments(interview_id)}) == 3
    assert "Dana (PM)" in [s.name for s in speakers]
    assert library.transcripts.speaker_count(interview_id) == 3
    # The stored windows were reused, not computed again.
    assert np.array_equal(
        library.jobs.speaker_windows(library.jobs.latest_for(interview_id).id)[0], windows_before
    )

    assert transcriber.relabel_speakers(interview_id, 1).state is JobState.DONE
    assert len({s.speaker_id for s in library.transcripts.segments(interview_id)}) == 1
    assert transcriber.relabel_speakers(interview_id, 2).state is JobState.DONE
    dana = next(s for s in library.transcripts.speakers(interview_id) if s.name == "Dana (PM)")
    assert dana.id == interviewer.id and dana.role is SpeakerRole.INTERVIEWER
    assert _words_by_role(library, interview_id) == words_before
    assert len(library.transcripts.speakers(interview_id)) == 2  # the unnamed extra voices are gone


def test_relabelling_what_is_not_transcribed_is_refused_but_the_count_is_kept(
    library: Library, speech, worker
):
    interview_id = import_recording(library, speech / "ami_dev00.wav").interview.id
    with pytest.raises(LibraryError, match=r"not transcribed yet.*number of speakers is saved"):
        Transcriber(library, worker).relabel_speakers(interview_id, 3)
    assert library.transcripts.speaker_count(interview_id) == 3
    with pytest.raises(LibraryError, match="whole number, at least 1"):
        library.transcripts.set_speaker_count(interview_id, 0)
    with pytest.raises(LibraryError, match="no interview 99"):
        Transcriber(library, worker).relabel_speakers(99, 2)


def test_a_job_from_before_the_stage_is_labelled_when_asked(library: Library, speech, worker, models_dir):
    recording, job = transcribe_without_stage(library, speech / "ami_dev00.wav", worker, models_dir)
    transcriber = Transcriber(library, worker, models_dir)
    assert library.jobs.speaker_stage(job.id) is None
    assert [s.label for s in library.transcripts.speakers(recording.interview_id)] == ["Speaker 1"]
    assert transcriber.relabel_speakers(recording.interview_id).state is JobState.DONE
    assert sorted(s.label for s in library.transcripts.speakers(recording.interview_id)) == [
        "Customer",
        "Interviewer",
    ]


def _named(speaker, name: str):
    return replace(speaker, display_name=name)


def _words_by_role(library: Library, interview_id: int) -> list[tuple[int, str, SpeakerRole]]:
    roles = {s.id: s.role for s in library.transcripts.speakers(interview_id)}
    return [
        (w.start_ms, w.text, roles[s.speaker_id])
        for s in library.transcripts.segments(interview_id)
        for w in s.words
    ]


def test_a_stage_that_fails_says_why_keeps_the_transcript_and_can_be_retried(
    library, speech, worker, models_dir
):
    recording, _ = transcribe_without_stage(library, speech / "ami_dev00.wav", worker, models_dir)
    transcriber = Transcriber(library, worker, models_dir)
    before = library.transcripts.segments(recording.interview_id)
    audio = library.recordings.path(recording)
    hidden = audio.rename(audio.with_suffix(".hidden"))
    failed = transcriber.relabel_speakers(recording.interview_id, 3)
    assert failed.state is JobState.FAILED and audio.name in failed.error
    assert library.transcripts.segments(recording.interview_id) == before
    hidden.rename(audio)
    assert transcriber.relabel_speakers(recording.interview_id).state is JobState.DONE
    assert len({s.speaker_id for s in library.transcripts.segments(recording.interview_id)}) == 3


def test_transcribing_again_keeps_the_speaker_count_and_drops_the_old_windows(
    library, speech, worker, models_dir
):
    interview_id = transcribe(library, speech / "ami_dev00.wav", worker, models_dir)
    old_job = library.jobs.latest_for(interview_id)
    assert len(library.jobs.speaker_windows(old_job.id)[0]) > 0
    library.transcripts.set_speaker_count(interview_id, 2)
    transcriber = Transcriber(library, worker, models_dir)
    [new_job] = transcriber.queue([interview_id], TranscriptionOptions(), redo=True).queued
    assert len(library.jobs.speaker_windows(old_job.id)[0]) == 0
    assert transcriber.run(new_job).state is JobState.DONE
    assert library.transcripts.speaker_count(interview_id) == 2
    assert len(library.transcripts.speakers(interview_id)) == 2


def test_quotes_follow_their_words_when_their_unnamed_speaker_goes(library, speech, worker, models_dir):
    interview_id = transcribe(library, speech / "ami_dev00.wav", worker, models_dir)
    transcriber = Transcriber(library, worker, models_dir)
    assert transcriber.relabel_speakers(interview_id, 3).state is JobState.DONE
    segments = library.transcripts.segments(interview_id)
    first_of_each = {s.speaker_id: s for s in reversed(segments)}  # one segment per speaker
    assert len(first_of_each) == 3
    tagger = Tagger(library)
    quotes = [
        tagger.add_quote(interview_id, s.words[0].start_ms, s.words[-1].end_ms).quote
        for s in first_of_each.values()
    ]
    assert [q.speaker_id for q in quotes] == list(first_of_each)

    assert transcriber.relabel_speakers(interview_id, 2).state is JobState.DONE
    remaining = {s.id for s in library.transcripts.speakers(interview_id)}
    assert len(remaining) == 2  # one of the three quoted speakers is gone
    segments = library.transcripts.segments(interview_id)
    for quote in quotes:
        speaker_of_its_words = main_speaker(segments, quote.start_ms, quote.end_ms, None)
        assert library.quotes.get(quote.id).speaker_id == speaker_of_its_words in remaining
