"""The interview list's pane: the table of interviews with a search box and two filters (its model and
filter proxy are in `interview_list_model.py`).

The panel never touches the library: the window hands it summaries, and live job progress per interview.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.interview import Interview, Outcome
from app.library.interviews import InterviewSummary
from app.ui.interview_list_model import (
    ID_ROLE,
    Column,
    InterviewFilterProxy,
    InterviewListModel,
    outcome_label,
)


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
