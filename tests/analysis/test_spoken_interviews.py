"""End to end through audio: three labelled interviews spoken by two eSpeak NG voices into one channel,
imported as one-channel recordings, transcribed by the real model (voices told apart by the speaker stage,
sentence vectors by the embedding stage), and the suggestions found on that transcript reach the questions
the labels say were asked, as they do on the text.

Slow (about 21 minutes of speech transcribed: several minutes on a 2-core machine), so marked `slow`; the
three shortest interviews of the corpus, two guides."""

from __future__ import annotations

import pytest

from app.domain.interview import JobState
from app.guides.loader import builtin_guides
from app.library import Library
from app.services.analysis import Analyst
from app.services.importing import import_recording
from app.services.tagging import Tagger
from app.services.transcribing import Transcriber
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from tests.analysis.corpus import corpus_document, store_interview
from tests.analysis.synthesis import synthesise_interview

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

NAMES = ("roadmap-05", "roadmap-07", "winloss-02")


def _suggest_twice(analyst: Analyst, interview_ids: list[int]) -> dict[int, list]:
    """As a library reads interviews: once each, then again with what the others answered as evidence."""
    for interview_id in interview_ids:
        analyst.suggest(interview_id)
    return {interview_id: analyst.suggest(interview_id) for interview_id in interview_ids}


def _asking_turn_at(document: dict, spans: list[tuple[int, int]], at_ms: int) -> int:
    """The interviewer's turn whose start is nearest a suggested question marker (a marker is placed where
    the interviewer's turn starts in the transcript, within a second of where the voice starts)."""
    asking = [i for i, turn in enumerate(document["turns"]) if turn["speaker"] == "interviewer"]
    return min(asking, key=lambda i: abs(spans[i][0] - at_ms))


def _question_f1(found: set, gold: set) -> float:
    hits = len(found & gold)
    return 2 * hits / (len(found) + len(gold)) if found or gold else 1.0


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    """{name: (interview id, turn spans)} in a library where each interview was imported as audio."""
    folder = tmp_path_factory.mktemp("spoken")
    guides = {guide.slug: guide for guide in builtin_guides()}
    found = {}
    with Library.open(folder / "library") as library, TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker, folder / "models")
        for name in NAMES:
            document = corpus_document(name)
            audio = folder / f"{name}.flac"
            spans = synthesise_interview(document, audio)
            result = import_recording(library, audio)
            assert result.recording.channels == 1
            Tagger(library).use_guide(result.interview.id, guides[document["guide"]])
            job = transcriber.run(transcriber.queue([result.interview.id], TranscriptionOptions()).queued[0])
            assert job.state is JobState.DONE, job.error
            found[name] = (result.interview.id, spans)
        yield library, found


def test_suggestions_on_the_transcribed_audio_find_the_questions_they_find_on_the_text(spoken, tmp_path):
    library, interviews = spoken
    from app.analysis.embedder import SentenceEmbedder

    model = SentenceEmbedder()
    on_audio = _suggest_twice(
        Analyst(library, model), [interview_id for interview_id, _ in interviews.values()]
    )
    with Library.open(tmp_path / "text") as text_library:
        stored = {name: store_interview(text_library, corpus_document(name)) for name in NAMES}
        on_text = _suggest_twice(
            Analyst(text_library, model), [interview_id for interview_id, _ in stored.values()]
        )

    audio_found, text_found, gold = set(), set(), set()
    audio_keys, text_keys = set(), set()
    for name in NAMES:
        document = corpus_document(name)
        interview_id, spans = interviews[name]
        text_id, starts = stored[name]
        gold |= {(name, i, key) for i, turn in enumerate(document["turns"]) for key in turn["asks"]}
        audio_found |= {
            (name, _asking_turn_at(document, spans, s.start_ms), s.question)
            for s in on_audio[interview_id]
            if s.kind == "question"
        }
        text_found |= {
            (name, starts.index(s.start_ms), s.question) for s in on_text[text_id] if s.kind == "question"
        }
        audio_keys |= {(name, s.question) for s in on_audio[interview_id] if s.kind == "question"}
        text_keys |= {(name, s.question) for s in on_text[text_id] if s.kind == "question"}
        # Nothing is filed by the analysis: the user decides.
        assert library.quotes.for_interview(interview_id) == []
        assert library.markers.of_interview(interview_id) == []

    audio_f1, text_f1 = _question_f1(audio_found, gold), _question_f1(text_found, gold)
    print(
        f"question F1 on these three interviews: text {text_f1:.3f}, transcribed audio {audio_f1:.3f}; "
        f"questions found on the text also found on the audio: {len(audio_keys & text_keys)} of {len(text_keys)}"
    )
    # The same questions are reached (measured: 23 of 24), most at the same turn (F1 0.68 against 0.80 on
    # the text: tiny.en mishears names, drops question marks and runs a question into the next turn).
    assert len(audio_keys & text_keys) >= 0.85 * len(text_keys)
    assert text_f1 >= 0.70
    assert audio_f1 >= 0.55
