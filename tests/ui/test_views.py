"""The window's views, toolbar and empty library, driven as a user drives them: Ctrl+1 / Ctrl+2 and the
View menu, Ctrl+Shift+F for search, toolbar buttons, a drop on the empty library; and the Interview view on a
1366×768 laptop screen, measured on the real window."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QPalette, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QToolBar, QToolButton

from app.guides import builtin_guides
from app.services.tagging import Tagger
from app.ui.empty_library import PROMPT
from app.ui.icons import icon
from app.ui.settings import AUTO_TRANSCRIBE
from tests.ui.helpers import long_interview, menu_action, run_earful_script

CTRL = Qt.KeyboardModifier.ControlModifier
LAPTOP = (1366, 768)


def fully_visible_lines(view) -> int:
    """Lines of transcript text that lie wholly inside the view's viewport, as laid out on screen."""
    document, offset = view.document(), view.verticalScrollBar().value()
    bottom = view.viewport().height()
    count, block = 0, document.begin()
    while block.isValid():
        if block.text().strip():
            top = document.documentLayout().blockBoundingRect(block).top() - offset
            layout = block.layout()
            for number in range(layout.lineCount()):
                line = layout.lineAt(number)
                if top + line.y() >= 0 and top + line.y() + line.height() <= bottom:
                    count += 1
        block = block.next()
    return count


def inside_window(window, widget) -> bool:
    corner = widget.mapTo(window.window, QPoint(widget.width(), widget.height()))
    return widget.isVisible() and corner.x() <= window.window.width() and corner.y() <= window.window.height()


def test_at_1366_by_768_the_interview_view_shows_15_lines_the_player_and_the_side_panel(qtbot, window):
    interview = long_interview(window.library)
    window.window.resize(*LAPTOP)
    window.reload_interviews()
    window.open_interview(interview)
    qtbot.waitUntil(lambda: window.window.size() == QSize(*LAPTOP))
    qtbot.waitUntil(lambda: fully_visible_lines(window.transcript) >= 15)
    assert inside_window(window, window.player_bar)
    assert inside_window(window, window.inspector)
    assert inside_window(window, window.guide_panel)
    company = window.inspector.findChild(QLineEdit, "company")
    assert company.width() >= 120, "the customer's details are readable, not squeezed"


def test_a_first_start_on_a_1366_by_768_screen_opens_inside_it(tmp_path):
    screen = tmp_path / "screen.json"
    screen.write_text('{"screens": [{"name": "laptop", "width": 1366, "height": 768, "logicalDpi": 96}]}')
    code = (
        "import sys; from PySide6.QtCore import QSettings; from PySide6.QtWidgets import QApplication\n"
        "from app.ui.main_window import MainWindow; from app.ui.screen_fit import free_area\n"
        "from app.ui.settings import AppSettings\n"
        "app = QApplication([]); settings = AppSettings(QSettings(sys.argv[1], QSettings.Format.IniFormat))\n"
        "window = MainWindow(settings); window.show(); app.processEvents()\n"
        "free = free_area(window); frame = window.frameGeometry()\n"
        "print(free.contains(frame), frame.width(), frame.height())\n"
    )
    inside, width, height = run_earful_script(
        code, str(tmp_path / "earful.ini"), QT_QPA_PLATFORM=f"offscreen:configfile={screen}"
    )[-1].split()
    assert inside == "True", (width, height)
    assert int(width) >= 1300 and int(height) >= 700, "and uses the screen it has"


def test_ctrl_2_shows_the_board_full_width_and_ctrl_1_the_interview_as_it_was(qtbot, window):
    interview = long_interview(window.library)
    Tagger(window.library).use_guide(interview, builtin_guides()[0])
    window.reload_interviews()
    window.open_interview(interview)
    # Words selected in the transcript: there a plain 1 files them under question 1, Ctrl+1/2 switch views.
    window.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window.window)
    window.transcript.setFocus()
    cursor = window.transcript.textCursor()
    cursor.setPosition(
        window.transcript.word_range(window.library.transcripts.segments(interview)[1].id, 0)[0]
    )
    cursor.movePosition(QTextCursor.MoveOperation.NextWord, QTextCursor.MoveMode.KeepAnchor, 3)
    window.transcript.setTextCursor(cursor)
    assert window.quote_bar.isVisible()  # ready to file the words
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, CTRL)
    assert window.views.current == "Board"
    assert window.board.isVisible() and not window.transcript.isVisible()
    assert window.board.width() == window.views.width(), "the board has the window's whole width"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, CTRL)
    assert window.views.current == "Interview"
    assert window.current_interview == interview and window.transcript.hasFocus()
    assert window.library.quotes.for_interview(interview) == [], "Ctrl+1 files nothing"
    menu_action(window.window, "View", "Board").trigger()
    assert window.views.current == "Board"
    menu_action(window.window, "View", "Interview").trigger()
    assert window.views.current == "Interview"


def test_each_view_keeps_its_place_while_the_other_shows(qtbot, window):
    interview = long_interview(window.library)
    Tagger(window.library).use_guide(interview, builtin_guides()[0])
    window.reload_interviews()
    window.open_interview(interview)
    window.player.seek(95_000)
    QTest.keyClick(window.window, Qt.Key.Key_2, CTRL)
    window.board.refresh()
    qtbot.waitUntil(lambda: window.board.model.rowCount() > 2)
    chosen = window.board.model.index(2, 0)
    window.board.grid.setCurrentIndex(chosen)
    window.board.grid.setFocus()
    QTest.keyClick(window.window, Qt.Key.Key_1, CTRL)
    assert window.current_interview == interview and window.player.position == 95_000
    QTest.keyClick(window.window, Qt.Key.Key_2, CTRL)
    assert window.board.grid.currentIndex() == chosen and window.board.grid.hasFocus()


def test_ctrl_shift_f_opens_search_over_the_transcript_and_esc_closes_it(qtbot, window):
    interview = long_interview(window.library)
    window.reload_interviews()
    window.open_interview(interview)
    height = window.transcript.height()
    QTest.keyClick(window.window, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.search_popup.isVisible() and window.search.query.hasFocus()
    assert window.transcript.height() == height, "search does not take the transcript's rows"
    QTest.keyClick(window.search.query, Qt.Key.Key_Escape)  # clears the box
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.search_popup.isVisible())


def toolbar_buttons(window) -> dict[str, QToolButton]:
    toolbar = window.window.findChild(QToolBar, "main-toolbar")
    return {
        action.iconText(): toolbar.widgetForAction(action)
        for action in toolbar.actions()
        if toolbar.widgetForAction(action) is not None and action.iconText()
    }


def test_the_toolbar_has_icons_and_words_for_the_main_commands_and_the_views(qtbot, window):
    buttons = toolbar_buttons(window)
    assert {"Import", "Record a call", "Transcribe", "Export pack", "Interview", "Board", "Search"} <= set(
        buttons
    )
    for name, button in buttons.items():
        if name in {"Import", "Record a call", "Transcribe", "Export pack", "Interview", "Board", "Search"}:
            assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            assert not button.icon().isNull(), name
    qtbot.mouseClick(buttons["Board"], Qt.MouseButton.LeftButton)
    assert window.views.current == "Board"
    qtbot.mouseClick(buttons["Interview"], Qt.MouseButton.LeftButton)
    assert window.views.current == "Interview"
    qtbot.mouseClick(buttons["Search"], Qt.MouseButton.LeftButton)
    assert window.search_popup.isVisible() and window.search.query.hasFocus()
    window.search_popup.close()


def test_the_queue_is_a_status_bar_button_that_opens_the_queue(qtbot, window):
    button = window.queue_button
    assert button.isVisible() and button.text() == "Queue: nothing to transcribe"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.popover.isVisible() and window.queue_panel.isVisible()
    assert button.popover.geometry().center().y() < button.mapToGlobal(QPoint(0, 0)).y(), "it opens upwards"
    button.popover.close()
    menu_action(window.window, "View", "Transcription queue").trigger()
    assert button.popover.isVisible()
    button.popover.close()


def ink(image) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]


def test_icons_are_drawn_sharp_at_200_percent_and_light_on_a_dark_theme(qapp):
    original = qapp.palette()
    try:
        for text, dark in (("#1a1a1a", False), ("#f0f0f0", True)):
            palette = QPalette(original)
            palette.setColor(QPalette.ColorRole.ButtonText, QColor(text))
            qapp.setPalette(palette)
            pixmap = icon("record").pixmap(QSize(24, 24), 2.0)
            assert pixmap.deviceIndependentSize().toSize() == QSize(24, 24)
            assert pixmap.width() == 48, "drawn at the screen's pixels, not scaled up"
            colours = ink(pixmap.toImage())
            assert colours, "the icon draws something"
            lightness = sum(colour.lightnessF() for colour in colours) / len(colours)
            assert (lightness > 0.8) if dark else (lightness < 0.2)
    finally:
        qapp.setPalette(original)


def test_an_empty_library_says_where_recordings_go_and_takes_them_dropped(qtbot, window, speech):
    window.settings.set(AUTO_TRANSCRIBE, False)  # the import is what this tests, not the model
    empty = window.page.empty
    assert empty.isVisible() and empty.prompt.text() == PROMPT
    assert not window.transcript.isVisible()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(speech / "jfk.flac"))])
    drop = QDropEvent(
        QPointF(empty.width() / 2, empty.height() / 2),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.imports.imported, timeout=60_000):
        empty.dropEvent(
            drop
        )  # a real drop event through the zone's handler (Qt delivers drops only mid-drag)
    assert len(window.library.interviews.summaries()) == 1
    assert not empty.isVisible() and window.transcript.isVisible()
    assert window.heading.text() == "jfk"


def test_record_a_call_on_the_empty_library_opens_the_recorder(qtbot, window):
    from app.ui.record_panel import RecordDialog

    qtbot.mouseClick(window.page.empty.record_button, Qt.MouseButton.LeftButton)
    dialog = window.window.findChild(RecordDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.close()


def test_import_recordings_on_the_empty_library_imports_what_the_user_picks(
    qtbot, window, speech, monkeypatch
):
    window.settings.set(AUTO_TRANSCRIBE, False)
    # The one stand-in: a native file dialog cannot be driven offscreen; the user picks jfk.flac in it.
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(speech / "jfk.flac")], ""))
    with qtbot.waitSignal(window.imports.imported, timeout=60_000):
        qtbot.mouseClick(window.page.empty.import_button, Qt.MouseButton.LeftButton)
    assert [s.interview.title for s in window.library.interviews.summaries()] == ["jfk"]
    assert window.transcript.isVisible()


def test_a_search_hit_opened_from_the_board_view_plays_in_the_interview_view(qtbot, window):
    interview = long_interview(window.library)
    window.reload_interviews()
    QTest.keyClick(window.window, Qt.Key.Key_2, CTRL)
    QTest.keyClick(window.window, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    with qtbot.waitSignal(window.search.results_shown, timeout=10_000):
        qtbot.keyClicks(window.search.query, "spreadsheet")
        qtbot.keyClick(window.search.query, Qt.Key.Key_Return)
    assert window.views.current == "Interview" and not window.search_popup.isVisible()
    assert window.current_interview == interview
    assert window.player.position == 10_000 + 7 * 400  # at the turn's eighth word, "spreadsheet"
