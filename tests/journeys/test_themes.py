"""The Themes view on the real window with the real sentence model: Ctrl+3 groups a question's answers in
the listed interviews by meaning, each group with "n of N interviews"; F2 renames a group, Ctrl+M merges
two, S splits quotes off, M moves a quote, T tags a group's quotes with one of the guide's themes, each taken back by Ctrl+Z;
a theme's quotes are grouped the same way; Enter on a quote opens its interview at that moment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from app.library import Library
from app.services.analysis import Analyst
from tests.analysis.corpus import corpus_document, store_interview
from tests.journeys.earful import Earful, close_welcome, quit_app, shoot

INTERVIEWS = ("roadmap-01", "roadmap-02", "roadmap-03", "roadmap-04")
QUESTION = "criteria"
MODEL_MS = 120_000
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def answered_library(tmp_path) -> Path:
    """Four labelled interviews following the Roadmap guide, their suggested answers filed as quotes."""
    from app.analysis.embedder import SentenceEmbedder

    root = tmp_path / "library"
    with Library.open(root) as library:
        analyst = Analyst(library, SentenceEmbedder())
        for name in INTERVIEWS:
            interview_id, _ = store_interview(library, corpus_document(name))
            analyst.suggest(interview_id)
            analyst.accept(interview_id)
    return root


def group_lines(view) -> list[str]:
    return [view.tree.topLevelItem(i).text(0) for i in range(view.tree.topLevelItemCount())]


def choose_in_popup(qtbot, window, row: int) -> None:
    """The popup menu a key opened: ↓ to its row, Enter; the window is active again, as on a desktop."""
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    for _ in range(row + 1):
        QTest.keyClick(menu, Qt.Key.Key_Down)
    QTest.keyClick(menu, Qt.Key.Key_Return)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_group_a_questions_answers_by_meaning_and_edit_the_groups(
    qtbot, app_settings, answered_library, screenshots
):
    workspace = Earful.start(qtbot, app_settings, answered_library)
    close_welcome(qtbot, workspace)
    view, window, library = workspace.themes, workspace.window, workspace.library

    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    assert workspace.views.current == "Themes"
    combo = view.question
    combo.setFocus()
    while combo.currentData()[1] != QUESTION:  # ↓ through the questions (each choice groups anew)
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: view.tree.topLevelItemCount() >= 2 and view.considered > 0 and view.message.isHidden(),
        timeout=MODEL_MS,
    )
    shoot(window, screenshots, "themes")
    counts = [re.search(r"— (\d+) of (\d+) interviews$", line) for line in group_lines(view)]
    assert all(counts) and {int(m[2]) for m in counts} == {len(INTERVIEWS)}
    assert all(1 <= int(m[1]) <= len(INTERVIEWS) for m in counts)
    filed = {
        q.id for i in library.interviews.summaries() for q in library.quotes.for_interview(i.interview.id)
    }
    assert {q[0] for g in view.groups for q in g.quotes} <= filed

    # F2 renames the first group; Ctrl+Z takes the new name back.
    tree = view.tree
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    before = view.groups
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    assert editor.text() == before[0].label  # the label alone, without its count
    editor.selectAll()
    QTest.keyClicks(editor, "Payroll must connect")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.groups[0].label == "Payroll must connect")  # the editor commits queued
    assert group_lines(view)[0].startswith("Payroll must connect — ")
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert view.groups == before

    # Ctrl+M merges the two selected groups: one group, all their quotes, n counted again.
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # the first group's quotes too
    while tree.currentItem() is not tree.topLevelItem(1):
        qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(tree, Qt.Key.Key_M, CTRL)
    assert len(view.groups) == len(before) - 1
    both = {q[0] for q in before[0].quotes} | {q[0] for q in before[1].quotes}
    assert {q[0] for q in view.groups[0].quotes} == both
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert view.groups == before

    # S splits the selected quotes (the first group's first two) off into a group of their own.
    first = tree.topLevelItem(0)
    tree.setCurrentItem(first.child(0))
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(tree, Qt.Key.Key_S)
    taken = {q[0] for q in before[0].quotes[:2]}
    assert len(view.groups) == len(before) + 1
    assert {q[0] for q in view.groups[1].quotes} == taken and view.groups[1].label.endswith("(split)")
    assert {q[0] for q in view.groups[0].quotes} == {q[0] for q in before[0].quotes} - taken
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert view.groups == before

    # M on a quote of the first group moves it to the group the menu lists first (the second group).
    quote_item = tree.topLevelItem(0).child(0)
    tree.setCurrentItem(quote_item)
    quote_id = quote_item.data(0, Qt.ItemDataRole.UserRole + 1)[0]
    qtbot.keyClick(tree, Qt.Key.Key_M)
    choose_in_popup(qtbot, window, 0)
    target = before[1].label
    assert quote_id in {q[0] for g in view.groups if g.label == target for q in g.quotes}
    assert quote_id not in {q[0] for q in view.groups[0].quotes} or len(before[0].quotes) == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert view.groups == before

    # T tags every quote of the group with the guide's first theme (Trigger); Ctrl+Z untags them.
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_T)
    choose_in_popup(qtbot, window, 0)
    members = [q[0] for q in before[0].quotes]
    assert all("Trigger" in library.quotes.get(q).tags for q in members)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert not any("Trigger" in library.quotes.get(q).tags for q in members)

    # Tagged again, the theme can be chosen above: its quotes, grouped, are exactly the group's.
    qtbot.keyClick(tree, Qt.Key.Key_T)
    choose_in_popup(qtbot, window, 0)
    combo.setFocus()
    while combo.currentData()[2] != "Trigger":
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: view.message.isHidden() and view.groups != before, timeout=MODEL_MS)
    assert {q[0] for g in view.groups for q in g.quotes} == set(members)
    tree.setFocus()

    # Enter on a quote opens its interview there, in the Interview view.
    quote_item = tree.topLevelItem(0).child(0)
    interview_id = quote_item.data(0, Qt.ItemDataRole.UserRole + 1)[1]
    tree.setCurrentItem(quote_item)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert workspace.views.current == "Interview" and workspace.current_interview == interview_id
    quit_app(qtbot, workspace)


def _tags_offered(workspace) -> list[str]:
    """The tags the Interview view's quote bar offers (its Tags menu), as the user reads them."""
    return [action.text() for action in workspace.quote_bar.tags_menu.actions()]


def show_question(qtbot, workspace, key: str) -> None:
    """Ctrl+3, then ↓ through the questions to `key`; waits for the groups."""
    view = workspace.themes
    qtbot.keyClick(workspace.window, Qt.Key.Key_3, CTRL)
    view.question.setFocus()
    while view.question.currentData()[1] != key:
        qtbot.keyClick(view.question, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() >= 2 and view.message.isHidden(), timeout=MODEL_MS)


def test_make_a_group_a_theme_and_the_groups_edits_survive_switching_views_and_a_restart(
    qtbot, app_settings, answered_library, screenshots
):
    from app.guides import load_guide

    workspace = Earful.start(qtbot, app_settings, answered_library)
    close_welcome(qtbot, workspace)
    view, window, library = workspace.themes, workspace.window, workspace.library
    slug = library.guides.all()[0].slug
    show_question(qtbot, workspace, QUESTION)
    tree = view.tree

    # F2 renames the second group; it is kept in the library at once.
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(1))
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "Payroll must connect")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.groups[1].label == "Payroll must connect")
    renamed_group = view.groups[1]
    members = [q[0] for q in renamed_group.quotes]

    # The button makes the group a theme of the guide: a new edition with the tag, on every quote.
    tree.setCurrentItem(tree.topLevelItem(1))
    versions = library.guides.latest(slug).version
    qtbot.mouseClick(view.make_theme_button, Qt.MouseButton.LeftButton)
    latest = library.guides.latest(slug)
    assert latest.version == versions + 1
    assert "PayrollMustConnect" in [t.name for t in load_guide(latest.document, "latest").tags]
    assert all("PayrollMustConnect" in library.quotes.get(q).tags for q in members)
    assert "Tagged" in view.message.text() and "Payroll must connect" in view.message.text()
    shoot(window, screenshots, "themes_made_a_theme")

    # One Ctrl+Z takes back both: the tag on the quotes and the edition no one else uses.
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert not any("PayrollMustConnect" in library.quotes.get(q).tags for q in members)
    assert library.guides.latest(slug).version == versions
    assert (
        view.message.text()
        == "Undone: “Payroll must connect” is off the group's quotes and out of the guide again."
    )

    # With one of the group's interviews open (Enter on its quote, then back with Ctrl+3), Shift+T on the
    # tree does the same; the theme is then offered above like the guide's others, and the open
    # interview's quote bar offers the new tag at once.
    tree.setFocus()
    quote_item = tree.topLevelItem(1).child(0)
    tree.setCurrentItem(quote_item)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert workspace.current_interview == quote_item.data(0, Qt.ItemDataRole.UserRole + 1)[1]
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(1))
    assert "Payroll must connect" not in _tags_offered(workspace)
    qtbot.keyClick(tree, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
    assert all("PayrollMustConnect" in library.quotes.get(q).tags for q in members)
    offered = [view.question.itemData(i) for i in range(view.question.count())]
    assert (slug, None, "PayrollMustConnect") in [tuple(data) for data in offered]
    assert "Payroll must connect" in _tags_offered(workspace)

    # Ctrl+M merges the first two groups; the merged group survives a trip to the Interview view.
    tree.setCurrentItem(tree.topLevelItem(0))
    tree.topLevelItem(1).setSelected(True)
    qtbot.keyClick(tree, Qt.Key.Key_M, CTRL)
    merged_labels = [g.label for g in view.groups]
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    assert view.question.currentData()[1] == QUESTION  # showing the view again keeps the question chosen
    assert [g.label for g in view.groups] == merged_labels
    quit_app(qtbot, workspace)

    # A new window on the same library: the edited groups are there, as the user left them.
    workspace = Earful.start(qtbot, app_settings, answered_library)
    show_question(qtbot, workspace, QUESTION)
    assert [g.label for g in workspace.themes.groups] == merged_labels
    assert set(members) <= {q[0] for q in workspace.themes.groups[0].quotes}
    shoot(workspace.window, screenshots, "themes_after_restart")
    quit_app(qtbot, workspace)
