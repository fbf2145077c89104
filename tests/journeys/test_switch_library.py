"""A user's own library: File ▸ Open another library… starts one in an empty folder (or opens one), the
window moves there, and the next start opens it; a library that cannot be opened is refused and nothing
changes."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QTableView

from tests.journeys.conftest import CALL
from tests.journeys.earful import Earful, answering, choose_files, close_welcome, menu_action, quit_app


def _press(label: str):
    def respond(dialog) -> None:
        button = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == label)
        button.click()

    return respond


def _titles(workspace) -> list[str]:
    model = workspace.interviews.findChild(QTableView, "interviewTable").model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_start_a_library_of_ones_own_and_find_it_again_on_the_next_start(
    qtbot, app_settings, library_dir, tmp_path, monkeypatch, request
):
    first = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, first)
    assert CALL in _titles(first)
    own = tmp_path / "My interviews"
    own.mkdir()

    with choose_files(monkeypatch, own), answering(qtbot, _press("Yes")) as met:
        menu_action(first, "File", "Open another library").trigger()
    assert met == ["Start a new library"]
    app, old_window = first.earful, first.window
    qtbot.waitUntil(lambda: not shiboken6.isValid(old_window))  # deleted, not kept hidden
    # pytest-qt would close the first window at the end of the test; Earful has already deleted it.
    request.node.qt_widgets = [(w, f) for w, f in request.node.qt_widgets if w() and shiboken6.isValid(w())]
    second = app.window.workspace
    qtbot.addWidget(app.window)
    second.earful = app  # the journeys quit through it, as through the first window
    assert app.window.isVisible()
    assert second.library.root == own and (own / "library.db").is_file()
    assert _titles(second) == []  # a new library: none of the other library's calls
    assert str(own) in second.window.statusBar().currentMessage()
    quit_app(qtbot, second, keys=False)

    again = Earful.start(qtbot, app_settings, None)  # `earful` with no library named
    assert again.library.root == own
    quit_app(qtbot, again, keys=False)


def test_a_library_that_cannot_be_opened_is_refused_and_the_window_stays(
    qtbot, app_settings, library_dir, tmp_path, monkeypatch
):
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    broken = tmp_path / "broken"
    (broken / "audio").mkdir(parents=True)
    (broken / "audio" / "call.wav").write_bytes(b"RIFF")
    (broken / "library.db").write_bytes(b"")  # emptied by a disk tool: the interviews' index is lost

    def read_and_close(dialog) -> None:
        assert isinstance(dialog, QMessageBox)
        assert "library.db" in dialog.text()  # says what is wrong and how to recover
        dialog.accept()

    with choose_files(monkeypatch, broken), answering(qtbot, read_and_close) as met:
        menu_action(workspace, "File", "Open another library").trigger()
    assert met == ["Open another library"]
    assert workspace.window.isVisible() and QApplication.activeWindow() is workspace.window
    assert workspace.library.root == library_dir and CALL in _titles(workspace)
    assert app_settings.library_path() is None  # the next start is not sent to the broken folder
