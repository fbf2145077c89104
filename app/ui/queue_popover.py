"""The transcription queue as a status-bar button ("Transcribing 40 % · 2 waiting") that opens the queue
panel over the window: the queue is always in sight without a dock taking rows from the transcript or the
board."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFrame, QToolButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.ui.queue_panel import QueuePanel
    from app.ui.transcription_queue import TranscriptionQueue

POPOVER_WIDTH = 460
ROW_HEIGHT, EMPTY_HEIGHT, MAX_HEIGHT = 56, 64, 360


class QueuePopover(QFrame):
    """The queue panel in a popup: Cancel and Retry work in it; a click outside or Esc closes it."""

    def __init__(self, panel: QueuePanel, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self._panel = panel
        self.setObjectName("queuePopover")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(panel)

    def open_above(self, anchor: QWidget) -> None:
        """Show with its bottom right corner at `anchor`'s top right."""
        jobs = self._panel.job_count
        # As tall as its rows (a line when nothing is queued), not an empty box.
        wanted = min(MAX_HEIGHT, jobs * ROW_HEIGHT + 24) if jobs else EMPTY_HEIGHT
        self.resize(POPOVER_WIDTH, max(wanted, self.minimumSizeHint().height()))
        corner = anchor.mapToGlobal(QPoint(anchor.width(), 0))
        self.move(corner.x() - self.width(), corner.y() - self.height())
        self.show()


class QueueButton(QToolButton):
    """What the queue does, in a few words; clicking opens the queue."""

    def __init__(self, queue: TranscriptionQueue, panel: QueuePanel, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("queueButton")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setToolTip("Transcription queue: what is transcribed, what waits, what just finished")
        self._queue = queue
        self._fraction: float | None = None
        self.popover = QueuePopover(panel, parent)
        self.clicked.connect(self.open_queue)
        queue.queue_changed.connect(self._changed)
        queue.progress.connect(self._progress)
        queue.job_finished.connect(lambda *_finished: self._changed())
        self._changed()

    def open_queue(self) -> None:
        self.popover.open_above(self)

    def _progress(self, _interview_id: int, fraction: float) -> None:
        self._fraction = fraction
        self._show()

    def _changed(self) -> None:
        if self._queue.running is None:
            self._fraction = None
        self._show()

    def _show(self) -> None:
        waiting = len(self._queue.pending)
        parts = []
        if self._queue.running is not None:
            percent = f" {round(self._fraction * 100)} %" if self._fraction is not None else "…"
            parts.append(f"Transcribing{percent}")
        if waiting:
            parts.append(f"{waiting} waiting")
        self.setText(" · ".join(parts) if parts else "Queue: nothing to transcribe")
