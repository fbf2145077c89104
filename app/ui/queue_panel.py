"""What is being transcribed, what waits, and what just finished, with Cancel and Retry on each row."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain.interview import JobState

if TYPE_CHECKING:
    from app.ui.transcription_queue import TranscriptionQueue

# Finished jobs stay in view for a while so a failure can be read and retried; older ones drop off.
RECENT_FINISHED = 5

_STATE_TEXT = {
    JobState.QUEUED: "Waiting",
    JobState.RUNNING: "Transcribing",
    JobState.DONE: "Done",
    JobState.FAILED: "Failed",
    JobState.CANCELLED: "Cancelled",
}


class _ElidedLabel(QLabel):
    """One line that ends in '…' when narrow, instead of pushing the buttons out of a narrow dock."""

    def __init__(self) -> None:
        super().__init__()
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("First call aft…"))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)


class _JobRow(QWidget):
    """One interview's job. `action` is Cancel while it waits or runs, Retry once it failed or was cancelled."""

    action_clicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._title = _ElidedLabel()
        self._bar = QProgressBar()
        self._bar.setRange(0, 100)
        self._bar.setFormat("%p %")
        # The bar gives way first in a narrow dock, so the title keeps room to be read.
        digit = self.fontMetrics().horizontalAdvance("0")
        self._bar.setMinimumWidth(digit * 7)
        self._bar.setMaximumWidth(digit * 20)
        self._bar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._keep_space_when_hidden(self._bar)
        self._state = QLabel()
        self._state.setMinimumWidth(self.fontMetrics().horizontalAdvance("Transcribing  "))
        self._button = QPushButton()
        self._keep_space_when_hidden(self._button)
        self._button.clicked.connect(self.action_clicked)
        self._error = QLabel()
        self._error.setWordWrap(True)
        self._error.setStyleSheet("color: #b00020;")
        self._error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for name, widget in [
            ("title", self._title),
            ("progress", self._bar),
            ("state", self._state),
            ("action", self._button),
            ("error", self._error),
        ]:
            widget.setObjectName(name)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self._title, 0, 0)
        layout.addWidget(self._bar, 0, 1)
        layout.addWidget(self._state, 0, 2)
        layout.addWidget(self._button, 0, 3)
        layout.addWidget(self._error, 1, 0, 1, 4)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 1)

    def show_job(self, title: str, state: JobState, fraction: float, error: str, cancelling: bool) -> None:
        self._title.setText(title)
        self._title.setToolTip(title)
        # Only where there is progress to see: a failed job says why on its second line instead.
        self._bar.setVisible(
            state in (JobState.RUNNING, JobState.DONE) or (state is JobState.CANCELLED and fraction > 0)
        )
        self._bar.setValue(round(fraction * 100))
        # Stopping the worker takes a moment; until the job has ended the row says so.
        self._state.setText("Cancelling…" if cancelling else _STATE_TEXT[state])
        self._button.setEnabled(not cancelling)
        self._button.setVisible(state is not JobState.DONE)
        self._button.setText("Retry" if state in (JobState.FAILED, JobState.CANCELLED) else "Cancel")
        self._error.setText(error)
        self._error.setVisible(bool(error))

    def show_fraction(self, fraction: float) -> None:
        self._bar.setValue(round(fraction * 100))

    @staticmethod
    def _keep_space_when_hidden(widget: QWidget) -> None:
        """Columns line up across rows whether or not a row shows its bar or button."""
        policy = widget.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        widget.setSizePolicy(policy)


class QueuePanel(QWidget):
    """Follows a TranscriptionQueue through its signals: the running job first, then the waiting ones in
    order, then the last few finished, newest first."""

    def __init__(
        self, queue: TranscriptionQueue, titles: Callable[[int], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._queue = queue
        self._titles = titles
        self._running: int | None = None
        self._pending: list[int] = []
        self._finished: list[int] = []
        self._outcomes: dict[int, tuple[JobState, str]] = {}
        self._fractions: dict[int, float] = {}
        self._cancelling: set[int] = set()
        self._rows: dict[int, _JobRow] = {}

        self._empty = QLabel("Nothing is being transcribed.")
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setEnabled(False)
        rows = QWidget()
        self._rows_layout = QVBoxLayout(rows)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        self._rows_layout.setSpacing(0)
        self._rows_layout.addStretch(1)
        self._scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(rows)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._empty)
        layout.addWidget(scroll, 1)

        queue.queue_changed.connect(self._on_queue_changed)
        queue.progress.connect(self.show_progress)
        queue.job_finished.connect(self.show_finished)
        self.show_queue(queue.running, queue.pending)

    @property
    def job_count(self) -> int:
        """The rows shown: running, waiting and recently finished jobs."""
        return len(self._rows)

    @Slot()
    def _on_queue_changed(self) -> None:
        self.show_queue(self._queue.running, self._queue.pending)

    def show_queue(self, running: int | None, pending: list[int]) -> None:
        """The queue now runs `running` and has `pending` waiting; a finished job queued again leaves the
        finished rows."""
        self._running = running
        self._pending = list(pending)
        queued = set(self._pending) | {running}
        self._finished = [interview_id for interview_id in self._finished if interview_id not in queued]
        self._render()

    @Slot(int, float)
    def show_progress(self, interview_id: int, fraction: float) -> None:
        self._fractions[interview_id] = fraction
        row = self._rows.get(interview_id)
        if row is not None:
            row.show_fraction(fraction)

    @Slot(int, str, str)
    def show_finished(self, interview_id: int, state: str, error: str) -> None:
        job_state = JobState(state)
        if job_state is JobState.DONE:
            self._fractions[interview_id] = 1.0
        self._outcomes[interview_id] = (job_state, error)
        self._cancelling.discard(interview_id)
        if self._running == interview_id:
            self._running = None
        self._pending = [other for other in self._pending if other != interview_id]
        self._finished = [interview_id, *(other for other in self._finished if other != interview_id)]
        self._finished = self._finished[:RECENT_FINISHED]
        self._render()

    def _render(self) -> None:
        """Show a row per job in queue order, reusing rows so a running bar does not flicker."""
        shown: list[tuple[int, JobState, str]] = []
        if self._running is not None:
            shown.append((self._running, JobState.RUNNING, ""))
        shown += [(interview_id, JobState.QUEUED, "") for interview_id in self._pending]
        shown += [(interview_id, *self._outcomes[interview_id]) for interview_id in self._finished]
        wanted = {interview_id for interview_id, _state, _error in shown}
        for interview_id in list(self._rows):
            if interview_id not in wanted:
                gone = self._rows.pop(interview_id)
                self._rows_layout.removeWidget(gone)
                gone.hide()  # deleteLater() waits for the event loop; until then it must not show
                gone.deleteLater()
        for row in self._rows.values():
            self._rows_layout.removeWidget(row)
        for index, (interview_id, state, error) in enumerate(shown):
            row = self._rows.get(interview_id)
            if row is None:
                row = self._rows[interview_id] = _JobRow()
                row.setObjectName(f"job-{interview_id}")
                row.action_clicked.connect(partial(self._on_action, interview_id))
            fraction = self._fractions.get(interview_id, 0.0)
            cancelling = interview_id in self._cancelling
            row.show_job(self._titles(interview_id), state, fraction, error, cancelling)
            self._rows_layout.insertWidget(index, row)
        self._empty.setVisible(not shown)
        self._scroll.setVisible(bool(shown))  # an empty queue is one line, not an empty box
        self._fractions = {i: f for i, f in self._fractions.items() if i in wanted}
        self._outcomes = {i: outcome for i, outcome in self._outcomes.items() if i in self._finished}

    def _on_action(self, interview_id: int) -> None:
        if interview_id in self._finished:
            self._queue.retry(interview_id)
        elif interview_id == self._running:
            self._cancelling.add(interview_id)
            self._render()
            self._queue.cancel(interview_id)
        else:
            self._queue.cancel(interview_id)  # a waiting job: it ends at once, as cancelled
