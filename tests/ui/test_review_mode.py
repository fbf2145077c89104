"""Review mode in the window: a review still being made when the window closes is dropped, not shown
against a library that is closed (it used to raise "Cannot operate on a closed database")."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.library import Library
from tests.analysis.corpus import corpus_document, store_interview
from tests.ui.helpers import main_window


def test_a_review_still_running_when_the_window_closes_is_dropped(qtbot, tmp_path, app_settings):
    library = Library.open(tmp_path / "library")
    interview_id, _ = store_interview(library, corpus_document("roadmap-02"))
    workspace = main_window(library, app_settings)
    qtbot.addWidget(workspace.window)
    workspace.window.show()
    workspace.open_interview(interview_id)
    workspace.review.open()  # the suggestions are being made on the pool (the model loads first)
    workspace.window.close()
    library.close()
    QThreadPool.globalInstance().waitForDone()
    QApplication.processEvents()  # the answer reaches the GUI thread: dropped (pytest-qt fails on a raise)
    assert workspace.review.panel.list.count() == 0
