"""Search as you type over real transcribed speech: the hit opens at the moment the words were said."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.ui.search_view import MARK, SearchView
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
    search.show()
    search.setFocus()
    return search


def test_a_phrase_is_found_and_opens_at_the_moment_it_was_said(qtbot, view, transcribed, speech):
    _root, ids = transcribed
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, '"slightly lower"')
    hits = view.model.hits
    assert [hit.interview_id for hit in hits] == [ids[CLIP]]
    shown = view.model.index(0).data()  # the words around the hit, the phrase marked
    assert shown.startswith(f"<b>{CLIP} · ") and f"and {MARK}slightly lower</span>" in shown
    assert "1 passages in 1 interview(s)" in view.status.text()
    with qtbot.waitSignal(view.hit_activated) as opened:
        qtbot.keyClick(view.query, Qt.Key.Key_Return)
    interview_id, start_ms = opened.args
    said_at = _textgrid_start(speech / f"{CLIP}.words.TextGrid", "slightly")  # forced alignment, not Whisper
    assert interview_id == ids[CLIP] and abs(start_ms - said_at) <= 1000, (start_ms, said_at)


def test_the_keyboard_moves_through_hits_and_opens_one(qtbot, view, transcribed):
    _root, ids = transcribed
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, "pricing")
    assert [hit.interview_id for hit in view.model.hits] == [ids["northwind"]]
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
