"""The embedding stage of a transcription job: the demo call transcribed by the real worker and model, and
its transcript's sentence vectors stored by the job itself, so suggestions and search by meaning do not wait
for the model later. A job stopped during the stage resumes it."""

from __future__ import annotations

import numpy as np
import pytest

from app.analysis.embedder import SentenceEmbedder
from app.analysis.sentences import question_clauses
from app.domain.interview import JobState
from app.library.analysis import AnalysisRepository, pack_signs
from app.resources import resource_path
from app.services.importing import import_recording
from app.services.transcribing import Transcriber
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker


@pytest.fixture(scope="module")
def sentence_model() -> SentenceEmbedder:
    return SentenceEmbedder()


@pytest.fixture(scope="module")
def worker():
    with TranscriptionWorker() as shared:
        yield shared


def _transcribed(library, worker, tmp_path):
    interview_id = import_recording(library, resource_path("demo/interview.flac")).interview.id
    transcriber = Transcriber(library, worker, tmp_path / "models")
    job = transcriber.run(transcriber.queue([interview_id], TranscriptionOptions()).queued[0])
    assert job.state is JobState.DONE, job.error
    return interview_id, job, transcriber


def test_a_finished_job_has_stored_the_real_models_vectors_of_its_segments_and_questions(
    library, worker, tmp_path, sentence_model
):
    interview_id, _, _ = _transcribed(library, worker, tmp_path)
    store = AnalysisRepository(library.db)
    model = sentence_model.model_id

    assert store.segments_without_embedding(interview_id, model) == []
    segments = library.transcripts.segments(interview_id)
    ids, bits = store.segment_bits(model, [interview_id])
    by_id = dict(zip(ids.tolist(), bits, strict=True))
    # The worker's vectors are the model's: their signs agree with this process's run of the same texts
    # (batches differ, so a component near zero may flip).
    expected = pack_signs(sentence_model.embed([segment.text for segment in segments]))
    stored = np.stack([by_id[segment.id] for segment in segments])
    agreement = (np.unpackbits(stored, axis=1) == np.unpackbits(expected, axis=1)).mean()
    assert agreement >= 0.97
    # The interviewer's question clauses are embedded too: suggestions need nothing more from the model.
    roles = {speaker.id: speaker.role.value for speaker in library.transcripts.speakers(interview_id)}
    asked = [
        clause
        for segment in segments
        if roles[segment.speaker_id] == "interviewer"
        for clause in question_clauses(segment.text)
    ]
    assert asked
    assert set(store.text_vectors(model, asked)) == set(asked)


def test_a_job_stopped_during_the_embedding_stage_resumes_it(library, worker, tmp_path, sentence_model):
    interview_id, job, transcriber = _transcribed(library, worker, tmp_path)
    model = sentence_model.model_id
    store = AnalysisRepository(library.db)
    segment_ids = [segment.id for segment in library.transcripts.segments(interview_id)]
    # As a kill halfway through the stage leaves it: the job still running, half the vectors committed.
    with library.db.atomic():
        library.db.execute(
            f"DELETE FROM segment_embeddings WHERE segment_id IN ({', '.join('?' * (len(segment_ids) // 2))})",
            segment_ids[: len(segment_ids) // 2],
        )
    library.jobs.set_state(job.id, JobState.RUNNING)
    library.jobs.requeue_interrupted()

    resumed = transcriber.queue([interview_id], TranscriptionOptions()).queued[0]
    assert resumed.id == job.id
    assert transcriber.run(resumed).state is JobState.DONE
    assert store.segments_without_embedding(interview_id, model) == []
    assert [segment.id for segment in library.transcripts.segments(interview_id)] == segment_ids
