"""The board widget on a real library of six tagged interviews: what it shows equals what a person counts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from app.library import Library
from app.ui.board_view import HEADLINE_ROLE, BoardView
from tests.services.test_tagging import six  # noqa: F401 - the six tagged interviews, as the core test counts them

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
    assert board.guide.currentText() == "Mini roadmap"
    assert interview_titles(board) == ["Acme", "Bolt", "Crane", "Delta", "Echo", "Fjord"]
    assert board.status.text() == "6 interviews following Mini roadmap"
    assert shown_counts(board) == ["2 of 6 interviews", "4 of 6 interviews", "1 of 6 interviews"]
    question = board.model.headerData(1, Qt.Orientation.Vertical)
    assert question == "2. Where did you look first?"
    acme, echo = 0, 4
    assert board.model.index(1, acme).data() == "“I read” (0:12)"  # readable quotes, not just a count
    assert board.model.index(1, echo).data() == "—"
    board.rows.setCurrentText("By theme")
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
        choose(qtbot, board, board.segment, segment)
    if outcome:
        choose(qtbot, board, board.outcome, outcome)
    total = len(titles)
    assert interview_titles(board) == titles
    assert shown_counts(board) == [f"{n} of {total} interviews" for n in questions]
    board.rows.setCurrentText("By theme")
    assert shown_counts(board) == [f"{n} of {total} interviews" for n in themes]
    assert board.status.text() == f"{total} of 6 interviews following Mini roadmap"


def test_a_filter_nobody_matches_says_so(qtbot, board):
    with qtbot.waitSignal(board.board_shown, timeout=10_000):
        board.date_from.setDate(board.date_from.date().addYears(100))
    assert board.pages.currentWidget() is board.empty
    assert board.empty.text() == "No interview matches these filters."
    with qtbot.waitSignal(board.board_shown, timeout=10_000):
        board.clear_filters()
    assert board.pages.currentWidget() is board.grid


def test_the_quotes_of_a_row_are_listed_underneath_and_open_at_their_moment(qtbot, board, six):  # noqa: F811
    first_steps, delta = 1, 3
    board.grid.setCurrentIndex(board.model.index(first_steps, delta))
    assert board.heading.text() == "Where did you look first? — 4 of 6 interviews"
    listed = [board.quotes.item(row).text() for row in range(board.quotes.count())]
    assert listed == [f"“I read”\n{title} · 0:12" for title in ("Acme", "Bolt", "Delta", "Fjord")]
    assert board.quotes.currentItem().text().endswith("Delta · 0:12")  # the chosen cell's quote
    with qtbot.waitSignal(board.quote_activated) as opened:
        qtbot.keyClick(board.quotes, Qt.Key.Key_Return)
    assert opened.args == [six["Delta"], 12_000]
    with qtbot.waitSignal(board.quote_activated) as opened:
        board.grid.setFocus()
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
        assert view.guide.count() == 0
