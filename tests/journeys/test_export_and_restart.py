"""The end of a week: a pack exported from File ▸ Export pack and read in a real browser; then Ctrl+Q, and
on the next start everything is where the user left it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from app.guides import builtin_guides
from app.library import Library
from app.services.tagging import Tagger
from app.ui.export_dialog import ExportPackDialog
from tests.export.browser import Browser
from tests.journeys.conftest import CALL, interview_id
from tests.journeys.earful import (
    Earful,
    answering,
    choose_files,
    click_interview,
    close_welcome,
    fill_in,
    menu_action,
    quit_app,
    shoot,
)


def test_export_a_pack_from_the_file_menu_and_read_it_in_a_browser(
    qtbot, app_settings, library_dir, tmp_path, monkeypatch, screenshots
):
    call = interview_id(library_dir, CALL)
    with Library.open(library_dir) as library:  # a call tagged earlier (tagging has its own journey)
        tagger = Tagger(library)
        tagger.use_guide(call, builtin_guides()[0])
        segment = library.transcripts.segments(call)[-1]
        words = [(segment.id, index) for index in range(1, 4)]
        quote = tagger.quote_words(call, words, question_key=builtin_guides()[0].questions[0].key).quote
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)

    qtbot.keyClick(
        workspace.window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ExportPackDialog))
    dialog: ExportPackDialog = QApplication.activeModalWidget()
    out = tmp_path / "packs"
    out.mkdir()
    with choose_files(monkeypatch, out):
        choose = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose…")
        qtbot.mouseClick(choose, Qt.MouseButton.LeftButton)
    assert str(out) in {line.text() for line in dialog.findChildren(QLineEdit)}
    dialog.resize(1100, 700)
    shoot(dialog, screenshots, "export_dialog")
    export = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Export…")
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as saved:
        qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    (page,) = [path for path in saved.args[0] if path.suffix == ".html"]
    assert page.parent == out

    browser = Browser(tmp_path / "chromium")
    try:
        browser.open(page)
        text = browser.evaluate("document.body.innerText")
        assert quote.text in text
        assert CALL in text
        assert all(url.startswith(("file:", "data:")) for url in browser.requested_urls())  # nothing online
        browser.screenshot(screenshots / "journey_pack_in_chromium.png", width=1366, height=768)
    finally:
        browser.close()
    quit_app(qtbot, workspace, keys=False)


def test_quit_with_ctrl_q_and_restart_with_everything_still_there(
    qtbot, app_settings, library_dir, screenshots
):
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    click_interview(qtbot, workspace, CALL)
    call = workspace.current_interview
    with answering(qtbot, fill_in("Dana")):
        menu_action(workspace, "Edit", "Speakers", "Customer (customer)", "Rename…").trigger()
    company = workspace.inspector.findChild(QLineEdit, "company")
    qtbot.mouseClick(company, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(company, "Northwind Freight")
    qtbot.keyClick(company, Qt.Key.Key_Return)
    speeds = workspace.player_bar.speed_box
    speeds.setFocus()
    qtbot.keyClick(speeds, Qt.Key.Key_Down)
    speed = workspace.player.speed
    assert speed != 1.0
    before = workspace.transcript.toPlainText()
    qtbot.keyClick(  # the search dock open: the layout is the user's too
        workspace.window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    shoot(workspace.window, screenshots, "before_quitting")
    quit_app(qtbot, workspace)  # Ctrl+Q

    again = Earful.start(qtbot, app_settings, library_dir)
    assert not any(w.isVisible() for w in again.window.findChildren(QPushButton) if w.text() == "Start")
    assert again.library.interviews.get(call).company == "Northwind Freight"
    assert "Dana" in {s.name for s in again.library.transcripts.speakers(call)}
    assert again.search_dock.isVisible()
    qtbot.waitUntil(lambda: again.window.menuBar().isVisible())
    assert again.transcript.height() > again.window.height() // 3, "the transcript keeps its room"
    shoot(again.window, screenshots, "restarted")
    assert again.current_interview == call, "the interview open at quit is open again"
    assert again.transcript.toPlainText() == before
    assert again.inspector.findChild(QLineEdit, "company").text() == "Northwind Freight"
    assert again.player.speed == speed, "the playback speed is remembered"
    quit_app(qtbot, again, keys=False)
