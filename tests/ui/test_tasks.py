"""run_task brings an answer back to the widget that asked, and drops it when that widget is gone."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel

from app.ui import tasks
from app.ui.tasks import LatestQuery, run_in_library, run_query, run_task


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
    qtbot.waitUntil(lambda: not tasks.in_flight())
    assert shown == []


def test_an_answer_reaches_the_widget_that_is_still_there(qtbot):
    label = QLabel("waiting")
    qtbot.addWidget(label)
    with qtbot.waitSignal(label.windowIconTextChanged, timeout=10_000):
        run_task(lambda: "the answer", label.setWindowIconText, owner=label)
    assert label.windowIconText() == "the answer"


def _library_with_interview(root):
    from app.library import Library

    with Library.open(root) as library:
        library.interviews.create("Acme call")


def test_a_query_reads_on_a_connection_that_refuses_writes(qtbot, tmp_path):
    """Background reads cannot change the library by mistake: the connection is read-only."""
    import sqlite3

    from app.library import Library

    root = tmp_path / "library"
    _library_with_interview(root)
    answers: list = []
    errors: list[Exception] = []
    run_query(
        root, lambda library: [s.interview.title for s in library.interviews.summaries()], answers.append
    )
    run_query(
        root,
        lambda library: library.interviews.create("Written from a query"),
        answers.append,
        errors.append,
    )
    qtbot.waitUntil(lambda: len(answers) + len(errors) == 2, timeout=10_000)
    assert answers == [["Acme call"]]
    assert isinstance(errors[0], sqlite3.OperationalError) and "readonly" in str(errors[0])
    with Library.open(root) as library:
        assert [s.interview.title for s in library.interviews.summaries()] == ["Acme call"]


def test_a_write_in_the_library_commits(qtbot, tmp_path):
    from app.library import Library

    root = tmp_path / "library"
    _library_with_interview(root)
    done: list = []
    run_in_library(root, lambda library: library.interviews.create("Imported").id, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    with Library.open(root) as library:
        assert library.interviews.get(done[0]).title == "Imported"


@pytest.fixture
def latest(qtbot, tmp_path) -> LatestQuery:
    """Newest-wins reads over a real library, for a real widget."""
    root = tmp_path / "library"
    _library_with_interview(root)
    owner = QLabel()
    qtbot.addWidget(owner)
    return LatestQuery(root, owner)


def test_only_the_newest_request_is_answered(qtbot, latest):
    """A slow answer to an older request (the user typed on) must not replace the newer one."""
    release = threading.Event()
    shown: list[str] = []

    def slow(library) -> str:
        release.wait(30)
        return "old answer"

    latest.run(slow, shown.append)
    latest.run(lambda library: "new answer", shown.append)
    qtbot.waitUntil(lambda: shown == ["new answer"], timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: not tasks.in_flight(), timeout=10_000)
    assert shown == ["new answer"]


def test_dropped_requests_are_not_answered(qtbot, latest):
    shown: list[str] = []
    latest.run(lambda library: "answer", shown.append)
    latest.drop()
    qtbot.waitUntil(lambda: not tasks.in_flight(), timeout=10_000)
    assert shown == []


def test_a_folder_without_a_library_is_said_plainly(qtbot, tmp_path):
    from app.library import LibraryUnavailable

    errors: list[Exception] = []
    run_query(tmp_path / "nowhere", lambda library: None, lambda _answer: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert isinstance(errors[0], LibraryUnavailable)
