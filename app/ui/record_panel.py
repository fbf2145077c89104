"""The Record dialog: pick who is heard on which channel, watch the levels, stamp the guide's questions.

Everything a marketer needs during a call is on one screen: the consent line to read out, the questions as
buttons (number keys 1–9 stamp the first nine, B a bookmark), the levels of both sides and the time, and
the live transcript, where selected words become a quote (Q) under the question stamped before them. The
recording itself runs in `app.services.recording`; this dialog only polls it (levels, position, a failure)
on a timer, because PortAudio's thread must never wait for the GUI. Stopping hands the session to a worker
thread, which closes the file once the sound still on its way is in and imports it with its own library
connection; `recorded` then carries the new interview.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.timecode import clock
from app.guides.model import Guide
from app.library import Library, LibraryError
from app.library.markers import MarkerKind
from app.media.devices import AudioUnavailable, InputDevice, list_input_devices
from app.media.wav_writer import RecordingFailed
from app.services.live_transcript import LiveLine
from app.services.recording import RecordedInterview, RecordingSession, start_recording
from app.transcription.messages import LiveProgress
from app.transcription.models import ModelError
from app.ui.call_sides import CallSides
from app.ui.live_transcript_view import LiveRelay, LiveTranscriptView, behind_notice
from app.ui.question_stamps import QuestionStamps
from app.ui.screen_fit import resize_to_fit
from app.ui.settings import AppSettings, Setting
from app.ui.tasks import run_in_library

LIVE_TRANSCRIPT = Setting[bool]("recording/live_transcript", True, bool)
NO_GUIDE = "No guide"
TICK_MS = 50
_STATES = {
    "ready": "Say something: the meters should move.",
    "recording": "● Recording",
    "paused": "Paused – nothing is recorded",
    "saving": "Saving into the library…",
    "done": "",
}
_WAITING = "Waiting for sound from the device…"
READ_OUT = "Read out before you start"
SELECT_TO_QUOTE = "Select words in the live transcript first, then press Q to quote them."


class RecordDialog(QDialog):
    recorded = Signal(int)
    """The id of the interview the recording became, in the library: ready to be transcribed."""

    def __init__(
        self,
        library: Library,
        guides: Sequence[Guide] = (),
        settings: AppSettings | None = None,
        devices: list[InputDevice] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a call")
        self._library = library
        self._guides = list(guides)
        self._settings = settings
        self._session: RecordingSession | None = None
        try:
            self._devices = devices if devices is not None else list_input_devices()
        except AudioUnavailable as error:
            self._devices = []
            self._unavailable = str(error)
        else:
            self._unavailable = None
        self._build()
        self._timer = QTimer(self, interval=TICK_MS, timeout=self._tick)
        self._timer.start()
        self._show_guide()
        self._set_state("ready")
        self._on_device_changed()

    # Layout ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.sides = CallSides(self._devices, self._settings)
        self.sides.changed.connect(self._on_device_changed)
        self.title = QLineEdit(placeholderText="e.g. Acme – head of operations")
        self.guide = QComboBox()
        self.guide.addItem(NO_GUIDE, None)
        for guide in self._guides:
            self.guide.addItem(guide.name, guide.slug)
        self.guide.setCurrentIndex(1 if self._guides else 0)
        self.guide.currentIndexChanged.connect(self._show_guide)

        details = QFormLayout()
        details.addRow("Title", self.title)
        details.addRow("Guide", self.guide)

        self.elapsed = QLabel("0:00")
        self.elapsed.setStyleSheet("font-size: 28px; font-weight: 600;")
        self.state = QLabel()
        self.record_button = QPushButton("● Record", clicked=self._start)
        self.record_button.setDefault(True)
        self.pause_button = QPushButton("Pause", clicked=self._toggle_pause)
        self.stop_button = QPushButton("■ Stop and save", clicked=self._stop)
        controls = QHBoxLayout()
        controls.addWidget(self.elapsed)
        controls.addWidget(self.state, 1)
        for button in (self.record_button, self.pause_button, self.stop_button):
            controls.addWidget(button)

        self.consent_text = QLabel(
            wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.consent_button = QPushButton("Consent given  (C)", clicked=self._mark_consent)
        self.consent = consent = QGroupBox(READ_OUT)
        consent_layout = QVBoxLayout(consent)
        consent_layout.addWidget(self.consent_text)
        consent_layout.addWidget(self.consent_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.questions = QuestionStamps(self)
        self.questions.stamped.connect(self._mark_question)
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setWidget(self.questions)
        self.bookmark_button = QPushButton("Bookmark this moment  (B)", clicked=self._mark_bookmark)
        asked = QGroupBox("Stamp what you ask")
        asked_layout = QVBoxLayout(asked)
        asked_layout.addWidget(scroll, 1)
        asked_layout.addWidget(self.bookmark_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.markers = QListWidget()
        self.markers.setMaximumHeight(110)
        self.live_check = QCheckBox("Transcribe as I record")
        self.live_check.setToolTip("Both sides' words appear below a few seconds after they are said")
        self.live_check.setChecked(self._settings.get(LIVE_TRANSCRIPT) if self._settings else True)
        self.live_view = LiveTranscriptView()
        # The call's words get the room: on a 1366×768 laptop the boxes above shrink before it does.
        self.live_view.setMinimumHeight(8 * self.live_view.fontMetrics().lineSpacing())
        self.live_behind = QLabel(wordWrap=True)
        self.live_behind.setVisible(False)
        self.quote_button = QPushButton("Quote the selected words  (Q)", clicked=self._file_quote)
        self.quote_button.setToolTip(
            "Select what the customer said in the transcript above, then press Q: it is filed under the "
            "question you stamped last"
        )
        self._relay = LiveRelay(self)
        self._relay.line.connect(self._show_line)
        self._relay.progress.connect(self._show_live_progress)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #b00020;")
        self._say_problem(self._unavailable or "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.sides)
        layout.addLayout(details)
        layout.addLayout(controls)
        layout.addWidget(self.problem)
        layout.addWidget(consent)
        layout.addWidget(asked, 1)
        self.markers_heading = QLabel("Markers")
        layout.addWidget(self.markers_heading)
        layout.addWidget(self.markers)
        layout.addWidget(self.live_check)
        layout.addWidget(self.live_view, 2)
        layout.addWidget(self.quote_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.live_behind)
        self._show_markers(False)  # no empty box before the first stamp
        resize_to_fit(self, 640, 860)

        QShortcut(QKeySequence("B"), self, activated=self._mark_bookmark)
        QShortcut(QKeySequence("C"), self, activated=self._mark_consent)
        QShortcut(QKeySequence("Q"), self, activated=self._file_quote)

    def _show_guide(self) -> None:
        guide = self._chosen_guide()
        self.consent_text.setText(
            guide.consent if guide and guide.consent else "Ask whether you may record the call, and why."
        )
        self.questions.show_guide(guide, enabled=self._session is not None)

    def _chosen_guide(self) -> Guide | None:
        slug = self.guide.currentData()
        return next((guide for guide in self._guides if guide.slug == slug), None)

    # Devices before recording ----------------------------------------------------------------------

    def _on_device_changed(self) -> None:
        """Test the chosen devices: their meters move when someone speaks."""
        if self._session is not None:
            return
        for problem in self.sides.test_devices():
            self._say_problem(problem)
        self.record_button.setEnabled(self.sides.chosen()[0] is not None)

    # Recording ------------------------------------------------------------------------------------

    def _start(self) -> None:
        you, customer = self.sides.chosen()
        if you is None:
            return
        self.sides.stop_testing()  # the recorder opens the devices itself
        live, problem = self.live_check.isChecked(), ""
        try:
            try:
                self._session = self._start_recording(you, customer, live)
            except ModelError as error:  # record anyway; the call is transcribed after Stop
                problem = f"No live transcript: {error}"
                self._session = self._start_recording(you, customer, live=False)
        except (AudioUnavailable, LibraryError) as error:
            self._say_problem(str(error))
            self._on_device_changed()
            return
        self.sides.remember()
        if self._settings is not None:
            self._settings.set(LIVE_TRANSCRIPT, live)
        self._say_problem(problem)
        self.live_view.clear_transcript()
        self.markers.clear()
        self._fold_consent(False)
        self._set_state("recording")

    def _start_recording(
        self, you: InputDevice, customer: InputDevice | None, live: bool
    ) -> RecordingSession:
        return start_recording(
            self._library,
            you,
            customer,
            title=self.title.text().strip() or None,
            guide=self._chosen_guide(),
            live=live,
            on_line=self._relay.line.emit,
            on_progress=self._relay.progress.emit,
        )

    def _show_line(self, line: LiveLine) -> None:
        self.live_view.add_line(line)

    def _show_live_progress(self, progress: LiveProgress) -> None:
        notice = behind_notice(progress)
        self.live_behind.setText(notice)
        self.live_behind.setVisible(bool(notice))

    def _toggle_pause(self) -> None:
        if self._session is None:
            return
        if self._session.recorder.paused:
            self._session.resume()
            self._set_state("recording")
        else:
            self._session.pause()
            self._set_state("paused")

    def _stop(self) -> None:
        """Stop and save on the pool: the recorder waits for the sound still on its way from the sound
        server (a few hundred ms) and the live transcript for its last utterance, which the window must not."""
        session, self._session = self._session, None
        if session is None:
            return
        self._set_state("saving")
        run_in_library(
            self._library.root,
            lambda library: session.stop(into=library),
            self._on_saved,
            self._on_save_failed,
            owner=self,
        )

    def _on_saved(self, result: RecordedInterview) -> None:
        self.recorded.emit(result.interview.id)
        if result.problem:
            self._say_problem(f"Saved as “{result.interview.title}”. {result.problem}")
            self._set_state("done")
        else:
            self.accept()

    def _on_save_failed(self, error: Exception) -> None:
        self._say_problem(str(error))
        if isinstance(error, RecordingFailed):  # nothing was recorded: try again
            self._set_state("ready")
            self._on_device_changed()
        else:
            self._set_state("done")

    # Markers ---------------------------------------------------------------------------------------

    def _mark_question(self, key: str, text: str) -> None:
        self._mark(MarkerKind.QUESTION, f"Q{self._chosen_guide().number_of(key)} {text}", question=key)

    def _mark_consent(self) -> None:
        if self._session is not None:
            self._mark(MarkerKind.CONSENT, "Consent given")
            self._fold_consent(True)

    def _fold_consent(self, given: bool) -> None:
        """Once consent is given its text has done its job: fold it away, and the live transcript grows."""
        self.consent_text.setVisible(not given)
        self.consent.setTitle("Consent given" if given else READ_OUT)

    def _mark_bookmark(self) -> None:
        self._mark(MarkerKind.BOOKMARK, "Bookmark")

    def _mark(self, kind: MarkerKind, text: str, question: str | None = None) -> None:
        if self._session is None:
            return
        marker = self._session.mark(kind, question=question, label=None if question else text)
        if question is not None:
            self.live_view.add_heading(marker.at_ms, text)
        self.markers.addItem(f"{clock(marker.at_ms)}   {text}")
        self.markers.scrollToBottom()
        self._show_markers(True)

    def _file_quote(self) -> None:
        if self._session is None:
            return
        selected = self.live_view.selected_words()
        if selected is None:
            self._say_problem(SELECT_TO_QUOTE)
            return
        quote = self._session.file_quote(selected.start_ms, selected.end_ms, selected.channel)
        self.live_view.show_quoted()
        under = f" under Q{self._chosen_guide().number_of(quote.question)}" if quote.question else ""
        if self.problem.text() == SELECT_TO_QUOTE:
            self._say_problem("")
        self.markers.addItem(f"{clock(quote.start_ms)}   Quote{under}: “{_shortened(selected.text)}”")
        self.markers.scrollToBottom()
        self._show_markers(True)

    def _show_markers(self, shown: bool) -> None:
        self.markers_heading.setVisible(shown)
        self.markers.setVisible(shown)

    # The display -----------------------------------------------------------------------------------

    def _tick(self) -> None:
        if self._session is not None:
            recorder = self._session.recorder
            self.sides.show_levels(recorder.take_levels())
            self.elapsed.setText(clock(recorder.position_ms()))
            waiting = not recorder.capturing
            self.state.setText(_WAITING if waiting else _STATES["paused" if recorder.paused else "recording"])
            if recorder.failure is not None:
                self._stop()
            return
        self.sides.show_tested_levels()

    def _say_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _set_state(self, state: str) -> None:
        recording = state in ("recording", "paused")
        self.sides.set_choosable(state == "ready")
        for widget in (self.guide, self.title, self.live_check):
            widget.setEnabled(state == "ready")
        self.record_button.setVisible(state == "ready")
        self.record_button.setEnabled(state == "ready" and bool(self._devices))
        self.pause_button.setVisible(recording)
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.stop_button.setVisible(recording)
        self.quote_button.setVisible(
            recording and self._session is not None and self._session.live is not None
        )
        for button in (
            self.consent_button,
            self.bookmark_button,
            self.quote_button,
            *self.questions.buttons.values(),
        ):
            button.setEnabled(recording)
        self.state.setText(_STATES[state])
        self.state.setStyleSheet("color: #c62828; font-weight: 600;" if state == "recording" else "")

    def reject(self) -> None:
        """Closing the window while recording saves the call rather than losing it."""
        if self._session is not None:
            self._stop()
            return
        self.sides.stop_testing()
        super().reject()

    def done(self, result: int) -> None:
        self._timer.stop()
        self.sides.stop_testing()
        super().done(result)


def _shortened(text: str, words: int = 8) -> str:
    """The first words of a quote, as the markers list shows it."""
    said = text.split()
    return " ".join(said[:words]) + (" …" if len(said) > words else "")
