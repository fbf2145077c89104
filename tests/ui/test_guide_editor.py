"""The guide editor on a real library: edit, reorder, save new versions, refuse broken files by line."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent

from app.guides import builtin_guides, load_guide, load_guide_file
from app.services.tagging import Tagger
from app.ui.guide_editor import GuideEditor
from tests.services.test_tagging import make_interview

ROADMAP = builtin_guides()[0]


@pytest.fixture
def editor(qtbot, library):
    dialog = GuideEditor(library, ROADMAP)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def retype(qtbot, widget, text: str) -> None:
    """Replace a line edit's text as a user would: select all, then type."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_a_duplicated_built_in_is_edited_reordered_and_saved_as_versions(qtbot, editor, library):
    editor.duplicate()
    assert (editor.slug.text(), editor.name.text()) == (f"{ROADMAP.slug}-copy", f"{ROADMAP.name} (copy)")
    editor.select_question(2)
    retype(qtbot, editor.question_text, "What happened that made you start looking?")
    editor.sections.setFocus()
    editor.sections.setCurrentRow(0)
    qtbot.keyClick(editor.sections, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # first section down
    editor.tabs.setCurrentIndex(2)
    editor.tags_page.tags.setFocus()
    editor.tags_page.tags.setCurrentRow(0)
    qtbot.keyClick(editor.tags_page.tags, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    stored = editor.save()

    assert stored is not None and (stored.slug, stored.version) == (f"{ROADMAP.slug}-copy", 1)
    saved = load_guide(stored.document)
    first, second = ROADMAP.sections[:2]
    assert [s.title for s in saved.sections[:2]] == [second.title, first.title]
    assert saved.question(ROADMAP.questions[1].key).text == "What happened that made you start looking?"
    assert [t.name for t in saved.tags[:2]] == [ROADMAP.tags[1].name, ROADMAP.tags[0].name]
    assert library.guides.version(ROADMAP.slug, 1) is None  # the built-in itself is untouched

    interview = make_interview(library, "Acme")
    Tagger(library).use_guide(interview, saved)
    retype(qtbot, editor.name, "Our roadmap")
    with qtbot.waitSignal(editor.guide_saved) as signal:
        editor.save_button.click()
    assert signal.args == [f"{ROADMAP.slug}-copy", 2]
    assert library.guides.of_interview(interview).version == 1  # the interview keeps what it was tagged with
    assert "No changes since version 2" in (editor.save() and editor.message.text())


def test_hints_show_while_a_question_is_typed(qtbot, editor):
    editor.select_question(1)
    retype(qtbot, editor.question_text, "Would you pay more for a faster rollout?")
    assert "poor predictors of what they would do" in editor.hints.text()
    assert editor.questions.currentItem().text().startswith("⚠ ")
    retype(qtbot, editor.question_text, "Tell me about the last rollout you ran.")
    assert editor.hints.text() == "No advice: this reads well."


def test_a_problem_is_named_and_blocks_saving_until_fixed(qtbot, editor, library):
    editor.select_question(1)
    key = editor.question_key.text()
    retype(qtbot, editor.question_key, "Bad Key")
    assert not editor.save_button.isEnabled()
    assert editor.message.text().startswith("To fix before saving:") and "Bad Key" in editor.message.text()
    editor.tabs.setCurrentIndex(2)
    retype(qtbot, editor.tags_page.tag_colour, "#12")
    retype(qtbot, editor.question_key, key)
    assert "colour" in editor.message.text()
    retype(qtbot, editor.tags_page.tag_colour, "#12ab34")
    assert editor.save_button.isEnabled() and editor.message.text() == ""
    assert library.guides.all() == []


def test_a_broken_yaml_import_is_refused_naming_the_line(qtbot, editor, tmp_path):
    broken = tmp_path / "ours.yaml"
    broken.write_text("name: Ours\nsections:\n  - title: Start\n    questions:\n      - key: trigger\n")
    assert not editor.import_file(broken)
    assert editor.message.text() == 'Not imported: ours.yaml, line 5: question "trigger" has no text'
    assert editor.name.text() == ROADMAP.name  # what was being edited is kept


def test_export_then_import_round_trips(qtbot, editor, tmp_path):
    path = tmp_path / "roadmap.yaml"
    assert editor.export_file(path)
    assert load_guide_file(path) == ROADMAP
    editor.load(builtin_guides()[1])
    assert editor.import_file(path) and editor.guide() == ROADMAP


def test_dragging_a_question_reorders_it(qtbot, editor):
    win_loss = next(guide for guide in builtin_guides() if guide.slug == "win-loss")
    editor.load(win_loss)
    editor.tabs.setCurrentIndex(1)
    editor.sections.setCurrentRow(3)  # its section of three questions
    keys = [q.key for q in win_loss.sections[3].questions]
    editor.questions.setCurrentRow(0)
    below_the_third = editor.questions.visualItemRect(editor.questions.item(2)).bottomLeft() + QPoint(4, -2)
    drop = QDropEvent(
        QPointF(below_the_third),
        Qt.DropAction.MoveAction,
        editor.questions.model().mimeData([editor.questions.model().index(0, 0)]),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    editor.questions.dropEvent(drop)
    assert [q.key for q in editor.guide().sections[3].questions] == [keys[1], keys[2], keys[0]]
    assert editor.questions.currentItem().text().endswith(f"[{keys[0]}]")  # the dragged one stays chosen
