"""The interview list: a table model over the library's summaries, a proxy that searches and filters it, and
the panel that holds them with a search box and two filters.

The panel never touches the library: the window hands it summaries, and live job progress per interview.
"""

from __future__ import annotations

import dataclasses
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QIcon, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

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


class _InterviewTable(QTableView):
    """Title takes the width the other columns leave, down to about 20 characters; the others start wide
    enough for typical values and can be dragged.

    Qt's Stretch mode stops shrinking a column once the others overflow, and the list often sits in a
    narrow splitter pane: there Title would keep its wide size and push every other column out of view.
    """

    def __init__(self, model: InterviewFilterProxy) -> None:
        super().__init__()
        self.setModel(model)  # first: the header has no sections to size before
        metrics = self.fontMetrics()
        self._title_minimum = metrics.horizontalAdvance("Onboarding friction, ACME")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMinimumSectionSize(metrics.horizontalAdvance("Title") * 2)
        samples = {
            Column.DATE: "30 Sep 2025",
            Column.DURATION: "Duration",
            Column.STATUS: "transcribing 100 %",
            Column.COMPANY: "Northwind Traders",
            Column.SEGMENT: "Mid-market",
            Column.OUTCOME: "No decision",
        }
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        for column, sample in samples.items():
            extra = icon + 8 if column is Column.STATUS else 0
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24 + extra)
        header.sectionResized.connect(self._on_section_resized)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()

    @Slot(int, int, int)
    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != Column.TITLE:
            self._fit_title()

    def _fit_title(self) -> None:
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != Column.TITLE)
        header.resizeSection(Column.TITLE, max(self._title_minimum, self.viewport().width() - others))


class InterviewListPanel(QWidget):
    """Search box and filters above a sortable table of interviews.

    `interview_selected` fires when a different interview becomes selected, by a click or by
    `select_interview`; refreshing the list keeps the selection without firing it again.
    """

    interview_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._selected: int | None = None
        self._model = InterviewListModel(self)
        self._proxy = InterviewFilterProxy(self._model, self)

        self._search = QLineEdit()
        self._search.setObjectName("interviewSearch")
        self._search.setPlaceholderText("Search titles, people, companies, notes…")
        self._search.setClearButtonEnabled(True)
        self._segment = QComboBox()
        self._segment.setObjectName("segmentFilter")
        self._segment.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._segment.addItem("All segments", None)
        self._outcome = QComboBox()
        self._outcome.setObjectName("outcomeFilter")
        self._outcome.addItem("All outcomes", None)
        for outcome in Outcome:
            self._outcome.addItem(outcome_label(outcome), outcome.value)

        self._table = _InterviewTable(self._proxy)
        self._table.setObjectName("interviewTable")
        self._table.setSortingEnabled(True)
        self._table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setAlternatingRowColors(True)
        self._table.setWordWrap(False)
        self._table.verticalHeader().hide()
        # Compact rows: the style's default leaves room for two lines and shows few interviews.
        self._table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

        filters = QHBoxLayout()
        filters.addWidget(self._search, 1)
        filters.addWidget(self._segment)
        filters.addWidget(self._outcome)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self._table, 1)

        self._search.textChanged.connect(self._proxy.set_search)
        self._segment.currentIndexChanged.connect(self._on_segment_chosen)
        self._outcome.currentIndexChanged.connect(self._on_outcome_chosen)
        self._table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def set_summaries(self, summaries: list[InterviewSummary]) -> None:
        """Show these interviews (e.g. after an import), keeping the selection and the filters if they still
        apply."""
        keep = self._selected
        self._model.reload(summaries)
        self._refresh_segments()
        row = self._model.row_of(keep) if keep is not None else None
        if row is None:
            self._selected = None
        else:
            self._select_source_row(row)

    def set_progress(self, interview_id: int, state: str | None, fraction: float | None = None) -> None:
        """Show a job's state (JobState value, or None) and progress (else the row's own); repaints that
        row only."""
        self._model.set_progress(interview_id, state, fraction)

    def segments(self) -> list[str]:
        """The segments in use, from the summaries already loaded (no library query)."""
        return self._model.segments()

    def update_interview(self, interview: Interview) -> None:
        """Show an interview's edited metadata (after the inspector saved it)."""
        self._model.update_interview(interview)
        self._refresh_segments()

    def shown_ids(self) -> list[int]:
        """The interviews the search and filters let through, in the order shown (what a pack exports)."""
        return [
            self._model.summary(self._proxy.mapToSource(self._proxy.index(row, 0)).row()).interview.id
            for row in range(self._proxy.rowCount())
        ]

    def select_interview(self, interview_id: int) -> None:
        """Select and reveal the interview, clearing the search and filters if they hide it."""
        row = self._model.row_of(interview_id)
        if row is None:
            return
        if not self._proxy.mapFromSource(self._model.index(row, 0)).isValid():
            self._search.clear()
            self._segment.setCurrentIndex(0)
            self._outcome.setCurrentIndex(0)
        self._select_source_row(row)

    def _select_source_row(self, row: int) -> None:
        index = self._proxy.mapFromSource(self._model.index(row, 0))
        if index.isValid():
            self._table.selectRow(index.row())
            self._table.scrollTo(index)

    def _refresh_segments(self) -> None:
        """Offer the segments now in use; the chosen one stays chosen while it exists."""
        chosen = self._segment.currentData()
        self._segment.blockSignals(True)
        self._segment.clear()
        self._segment.addItem("All segments", None)
        for segment in self._model.segments():
            self._segment.addItem(segment, segment)
        self._segment.setCurrentIndex(max(self._segment.findData(chosen), 0))
        self._segment.blockSignals(False)
        if self._segment.currentData() != chosen:
            self._proxy.set_segment(None)

    @Slot(int)
    def _on_segment_chosen(self, _index: int) -> None:
        self._proxy.set_segment(self._segment.currentData())

    @Slot(int)
    def _on_outcome_chosen(self, _index: int) -> None:
        value = self._outcome.currentData()
        self._proxy.set_outcome(Outcome(value) if value else None)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self._table.selectionModel().selectedRows()
        if not rows:
            return
        interview_id = rows[0].data(ID_ROLE)
        if interview_id != self._selected:
            self._selected = interview_id
            self.interview_selected.emit(interview_id)
