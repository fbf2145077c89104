"""The window's menus and keys as a user meets them: each answers, or says why it cannot."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.record_panel import RecordDialog
from tests.ui.helpers import menu_action


def shown(kind: type[QWidget]) -> QWidget:
    """The one window of `kind` on screen."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, f"{len(found)} {kind.__name__} on screen"
    return found[0]


def test_ctrl_r_opens_the_record_dialog(qtbot, window):
    window.window.activateWindow()
    qtbot.waitActive(window.window)
    qtbot.keyClick(window.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = shown(RecordDialog)
    assert dialog.parent() is window.window
    dialog.reject()


def test_file_record_a_call_opens_the_record_dialog(qtbot, window):
    menu_action(window.window, "File", "Record a call…").trigger()
    shown(RecordDialog).reject()
