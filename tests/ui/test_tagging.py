"""Tagging in the main window, keyboard first: select words, press a question's number, Enter.

Real widgets offscreen and a real library on disk; the transcripts are stored as the worker stores them
(the real-speech path is in test_screenshots.py), so these tests pin the UI logic quickly.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip

from app.domain.colours import AA_TEXT, contrast, delta_e, luminance
from app.ui.colours import rgb
from app.ui.workspace import Workspace
from tests.services.test_tagging import GUIDE, make_interview


@pytest.fixture
def window(guided_window):
    return guided_window


def select(window: Workspace, segment_index: int, first_word: int, last_word: int) -> None:
    """Select words the way a drag over them does: from the first word's start to the last word's end."""
    segment = window.library.transcripts.segments(window.current_interview)[segment_index]
    start, _ = window.transcript.word_range(segment.id, first_word)
    _, end = window.transcript.word_range(segment.id, last_word)
    cursor = QTextCursor(window.transcript.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    window.transcript.setTextCursor(cursor)
    window.transcript.setFocus()


def put_caret(window: Workspace, segment_index: int, word: int) -> None:
    segment = window.library.transcripts.segments(window.current_interview)[segment_index]
    start, _ = window.transcript.word_range(segment.id, word)
    cursor = QTextCursor(window.transcript.document())
    cursor.setPosition(start + 1)
    window.transcript.setTextCursor(cursor)


def tinted_ranges(window: Workspace) -> list[tuple[int, int]]:
    return [
        (selection.cursor.selectionStart(), selection.cursor.selectionEnd())
        for selection in window.transcript.extraSelections()
    ]


def test_number_key_note_and_enter_file_the_selected_words_as_a_quote(qtbot, window):
    select(window, 3, 2, 4)  # "the pricing page", said by the customer
    assert window.quote_bar.isVisible()
    assert not window.quote_bar.warning.isVisible()
    qtbot.keyClick(window.transcript, Qt.Key.Key_2)
    assert window.quote_bar.question.currentData() == "first-steps"
    qtbot.keyClick(window.transcript, Qt.Key.Key_N)
    assert window.quote_bar.note.hasFocus()
    qtbot.keyClicks(window.quote_bar.note, "Prices up front")
    qtbot.keyClick(window.quote_bar.note, Qt.Key.Key_Return)

    segment = window.library.transcripts.segments(window.current_interview)[3]
    (quote,) = window.library.quotes.for_interview(window.current_interview)
    assert (quote.text, quote.question_key, quote.note) == (
        "the pricing page",
        "first-steps",
        "Prices up front",
    )
    assert (quote.start_ms, quote.end_ms) == (segment.words[2].start_ms, segment.words[4].end_ms)
    assert window.library.transcripts.speaker(quote.speaker_id).name == "Customer"
    assert not window.quote_bar.isVisible()
    start, _ = window.transcript.word_range(segment.id, 2)
    _, end = window.transcript.word_range(segment.id, 4)
    assert (start, end) in tinted_ranges(window), "the quote is tinted in the transcript"
    assert window.guide_panel.questions.item(1).text().startswith("●")

    window.undo_action.trigger()
    assert window.library.quotes.for_interview(window.current_interview) == []
    assert (start, end) not in tinted_ranges(window)
    window.redo_action.trigger()
    assert [q.id for q in window.library.quotes.for_interview(window.current_interview)] == [quote.id]


def test_tags_come_from_the_guide_and_t_opens_them(qtbot, window):
    select(window, 3, 8, 9)  # "few peers"
    qtbot.keyClick(window.transcript, Qt.Key.Key_T)
    menu = window.quote_bar.tags_menu
    qtbot.waitUntil(menu.isVisible)
    assert [action.text() for action in menu.actions()] == ["Pricing", "Peers"]
    menu.actions()[1].trigger()
    menu.close()
    qtbot.keyClick(window.transcript, Qt.Key.Key_Return)
    (quote,) = window.library.quotes.for_interview(window.current_interview)
    assert (quote.text, quote.tags, quote.question_key) == ("few peers", ("Peers",), None)


def test_selecting_the_interviewers_words_warns_before_filing(window):
    select(window, 0, 0, 3)
    warning = window.quote_bar.warning
    assert warning.isVisible()
    assert "interviewer" in warning.text()


def test_a_number_the_guide_does_not_have_changes_nothing(qtbot, window):
    select(window, 3, 2, 4)
    qtbot.keyClick(window.transcript, Qt.Key.Key_7)
    assert window.quote_bar.question.currentData() is None
    assert "no question 7" in window.window.statusBar().currentMessage()


def test_escape_closes_the_bar_and_files_nothing(qtbot, window):
    select(window, 3, 2, 4)
    qtbot.keyClick(window.transcript, Qt.Key.Key_1)
    qtbot.keyClick(window.transcript, Qt.Key.Key_Escape)
    assert not window.quote_bar.isVisible()
    assert not window.transcript.textCursor().hasSelection()
    assert window.library.quotes.for_interview(window.current_interview) == []


def test_the_caret_in_a_quote_opens_it_to_refile_and_undo_puts_it_back(qtbot, window):
    segment = window.library.transcripts.segments(window.current_interview)[1]
    quote = window.tagger.quote_words(window.current_interview, [(segment.id, 1), (segment.id, 2)]).quote
    window._refresh_transcript()
    put_caret(window, 1, 2)
    assert window.quote_bar.quote == quote
    qtbot.keyClick(window.transcript, Qt.Key.Key_1)
    qtbot.keyClick(window.transcript, Qt.Key.Key_Return)
    assert window.library.quotes.get(quote.id).question_key == "trigger"
    window.undo_action.trigger()
    assert window.library.quotes.get(quote.id).question_key is None

    put_caret(window, 1, 1)
    window.quote_bar.delete_button.click()
    assert window.library.quotes.for_interview(window.current_interview) == []
    window.undo_action.trigger()
    assert window.library.quotes.get(quote.id).text == quote.text


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No])
def test_deleting_a_segment_asks_first_and_takes_only_its_own_quotes(window, monkeypatch, answer):
    interview = window.current_interview
    segments = window.library.transcripts.segments(interview)
    only_here = window.tagger.quote_words(interview, [(segments[3].id, 2), (segments[3].id, 3)]).quote
    across = window.tagger.add_quote(interview, segments[2].start_ms, segments[3].end_ms).quote
    asked = []

    def user_answers(_parent, title, text, *args):  # stands in for the user's click in the modal box
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", user_answers)
    window.transcript.delete_requested.emit(segments[3].id)
    assert "1 quote(s)" in asked[0]
    remaining = {quote.id for quote in window.library.quotes.for_interview(interview)}
    if answer == QMessageBox.StandardButton.No:
        assert remaining == {only_here.id, across.id}
        assert len(window.library.transcripts.segments(interview)) == 4
        return
    assert remaining == {across.id}, "a quote with no words left is deleted, one with words left stays"
    assert window.library.quotes.get(across.id).text == segments[2].text
    assert segments[3].text not in window.transcript.toPlainText()
    window.undo_action.trigger()
    assert [s.id for s in window.library.transcripts.segments(interview)] == [s.id for s in segments]
    assert window.library.quotes.get(only_here.id).text == "the pricing"
    assert window.library.quotes.get(across.id).text == f"{segments[2].text} {segments[3].text}"


def test_the_guide_panel_shows_answered_asked_and_missing_questions(window):
    interview = window.current_interview
    segment = window.library.transcripts.segments(interview)[1]
    window.tagger.quote_words(interview, [(segment.id, 0)], question_key="trigger")
    window.library.markers.add(interview, 9000, "question", question="first-steps")
    window.open_interview(interview)
    rows = [window.guide_panel.questions.item(i).text() for i in range(window.guide_panel.questions.count())]
    assert rows == [
        "●  1. What made you start looking?",
        "◐  2. Where did you look first?",
        "○  3. What mattered most?",
    ]
    assert window.guide_panel.summary.text() == "1 of 3 questions answered"
    assert window.guide_panel.guides.currentText() == GUIDE.name


def test_choosing_a_guide_offers_its_questions_to_the_keys(qtbot, window):
    other = make_interview(window.library, "Harbor Foods – plant manager")
    window.reload_interviews()
    window.open_interview(other)
    assert window.guide_panel.guides.currentText() == "No guide"
    index = window.guide_panel.guides.findData("recent-buyer-roadmap")
    window.guide_panel.guides.setCurrentIndex(index)
    window.guide_panel.guides.activated.emit(index)
    assert window.tagger.guide_of(other)[1].slug == "recent-buyer-roadmap"
    assert window.guide_panel.questions.count() == 11
    assert window.guide_panel.questions.isVisible()
    select(window, 3, 2, 4)
    qtbot.keyClick(window.transcript, Qt.Key.Key_4)
    assert window.quote_bar.question.currentData() == window.tagger.guide_of(other)[1].questions[3].key


def test_an_interview_without_a_guide_shows_one_line_and_the_picker_not_an_empty_box(qtbot, window):
    guided = window.current_interview
    transcript_height = window.transcript.height()
    other = make_interview(window.library, "Harbor Foods – plant manager")
    window.reload_interviews()
    window.open_interview(other)
    panel = window.guide_panel
    qtbot.waitUntil(lambda: not panel.questions.isVisible())
    assert panel.guides.isVisible() and panel.guides.currentText() == "No guide"
    assert panel.summary.isVisible() and panel.summary.text().startswith("No guide chosen")
    below_line = panel.height() - panel.summary.geometry().bottom()
    assert below_line > panel.summary.height() * 2, "the space under the line is empty panel, not a box"
    assert window.transcript.height() == transcript_height, "the transcript keeps its height"
    window.open_interview(guided)
    assert panel.questions.isVisible() and panel.questions.count() == 3


def file_quote_with_tag_and_note(qtbot, window: Workspace, note_lines: list[str]) -> None:
    """Select "the pricing page", press 2, tick the second tag, type a note over lines, Enter."""
    select(window, 3, 2, 4)
    qtbot.keyClick(window.transcript, Qt.Key.Key_2)
    qtbot.keyClick(window.transcript, Qt.Key.Key_T)
    menu = window.quote_bar.tags_menu
    qtbot.waitUntil(menu.isVisible)
    menu.actions()[1].trigger()
    menu.close()
    qtbot.keyClick(window.transcript, Qt.Key.Key_N)
    for number, line in enumerate(note_lines):
        if number:
            qtbot.keyClick(window.quote_bar.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClicks(window.quote_bar.note, line)
    qtbot.keyClick(window.quote_bar.note, Qt.Key.Key_Return)


def test_the_note_is_a_box_of_several_lines_where_shift_enter_breaks_a_line(qtbot, window):
    window.window.resize(1366, 768)
    select(window, 3, 2, 4)
    qtbot.keyClick(window.transcript, Qt.Key.Key_N)
    note = window.quote_bar.note
    qtbot.waitUntil(lambda: note.height() > 0)
    line = note.fontMetrics().lineSpacing()
    assert note.height() >= 3 * line, "three lines of note at least (it was squeezed to ~35 px)"
    assert note.width() >= 20 * note.fontMetrics().horizontalAdvance("M")
    qtbot.keyClick(window.transcript, Qt.Key.Key_Escape)
    file_quote_with_tag_and_note(qtbot, window, ["Pertinent: prices up front", "Said twice"])
    (quote,) = window.library.quotes.for_interview(window.current_interview)
    assert quote.note == "Pertinent: prices up front\nSaid twice"
    assert not window.quote_bar.isVisible()


def test_a_filed_quote_shows_a_chip_with_its_question_and_tag_and_the_note_on_hover(qtbot, window):
    file_quote_with_tag_and_note(qtbot, window, ["Prices <b>up front</b>"])
    (quote,) = window.library.quotes.for_interview(window.current_interview)
    view = window.transcript
    (chip,) = view.chips
    assert chip.label == "2 · Peers"
    segment = window.library.transcripts.segments(window.current_interview)[3]
    assert chip.first == view.word_range(segment.id, 2)[0]
    view.verticalScrollBar().setValue(0)
    # Drawn in the margin, right of the text, filled with the quote's tint.
    image = view.viewport().grab().toImage()
    rect = view.chip_rect(quote.id)
    fill = image.pixelColor(rect.right() - 3, rect.center().y())
    assert fill.name() == chip.tint.name()
    text_right = max(view.cursorRect(QTextCursor(view.document().findBlock(chip.first))).right(), 0)
    assert rect.left() > view.viewport().width() // 2 > text_right
    # Hovering shows the note, as text (never markup).
    QApplication.sendEvent(
        view.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, rect.center(), view.viewport().mapToGlobal(rect.center())),
    )
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Prices &lt;b&gt;up front&lt;/b&gt;" in QToolTip.text()
    assert "2 · " in QToolTip.text()
    QToolTip.hideText()
    # A click on the chip opens the quote in the bar, to re-file it.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.quote_bar.isVisible() and window.quote_bar.quote == quote


@pytest.mark.parametrize("dark", [False, True])
def test_quote_tints_and_the_playback_highlight_keep_text_readable_and_apart(qtbot, window, dark):
    """Every question's tint, as the window draws it, against the playing word: text on each keeps WCAG AA,
    and the two stay distinct (CIEDE2000 ≥ 20; see tests/domain/test_colours.py for why)."""
    if dark:
        palette = QPalette(window.window.palette())
        palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
        window.window.setPalette(palette)  # the colours follow (no need to show the guide again)
    segments = window.library.transcripts.segments(window.current_interview)
    for number, key in enumerate(q.key for q in GUIDE.questions):
        segment = segments[number % len(segments)]
        window.tagger.quote_words(window.current_interview, [(segment.id, 0)], question_key=key)
    window._refresh_transcript()
    view = window.transcript
    view.highlight_time(segments[0].words[0].start_ms + 1)
    *tints, playing = view.extraSelections()
    assert len(tints) == len(GUIDE.questions)
    base = rgb(view.palette().color(QPalette.ColorRole.Base))
    text = rgb(view.palette().color(QPalette.ColorRole.Text))
    highlight = rgb(playing.format.background().color())
    assert contrast(rgb(playing.format.foreground().color()), highlight) >= AA_TEXT
    assert len({tint.format.background().color().name() for tint in tints}) == len(GUIDE.questions)
    assert (luminance(base) < 0.1) == dark, "the theme asked for is the one drawn"
    for tint in tints:
        colour = rgb(tint.format.background().color())
        assert contrast(text, colour) >= AA_TEXT
        assert delta_e(colour, highlight) >= 20
        assert delta_e(colour, base) >= 8, "a tint you can see"


def test_a_live_switch_to_dark_mode_recolours_the_questions_tints_and_guide_panel(qtbot, window):
    """The question colours are chosen for the palette: after the desktop turns dark (the application's
    palette changes while the interview is open) the tints are the dark palette's, not light hues."""
    from app.ui.colours import question_colours, scheme
    from tests.ui.test_screenshots import dark_palette

    segments = window.library.transcripts.segments(window.current_interview)
    answers = segments[1::2]  # the customer's two turns: questions 1 and 2
    for key, segment in zip((q.key for q in GUIDE.questions), answers, strict=False):
        window.tagger.quote_words(window.current_interview, [(segment.id, 0)], question_key=key)
    window._refresh_transcript()
    app = QApplication.instance()
    light = QPalette(app.palette())

    def quote_tints() -> list:  # the tints drawn on the quotes' words (the playing word's comes after)
        return [s.format.background().color() for s in window.transcript.extraSelections()][: len(answers)]

    light_tints = [tint.name() for tint in quote_tints()]
    try:
        app.setPalette(dark_palette())
        view = window.transcript
        qtbot.waitUntil(lambda: view.palette().color(QPalette.ColorRole.Base).name() == "#17181a")
        dark = view.palette()
        hues = question_colours(len(GUIDE.questions), dark)
        expected = [scheme(dark).tint(rgb(hue)) for hue in hues[: len(answers)]]
        assert [tint.name() for tint in quote_tints()] != light_tints
        drawn = [rgb(tint) for tint in quote_tints()]
        assert [round(c, 2) for tint in drawn for c in tint] == [round(c, 2) for t in expected for c in t]
        swatch = window.quote_bar.question.itemIcon(1).pixmap(12, 12).toImage().pixelColor(6, 6)
        assert swatch.name() == hues[0].name(), "the quote bar's swatch is the question's new colour"
        answered = window.guide_panel.questions.item(0).background().color()
        assert (answered.red(), answered.green(), answered.blue()) == (
            hues[0].red(), hues[0].green(), hues[0].blue()
        ), "the guide panel's row is tinted in the question's new colour"
    finally:
        app.setPalette(light)
