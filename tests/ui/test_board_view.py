"""The board widget on a real library of six tagged interviews: what it shows equals what a person counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox

from app.library import Library
from app.services.tagging import Tagger
from app.ui.board_model import HEADLINE_ROLE
from app.ui.board_view import BoardView
from tests.services.test_tagging import customer_segment, six  # noqa: F401 - the six tagged interviews, as the core test counts them

BY_QUESTION = ["trigger", "first-steps", "criteria"]
BY_THEME = ["Pricing", "Peers"]


@pytest.fixture
def board(qtbot, library, six):  # noqa: F811 - the fixture imported above
    view = BoardView(library.root)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    qtbot.waitUntil(lambda: view.model.board is not None)  # the first build, off the GUI thread
    return view


def shown_counts(view: BoardView) -> list[str]:
    """The "n of N interviews" painted under each row's question."""
    return [
        view.model.headerData(row, Qt.Orientation.Vertical, HEADLINE_ROLE)
        for row in range(view.model.rowCount())
    ]


def choose(qtbot, view: BoardView, combo: QComboBox, text: str) -> None:
    with qtbot.waitSignal(view.board_shown, timeout=10_000):
        combo.setCurrentText(text)


def interview_titles(view: BoardView) -> list[str]:
    return [
        view.model.headerData(column, Qt.Orientation.Horizontal).split("\n")[0]
        for column in range(view.model.columnCount())
    ]


def test_the_board_shows_hand_counted_answers_per_question_and_theme(qtbot, board, six):  # noqa: F811
    assert board.bar.guide.currentText() == "Mini roadmap"
    assert interview_titles(board) == ["Acme", "Bolt", "Crane", "Delta", "Echo", "Fjord"]
    assert board.bar.status.text().startswith("6 interviews following Mini roadmap")
    assert shown_counts(board) == ["2 of 6 interviews", "4 of 6 interviews", "1 of 6 interviews"]
    question = board.model.headerData(1, Qt.Orientation.Vertical)
    assert question == "2. Where did you look first?"
    acme, echo = 0, 4
    assert board.model.index(1, acme).data() == "“I read” (0:12)"  # readable quotes, not just a count
    assert board.model.index(1, echo).data() == "—"
    board.bar.rows.setCurrentText("By theme")
    assert shown_counts(board) == ["4 of 6 interviews", "2 of 6 interviews"]
    assert board.model.headerData(0, Qt.Orientation.Vertical) == "Pricing: Anything about price"


@pytest.mark.parametrize(
    ("segment", "outcome", "titles", "questions", "themes"),
    [
        ("Mid-market", None, ["Acme", "Bolt", "Crane", "Fjord"], [2, 3, 0], [3, 1]),
        (None, "won", ["Acme", "Bolt", "Delta", "Fjord"], [1, 4, 1], [4, 1]),
        ("Enterprise", "churned", ["Echo"], [0, 0, 0], [0, 1]),
    ],
)
def test_filters_change_what_is_counted(qtbot, board, segment, outcome, titles, questions, themes):
    if segment:
        choose(qtbot, board, board.bar.segment, segment)
    if outcome:
        choose(qtbot, board, board.bar.outcome, outcome)
    total = len(titles)
    assert interview_titles(board) == titles
    assert shown_counts(board) == [f"{n} of {total} interviews" for n in questions]
    board.bar.rows.setCurrentText("By theme")
    assert shown_counts(board) == [f"{n} of {total} interviews" for n in themes]
    assert board.bar.status.text() == f"{total} of 6 interviews following Mini roadmap"


def test_a_filter_nobody_matches_says_so(qtbot, board):
    with qtbot.waitSignal(board.board_shown, timeout=10_000):
        board.bar.date_from.setDate(board.bar.date_from.date().addYears(100))
    assert board.pages.currentWidget() is board.empty
    assert board.empty.text() == "No interview matches these filters."
    with qtbot.waitSignal(board.board_shown, timeout=10_000):
        board.bar.clear()
    assert board.pages.currentWidget() is board.grid


def test_a_cell_shows_its_quotes_in_full_and_opens_the_one_double_clicked(qtbot, library, board, six):  # noqa: F811
    """No second pane: the words, time and tags read in the cell, and the quote clicked is the one heard."""
    answer = customer_segment(library, six["Delta"], 3)  # "I read the pricing page and asked a few peers"
    Tagger(library).quote_words(
        six["Delta"], [(answer.id, i) for i in range(5, 10)], question_key="first-steps"
    )
    with qtbot.waitSignal(board.board_shown, timeout=10_000):
        board.refresh()
    first_steps, delta = 1, 3
    cell = board.model.index(first_steps, delta)
    assert board.model.data(cell).split("\n\n") == ["“I read” (0:12)", "“and asked a few peers” (0:14)"]
    rect = board.grid.visualRect(cell)
    assert board.grid.rowHeight(first_steps) >= board.grid.sizeHintForRow(
        first_steps
    )  # every quote shows, none cut off
    second_start = library.quotes.for_interview(six["Delta"])[-1].start_ms
    for point, start_ms in (
        (rect.topLeft() + QPoint(20, 10), 12_000),
        (rect.bottomLeft() + QPoint(20, -8), second_start),
    ):
        with qtbot.waitSignal(board.quote_activated) as opened:
            qtbot.mouseDClick(board.grid.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert opened.args == [six["Delta"], start_ms]
    with qtbot.waitSignal(board.quote_activated) as opened:
        board.grid.setFocus()
        board.grid.setCurrentIndex(cell)
        qtbot.keyClick(board.grid, Qt.Key.Key_Return)
    assert opened.args == [six["Delta"], 12_000]


def test_a_library_without_guides_explains_what_the_board_needs(qtbot, tmp_path):
    with Library.open(tmp_path / "empty") as library:
        view = BoardView(library.root)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.board_shown, timeout=10_000):
            view.show()
        assert view.pages.currentWidget() is view.empty
        assert view.empty.text().startswith("No guide in this library yet.")
        assert view.bar.guide.count() == 0
