"""Every action of every menu, and every entry of the transcript's context menu, on a library with a
transcribed two-party call: each dialog that opens is answered (closed, as Esc would), and any exception
fails the test (`fail_on_uncaught_exceptions`, and pytest-qt's own capture of exceptions in slots)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from app.guides import builtin_guides
from app.library import Library
from app.services.tagging import Tagger
from tests.journeys.conftest import CALL, interview_id
from tests.journeys.earful import (
    JOB_TIMEOUT_MS,
    Earful,
    answering,
    click_interview,
    close_welcome,
    context_menu,
    menu_actions,
    select_words,
)

LAST = ("File", "Quit")


def path_of(actions) -> tuple[str, ...]:
    return tuple(action.text().replace("&", "").rstrip(".…").strip() for action in actions)


def test_every_menu_action_and_transcript_context_entry_runs_without_an_exception(
    qtbot, app_settings, library_dir, pulse, you, customer
):
    call = interview_id(library_dir, CALL)
    with Library.open(library_dir) as library:  # a guide and a quote, so every entry has something to act on
        tagger = Tagger(library)
        tagger.use_guide(call, builtin_guides()[0])
        segment = library.transcripts.segments(call)[-1]
        tagger.quote_words(
            call, [(segment.id, 1), (segment.id, 2)], question_key=builtin_guides()[0].questions[0].key
        )
    workspace = Earful.start(qtbot, app_settings, library_dir)
    close_welcome(qtbot, workspace)
    click_interview(qtbot, workspace, CALL)

    menu_bar = workspace.window.menuBar()
    paths = [path_of(actions) for actions in menu_actions(menu_bar.actions())]
    walked, dialogs = [], []
    for path in dict.fromkeys(paths):
        if path == LAST:
            continue
        # Menus are walked afresh each time: an action may change what another menu offers.
        found = {path_of(actions): actions[-1] for actions in menu_actions(menu_bar.actions())}
        if path not in found or not found[path].isEnabled():
            continue
        with answering(qtbot) as answered:
            found[path].trigger()
        dialogs += answered
        settle(qtbot, workspace)
        walked.append(path)
        if workspace.current_interview != call:  # an action that opened another interview: come back
            click_interview(qtbot, workspace, CALL)
    assert ("File", "Record a call") in walked and ("Edit", "Guides") in walked
    assert {
        "Record a call",
        "Export conversation pack",
        "Earful Settings",
        "About Earful",
        "Transcribe again",
    } <= set(dialogs), dialogs
    assert any(path[:2] == ("Edit", "Speakers") for path in walked)

    # The View menu's last view was walked, then Review suggestions brought the Interview view back.
    assert ("View", "Board") in walked and workspace.views.current == "Interview"
    assert workspace.page.side_tabs.currentWidget() is workspace.review.panel
    qtbot.keyClick(workspace.window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    entries = walk_context_menu(qtbot, workspace)
    assert {"Edit text", "Split here", "Merge with next", "Delete segment", "Change speaker"} <= {
        path[0] for path in entries
    }
    assert any(path[0] == "Selected words are said by" for path in entries)
    assert any(path[0] == "Question asked here" for path in entries)

    with answering(qtbot):
        dict((path_of(a), a[-1]) for a in menu_actions(menu_bar.actions()))[LAST].trigger()
    assert not workspace.window.isVisible()
    workspace.earful.aboutToQuit.emit()
    assert sorted({path for path in paths if paths.count(path) > 1}) == [], "a menu lists an item twice"


def settle(qtbot, workspace) -> None:
    """Wait for what an action queued (a transcription, speakers labelled again) to finish and show."""
    qtbot.waitUntil(
        lambda: workspace.queue.running is None and not workspace.queue.pending, timeout=JOB_TIMEOUT_MS
    )
    QApplication.processEvents()  # the finished job's signal reaches the window


def walk_context_menu(qtbot, workspace) -> list[tuple[str, ...]]:
    """Right-click a word (with words selected, so the selection's entries show) and trigger each entry;
    the menu is built again before each, as the next right-click would."""

    def menu() -> QMenu:
        segments = workspace.library.transcripts.segments(workspace.current_interview)
        segment = next(segment for segment in segments if len(segment.words) >= 3)
        select_words(qtbot, workspace, segment.id, 1, 2)
        return context_menu(workspace, segment.id, 1)

    def leaves(actions, prefix=()):
        for action in actions:
            if action.isSeparator():
                continue
            if action.menu() is not None:
                yield from leaves(action.menu().actions(), (*prefix, action.text()))
            else:
                yield (*prefix, action.text()), action

    walked = []
    for path, _action in list(leaves(menu().actions())):
        current = dict(leaves(menu().actions()))
        if path not in current or not current[path].isEnabled():
            continue
        with answering(qtbot):
            current[path].trigger()
        settle(qtbot, workspace)
        walked.append(tuple(part.replace("&", "").rstrip(".…").strip() for part in path))
    return walked
