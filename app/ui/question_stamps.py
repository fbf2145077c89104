"""The Record dialog's question buttons: one per question of the chosen guide, the first nine also on the
number keys, each stamping the moment the interviewer asks it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.guides.model import Guide

HOTKEY_QUESTIONS = 9
"""Questions reachable by a number key (1–9) while recording; later ones by a click."""


class QuestionStamps(QWidget):
    stamped = Signal(str, str)
    """(question key, question text): the interviewer has just asked it."""

    def __init__(self, keys_window: QWidget) -> None:
        super().__init__()
        self._keys_window = keys_window
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._shortcuts: list[QShortcut] = []
        self.buttons: dict[str, QPushButton] = {}

    def show_guide(self, guide: Guide | None, enabled: bool) -> None:
        """A button per question of `guide` (a hint when there is none), clickable when `enabled`."""
        for shortcut in self._shortcuts:
            shortcut.setParent(None)
        self._shortcuts.clear()
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        for number, question in enumerate(guide.questions if guide else (), start=1):
            hotkey = f"{number}  " if number <= HOTKEY_QUESTIONS else "    "
            button = QPushButton(f"{hotkey}{question.text}")
            button.setStyleSheet("text-align: left; padding: 4px 8px;")
            button.setToolTip("Stamp the moment you ask this question")
            button.clicked.connect(lambda _=False, q=question: self.stamped.emit(q.key, q.text))
            button.setEnabled(enabled)
            self._layout.addWidget(button)
            self.buttons[question.key] = button
            if number <= HOTKEY_QUESTIONS:
                shortcut = QShortcut(QKeySequence(str(number)), self._keys_window)
                shortcut.activated.connect(button.click)
                self._shortcuts.append(shortcut)
        if not self.buttons:
            self._layout.addWidget(QLabel("Choose a guide to stamp its questions as you ask them."))
        self._layout.addStretch(1)
