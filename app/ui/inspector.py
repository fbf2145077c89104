"""The inspector: the selected interview's metadata, saved field by field as the user edits it.

There is no Save button: a field is saved when its editing ends (Return, focus leaving it, a choice made),
and the notes after a short pause in typing, so nothing typed is lost by clicking elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.interview import INTERVIEW_FIELDS, Interview, Outcome
from app.library import LibraryError
from app.ui.interview_list_model import outcome_label

# Long enough not to write on every keystroke, short enough that a crash loses at most a few words.
NOTES_IDLE_MS = 600

_LINE_FIELDS = {"title": "Title", "customer_name": "Customer", "company": "Company", "role": "Role"}
# Fields that can hold an edit not yet saved (typing not finished); the others save on every change.
_TYPED_FIELDS = (*_LINE_FIELDS, "persona_segment", "notes")

Save = Callable[[int, dict[str, str | None]], Interview]


class InterviewInspector(QWidget):
    """Edits one interview's metadata through `save(interview_id, changed_fields) -> Interview`, which may
    raise LibraryError: then the message shows below the form and the field shows its stored value again."""

    interview_changed = Signal(object)
    """The Interview as stored, after each successful save."""

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._interview: Interview | None = None
        self._loading = False

        self._lines = {field: QLineEdit() for field in _LINE_FIELDS}
        self._segment = QComboBox()
        self._segment.setEditable(True)
        self._segment.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._outcome = QComboBox()
        self._outcome.addItem("", None)
        for outcome in Outcome:
            self._outcome.addItem(outcome_label(outcome), outcome.value)
        self._date_known = QCheckBox("Known")
        self._date_known.setToolTip("Untick when the interview's date is not known")
        self._date = QDateEdit()
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat("d MMM yyyy")
        self._date.setKeyboardTracking(False)  # typing "2024" must not save 2, 20 and 202 on the way
        self._notes = QPlainTextEdit()
        self._notes.setPlaceholderText("What stood out, follow-ups…")
        self._notes.installEventFilter(self)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_IDLE_MS)
        self._error = QLabel()
        self._error.setObjectName("inspectorError")
        self._error.setWordWrap(True)
        self._error.setStyleSheet("color: #b00020;")
        self._error.hide()

        for name, widget in (*self._lines.items(), ("segment", self._segment), ("outcome", self._outcome)):
            widget.setObjectName(name)
        self._date.setObjectName("interview_date")
        self._notes.setObjectName("notes")

        date_row = QHBoxLayout()
        date_row.addWidget(self._date_known)
        date_row.addWidget(self._date, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field, label in _LINE_FIELDS.items():
            form.addRow(label, self._lines[field])
        form.addRow("Segment", self._segment)
        form.addRow("Outcome", self._outcome)
        form.addRow("Date", date_row)
        form.addRow("Notes", self._notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self._error)

        for field, line in self._lines.items():
            line.editingFinished.connect(lambda field=field: self._commit(field))
        self._segment.lineEdit().editingFinished.connect(lambda: self._commit("persona_segment"))
        self._segment.activated.connect(lambda _index: self._commit("persona_segment"))
        self._outcome.currentIndexChanged.connect(lambda _index: self._commit("outcome"))
        self._date.dateChanged.connect(lambda _date: self._commit("interview_date"))
        self._date_known.toggled.connect(self._on_date_known)
        self._notes.textChanged.connect(self._on_notes_typed)
        self._notes_timer.timeout.connect(lambda: self._commit("notes"))
        self.setEnabled(False)

    def show_interview(self, interview: Interview, segment_suggestions: list[str]) -> None:
        """Edit `interview`; edits still pending on the one shown before are saved first."""
        self.commit_pending()
        self._interview = interview
        self._loading = True
        self._segment.clear()
        self._segment.addItems(segment_suggestions)
        self._loading = False
        self._show_stored(INTERVIEW_FIELDS)
        self._error.hide()
        self.setEnabled(True)

    def commit_pending(self) -> None:
        """Save what is typed but not yet saved (call before closing the window)."""
        self._notes_timer.stop()
        self._commit(*_TYPED_FIELDS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._notes and event.type() == QEvent.Type.FocusOut:
            self._notes_timer.stop()
            self._commit("notes")
        return super().eventFilter(watched, event)

    @Slot()
    def _on_notes_typed(self) -> None:
        if not self._loading:
            self._notes_timer.start()

    @Slot(bool)
    def _on_date_known(self, known: bool) -> None:
        self._date.setEnabled(known)
        self._commit("interview_date")

    def _commit(self, *fields: str) -> None:
        """Save the fields whose shown value differs from the stored one."""
        if self._interview is None or self._loading:
            return
        changed = {field: self._shown(field) for field in fields}
        changed = {field: value for field, value in changed.items() if value != self._stored(field)}
        if not changed:
            return
        try:
            saved = self._save(self._interview.id, changed)
        except LibraryError as error:
            self._error.setText(str(error))
            self._error.show()
            # Notes stay as typed: a paragraph lost to a passing disk error would be worse than a retry.
            self._show_stored(field for field in changed if field != "notes")
            return
        self._interview = saved
        self._error.hide()
        # Text fields whose editing has ended show the value as stored (trimmed). Not the notes, where it
        # would move the cursor mid-typing, nor an unticked date, which keeps its day for a re-tick.
        self._show_stored(field for field in changed if field in (*_LINE_FIELDS, "persona_segment"))
        self.interview_changed.emit(saved)

    def _shown(self, field: str) -> str | None:
        """The field's value as the form shows it, in the form the library stores."""
        if field in self._lines:
            return self._lines[field].text().strip() or None
        if field == "persona_segment":
            return self._segment.currentText().strip() or None
        if field == "outcome":
            return self._outcome.currentData()
        if field == "interview_date":
            return self._date.date().toString(Qt.DateFormat.ISODate) if self._date_known.isChecked() else None
        return self._notes.toPlainText().strip() or None

    def _stored(self, field: str) -> str | None:
        assert self._interview is not None
        value = getattr(self._interview, field)
        return value.value if isinstance(value, Outcome) else value

    def _show_stored(self, fields: Iterable[str]) -> None:
        """Set the widgets of `fields` to the stored values, without that counting as an edit."""
        self._loading = True
        try:
            for field in fields:
                value = self._stored(field) or ""
                if field in self._lines:
                    self._lines[field].setText(value)
                    if not self._lines[field].hasFocus():
                        self._lines[field].setCursorPosition(0)  # show a long title's start, not its end
                elif field == "persona_segment":
                    self._segment.setEditText(value)
                elif field == "outcome":
                    self._outcome.setCurrentIndex(max(self._outcome.findData(value or None), 0))
                elif field == "interview_date":
                    self._show_date(value)
                else:
                    self._notes.setPlainText(value)
        finally:
            self._loading = False

    def _show_date(self, iso: str) -> None:
        date = QDate.fromString(iso, Qt.DateFormat.ISODate)
        self._date_known.setChecked(date.isValid())
        self._date.setEnabled(date.isValid())
        self._date.setDate(date if date.isValid() else QDate.currentDate())
        # A date typed freely on the command line cannot show in the date field; say what it is.
        self._date.setToolTip(f"Stored as {iso!r}" if iso and not date.isValid() else "")
