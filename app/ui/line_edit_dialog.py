"""The dialog that corrects what was said in one transcript line.

Sized to the text (wide enough for a sentence, as tall as the line wraps, within limits) rather than one
sideways-scrolling field, and built for the keyboard: Enter saves, Shift+Enter breaks the line, Esc
cancels. The caret starts at the end, with nothing selected, so a stray key does not wipe the line.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QTextCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.ui.screen_fit import free_area
from app.ui.text_box import TextBox

# The editor is this many ems wide (at most SCREEN_SHARE of the screen), and shows between MIN_LINES and
# MAX_LINES lines (then scrolls).
WIDTH_EM, SCREEN_SHARE, MIN_LINES, MAX_LINES = 56, 0.8, 3, 14


class LineEditDialog(QDialog):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit text")
        hint = QLabel("Correct what was said. Enter saves, Shift+Enter starts a new line, Esc cancels.")
        hint.setWordWrap(True)
        self.editor = TextBox()
        self.editor.setObjectName("lineText")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.editor.setPlainText(text)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        self.editor.submitted.connect(self.accept)
        self.editor.cancelled.connect(self.reject)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self._fit_to(text)

    def _fit_to(self, text: str) -> None:
        """Wide enough for a sentence; as many lines as the text wraps to at that width, within limits."""
        metrics = QFontMetrics(self.editor.font())
        screen = free_area(self)
        width = min(WIDTH_EM * metrics.horizontalAdvance("M"), round(screen.width() * SCREEN_SHARE))
        self.editor.setFixedWidth(width)
        margin = round(self.editor.document().documentMargin())
        text_width = (
            width
            - 2 * (self.editor.frameWidth() + margin)
            - self.editor.verticalScrollBar().sizeHint().width()
        )
        wrapped = metrics.boundingRect(
            QRect(0, 0, text_width, 1 << 20), Qt.TextFlag.TextWordWrap, text or " "
        )
        # One line to spare: the editor wraps a little differently from the estimate, and a correction often
        # adds words.
        lines = min(max(round(wrapped.height() / metrics.lineSpacing()) + 1, MIN_LINES), MAX_LINES)
        frame = 2 * (self.editor.frameWidth() + margin)
        self.editor.setFixedHeight(lines * metrics.lineSpacing() + frame)

    def text(self) -> str:
        return self.editor.toPlainText()


def corrected_text(parent: QWidget, text: str) -> str | None:
    """Ask for the corrected line; None when cancelled."""
    dialog = LineEditDialog(text, parent)
    try:
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        # Gone when this returns (Python owns it once it has no parent), as QInputDialog's static functions
        # do: a hidden dialog left for deleteLater would stay the active window until the loop runs.
        dialog.setParent(None)
