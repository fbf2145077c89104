"""The inspector saves each edit to the library as it happens; refused values show why and revert."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QPlainTextEdit

from app.domain.interview import Interview, Outcome
from app.library import Library
from app.ui.inspector import InterviewInspector

SEGMENTS = ["Enterprise", "SMB"]


@pytest.fixture
def interview(library: Library) -> Interview:
    created = library.interviews.create("Pricing call", company="Globex", persona_segment="Enterprise")
    return library.interviews.update(created.id, notes="First notes", interview_date="2025-01-10")


@pytest.fixture
def inspector(qtbot, library: Library, interview: Interview) -> InterviewInspector:
    inspector = InterviewInspector(
        lambda interview_id, fields: library.interviews.update(interview_id, **fields)
    )
    qtbot.addWidget(inspector)
    inspector.show_interview(interview, SEGMENTS)
    inspector.show()
    inspector.activateWindow()
    qtbot.waitActive(inspector)
    return inspector


@pytest.fixture
def stored(library: Library, interview: Interview):
    """The interview as a second connection reads it: what another window or the CLI would see."""
    with Library.open(library.root) as other:
        yield lambda: other.interviews.get(interview.id)


def field(inspector: InterviewInspector, name: str):
    return inspector.findChild(QLineEdit, name)


def test_a_field_is_saved_when_return_is_pressed(qtbot, inspector: InterviewInspector, stored):
    title = field(inspector, "title")
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "  Pricing objections ")
    assert stored().title == "Pricing call"  # typing alone saves nothing
    with qtbot.waitSignal(inspector.interview_changed) as changed:
        qtbot.keyClick(title, Qt.Key.Key_Return)
    assert stored().title == "Pricing objections"
    assert changed.args[0] == stored()
    assert title.text() == "Pricing objections"  # shown as stored


def test_a_field_is_saved_when_focus_leaves_it(qtbot, inspector: InterviewInspector, stored):
    customer = field(inspector, "customer_name")
    customer.setFocus()
    qtbot.keyClicks(customer, "Lee Park")
    field(inspector, "role").setFocus()
    assert stored().customer_name == "Lee Park"
    assert stored().company == "Globex"  # untouched fields are not rewritten


def test_choices_are_saved_as_they_are_made(qtbot, inspector: InterviewInspector, stored):
    outcome = inspector.findChild(QComboBox, "outcome")
    outcome.setCurrentIndex(outcome.findText("No decision"))
    assert stored().outcome is Outcome.NO_DECISION
    outcome.setCurrentIndex(0)
    assert stored().outcome is None

    segment = inspector.findChild(QComboBox, "segment")
    segment.setFocus()
    qtbot.keyClick(segment, Qt.Key.Key_Down)  # the next suggestion
    assert stored().persona_segment == "SMB"
    segment.lineEdit().selectAll()
    qtbot.keyClicks(segment, "Startups")
    qtbot.keyClick(segment, Qt.Key.Key_Return)
    assert stored().persona_segment == "Startups"
    assert segment.count() == len(SEGMENTS)  # a typed segment is saved, not added to the suggestions


def test_the_date_can_be_changed_or_left_unknown(inspector: InterviewInspector, stored):
    date = inspector.findChild(QDateEdit, "interview_date")
    known = inspector.findChild(QCheckBox)
    assert (known.isChecked(), date.date()) == (True, QDate(2025, 1, 10))
    date.setDate(QDate(2025, 3, 9))
    assert stored().interview_date == "2025-03-09"
    known.setChecked(False)
    assert stored().interview_date is None
    assert not date.isEnabled()
    known.setChecked(True)
    assert stored().interview_date == "2025-03-09"


def test_a_refused_value_shows_why_and_reverts(qtbot, inspector: InterviewInspector, stored):
    title = field(inspector, "title")
    error = inspector.findChild(QLabel, "inspectorError")
    title.setFocus()
    title.clear()
    with qtbot.assertNotEmitted(inspector.interview_changed):
        qtbot.keyClick(title, Qt.Key.Key_Return)
    assert error.isVisible()
    assert error.text() == "An interview needs a title."
    assert title.text() == "Pricing call"
    assert stored().title == "Pricing call"

    qtbot.keyClicks(title, " (2)")
    qtbot.keyClick(title, Qt.Key.Key_Return)
    assert stored().title == "Pricing call (2)"
    assert not error.isVisible()


def test_notes_are_saved_after_a_pause_in_typing(qtbot, inspector: InterviewInspector, stored):
    notes = inspector.findChild(QPlainTextEdit, "notes")
    notes.setFocus()
    notes.moveCursor(notes.textCursor().MoveOperation.End)
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.keyClicks(notes, "Wants SSO")
    assert stored().notes == "First notes"  # not on every keystroke
    qtbot.waitUntil(lambda: stored().notes == "First notes\nWants SSO")
    assert notes.toPlainText() == "First notes\nWants SSO"


def test_notes_are_saved_at_once_when_focus_leaves_them(qtbot, inspector: InterviewInspector, stored):
    notes = inspector.findChild(QPlainTextEdit, "notes")
    notes.setFocus()
    notes.selectAll()
    qtbot.keyClicks(notes, "Replaced")
    field(inspector, "title").setFocus()
    assert stored().notes == "Replaced"


def test_showing_another_interview_saves_unfinished_edits_first(
    qtbot, inspector: InterviewInspector, library: Library, stored
):
    company = field(inspector, "company")
    company.setFocus()
    company.selectAll()
    qtbot.keyClicks(company, "Initech")  # no Return, focus still there
    other = library.interviews.create("Another call")
    inspector.show_interview(other, SEGMENTS)
    assert stored().company == "Initech"
    assert company.text() == ""
    assert inspector.findChild(QPlainTextEdit, "notes").toPlainText() == ""


def test_a_failed_notes_save_keeps_what_was_typed(
    qtbot, inspector: InterviewInspector, library: Library, interview: Interview
):
    notes = inspector.findChild(QPlainTextEdit, "notes")
    error = inspector.findChild(QLabel, "inspectorError")
    library.interviews.delete(interview.id)  # e.g. removed from another window meanwhile
    notes.setFocus()
    notes.moveCursor(notes.textCursor().MoveOperation.End)
    qtbot.keyClicks(notes, " and more")
    qtbot.waitUntil(error.isVisible)
    assert error.text() == f"There is no interview {interview.id} in this library."
    assert notes.toPlainText() == "First notes and more"


def test_a_long_title_shows_its_beginning(qtbot, inspector: InterviewInspector, library: Library):
    long_title = "Demo: Northwind Freight – operations lead, second call about the rollout to the night shift"
    inspector.resize(260, inspector.height())
    inspector.findChild(QPlainTextEdit, "notes").setFocus()  # the user is elsewhere, e.g. in the list
    inspector.show_interview(library.interviews.create(long_title), SEGMENTS)
    title = field(inspector, "title")
    assert title.text() == long_title
    assert title.cursorPosition() == 0
