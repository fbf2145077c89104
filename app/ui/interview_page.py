"""The Interview view: the interviews on the left, the transcript with its quote bar and player in the
middle, the customer's details above the guide and its suggestions (tabs) on the right; while the library is empty, the drop zone instead.

It lays the widgets out and keeps the splitters where the user left them; what the widgets show is the
workspace's business.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSplitter, QStackedLayout, QTabWidget, QVBoxLayout, QWidget

from app.ui.empty_library import EmptyLibrary
from app.ui.guide_panel import GuidePanel
from app.ui.inspector import InterviewInspector
from app.ui.interview_list import InterviewListPanel
from app.ui.player import Player, PlayerBar
from app.ui.quote_bar import QuoteBar
from app.ui.settings import AppSettings
from app.ui.transcript_view import TranscriptView

# Shares of the window's width: the list and the side panel stay readable, the transcript takes the rest
# (fixed pixel sizes cut the side panel off on a 1366-pixel laptop screen).
LIST_SHARE, SIDE_SHARE = 0.27, 0.22
SIDE_SPLIT = (360, 460)  # details above the guide and suggestions


class InterviewPage(QWidget):
    def __init__(
        self, player: Player, save_details: Callable[[int, dict], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.interviews = InterviewListPanel()
        self.transcript = TranscriptView()
        self.player_bar = PlayerBar(player)
        self.inspector = InterviewInspector(save_details)
        self.quote_bar = QuoteBar()
        self.guide_panel = GuidePanel()
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.find_bar = QLineEdit()
        self.find_bar.setPlaceholderText("Find in transcript (Enter for next)")
        self.find_bar.setClearButtonEnabled(True)
        self.find_bar.setVisible(False)
        self.find_bar.returnPressed.connect(lambda: self.transcript.find(self.find_bar.text()))
        self.empty = EmptyLibrary()

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(8, 6, 8, 6)
        centre_layout.addWidget(self.heading)
        centre_layout.addWidget(self.find_bar)
        centre_layout.addWidget(self.transcript, 1)
        centre_layout.addWidget(self.quote_bar)
        centre_layout.addWidget(self.player_bar)
        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.addWidget(self.inspector)
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.setDocumentMode(True)
        self.side_tabs.addTab(self.guide_panel, "Guide")  # review mode adds "Suggestions"
        self.side_splitter.addWidget(self.side_tabs)
        self.side_splitter.setSizes(list(SIDE_SPLIT))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.interviews)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side_splitter)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._pages = QStackedLayout(self)
        self._pages.addWidget(self.splitter)
        self._pages.addWidget(self.empty)
        self._laid_out = False

    def show_empty(self, empty: bool) -> None:
        """The drop zone while the library holds no interview; the panes once it holds one."""
        self._pages.setCurrentWidget(self.empty if empty else self.splitter)

    def show_find(self) -> None:
        self.find_bar.setVisible(True)
        self.find_bar.setFocus()
        self.find_bar.selectAll()

    def restore(self, settings: AppSettings) -> None:
        """The splitters as the user left them; else shares of the window's width."""
        restored = False
        for name, splitter in (("splitter", self.splitter), ("side-splitter", self.side_splitter)):
            state = settings.restore_state(name)
            if state is not None and splitter.restoreState(state):
                restored = restored or splitter is self.splitter
        self._laid_out = restored

    def save(self, settings: AppSettings) -> None:
        settings.save_state("splitter", self.splitter.saveState())
        settings.save_state("side-splitter", self.side_splitter.saveState())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._laid_out and self.width() > 0:
            # The first real width (the window's, after it is shown): share it out once.
            width = self.width()
            sides = [int(width * LIST_SHARE), int(width * SIDE_SHARE)]
            self.splitter.setSizes([sides[0], width - sum(sides), sides[1]])
            self._laid_out = self.isVisible()
