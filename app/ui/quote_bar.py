"""The strip under the transcript where selected words become a quote, or a quote is re-filed.

It is built for the keyboard: with words selected in the transcript, a number key picks that guide
question, T opens the tags, N goes to the note, and Enter files the quote (Shift+Enter starts a new line
in the note). Questions past the ninth are in the question menu. A warning shows before the quote is made
when the words are the interviewer's. The note is a box of NOTE_LINES lines, never squeezed by
the buttons beside it: a marketer writes a sentence or two there, not a word.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.quote import Quote
from app.domain.timecode import clock
from app.domain.wording import readable_name
from app.guides.model import Guide
from app.ui.text_box import TextBox

EXCERPT_CHARS = 140
# The note shows this many lines (more scroll), and at least NOTE_MIN_EM ems across.
NOTE_LINES, NOTE_MIN_EM = 3, 28
NO_GUIDE_HINT = "No guide for this interview: choose one on the right to file quotes under its questions."


class NoteBox(TextBox):
    """The quote's note, NOTE_LINES lines tall: Enter files the quote, Shift+Enter breaks the line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        metrics = QFontMetrics(self.font())
        frame = 2 * (self.frameWidth() + round(self.document().documentMargin()))
        self.setFixedHeight(NOTE_LINES * metrics.lineSpacing() + frame)
        self.setMinimumWidth(NOTE_MIN_EM * metrics.horizontalAdvance("M"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class QuoteBar(QFrame):
    """Shows what would be quoted (or the quote under the caret) and its question, tags and note."""

    confirmed = Signal(object, tuple, str)
    """(question key or None, tags, note): file a new quote, or save the one shown."""
    delete_requested = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum
        )  # never more than it needs
        self.quote: Quote | None = None
        """The quote being re-filed, or None while a new selection is shown."""
        self._guide: Guide | None = None

        self._heading = QLabel()
        self._heading.setStyleSheet("font-weight: bold;")
        self._excerpt = QLabel()
        self._excerpt.setTextFormat(Qt.TextFormat.PlainText)
        self._excerpt.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setObjectName("quoteWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a15c00;")
        self.question = QComboBox()
        self.question.setObjectName("quoteQuestion")
        self.question.setToolTip("The guide question this answers (keys 1–9 choose the first nine)")
        self.question.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.question.setMinimumContentsLength(22)
        self.tags_button = QToolButton()
        self.tags_button.setText("Tags (T)")
        self.tags_button.setToolTip("Themes this quote shows (T)")
        self.tags_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tags_menu = QMenu(self.tags_button)
        self.tags_menu.triggered.connect(lambda _action: self._show_tag_summary())
        self.tags_button.setMenu(self.tags_menu)
        self.note = NoteBox()
        self.note.setObjectName("quoteNote")
        self.note.setPlaceholderText("Note (N): Enter files the quote, Shift+Enter starts a new line")
        self.note.submitted.connect(self.confirm)
        self.note.cancelled.connect(self.cancelled)
        self.confirm_button = QPushButton()
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        self.delete_button = QPushButton("Delete quote")
        self.delete_button.clicked.connect(self.delete_requested)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        close.clicked.connect(self.cancelled)

        top = QHBoxLayout()
        top.addWidget(self._heading)
        top.addWidget(self._excerpt, 1)
        top.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        # Question and tags on the left, the note filling the middle, the buttons on the right.
        controls = QGridLayout()
        controls.addWidget(self.question, 0, 0)
        controls.addWidget(self.tags_button, 1, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        controls.addWidget(self.note, 0, 1, 2, 1)
        controls.addWidget(self.confirm_button, 0, 2)
        controls.addWidget(self.delete_button, 1, 2, Qt.AlignmentFlag.AlignTop)
        controls.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addLayout(controls)
        self.hide()

    def set_guide(self, guide: Guide | None, colours: dict[str, QColor]) -> None:
        """Offer this guide's questions (numbered as the keys choose them) and tags."""
        self._guide = guide
        self.question.clear()
        self.question.addItem("No question", None)
        self.tags_menu.clear()
        if guide is None:
            self.question.setToolTip(NO_GUIDE_HINT)
            self.tags_button.setEnabled(False)
            return
        self.question.setToolTip("The guide question this answers (keys 1–9 choose the first nine)")
        for number, question in enumerate(guide.questions, start=1):
            self.question.addItem(
                _swatch(colours.get(question.key)), question_label(number, question.text), question.key
            )
        for tag in guide.tags:
            action = self.tags_menu.addAction(_swatch(QColor(tag.colour)), readable_name(tag.name))
            action.setData(tag.name)  # what is stored; the menu shows it with spaces
            action.setCheckable(True)
            action.setToolTip(tag.definition)
        self.tags_menu.setToolTipsVisible(True)
        self.tags_button.setEnabled(bool(guide.tags))

    def recolour(self, colours: dict[str, QColor]) -> None:
        """The questions' swatches in `colours` (picked again for a new palette); the choices stay."""
        for index in range(1, self.question.count()):
            self.question.setItemIcon(index, _swatch(colours.get(self.question.itemData(index))))

    def show_selection(self, excerpt: str, start_ms: int, end_ms: int, warning: str | None) -> None:
        """A new quote from the selected words; the question, tags and note chosen so far are kept, so the
        user can widen the selection without starting over."""
        if self.quote is not None:
            self._reset_fields()
        self.quote = None
        self._heading.setText(f"New quote {clock(start_ms)}–{clock(end_ms)}")
        self._show_excerpt(excerpt)
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        self.confirm_button.setText("Add quote")
        self.delete_button.hide()
        self.show()

    def show_quote(self, quote: Quote) -> None:
        """Re-file an existing quote: its question, tags and note, ready to change."""
        self.quote = quote
        self._heading.setText(f"Quote {clock(quote.start_ms)}–{clock(quote.end_ms)}")
        self._show_excerpt(quote.text)
        self.warning.hide()
        self.question.setCurrentIndex(max(self.question.findData(quote.question_key), 0))
        for action in self.tags_menu.actions():
            action.setChecked(action.data() in quote.tags)
        self._show_tag_summary()
        self.note.setPlainText(quote.note or "")
        self.confirm_button.setText("Save")
        self.delete_button.show()
        self.show()

    def close_bar(self) -> None:
        self.quote = None
        self._reset_fields()
        self.hide()

    def choose_question(self, number: int) -> bool:
        """Pick the guide's question `number` (1-based); False when the guide has no such question."""
        if not 1 <= number < self.question.count():
            return False
        self.question.setCurrentIndex(number)
        return True

    def open_tags(self) -> None:
        """Drop the tag list down from its button without waiting on it, so the keyboard flow goes on."""
        if self.tags_button.isEnabled():
            self.tags_menu.popup(self.tags_button.mapToGlobal(self.tags_button.rect().bottomLeft()))

    def focus_note(self) -> None:
        self.note.setFocus()
        self.note.selectAll()

    def confirm(self) -> None:
        if self.isVisible():
            self.confirmed.emit(self.question.currentData(), self.chosen_tags(), self.note.text().strip())

    def chosen_tags(self) -> tuple[str, ...]:
        """The stored names of the ticked tags ("DecisionReason", shown as "Decision reason")."""
        return tuple(action.data() for action in self.tags_menu.actions() if action.isChecked())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
        else:
            super().keyPressEvent(event)

    def _show_excerpt(self, text: str) -> None:
        self._excerpt.setText(f"“{excerpt(text)}”")

    def _show_tag_summary(self) -> None:
        chosen = self.chosen_tags()
        shown = ", ".join(readable_name(tag) for tag in chosen)
        self.tags_button.setText(f"Tags: {shown}" if chosen else "Tags (T)")

    def _reset_fields(self) -> None:
        self.question.setCurrentIndex(0)
        for action in self.tags_menu.actions():
            action.setChecked(False)
        self._show_tag_summary()
        self.note.clear()


def question_label(number: int, text: str) -> str:
    """How a guide question is named wherever it can be chosen: its number key, then its words."""
    return f"{number} · {text}"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """`text` cut at `limit` characters with an ellipsis: enough to recognise a passage."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _swatch(colour: QColor | None) -> QIcon:
    """A small filled circle of `colour`: the same colour marks the question's quotes in the transcript."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    if colour is not None:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
    return QIcon(pixmap)
