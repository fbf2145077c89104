"""Real speech through Earful's import → worker process → library, compared with bare faster-whisper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.interview import JobState
from app.domain.transcript import SpeakerRole
from app.library import Library
from app.services.importing import import_recording
from app.services.transcribing import Transcriber
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.conftest import reference_text
from tests.transcription.conftest import bare_transcript
from tests.wer import wer

MONO_CLIPS = {
    # clip stem: the highest normalised WER the issue allows
    "jfk": 0.15,
    "librispeech_2412-153948-0000": 0.15,
    "mfa_acoustic_corpus": 0.30,
    "digits_10001-90210-01803": 0.30,
}
SUFFIX = {"jfk": ".flac", "librispeech_2412-153948-0000": ".flac"}


def clip_path(speech: Path, stem: str) -> Path:
    return speech / f"{stem}{SUFFIX.get(stem, '.wav')}"


@pytest.fixture(scope="module")
def transcribed(tmp_path_factory: pytest.TempPathFactory, speech: Path, models_dir: Path):
    """A library holding every clip, transcribed once through the real worker process."""
    library = Library.open(tmp_path_factory.mktemp("transcribed") / "library")
    ids = {stem: import_recording(library, clip_path(speech, stem)).interview.id for stem in MONO_CLIPS}
    for interview_id in ids.values():  # one voice each, as the user says (else two voices are assumed)
        library.transcripts.set_speaker_count(interview_id, 1)
    ids["stereo"] = import_recording(library, speech / "stereo_diarization.wav").interview.id
    with TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker, models_dir)
        outcome = transcriber.queue(None, TranscriptionOptions())
        finals = [transcriber.run(job) for job in outcome.queued]
    assert [job.state for job in finals] == [JobState.DONE] * len(ids), [job.error for job in finals]
    yield library, ids
    library.close()


def stored_transcript(library: Library, interview_id: int) -> list[tuple[int, int, str]]:
    return [(s.start_ms, s.end_ms, s.text) for s in library.transcripts.segments(interview_id)]


@pytest.mark.parametrize("stem", MONO_CLIPS)
def test_stored_transcript_equals_bare_faster_whisper(transcribed, bare_model, speech, stem):
    library, ids = transcribed
    expected = bare_transcript(bare_model, str(clip_path(speech, stem)), TranscriptionOptions())
    assert stored_transcript(library, ids[stem]) == expected


@pytest.mark.parametrize(("stem", "limit"), MONO_CLIPS.items())
def test_word_error_rate_against_reference(transcribed, speech, stem, limit):
    library, ids = transcribed
    text = " ".join(s.text for s in library.transcripts.segments(ids[stem]))
    assert wer(reference_text(speech, stem), text) <= limit, text


def test_words_carry_times_inside_their_segment(transcribed):
    library, ids = transcribed
    for segment in library.transcripts.segments(ids["jfk"]):
        assert segment.words, segment
        assert " ".join(w.text for w in segment.words) == segment.text
        for word in segment.words:
            assert segment.start_ms <= word.start_ms <= word.end_ms <= segment.end_ms + 20


def test_stereo_call_yields_one_speaker_per_channel_with_its_own_text(transcribed, speech):
    library, ids = transcribed
    interview_id = ids["stereo"]
    speakers = {s.id: s for s in library.transcripts.speakers(interview_id)}
    assert sorted((s.channel, s.role) for s in speakers.values()) == [
        (0, SpeakerRole.INTERVIEWER),
        (1, SpeakerRole.CUSTOMER),
    ]
    by_channel: dict[int, list[str]] = {0: [], 1: []}
    for segment in library.transcripts.segments(interview_id):
        assert speakers[segment.speaker_id].channel == segment.channel
        by_channel[segment.channel].append(segment.text)
    for channel in (0, 1):
        reference = (speech / f"stereo_diarization.ch{channel}.ref.txt").read_text()
        assert wer(reference, " ".join(by_channel[channel])) <= 0.15, by_channel


def test_search_finds_a_word_of_each_clip_at_its_interview_and_time(transcribed, speech):
    library, ids = transcribed
    expectations = {
        "mfa_acoustic_corpus": (
            "intensity",
            _textgrid_start(speech / "mfa_acoustic_corpus.words.TextGrid", "intensity"),
        ),
    }
    for stem, word in (
        ("jfk", "Americans"),
        ("librispeech_2412-153948-0000", "antecedents"),
        ("digits_10001-90210-01803", "9"),
        ("stereo", "horizon"),
    ):
        expectations[stem] = (word, _spoken_at(library, ids[stem], word))
    for stem, (word, expected_ms) in expectations.items():
        hits = [hit for hit in library.search(word) if hit.interview_id == ids[stem]]
        assert hits, f"{word!r} not found in {stem}"
        assert abs(hits[0].start_ms - expected_ms) <= 1000, (stem, hits[0], expected_ms)


def _spoken_at(library: Library, interview_id: int, word: str) -> int:
    """When the stored words say `word` was spoken (search must point there, not at the segment start)."""
    for segment in library.transcripts.segments(interview_id):
        for spoken in segment.words:
            if spoken.text.strip(".,?!").lower().startswith(word.lower()[:6]):
                return spoken.start_ms
    raise AssertionError(f"{word!r} is not in the transcript of interview {interview_id}")


def _textgrid_start(textgrid: Path, word: str) -> int:
    """The forced-alignment start of `word` in a short-format Praat TextGrid (independent of Whisper)."""
    lines = [line.strip() for line in textgrid.read_text().splitlines()]
    for index, line in enumerate(lines):
        if line == f'"{word}"':
            return round(float(lines[index - 2]) * 1000)
    raise AssertionError(f"{word!r} not in {textgrid}")


def test_json_transcript_lists_speakers_and_words(transcribed):
    from app.export.transcript_formats import as_json

    library, ids = transcribed
    interview = library.interviews.get(ids["jfk"])
    data = json.loads(
        as_json(interview, library.transcripts.segments(ids["jfk"]), library.transcripts.speakers(ids["jfk"]))
    )
    assert data["speakers"][0]["label"] == "Speaker 1"
    assert "country" in " ".join(w[2] for s in data["segments"] for w in s["words"])
