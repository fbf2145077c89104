"""run_task brings an answer back to the widget that asked, and drops it when that widget is gone."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QLabel

from app.ui import tasks
from app.ui.tasks import run_task


def test_an_answer_for_a_dialog_closed_meanwhile_is_dropped(qtbot):
    """A dialog's query can finish after the user closed it (the export preview did, in a journey): its
    answer must not reach widgets that were deleted with it."""
    label = QLabel("waiting")
    release = threading.Event()
    shown: list[str] = []

    def show(text: str) -> None:
        label.setText(text)  # would raise: Internal C++ object (QLabel) already deleted
        shown.append(text)

    run_task(lambda: release.wait(30) and "the answer", show, owner=label)
    label.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(label))
    release.set()
    qtbot.waitUntil(lambda: not tasks._in_flight)
    assert shown == []


def test_an_answer_reaches_the_widget_that_is_still_there(qtbot):
    label = QLabel("waiting")
    qtbot.addWidget(label)
    with qtbot.waitSignal(label.windowIconTextChanged, timeout=10_000):
        run_task(lambda: "the answer", label.setWindowIconText, owner=label)
    assert label.windowIconText() == "the answer"
