"""The interview list's data: a table model over the library's summaries (title, date, length, status…)
and a proxy that searches and filters it by segment and outcome; the panel in `interview_list.py` shows it."""

from __future__ import annotations

import dataclasses
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from app.domain.interview import Interview, JobState, Outcome
from app.domain.timecode import clock
from app.library.interviews import InterviewSummary

ID_ROLE = Qt.ItemDataRole.UserRole
"""Any cell: the interview's id."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Any cell: the raw value the column sorts by (an ISO date, milliseconds...), not the text shown."""

_ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TITLE = 0
    DATE = 1
    DURATION = 2
    STATUS = 3
    COMPANY = 4
    SEGMENT = 5
    OUTCOME = 6


_HEADERS = ("Title", "Date", "Duration", "Status", "Company", "Segment", "Outcome")
# Sorting by Status groups what needs attention first.
_STATUS_ORDER = {
    JobState.RUNNING: 0,
    JobState.QUEUED: 1,
    JobState.FAILED: 2,
    JobState.CANCELLED: 3,
    None: 4,
    JobState.DONE: 5,
}
_STATUS_ICONS = {
    JobState.RUNNING: QStyle.StandardPixmap.SP_BrowserReload,
    JobState.QUEUED: QStyle.StandardPixmap.SP_MediaPause,
    JobState.DONE: QStyle.StandardPixmap.SP_DialogApplyButton,
    JobState.FAILED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    JobState.CANCELLED: QStyle.StandardPixmap.SP_MediaStop,
}


def outcome_label(outcome: Outcome) -> str:
    """'No decision' rather than 'no-decision': the stored value is for files, this is for people."""
    return outcome.value.replace("-", " ").capitalize()


_STATUS_WORDS = {JobState.QUEUED: "waiting", JobState.DONE: "transcribed", JobState.FAILED: "failed"}


def status_text(state: JobState | None, fraction: float) -> str:
    """'waiting', 'transcribing 42 %', 'cancelled 30 %', 'transcribed'...: words a user says, with the
    percentage only where the job is unfinished."""
    if state is None:
        return "not transcribed"
    if state is JobState.RUNNING:
        return f"transcribing {round(fraction * 100)} %"
    if state is JobState.CANCELLED:
        return f"cancelled {round(fraction * 100)} %"
    return _STATUS_WORDS[state]


def _iso_date(interview: Interview) -> str:
    """The interview's date, else the local date it was added, as YYYY-MM-DD (what Date sorts by)."""
    if interview.interview_date:
        return interview.interview_date
    added = QDateTime.fromString(interview.created_at, Qt.DateFormat.ISODate)
    return (
        added.toLocalTime().date().toString(Qt.DateFormat.ISODate)
        if added.isValid()
        else interview.created_at
    )


def _date_text(iso: str) -> str:
    date = QDate.fromString(iso, Qt.DateFormat.ISODate)
    # A date typed freely on the command line is shown as typed.
    return date.toString("d MMM yyyy") if date.isValid() else iso


class InterviewListModel(QAbstractTableModel):
    """One row per interview summary. Job progress changes a single row, so a transcribing interview
    repaints one cell per segment rather than resetting the list."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._summaries: list[InterviewSummary] = []
        self._rows: dict[int, int] = {}
        style = QApplication.style()
        self._icons = {state: style.standardIcon(pixmap) for state, pixmap in _STATUS_ICONS.items()}
        # A blank icon for "not transcribed" keeps every status text at the same indent.
        size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        blank = QPixmap(size, size)
        blank.fill(Qt.GlobalColor.transparent)
        self._icons[None] = QIcon(blank)

    def reload(self, summaries: list[InterviewSummary]) -> None:
        self.beginResetModel()
        self._summaries = list(summaries)
        self._rows = {summary.interview.id: row for row, summary in enumerate(self._summaries)}
        self.endResetModel()

    def set_progress(self, interview_id: int, state: str | None, fraction: float | None = None) -> None:
        """Show a job's state (a JobState value, or None for no job) and progress on the interview's row;
        without a fraction the row keeps the one it has (a resumed job goes on from where it stopped)."""
        row = self._rows.get(interview_id)
        if row is None:
            return
        summary = self._summaries[row]
        self._summaries[row] = dataclasses.replace(
            summary,
            job_state=JobState(state) if state else None,
            job_progress=summary.job_progress if fraction is None else fraction,
        )
        status = self.index(row, Column.STATUS)
        self.dataChanged.emit(status, status)

    def update_interview(self, interview: Interview) -> None:
        """Show an interview's edited metadata on its row."""
        row = self._rows.get(interview.id)
        if row is None:
            return
        self._summaries[row] = dataclasses.replace(self._summaries[row], interview=interview)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def summary(self, row: int) -> InterviewSummary:
        return self._summaries[row]

    def row_of(self, interview_id: int) -> int | None:
        return self._rows.get(interview_id)

    def segments(self) -> list[str]:
        """The distinct segments in use, alphabetically: the filter's and the inspector's suggestions."""
        found = {s.interview.persona_segment for s in self._summaries if s.interview.persona_segment}
        return sorted(found, key=str.casefold)

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._summaries)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        return None

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._summaries[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(summary, column)
        if role == ID_ROLE:
            return summary.interview.id
        if role == SORT_ROLE:
            return self._sort_key(summary, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return self._icons[summary.job_state]
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.DURATION:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.TITLE:
            return summary.interview.title
        return None

    @staticmethod
    def _text(summary: InterviewSummary, column: Column) -> str:
        interview = summary.interview
        if column is Column.TITLE:
            return interview.title
        if column is Column.DATE:
            return _date_text(_iso_date(interview))
        if column is Column.DURATION:
            return clock(summary.duration_ms)
        if column is Column.STATUS:
            return status_text(summary.job_state, summary.job_progress)
        if column is Column.COMPANY:
            return interview.company or ""
        if column is Column.SEGMENT:
            return interview.persona_segment or ""
        return outcome_label(interview.outcome) if interview.outcome else ""

    @staticmethod
    def _sort_key(summary: InterviewSummary, column: Column) -> str | int:
        if column is Column.DATE:
            return _iso_date(summary.interview)
        if column is Column.DURATION:
            return summary.duration_ms
        if column is Column.STATUS:
            return _STATUS_ORDER[summary.job_state]
        return InterviewListModel._text(summary, column).casefold()


class InterviewFilterProxy(QSortFilterProxyModel):
    """Search as you type (every word must appear in the title, customer, company, role, segment or notes,
    in any case), narrowed by segment and outcome; sorts by SORT_ROLE."""

    def __init__(self, model: InterviewListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._words: list[str] = []
        self._segment: str | None = None
        self._outcome: Outcome | None = None
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_segment(self, segment: str | None) -> None:
        self.beginFilterChange()
        self._segment = segment
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_outcome(self, outcome: Outcome | None) -> None:
        self.beginFilterChange()
        self._outcome = outcome
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _ModelIndex) -> bool:
        interview = self._model.summary(source_row).interview
        if self._segment is not None and interview.persona_segment != self._segment:
            return False
        if self._outcome is not None and interview.outcome is not self._outcome:
            return False
        searched = (
            interview.title,
            interview.customer_name,
            interview.company,
            interview.role,
            interview.persona_segment,
            interview.notes,
        )
        haystack = "\n".join(text for text in searched if text).casefold()
        return all(word in haystack for word in self._words)
