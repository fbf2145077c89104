"""Review mode on the real window with the real sentence model: View ▸ Review suggestions (Ctrl+Shift+R)
opens the Suggestions tab, the transcript shows the suggested questions fainter, and the keys decide them
(Enter files, Backspace rejects, ←/→ move an answer's end), each undone by Edit ▸ Undo. Correcting the
transcript or changing the guide makes the suggestions again without touching a filed quote; an interview
with no guide says why there is nothing to review."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.domain.quote import nudged
from app.library import Library
from app.services.analysis import Analyst
from app.ui.quote_bar import question_label
from app.ui.tagging_controller import SUGGESTED
from tests.analysis.corpus import corpus_document, store_interview
from tests.journeys.earful import Earful, answering, click_interview, close_welcome, fill_in, quit_app, shoot
from tests.ui.helpers import word_point

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
GUIDED, UNGUIDED = "roadmap-02", "roadmap-03"
MODEL_MS = 120_000


@pytest.fixture
def corpus_library(tmp_path) -> Path:
    """Two of the labelled interviews stored as transcribed: one follows the Roadmap guide, one no guide."""
    root = tmp_path / "library"
    with Library.open(root) as library:
        store_interview(library, corpus_document(GUIDED))
        store_interview(library, corpus_document(UNGUIDED), guide=False)
    return root


def review_shown(qtbot, workspace) -> None:
    panel = workspace.review.panel
    qtbot.waitUntil(lambda: panel.list.count() > 0 and panel.message.isHidden(), timeout=MODEL_MS)


def press(qtbot, workspace, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(workspace.review.panel.list, key, modifier)


def press_yes(dialog) -> None:
    next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Yes").click()


def excerpts(qtbot, workspace) -> list[str]:
    """What the panel shows of each suggestion, walked with ↓ from the first."""
    panel = workspace.review.panel
    panel.list.setCurrentRow(0)
    shown = [panel.excerpt.text()]
    for _ in range(panel.list.count() - 1):
        press(qtbot, workspace, Qt.Key.Key_Down)
        shown.append(panel.excerpt.text())
    return shown


def heading(workspace, key: str) -> str:
    """A question's heading in the transcript, as its number and wording."""
    questions = workspace.tagging.guide.questions
    number, question = next((n, q) for n, q in enumerate(questions, 1) if q.key == key)
    return question_label(number, question.text)


def walk_to(qtbot, workspace, kind: str):
    panel = workspace.review.panel
    while panel.current().kind != kind:
        press(qtbot, workspace, Qt.Key.Key_Down)
    return panel.current()


def test_review_the_guides_suggestions_by_keyboard_and_undo_each_decision(
    qtbot, app_settings, corpus_library, screenshots
):
    workspace = Earful.start(qtbot, app_settings, corpus_library)
    close_welcome(qtbot, workspace)
    library, panel = workspace.library, workspace.review.panel
    click_interview(qtbot, workspace, GUIDED)
    interview = workspace.current_interview

    qtbot.keyClick(workspace.window, Qt.Key.Key_R, CTRL_SHIFT)  # View ▸ Review suggestions
    assert workspace.page.side_tabs.currentWidget() is panel
    review_shown(qtbot, workspace)
    assert panel.list.hasFocus()
    open_before = panel.list.count()
    qtbot.waitUntil(lambda: SUGGESTED in workspace.transcript.toPlainText())  # fainter, "Suggested: …"
    shoot(workspace.window, screenshots, "review_suggestions")
    assert library.quotes.for_interview(interview) == [] and library.markers.of_interview(interview) == []

    # Enter on a suggested question: an ordinary marker, its heading no longer "Suggested".
    asked = walk_to(qtbot, workspace, "question")
    press(qtbot, workspace, Qt.Key.Key_Return)
    [marker] = library.markers.of_interview(interview)
    assert (marker.at_ms, marker.question) == (asked.start_ms, asked.question)
    lines = workspace.transcript.toPlainText().splitlines()
    assert heading(workspace, asked.question) in lines  # as a marker placed by hand
    assert f"{SUGGESTED} {heading(workspace, asked.question)}" not in lines

    # An answer: → moves its end a word later (not the player's 5-second skip), Enter files it.
    answer = walk_to(qtbot, workspace, "quote")
    position = workspace.player.position
    press(qtbot, workspace, Qt.Key.Key_Right)
    assert workspace.player.position == position
    words = Analyst(library).words(interview)
    moved = nudged(words, answer.start_ms, answer.end_ms, "end", 1)
    press(qtbot, workspace, Qt.Key.Key_Return)
    [quote] = library.quotes.for_interview(interview)
    assert (quote.start_ms, quote.end_ms, quote.question_key) == (*moved, answer.question)
    assert quote.id in [chip.quote_id for chip in workspace.transcript.chips]
    assert panel.list.count() == open_before - 2

    # Backspace rejects; Ctrl+Z takes the rejection back, then the filing.
    rejected = panel.current()
    press(qtbot, workspace, Qt.Key.Key_Backspace)
    assert rejected.id not in [s.id for s in Analyst(library).suggestions(interview)]
    qtbot.keyClick(workspace.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.list.count() == open_before - 2
    qtbot.keyClick(workspace.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert library.quotes.for_interview(interview) == []
    assert panel.list.count() == open_before - 1
    qtbot.keyClick(workspace.window, Qt.Key.Key_Z, CTRL_SHIFT)  # redo: filed again
    [quote] = library.quotes.for_interview(interview)

    # A corrected line of an answer not yet decided makes the suggestions again (the list says so at
    # once); the filed quote stays as it was.
    later = next(
        s for s in Analyst(library).suggestions(interview) if s.kind == "quote" and s.start_ms > quote.end_ms
    )
    segment = next(s for s in library.transcripts.segments(interview) if s.start_ms >= later.start_ms)
    with answering(qtbot, fill_in(segment.text + " Zanzibar")):
        qtbot.mouseDClick(
            workspace.transcript.viewport(),
            Qt.MouseButton.LeftButton,
            pos=word_point(workspace.transcript, segment.id, 0),
        )
    assert library.transcripts.segment(segment.id).text.endswith("Zanzibar")
    review_shown(qtbot, workspace)
    assert any("Zanzibar" in text for text in excerpts(qtbot, workspace))
    assert library.quotes.for_interview(interview) == [quote]

    # Another guide chosen in the Guide tab (and the change confirmed): back in Suggestions, they are made
    # for its questions; the filed quote is still there.
    tabs = workspace.page.side_tabs
    qtbot.mouseClick(tabs.tabBar(), Qt.MouseButton.LeftButton, pos=tabs.tabBar().tabRect(0).center())
    guides = workspace.guide_panel.guides
    guides.setFocus()
    with answering(qtbot, press_yes) as asked:
        qtbot.keyClick(guides, Qt.Key.Key_Down if guides.currentIndex() == 0 else Qt.Key.Key_Up)
    assert asked == ["Change guide"]
    other = workspace.tagging.guide
    assert other.slug != "recent-buyer-roadmap"
    qtbot.keyClick(workspace.window, Qt.Key.Key_R, CTRL_SHIFT)
    qtbot.waitUntil(lambda: panel.question.itemData(0) == other.questions[0].key, timeout=MODEL_MS)
    assert [q.id for q in library.quotes.for_interview(interview)] == [quote.id]

    # An interview without a guide: the reason and what to do in the window, not an empty list.
    click_interview(qtbot, workspace, UNGUIDED)
    qtbot.waitUntil(lambda: "follows no guide" in panel.message.text(), timeout=MODEL_MS)
    assert panel.message.isVisible() and panel.list.count() == 0
    assert "Guide tab" in panel.message.text() and "earful " not in panel.message.text()
    quit_app(qtbot, workspace)
