"""Review mode driven by keys on the real widget, over a real library and the real sentence model: walking
the suggestions, moving an answer's bounds word by word, filing with question, tags and note, rejecting,
undoing both, and saying why when there is nothing to review. Nothing is filed without a key press."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest

from app.domain.quote import nudged
from app.guides.loader import builtin_guides
from app.services.analysis import AnalysisUnavailable, Analyst
from app.services.tagging import Tagger
from app.ui.suggestions_panel import NONE_LEFT, SuggestionsPanel
from tests.analysis.corpus import corpus_document, store_interview


@pytest.fixture(scope="module")
def sentence_model():
    from app.analysis.embedder import SentenceEmbedder

    return SentenceEmbedder()


@pytest.fixture
def reviewing(qtbot, library, sentence_model):
    """(panel, analyst, undo stack, interview id) with roadmap-02's suggestions shown."""
    interview_id, _ = store_interview(library, corpus_document("roadmap-02"))
    analyst = Analyst(library, sentence_model)
    stack = QUndoStack()
    panel = SuggestionsPanel(analyst, stack)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_review(analyst.review(interview_id))
    return panel, analyst, stack, interview_id


def _key(panel: SuggestionsPanel, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(panel.list, key, modifier)


def _walk_to_answer(panel: SuggestionsPanel) -> None:
    while panel.current().kind != "quote":
        _key(panel, Qt.Key.Key_Down)


def test_walking_and_moving_bounds_files_nothing_and_enter_files_the_answer_as_adjusted(
    reviewing, qtbot, library, screenshots
):
    panel, analyst, stack, interview_id = reviewing
    panel.resize(720, 480)
    panel.grab().save(str(screenshots / "suggestions_panel.png"))
    open_before = panel.list.count()
    assert open_before > 10 and panel.current() is not None
    with qtbot.waitSignal(panel.seek_requested) as seek:
        _key(panel, Qt.Key.Key_Down)
    assert seek.args == [panel.current().start_ms]
    _walk_to_answer(panel)
    answer = panel.current()
    words = analyst.words(interview_id)

    for key, modifier in (
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),  # end one word later
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),  # and another
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier),  # back one
        (Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier),  # start one word later
    ):
        _key(panel, key, modifier)
    expected = nudged(words, *nudged(words, answer.start_ms, answer.end_ms, "end", 1), "start", 1)
    assert panel.bounds(answer) == expected
    assert library.quotes.for_interview(interview_id) == []  # walking and adjusting file nothing
    assert library.markers.of_interview(interview_id) == []

    _key(panel, Qt.Key.Key_3)  # the third guide question instead of the suggested one
    _key(panel, Qt.Key.Key_N)
    QTest.keyClicks(panel.note, "said twice")
    QTest.keyClick(panel.note, Qt.Key.Key_Return)

    [quote] = library.quotes.for_interview(interview_id)
    third = Tagger(library).guide_of(interview_id)[1].questions[2]
    assert (quote.start_ms, quote.end_ms) == expected
    assert quote.question_key == third.key and quote.note == "said twice"
    assert panel.list.count() == open_before - 1
    assert answer.id not in [
        panel.list.item(i).data(Qt.ItemDataRole.UserRole).id for i in range(panel.list.count())
    ]

    stack.createUndoAction(panel).trigger()  # Edit ▸ Undo
    assert library.quotes.for_interview(interview_id) == []
    assert panel.list.count() == open_before
    stack.createRedoAction(panel).trigger()
    assert [q.question_key for q in library.quotes.for_interview(interview_id)] == [third.key]


def test_enter_on_a_suggested_question_places_an_ordinary_marker(reviewing, library):
    panel, _, _, interview_id = reviewing
    while panel.current().kind != "question":
        _key(panel, Qt.Key.Key_Down)
    asked = panel.current()
    _key(panel, Qt.Key.Key_Return)
    [marker] = library.markers.of_interview(interview_id)
    assert (marker.at_ms, marker.question) == (asked.start_ms, asked.question)
    assert library.quotes.for_interview(interview_id) == []


def test_backspace_rejects_for_good_and_undo_brings_it_back(reviewing, library):
    panel, analyst, stack, interview_id = reviewing
    first = panel.current()
    count = panel.list.count()
    _key(panel, Qt.Key.Key_Backspace)
    assert panel.list.count() == count - 1
    assert first.id not in [s.id for s in analyst.suggestions(interview_id)]
    assert all(s.id != first.id for s in analyst.suggest(interview_id))  # not proposed again
    assert (
        library.quotes.for_interview(interview_id) == [] and library.markers.of_interview(interview_id) == []
    )

    stack.undo()
    assert first.id in [s.id for s in analyst.suggestions(interview_id)]
    assert panel.list.count() == count


def test_when_every_suggestion_is_decided_the_panel_says_so(reviewing):
    panel, *_ = reviewing
    while panel.list.count():
        _key(panel, Qt.Key.Key_Backspace)
    assert panel.message.isVisible() and panel.message.text() == NONE_LEFT


@pytest.mark.parametrize("missing", ["guide", "transcript"])
def test_an_interview_with_nothing_to_suggest_gets_the_reason_not_an_empty_pane(
    qtbot, library, sentence_model, missing
):
    analyst = Analyst(library, sentence_model)
    if missing == "guide":
        interview_id, _ = store_interview(library, corpus_document("roadmap-03"), guide=False)
        reason = "follows no guide"
    else:
        interview_id = library.interviews.create("Not transcribed yet").id
        Tagger(library).use_guide(interview_id, builtin_guides()[0])
        reason = "no transcript yet"
    panel = SuggestionsPanel(analyst, QUndoStack())
    qtbot.addWidget(panel)
    panel.show()
    with pytest.raises(AnalysisUnavailable) as refused:  # as the host's background task reports it
        analyst.review(interview_id)
    panel.show_unavailable(str(refused.value))
    assert panel.message.isVisible() and reason in panel.message.text()
    assert panel.list.count() == 0
    _key(panel, Qt.Key.Key_Return)  # nothing to file
    assert library.quotes.for_interview(interview_id) == []


def test_an_answer_whose_words_were_deleted_meanwhile_is_refused_with_the_reason(reviewing, library):
    panel, _, _, interview_id = reviewing
    _walk_to_answer(panel)
    answer = panel.current()
    with library.db.atomic():  # the transcript corrected in the window since the suggestions were made
        library.db.execute(
            "DELETE FROM segments WHERE interview_id = ? AND start_ms >= ? AND end_ms <= ?",
            [interview_id, answer.start_ms, answer.end_ms],
        )
    _key(panel, Qt.Key.Key_Return)
    assert panel.message.isVisible() and "Nothing is said" in panel.message.text()
    assert library.quotes.for_interview(interview_id) == []
    assert panel.current() == answer  # still there to reject or adjust
