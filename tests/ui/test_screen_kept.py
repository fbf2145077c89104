"""Fitting a dialog to its screen leaves the screen to Qt.

`QWidget.screen()` made PySide6 treat the QScreen as the widget's child: once a dialog that had asked was
closed and collected (the line editor leaves itself to Python), Python counted the screen as gone with it,
and in a later test deleted it; the suite then crashed inside the next window's constructor, where Qt
reads the screen (CI, exit 139)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow

from app.ui.line_edit_dialog import LineEditDialog
from app.ui.screen_fit import resize_to_fit


def _fitted_dialog(window: QMainWindow) -> QDialog:
    dialog = QDialog(window)
    resize_to_fit(dialog, 900, 700)
    return dialog


def _close_and_leave_to_python(make_dialog, window: QMainWindow, cycle: bool) -> None:
    dialog = make_dialog(window)
    if cycle:
        dialog.itself = dialog  # as a connected slot makes: the dialog goes only when collected
    dialog.setParent(None)  # as `corrected_text` leaves the line editor: Python's to delete


@pytest.mark.parametrize("cycle", [False, True], ids=["freed at once", "collected later"])
@pytest.mark.parametrize(
    "make_dialog",
    [_fitted_dialog, lambda window: LineEditDialog("A line said in the call, to correct.", window)],
    ids=["fitted dialog", "line editor"],
)
def test_dialogs_fitted_to_the_screen_leave_it_alive_once_gone(qtbot, make_dialog, cycle):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    screen = QGuiApplication.primaryScreen()
    _close_and_leave_to_python(make_dialog, window, cycle)
    gc.collect()
    assert shiboken6.isValid(screen)
    assert QGuiApplication.primaryScreen().availableGeometry().width() > 0


def test_no_module_asks_a_widget_for_its_screen():
    """`screen_fit.free_area` is the one way Earful finds a widget's screen."""
    app = Path(__file__).resolve().parents[2] / "app"
    askers = [path.name for path in app.rglob("*.py") if ".screen()" in path.read_text(encoding="utf-8")]
    assert askers == ["screen_fit.py"]  # where the docstring names the method it avoids
