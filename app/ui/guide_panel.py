"""Which guide an interview follows, and how far it got: each question answered, asked or missing.

The list is what a marketer checks after a call ("did I ever ask about alternatives?") and before the next
one. Activating a question jumps to its first quote, or to where it was asked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.guides.model import Guide
from app.services.tagging import Coverage, QuestionCoverage

NO_GUIDE = "No guide"
NO_GUIDE_LINE = "No guide chosen — pick one to see which questions were asked and file quotes under them."
STATE_MARKS = {Coverage.ANSWERED: "●", Coverage.ASKED: "◐", Coverage.MISSING: "○"}
STATE_WORDS = {
    Coverage.ANSWERED: "answered",
    Coverage.ASKED: "asked, nothing quoted",
    Coverage.MISSING: "missing",
}


class GuidePanel(QWidget):
    guide_chosen = Signal(str)
    """The slug of the guide the user picked for the open interview."""
    question_activated = Signal(str)
    """The key of the question the user opened (double-click or Enter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guides = QComboBox()
        self.guides.setObjectName("interviewGuide")
        self.guides.setToolTip("The guide this interview follows: its questions are what quotes answer")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.questions = QListWidget()
        self.questions.setObjectName("coverage")
        self.questions.setWordWrap(True)
        self.questions.setToolTip("● answered  ◐ asked, nothing quoted yet  ○ not asked")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Guide</b>"))
        layout.addWidget(self.guides)
        layout.addWidget(self.summary)
        layout.addWidget(self.questions, 1)
        # Takes the height while the list is hidden (no guide): one line under the picker, not an empty box.
        layout.addStretch(0)
        self.guides.activated.connect(self._chosen)
        self.questions.itemActivated.connect(
            lambda item: self.question_activated.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.setEnabled(False)

    def show_interview(
        self,
        choices: list[Guide],
        guide: Guide | None,
        coverage: list[QuestionCoverage],
        colours: dict[str, QColor],
    ) -> None:
        """Offer `choices`, show `guide` as chosen, and list its questions with their coverage."""
        self.guides.blockSignals(True)
        self.guides.clear()
        if guide is None:  # a guide, once chosen, is changed for another, not taken away
            self.guides.addItem(NO_GUIDE, None)
        for choice in choices:
            self.guides.addItem(choice.name, choice.slug)
        if guide is not None and self.guides.findData(guide.slug) < 0:
            self.guides.addItem(guide.name, guide.slug)  # an older edition only this interview still follows
        self.guides.setCurrentIndex(max(self.guides.findData(guide.slug if guide else None), 0))
        self.guides.blockSignals(False)
        self.questions.clear()
        self.setEnabled(True)
        self.questions.setVisible(guide is not None)
        if guide is None:
            self.summary.setText(NO_GUIDE_LINE)
            return
        answered = sum(1 for item in coverage if item.state is Coverage.ANSWERED)
        self.summary.setText(f"{answered} of {len(coverage)} questions answered")
        faded = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for item in coverage:
            row = QListWidgetItem(f"{STATE_MARKS[item.state]}  {item.number}. {item.question.text}")
            row.setData(Qt.ItemDataRole.UserRole, item.question.key)
            quotes = (
                f"{item.quotes} quote{'s' * (item.quotes != 1)}" if item.quotes else STATE_WORDS[item.state]
            )
            row.setToolTip(f"{STATE_WORDS[item.state].capitalize()} — {quotes}")
            if item.state is Coverage.MISSING:
                row.setForeground(faded)
            elif item.question.key in colours:
                row.setForeground(self.palette().color(QPalette.ColorRole.Text))
                row.setBackground(_tint(colours[item.question.key]))
            self.questions.addItem(row)

    def _chosen(self, index: int) -> None:
        slug = self.guides.itemData(index)
        if slug is not None:
            self.guide_chosen.emit(slug)


def _tint(colour: QColor) -> QColor:
    tinted = QColor(colour)
    tinted.setAlphaF(0.25)
    return tinted
