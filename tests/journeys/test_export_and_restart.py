"""The end of a week: a pack exported from File ▸ Export pack and read in a real browser; then Ctrl+Q, and
on the next start everything is where the user left it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from app.guides import builtin_guides
from app.library import Library
from app.services.tagging import Tagger
from app.ui.export_dialog import ExportPackDialog
from tests.conftest import REPO
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
    qtbot.keyClick(  # the Board view shown at quit: a restart still opens the interview where it was
        workspace.window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier
    )
    shoot(workspace.window, screenshots, "before_quitting")
    quit_app(qtbot, workspace)  # Ctrl+Q

    again = Earful.start(qtbot, app_settings, library_dir)
    assert not any(w.isVisible() for w in again.window.findChildren(QPushButton) if w.text() == "Start")
    assert again.library.interviews.get(call).company == "Northwind Freight"
    assert "Dana" in {s.name for s in again.library.transcripts.speakers(call)}
    assert again.views.current == "Interview"
    qtbot.waitUntil(lambda: again.window.menuBar().isVisible())
    assert again.transcript.height() > again.window.height() // 3, "the transcript keeps its room"
    shoot(again.window, screenshots, "restarted")
    assert again.current_interview == call, "the interview open at quit is open again"
    assert again.transcript.toPlainText() == before
    assert again.inspector.findChild(QLineEdit, "company").text() == "Northwind Freight"
    assert again.player.speed == speed, "the playback speed is remembered"
    quit_app(qtbot, again, keys=False)


QUIT_ON_A_DESKTOP = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from app.ui.application import EarfulApplication
from app.ui.settings import WELCOME_SHOWN, AppSettings

settings = AppSettings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
settings.set(WELCOME_SHOWN, True)
app = EarfulApplication([], settings)
window = app.open_library(Path(sys.argv[1])).window
window.activateWindow()
assert QTest.qWaitForWindowActive(window, 10_000), "the window never became active"
QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
print("closed" if not window.isVisible() else "still open")
window.close()
"""


def test_ctrl_q_quits_on_a_desktop_display(library_dir, tmp_path):
    """On a real X display (Xvfb), where the platform binds its own Quit keys (offscreen binds none)."""
    xvfb = shutil.which("xvfb-run")
    assert xvfb is not None, "this test needs Xvfb: apt-get install xvfb"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [xvfb, "-a", sys.executable, "-c", QUIT_ON_A_DESKTOP, str(library_dir), str(tmp_path / "earful.ini")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Ambiguous shortcut" not in result.stderr
    assert result.stdout.strip() == "closed", "Ctrl+Q closes the window"
