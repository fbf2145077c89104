"""Run in a process of its own whose offscreen screen has a given size (`survey_on_screen`): opens the main
window on a library with a tagged interview, then each dialog from its menu, and reports as JSON lines what
a person would meet there: the words on screen and whether the dialog and its buttons fit the screen.

A screen's size is fixed when Qt starts, so a 1366×768 laptop needs its own process; the test reads the
lines (`tests/ui/test_dialogs_fit.py`).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from app.ui.screen_fit import FRAME_ALLOWANCE, free_area

DIALOGS = (
    ("File", "Record a call…"),
    ("File", "Export pack…"),
    ("File", "Settings…"),
    ("Edit", "Guides…"),
)


def survey_on_screen(width: int, height: int, folder: Path) -> list[dict]:
    """Each dialog's (and the window's) report, from a process whose screen is width × height."""
    from tests.ui.helpers import run_earful_script

    screen = folder / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "width": width, "height": height}]}))
    lines = run_earful_script(
        "from tests.ui.dialog_survey import main; main()",
        str(folder / "library"),
        QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
    )
    return [json.loads(line) for line in lines if line.startswith("{")]


def visible_words(root) -> list[str]:
    """The words shown in `root` and its visible children: labels, buttons, titles, tabs, list and combo
    items, placeholders (not the user's own text in fields, not tooltips)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QMenuBar,
        QPlainTextEdit,
        QTabBar,
        QTextEdit,
        QWidget,
    )

    words = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            words.append(re.sub(r"<[^>]+>", " ", widget.text()))
        elif isinstance(widget, QAbstractButton):
            words.append(widget.text())
        elif isinstance(widget, QGroupBox):
            words.append(widget.title())
        elif isinstance(widget, QTabBar):
            words += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QComboBox):
            words += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QListWidget):
            words += [widget.item(i).text() for i in range(widget.count())]
        elif isinstance(widget, QMenuBar):
            for menu in (action.menu() for action in widget.actions() if action.menu()):
                words += [action.text() for action in menu.actions()]
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            words.append(widget.placeholderText())
    return [word.replace("&", "") for word in words if word]


def report(name: str, widget) -> dict:
    """`widget`'s size against its screen's free area less the title bar and borders a desktop adds,
    whether each visible button lies on the screen, and the words shown."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractButton

    available = free_area(widget)
    room = available.size() - FRAME_ALLOWANCE
    outside = [
        button.text()
        for button in widget.findChildren(QAbstractButton)
        if button.isVisible()
        and not available.contains(QRect(button.mapToGlobal(QPoint(0, 0)), button.size()))
    ]
    return {
        "name": name,
        "size": [widget.width(), widget.height()],
        "room": [room.width(), room.height()],
        "buttons_off_screen": outside,
        "words": visible_words(widget),
    }


def main() -> None:
    from PySide6.QtCore import QSettings, QThread, QTimer
    from PySide6.QtWidgets import QApplication, QTabWidget

    from app.guides import builtin_guides
    from app.library import Library
    from app.services.tagging import Tagger
    from app.ui.settings import AppSettings
    from tests.services.test_tagging import make_interview
    from tests.ui.helpers import main_window, menu_action

    app = QApplication([])
    library = Library.open(Path(sys.argv[1]))
    guide = builtin_guides()[0]
    interview = make_interview(library, "Northwind – ops lead")
    tagger = Tagger(library)
    tagger.use_guide(interview, guide)
    segment = library.transcripts.segments(interview)[1]
    tagged = [tag.name for tag in guide.tags if re.search(r"[a-z][A-Z]", tag.name)][:2]
    tagger.add_quote(interview, segment.start_ms, segment.end_ms, guide.questions[0].key, tuple(tagged))
    with tempfile.TemporaryDirectory() as folder:
        settings = AppSettings(QSettings(str(Path(folder) / "earful.ini"), QSettings.Format.IniFormat))
        workspace = main_window(library, settings)
        window = workspace.window
        window.show()
        workspace.open_interview(interview)
        app.processEvents()
        print(json.dumps(report("window", window)))
        for menu, entry in DIALOGS:
            reports: list[dict] = []

            def survey(entry: str = entry, reports: list[dict] = reports) -> None:
                dialog = QApplication.activeModalWidget()
                if dialog is None:
                    QTimer.singleShot(20, survey)
                    return
                app.processEvents()
                found = report(entry, dialog)
                tabs = dialog.findChild(QTabWidget)
                for index in range(1, tabs.count() if tabs else 0):  # each page as a person opens it
                    tabs.setCurrentIndex(index)
                    found["words"] += visible_words(dialog)
                reports.append(found)
                dialog.reject()

            QTimer.singleShot(0, survey)
            menu_action(window, menu, entry).trigger()
            while not reports:
                app.processEvents()
                QThread.msleep(10)
            print(json.dumps(reports[0]))
        window.close()
    library.close()
