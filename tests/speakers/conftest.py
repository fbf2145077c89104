"""Real speech through the real worker and model: the AMI meeting clip transcribed and labelled once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.interview import JobState
from app.library import Library
from app.resources import resource_path
from app.services.importing import import_recording
from app.services.transcribing import Transcriber
from app.speakers.embedder import MODEL_RESOURCE, SpeakerEmbedder
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker


@dataclass(frozen=True)
class ReferenceTurn:
    speaker: str
    start_ms: int
    end_ms: int


def read_rttm(path: Path) -> list[ReferenceTurn]:
    turns = []
    for line in path.read_text().splitlines():
        fields = line.split()
        start, duration = float(fields[3]), float(fields[4])
        turns.append(ReferenceTurn(fields[7], round(start * 1000), round((start + duration) * 1000)))
    return turns


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def embedder() -> SpeakerEmbedder:
    return SpeakerEmbedder(resource_path(MODEL_RESOURCE))


@pytest.fixture(scope="session")
def worker():
    with TranscriptionWorker() as shared:
        yield shared


def transcribe(library: Library, audio: Path, worker: TranscriptionWorker, models_dir: Path) -> int:
    """Import and transcribe `audio` with its speaker stage, as a user would; returns the interview id."""
    interview_id = import_recording(library, audio).interview.id
    transcriber = Transcriber(library, worker, models_dir)
    final = transcriber.run(transcriber.queue([interview_id], TranscriptionOptions()).queued[0])
    assert final.state is JobState.DONE, final.error
    return interview_id


def transcribe_without_stage(library: Library, audio: Path, worker: TranscriptionWorker, models_dir: Path):
    """(recording, job): `audio` transcribed by a job with no speaker stage, as jobs were before it."""
    recording = import_recording(library, audio).recording
    channels = list(range(recording.channels)) if recording.split_channels else [-1]
    options = TranscriptionOptions()
    job = library.jobs.create(
        recording.interview_id, recording.id, options.model, options.to_dict(), channels, speaker_stage=False
    )
    assert Transcriber(library, worker, models_dir).run(job).state is JobState.DONE
    return recording, library.jobs.get(job.id)


@pytest.fixture(scope="module")
def ami(tmp_path_factory: pytest.TempPathFactory, speech: Path, models_dir: Path, worker):
    """(library, interview id) of ami_dev00 transcribed and labelled; tests only read it."""
    library = Library.open(tmp_path_factory.mktemp("ami") / "library")
    yield library, transcribe(library, speech / "ami_dev00.wav", worker, models_dir)
    library.close()
