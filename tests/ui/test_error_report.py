"""No silent failures: whatever nobody caught is shown, logged, copyable, and the window goes on working."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtWidgets import QPushButton

from app.ui.error_report import ErrorReporter, log_file
from tests.ui.helpers import menu_action, run_earful_script


@pytest.fixture
def reporter(window, tmp_path):
    """Earful's reporter installed as `main` installs it, over the real main window."""
    installed = ErrorReporter(lambda: window.window, tmp_path / "log" / "earful.log")
    installed.install()
    yield installed
    installed.uninstall()
    if installed.dialog is not None:
        installed.dialog.close()


def fail_in_slot() -> None:
    raise ZeroDivisionError("the numbers did not add up")


def test_an_exception_in_a_slot_shows_what_failed_logs_it_and_the_window_goes_on(
    qtbot, window, reporter, uncaught_errors, screenshots
):
    window.window.resize(1366, 768)
    button = QPushButton("Fail", window.window)
    button.clicked.connect(fail_in_slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    assert "ZeroDivisionError (in fail in slot): the numbers did not add up" in dialog.summary.text()
    assert "still running" in dialog.summary.text()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "Traceback" in copied and "fail_in_slot" in copied
    logged = reporter.log_path.read_text(encoding="utf-8")
    assert "ZeroDivisionError: the numbers did not add up" in logged and "fail_in_slot" in logged
    assert dialog.log_path.text() == str(reporter.log_path)
    save_over_window(window.window, dialog, screenshots / "error-dialog.png")
    assert uncaught_errors.take(ZeroDivisionError)  # the reporter's log line fails any other test

    dialog.close()
    menu_action(window.window, "View", "Board").trigger()  # the window still answers
    assert window.views.current == "Board" and window.board.isVisible()


def test_a_second_failure_joins_the_dialog_already_open(qtbot, window, reporter, uncaught_errors):
    button = QPushButton("Fail", window.window)
    button.clicked.connect(fail_in_slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    first = reporter.dialog
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.details.toPlainText().count("Traceback") == 2)
    assert reporter.dialog is first
    assert len(uncaught_errors.take(ZeroDivisionError)) == 2


def test_an_exception_that_ends_a_thread_is_shown_on_the_gui_thread(qtbot, window, reporter, uncaught_errors):
    def work() -> None:
        raise OSError("the disk went away")

    worker = threading.Thread(target=work, name="importer")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert "OSError (in work): the disk went away" in reporter.dialog.summary.text()
    assert reporter.dialog.thread() is window.window.thread()
    assert uncaught_errors.take(OSError)


def test_the_log_goes_to_the_users_log_folder():
    assert log_file().name == "earful.log"
    assert log_file().parent.is_relative_to(Path.home())  # a test's home (tests/conftest.py)


def save_over_window(window, dialog, path) -> None:
    """The dialog centred over the window, as a user sees it (offscreen, each is grabbed on its own)."""
    picture = window.grab()
    painter = QPainter(picture)
    shown = dialog.grab()
    painter.drawPixmap(
        (picture.width() - shown.width()) // 2, (picture.height() - shown.height()) // 2, shown
    )
    painter.end()
    assert picture.save(str(path))


MAIN_WITH_A_FAILING_SLOT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.ui import application

def fail():
    raise RuntimeError("a slot went wrong")

def check():
    app = QApplication.instance()
    dialog = app.errors.dialog
    print(dialog.summary.text().splitlines()[0])
    print(dialog.log_path.text())
    app.window.close()  # the window (and with it the application) was still there to close
    app.quit()

opened = application.EarfulApplication.open_library

def open_library(app, root):
    workspace = opened(app, root)
    app.errors.reported.connect(lambda *_: QTimer.singleShot(0, check))
    QTimer.singleShot(0, fail)
    return workspace

application.EarfulApplication.open_library = open_library
sys.exit(application.main(Path(sys.argv[1])))
"""


def test_earful_started_as_a_user_starts_it_shows_and_logs_what_nobody_caught(tmp_path):
    home = tmp_path / "home"
    lines = run_earful_script(
        MAIN_WITH_A_FAILING_SLOT,
        str(tmp_path / "library"),
        HOME=str(home),
        XDG_STATE_HOME=str(home / ".local" / "state"),
    )
    summary, log_path = lines[-2:]
    assert (
        summary
        == "Earful could not finish what it was doing. What failed: RuntimeError (in fail): a slot went wrong"
    )
    assert Path(log_path).is_relative_to(home) and Path(log_path).name == "earful.log"
    assert "RuntimeError: a slot went wrong" in Path(log_path).read_text(encoding="utf-8")
