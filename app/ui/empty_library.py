"""What an empty library shows: a drop zone that says where call recordings go, and Record a call.

Files dropped here are imported like files dropped anywhere on the window; the zone lights up while a drag
is over it, so a user sees it will take them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.icons import icon

PROMPT = "Drop call recordings here or press Ctrl+O"
HINT = "MP3, M4A, WAV and most other audio or video files. They are transcribed on this computer."
RADIUS = 14
PICTURE_PX = 56


class EmptyLibrary(QWidget):
    files_dropped = Signal(list)
    """Local paths dropped on the zone."""
    import_clicked = Signal()
    record_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyLibrary")
        self.setAcceptDrops(True)
        self._dragging = False
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt = QLabel(PROMPT)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        font = self.prompt.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.prompt.setFont(font)
        hint = QLabel(HINT)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.import_button = QPushButton(icon("import"), "Import recordings…")
        self.record_button = QPushButton(icon("record"), "Record a call…")
        for button in (self.import_button, self.record_button):
            button.setMinimumHeight(button.sizeHint().height() + 12)
        self.import_button.clicked.connect(self.import_clicked)
        self.record_button.clicked.connect(self.record_clicked)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(1)
        layout.addWidget(self.picture)
        layout.addSpacing(8)
        layout.addWidget(self.prompt)
        layout.addWidget(hint)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._draw_picture()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._draw_picture()

    def _draw_picture(self) -> None:
        """The import arrow, large, in the theme's colours (drawn at the screen's pixel ratio)."""
        self.picture.setPixmap(icon("import").pixmap(QSize(PICTURE_PX, PICTURE_PX), self.devicePixelRatioF()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        edge = palette.color(QPalette.ColorRole.Highlight if self._dragging else QPalette.ColorRole.Mid)
        pen = QPen(edge, 3 if self._dragging else 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        if self._dragging:
            fill = palette.color(QPalette.ColorRole.Highlight)
            fill.setAlpha(28)
            painter.setBrush(fill)
        margin = 24
        painter.drawRoundedRect(
            QRectF(self.rect()).adjusted(margin, margin, -margin, -margin), RADIUS, RADIUS
        )

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
            self._set_dragging(True)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_dragging(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_dragging(False)
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        if paths:
            self.files_dropped.emit(paths)

    def _set_dragging(self, dragging: bool) -> None:
        self._dragging = dragging
        self.update()
