"""The bar above the board: which guide, rows by question or by theme, and the filters that choose the
interviews counted (segment, outcome, interviewer, dates), with a line saying how many are shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.interview import Interview, Outcome
from app.services.board import BoardFilters

ANY = "Any"
NO_DATE = QDate(2000, 1, 1)
"""A date edit showing this date means "no limit" (it displays "Any")."""


class BoardFilterBar(QWidget):
    """Emits `changed` when the guide or a filter changes (the board is built again) and `rows_changed`
    when only the rows switch between questions and themes (the built board is shown again)."""

    changed = Signal()
    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guide = QComboBox()
        self.guide.setToolTip("The guide whose questions form the rows")
        self.rows = QComboBox()
        self.rows.addItems(["By question", "By theme"])
        self.rows.setToolTip("Rows: the guide's questions, or its theme tags")
        self.segment = QComboBox()
        self.outcome = QComboBox()
        self.outcome.addItems([ANY, *(outcome.value for outcome in Outcome)])
        self.interviewer = QComboBox()
        self.date_from, self.date_to = _date_edit(), _date_edit()
        clear = QPushButton("Clear filters")
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        top = QHBoxLayout()
        _labelled(top, (("&Guide", self.guide), ("&Rows", self.rows)))
        top.addWidget(self.status, 1)
        filters = QHBoxLayout()
        _labelled(
            filters,
            (
                ("&Segment", self.segment),
                ("&Outcome", self.outcome),
                ("&Interviewer", self.interviewer),
                ("&From", self.date_from),
                ("&Until", self.date_to),
            ),
        )
        filters.addWidget(clear)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)

        for combo in (self.guide, self.segment, self.outcome, self.interviewer):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self.changed)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self.changed)
        self.rows.currentIndexChanged.connect(self.rows_changed)
        clear.clicked.connect(self.clear)

    def filters(self) -> BoardFilters:
        return BoardFilters(
            persona_segment=_chosen(self.segment),
            outcome=_chosen(self.outcome),
            interviewer=_chosen(self.interviewer),
            date_from=_date(self.date_from),
            date_to=_date(self.date_to),
        )

    def by_theme(self) -> bool:
        return self.rows.currentIndex() == 1

    def clear(self) -> None:
        for combo in (self.segment, self.outcome, self.interviewer):
            combo.setCurrentIndex(0)
        for edit in (self.date_from, self.date_to):
            edit.setDate(NO_DATE)

    def offer(
        self, guides: list[tuple[str, str]], guide: str | None, following: tuple[Interview, ...]
    ) -> None:
        """The guides (slug, name) to choose from with `guide` chosen, and the filter values the interviews
        that follow it have; nothing emits `changed`."""
        _refill(self.guide, [(name, slug) for slug, name in guides], guide)
        _refill_choices(self.segment, {i.persona_segment for i in following if i.persona_segment})
        _refill_choices(self.interviewer, {i.interviewer for i in following if i.interviewer})


def _labelled(layout: QHBoxLayout, widgets: tuple[tuple[str, QWidget], ...]) -> None:
    for text, widget in widgets:
        label = QLabel(text)
        label.setBuddy(widget)
        layout.addWidget(label)
        layout.addWidget(widget)


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(ANY)
    edit.setDate(NO_DATE)
    return edit


def _date(edit: QDateEdit) -> str | None:
    return None if edit.date() == NO_DATE else edit.date().toString(Qt.DateFormat.ISODate)


def _chosen(combo: QComboBox) -> str | None:
    return None if combo.currentIndex() <= 0 else combo.currentText()


def _refill(combo: QComboBox, items: list[tuple[str, Any]], current: Any) -> None:
    """Replace a combo's items without emitting changes, keeping `current` chosen."""
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def _refill_choices(combo: QComboBox, values: set[str]) -> None:
    """A filter's choices: "Any", then the values the interviews have (the current one kept)."""
    current = combo.currentText() if combo.currentIndex() > 0 else ANY
    _refill(combo, [(ANY, ANY), *((value, value) for value in sorted(values, key=str.casefold))], current)
