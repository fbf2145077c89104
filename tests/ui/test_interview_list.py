"""The interview list over summaries from a real library: search, filters, sorting, live status, selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QTableView

from app.domain.interview import JobState
from app.library import Library
from app.services.importing import import_recording
from app.ui.interview_list import InterviewListPanel
from app.ui.interview_list_model import ID_ROLE, Column

INTERVIEWS = [
    # title, customer_name, company, role, segment, outcome, interview_date, notes
    ("Onboarding friction", "Dana Reyes", "Acme Corp", "Ops lead", "SMB", "churned", "2025-03-09", None),
    ("Pricing objections", "Lee Park", "Globex", "CFO", "Enterprise", "lost", "2025-01-10", "Budget frozen"),
    (
        "Why they switched",
        "Sam Okafor",
        "Initech",
        "Head of Support",
        "Mid-market",
        "won",
        "2024-02-02",
        None,
    ),
    ("Renewal risk", "Ana Silva", "Umbrella", "Buyer", "Enterprise", None, None, "Mentions ACME as rival"),
]


@pytest.fixture
def ids(library: Library) -> dict[str, int]:
    created = {}
    for title, customer, company, role, segment, outcome, date, notes in INTERVIEWS:
        interview = library.interviews.create(title, customer_name=customer, company=company, role=role)
        library.interviews.update(
            interview.id, persona_segment=segment, outcome=outcome, interview_date=date, notes=notes
        )
        created[title] = interview.id
    return created


@pytest.fixture
def panel(qtbot, library: Library, ids: dict[str, int]) -> InterviewListPanel:
    panel = InterviewListPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 400)
    panel.set_summaries(library.interviews.summaries())
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def table(panel: InterviewListPanel) -> QTableView:
    return panel.findChild(QTableView, "interviewTable")


def shown(panel: InterviewListPanel, column: Column = Column.TITLE) -> list[str]:
    view = table(panel).model()
    return [view.index(row, column).data() for row in range(view.rowCount())]


def test_search_as_you_type_matches_any_text_field_in_any_case(qtbot, panel: InterviewListPanel):
    search = panel.findChild(QLineEdit, "interviewSearch")
    qtbot.keyClicks(search, "acm")  # company of one, notes of another
    assert sorted(shown(panel)) == ["Onboarding friction", "Renewal risk"]
    qtbot.keyClicks(search, "e riv")  # every word must match: "acme" and "riv"
    assert shown(panel) == ["Renewal risk"]
    search.clear()
    for query, titles in [
        ("OKAFOR", ["Why they switched"]),  # customer
        ("cfo", ["Pricing objections"]),  # role
        ("mid-market", ["Why they switched"]),  # segment
        ("budget", ["Pricing objections"]),  # notes
        ("nothing like this", []),
    ]:
        search.setText(query)
        assert shown(panel) == titles, query
    search.clear()
    assert len(shown(panel)) == len(INTERVIEWS)


def test_segment_and_outcome_filters_narrow_the_list(panel: InterviewListPanel):
    segment = panel.findChild(QComboBox, "segmentFilter")
    outcome = panel.findChild(QComboBox, "outcomeFilter")
    assert [segment.itemText(i) for i in range(segment.count())] == [
        "All segments",
        "Enterprise",
        "Mid-market",
        "SMB",
    ]
    assert [outcome.itemText(i) for i in range(outcome.count())] == [
        "All outcomes",
        "Won",
        "Lost",
        "Churned",
        "No decision",
    ]
    segment.setCurrentIndex(segment.findText("Enterprise"))
    assert sorted(shown(panel)) == ["Pricing objections", "Renewal risk"]
    outcome.setCurrentIndex(outcome.findText("Lost"))
    assert shown(panel) == ["Pricing objections"]
    segment.setCurrentIndex(0)
    assert shown(panel) == ["Pricing objections"]
    outcome.setCurrentIndex(0)
    assert len(shown(panel)) == len(INTERVIEWS)


def test_a_refresh_keeps_the_chosen_segment_and_drops_one_no_longer_used(
    panel: InterviewListPanel, library: Library, ids: dict[str, int]
):
    segment = panel.findChild(QComboBox, "segmentFilter")
    segment.setCurrentIndex(segment.findText("SMB"))
    library.interviews.create("New call", persona_segment="Startup")
    panel.set_summaries(library.interviews.summaries())
    assert segment.currentText() == "SMB"
    assert segment.findText("Startup") > 0
    assert shown(panel) == ["Onboarding friction"]

    library.interviews.update(ids["Onboarding friction"], persona_segment="Enterprise")
    panel.set_summaries(library.interviews.summaries())
    assert segment.currentText() == "All segments"
    assert len(shown(panel)) == len(INTERVIEWS) + 1


def test_clicking_the_date_header_sorts_by_the_date_not_its_text(qtbot, panel: InterviewListPanel):
    header = table(panel).horizontalHeader()
    # Newest first to begin with; an interview without a date counts from when it was added (today).
    assert shown(panel) == ["Renewal risk", "Onboarding friction", "Pricing objections", "Why they switched"]
    assert shown(panel, Column.DATE)[1:] == ["9 Mar 2025", "10 Jan 2025", "2 Feb 2024"]  # not text order
    x = header.sectionViewportPosition(Column.DATE) + header.sectionSize(Column.DATE) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert shown(panel) == ["Why they switched", "Pricing objections", "Onboarding friction", "Renewal risk"]


def test_columns_show_duration_status_and_metadata(panel: InterviewListPanel, library: Library, speech: Path):
    imported = import_recording(library, speech / "jfk.flac", title="JFK", company="NASA").interview
    panel.set_summaries(library.interviews.summaries())
    panel.select_interview(imported.id)
    row = table(panel).selectionModel().selectedRows()[0].row()
    view = table(panel).model()
    assert [view.index(row, column).data() for column in Column][2:] == [
        "0:11",
        "not transcribed",
        "NASA",
        "",
        "",
    ]
    assert view.headerData(Column.DURATION, Qt.Orientation.Horizontal) == "Duration"


def test_progress_repaints_the_status_of_one_row_without_a_reset(
    panel: InterviewListPanel, ids: dict[str, int]
):
    view = table(panel).model()
    model = view.sourceModel()
    changes: list[tuple[QModelIndex, QModelIndex]] = []
    resets: list[None] = []
    model.dataChanged.connect(lambda top, bottom, _roles: changes.append((top, bottom)))
    model.modelReset.connect(lambda: resets.append(None))
    interview_id = ids["Pricing objections"]
    row = model.row_of(interview_id)
    before = {column: model.index(row, column).data() for column in Column if column is not Column.STATUS}
    icons = set()

    for state, fraction, text in [
        (JobState.QUEUED.value, 0.0, "waiting"),
        (JobState.RUNNING.value, 0.42, "transcribing 42 %"),
        (JobState.CANCELLED.value, 0.3, "cancelled 30 %"),
        (JobState.FAILED.value, 0.3, "failed"),
        (JobState.DONE.value, 1.0, "transcribed"),
        (None, 0.0, "not transcribed"),
    ]:
        changes.clear()
        panel.set_progress(interview_id, state, fraction)
        assert [(t.row(), t.column(), b.row(), b.column()) for t, b in changes] == [
            (row, Column.STATUS, row, Column.STATUS)
        ]
        status = model.index(row, Column.STATUS)
        assert status.data() == text
        icons.add(status.data(Qt.ItemDataRole.DecorationRole).cacheKey())
    assert len(icons) == 6  # one per state, a blank one for no job
    assert resets == []
    assert {column: model.index(row, column).data() for column in before} == before
    others = [model.index(r, Column.STATUS).data() for r in range(model.rowCount()) if r != row]
    assert others == ["not transcribed"] * (len(INTERVIEWS) - 1)


def test_selection_reports_the_interview_once(qtbot, panel: InterviewListPanel, library: Library, ids):
    view = table(panel)
    second_row = view.model().index(1, Column.TITLE)
    with qtbot.waitSignal(panel.interview_selected) as selected:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(second_row).center())
    assert selected.args == [second_row.data(ID_ROLE)]

    with qtbot.waitSignal(panel.interview_selected) as selected:
        panel.select_interview(ids["Why they switched"])
    assert selected.args == [ids["Why they switched"]]

    with qtbot.assertNotEmitted(panel.interview_selected):
        panel.set_summaries(library.interviews.summaries())  # e.g. after an edit
    assert view.selectionModel().selectedRows()[0].data(ID_ROLE) == ids["Why they switched"]


def test_selecting_a_filtered_out_interview_clears_the_filters(qtbot, panel: InterviewListPanel, ids):
    panel.findChild(QLineEdit, "interviewSearch").setText("globex")
    assert shown(panel) == ["Pricing objections"]
    with qtbot.waitSignal(panel.interview_selected) as selected:
        panel.select_interview(ids["Renewal risk"])
    assert selected.args == [ids["Renewal risk"]]
    assert len(shown(panel)) == len(INTERVIEWS)


def test_an_edited_interview_updates_its_row_and_the_filters(
    panel: InterviewListPanel, library: Library, ids
):
    panel.findChild(QLineEdit, "interviewSearch").setText("globex")
    edited = library.interviews.update(ids["Pricing objections"], company="Initech", persona_segment="Public sector")
    panel.update_interview(edited)
    assert shown(panel) == []  # no longer matches the search
    panel.findChild(QLineEdit, "interviewSearch").setText("initech")
    assert sorted(shown(panel, Column.COMPANY)) == ["Initech", "Initech"]
    assert panel.findChild(QComboBox, "segmentFilter").findText("Public sector") > 0
