"""Tags as a marketer reads them: a guide names them in one word for YAML ("DecisionReason"); the quote
bar, the chips, the board and the export preview show "Decision reason", while the library stores the
guide's name (so the command line, a guide's YAML and older packs still match)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTextBrowser

from app.guides.model import Tag
from app.ui.board_model import HTML_ROLE
from tests.services.test_tagging import GUIDE
from tests.ui.conftest import open_guided_window
from tests.ui.helpers import menu_action
from tests.ui.test_tagging import put_caret, select

TAGGED_GUIDE = replace(
    GUIDE,
    tags=(
        Tag("DecisionReason", "#1f77b4", "Why they chose what they chose"),
        Tag("WordOfMouth", "#ff7f0e", "Advice from peers"),
    ),
)


@pytest.fixture
def window(qtbot, tmp_path, app_settings):
    yield from open_guided_window(qtbot, tmp_path, app_settings, TAGGED_GUIDE)


def test_tags_read_with_spaces_in_the_quote_bar_chips_board_and_export_preview(qtbot, window):
    select(window, 3, 8, 9)  # "few peers"
    qtbot.keyClick(window.transcript, Qt.Key.Key_2)  # "Where did you look first?"
    qtbot.keyClick(window.transcript, Qt.Key.Key_T)
    menu = window.quote_bar.tags_menu
    qtbot.waitUntil(menu.isVisible)
    assert [action.text() for action in menu.actions()] == ["Decision reason", "Word of mouth"]
    menu.actions()[0].trigger()
    menu.close()
    assert window.quote_bar.tags_button.text() == "Tags: Decision reason"
    qtbot.keyClick(window.transcript, Qt.Key.Key_Return)
    (quote,) = window.library.quotes.for_interview(window.current_interview)
    assert quote.tags == ("DecisionReason",), "stored under the guide's own name"
    (chip,) = window.transcript.chips
    assert chip.label == "2 · Decision reason"

    put_caret(window, 3, 8)  # the caret in the quote opens it again, its tag ticked
    qtbot.waitUntil(window.quote_bar.isVisible)
    assert window.quote_bar.tags_button.text() == "Tags: Decision reason"
    assert [a.text() for a in menu.actions() if a.isChecked()] == ["Decision reason"]
    qtbot.keyClick(window.quote_bar, Qt.Key.Key_Escape)

    qtbot.keyClick(window.window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # the Board view
    board = window.board

    def question_two() -> str:  # its cell for the one interview, once the board is built with the quote
        return (board.model.index(1, 0).data() or "") if board.model.rowCount() > 1 else ""

    qtbot.waitUntil(lambda: "few peers" in question_two())
    cell = board.model.index(1, 0).data(HTML_ROLE)  # what the grid draws
    assert "few peers" in cell and "Decision reason" in cell and "DecisionReason" not in cell

    shown: list[str] = []

    def read_preview() -> None:
        dialog = QApplication.activeModalWidget()
        preview = dialog.findChild(QTextBrowser) if dialog else None
        if preview is not None and "Decision reason" in preview.toPlainText():
            shown.append(preview.toPlainText())
            dialog.reject()

    menu_action(window.window, "File", "Export pack…").trigger()
    qtbot.waitUntil(lambda: read_preview() or bool(shown), timeout=10_000)
    assert "DecisionReason" not in shown[0]
