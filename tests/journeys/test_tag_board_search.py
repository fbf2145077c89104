"""Tagging a call from the keyboard, then finding it again: the board and the search open the interview at
the moment and play it; the guide is edited and saved as a new version."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.exceptions import TimeoutError as WaitedInVain

from app.guides import load_guide
from tests.journeys.conftest import CALL, SPEECH, interview_id
from tests.journeys.earful import (
    Earful,
    answering,
    click_interview,
    close_welcome,
    quit_app,
    select_words,
    shoot,
)

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def starts_playing(qtbot, player) -> bool:
    try:
        qtbot.waitUntil(lambda: player.playing, timeout=5000)
    except WaitedInVain:
        return False
    return True


def customer_segment(workspace):
    speakers = {s.id: s for s in workspace.library.transcripts.speakers(workspace.current_interview)}
    return next(
        segment
        for segment in workspace.library.transcripts.segments(workspace.current_interview)
        if speakers[segment.speaker_id].role.value == "customer" and len(segment.words) >= 4
    )


def test_file_a_quote_from_the_keyboard_and_the_board_opens_it_at_its_moment(
    qtbot, app_settings, library_dir, screenshots
):
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    click_interview(qtbot, workspace, CALL)
    call = workspace.current_interview

    # Pick a guide in the panel on the right (keyboard: the first guide under "No guide").
    guides = workspace.guide_panel.guides
    guides.setFocus()
    qtbot.keyClick(guides, Qt.Key.Key_Down)
    guide = workspace.tagging.guide
    assert guide is not None and guides.currentText() == guide.name
    assert workspace.library.guides.of_interview(call).slug == guide.slug

    # Select the customer's words, 1 for the first question, T for a tag, N for a note, Enter to file.
    segment = customer_segment(workspace)
    select_words(qtbot, workspace, segment.id, 1, 3)
    assert workspace.quote_bar.isVisible()
    qtbot.keyClick(workspace.transcript, Qt.Key.Key_1)
    qtbot.keyClick(workspace.transcript, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is workspace.quote_bar.tags_menu)
    qtbot.keyClick(workspace.quote_bar.tags_menu, Qt.Key.Key_Down)
    qtbot.keyClick(workspace.quote_bar.tags_menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not workspace.quote_bar.tags_menu.isVisible())
    workspace.transcript.setFocus()  # the menu closed: focus is back on the words
    qtbot.keyClick(workspace.transcript, Qt.Key.Key_N)
    assert workspace.quote_bar.note.hasFocus()
    qtbot.keyClicks(workspace.quote_bar.note, "Said twice")
    shoot(workspace.window, screenshots, "filing_a_quote")
    qtbot.keyClick(workspace.quote_bar.note, Qt.Key.Key_Return)

    (quote,) = workspace.library.quotes.for_interview(call)
    assert quote.question_key == guide.questions[0].key
    assert quote.tags == (guide.tags[0].name,)
    assert quote.note == "Said twice"
    assert quote.text == " ".join(w.text.strip() for w in segment.words[1:4])
    assert workspace.guide_panel.questions.item(0).text().startswith("●")  # answered

    # Elsewhere, the Board view (Ctrl+2) opens the quote's interview at its moment, playing.
    click_interview(qtbot, workspace, SPEECH)
    qtbot.keyClick(workspace.window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    board = workspace.board
    assert workspace.views.current == "Board" and board.isVisible() and not workspace.transcript.isVisible()
    # A build started before the quote was filed may land first; the one after the filing shows the quote's
    # words in the first question's row.
    qtbot.waitUntil(lambda: "“" in (board.model.index(0, 0).data() or ""), timeout=10_000)
    cell = board.model.index(0, 0)
    qtbot.mouseClick(
        board.grid.viewport(), Qt.MouseButton.LeftButton, pos=board.grid.visualRect(cell).center()
    )
    shoot(workspace.window, screenshots, "board")
    qtbot.keyClick(board.grid, Qt.Key.Key_Return)
    assert workspace.views.current == "Interview" and workspace.transcript.isVisible()
    assert workspace.current_interview == call
    assert abs(workspace.player.position - quote.start_ms) <= 1000  # at the quote's moment
    assert starts_playing(qtbot, workspace.player), "opening a quote on the board plays it"

    quit_app(qtbot, workspace, keys=False)


def test_search_opens_the_interview_at_the_phrase_and_plays_it(qtbot, app_settings, library_dir, screenshots):
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    click_interview(qtbot, workspace, CALL)
    speech = interview_id(library_dir, SPEECH)
    spoken = next(
        w for s in workspace.library.transcripts.segments(speech) for w in s.words if "fellow" in w.text
    )
    transcript_height = workspace.transcript.height()
    qtbot.keyClick(workspace.window, Qt.Key.Key_F, CTRL_SHIFT)
    assert workspace.search_popup.isVisible() and workspace.search.query.hasFocus()
    assert workspace.transcript.height() == transcript_height, (
        "search opens over the transcript, not beside it"
    )
    with qtbot.waitSignal(workspace.search.results_shown, timeout=10_000):
        qtbot.keyClicks(workspace.search.query, "fellow")
        qtbot.keyClick(workspace.search.query, Qt.Key.Key_Return)
    assert workspace.current_interview == speech and not workspace.search_popup.isVisible()
    assert abs(workspace.player.position - spoken.start_ms) <= 1000  # at the phrase
    shoot(workspace.window, screenshots, "search")
    assert starts_playing(qtbot, workspace.player), "opening a search hit plays it"
    quit_app(qtbot, workspace, keys=False)


def test_edit_the_guide_and_save_a_new_version(qtbot, app_settings, library_dir, screenshots):
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    click_interview(qtbot, workspace, CALL)
    reworded = "What happened that made you start looking?"

    def edit(editor) -> None:
        editor.tabs.setCurrentIndex(1)
        editor.sections.setCurrentRow(0)
        editor.questions.setCurrentRow(0)
        editor.question_text.setFocus()
        editor.question_text.selectAll()
        qtbot.keyClicks(editor.question_text, reworded)
        editor.resize(*workspace.window.size().toTuple())
        shoot(editor, screenshots, "guide_editor")
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        edit.said = editor.message.text()
        close = next(b for b in editor.findChildren(type(editor.save_button)) if b.text() == "Close")
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)

    with answering(qtbot, edit) as dialogs:
        qtbot.keyClick(workspace.window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert len(dialogs) == 1
    assert "as version 1" in edit.said
    (stored,) = workspace.library.guides.all()
    assert load_guide(stored.document).questions[0].text == reworded
    # From now on the new version is the one offered for interviews.
    assert any(
        g.version == stored.version and g.slug == stored.slug for g in workspace.tagger.available_guides()
    )
    quit_app(qtbot, workspace, keys=False)
