"""The first-run welcome: what Earful is for, in three steps."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

STEPS = (
    (
        "1. Record or import",
        "Drag your customer call recordings onto the window (or press Ctrl+O). Each is "
        "transcribed on this computer — nothing leaves it.",
    ),
    (
        "2. Tag",
        "Read what customers said, fix a misheard word, and mark the quotes that answer your "
        "interview guide's questions.",
    ),
    ("3. Export", "Hand your team the conversations themselves: the trends and the customers' own words."),
)


def welcome_intro(demo_open: bool, interviews: int) -> str:
    """The line under the heading, true for the library the user is in."""
    if demo_open:
        return (
            "A demo interview is already open: a recent buyer explains how they chose a product. "
            "Press Space to listen and click any word to jump there."
        )
    if interviews:
        return (
            f"Your library holds {interviews} interview{'s' if interviews != 1 else ''}: pick one on the left, "
            "press Space to listen and click any word to jump there."
        )
    return "Your library is empty: start with step 1 below."


class WelcomeDialog(QDialog):
    def __init__(self, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Earful")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        heading = QLabel("<h2>Hear your customers in their own words</h2>")
        layout.addWidget(heading)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        for title, text in STEPS:
            step = QLabel(f"<b>{title}</b><br>{text}")
            step.setWordWrap(True)
            layout.addWidget(step)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
