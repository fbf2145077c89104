"""The main window's contents once a library is open: it builds the views, menus, toolbar and status bar
from their parts and routes signals between them and the services (the open interview, the queue's reports,
where the user was).

Built only after the window's first paint (see app.ui.main_window), so this module and the widgets it
imports cost nothing on the way to a window on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from app.domain.interview import JobState
from app.library.errors import LibraryError
from app.services.analysis import Analyst
from app.services.tagging import Tagger
from app.services.waveform import recording_peaks
from app.ui.analysis_tasks import AnalysisTasks
from app.ui.board_view import BoardView
from app.ui.interview_page import InterviewPage
from app.ui.library_imports import AUDIO_FILTER, LibraryImports
from app.ui.menus import Commands, build_menus
from app.ui.queue_panel import QueuePanel
from app.ui.queue_popover import QueueButton
from app.ui.review_mode import ReviewMode
from app.ui.search_popup import SearchPopup
from app.ui.search_view import SearchView
from app.ui.settings import (
    AUTO_TRANSCRIBE,
    PLAYBACK_SPEED,
    SESSION_INTERVIEW,
    SESSION_LIBRARY,
    SESSION_POSITION_MS,
    AppSettings,
)
from app.ui.speakers_menu import SpeakersMenu
from app.ui.tagging_controller import TaggingController
from app.ui.tasks import run_in_library
from app.ui.themes_view import ThemesView
from app.ui.transcript_editing import TranscriptEditing
from app.ui.undo_history import UndoHistory
from app.ui.views import BOARD, INTERVIEW, THEMES, ViewSwitcher
from app.ui.window_dialogs import WindowDialogs

if TYPE_CHECKING:
    from app.library import Library
    from app.services.editing import TranscriptEditor
    from app.ui.player import Player
    from app.ui.transcription_queue import TranscriptionQueue
    from app.ui.welcome_dialog import WelcomeDialog

LIVE_REFRESH_MS = 400  # coalesce live transcript refreshes: at most a few re-renders a second


class Workspace(QObject):
    """Everything inside the main window once a library is open: it fills `window` (the views, menus,
    toolbar, status bar) and routes signals between the widgets and the services."""

    library_chosen = Signal(Path)
    """File ▸ Open another library… picked this folder; the application opens it in a new window."""

    def __init__(
        self,
        window: QMainWindow,
        settings: AppSettings,
        library: Library,
        queue: TranscriptionQueue,
        editor: TranscriptEditor,
        player: Player,
    ) -> None:
        super().__init__(window)
        self.window, self.settings, self.library = window, settings, library
        self.queue, self.editor, self.player = queue, editor, player
        self.tagger = Tagger(library)
        self.current_interview: int | None = None
        self._live_refresh = QTimer(self, singleShot=True, interval=LIVE_REFRESH_MS)
        self._live_refresh.timeout.connect(self._refresh_transcript)
        self.dialogs = WindowDialogs(window, library, settings)
        self.history = UndoHistory(editor, self.edited, window)
        self.imports = LibraryImports(library.root, self._say, window)

        self.page = InterviewPage(
            player, lambda interview_id, fields: library.interviews.update(interview_id, **fields)
        )
        page = self.page
        self.interviews, self.transcript, self.player_bar = page.interviews, page.transcript, page.player_bar
        self.inspector, self.quote_bar, self.guide_panel = page.inspector, page.quote_bar, page.guide_panel
        self.heading = page.heading
        self.search, self.board = SearchView(library.root), BoardView(library.root)
        self.search_popup = SearchPopup(self.search, window)
        self.analysis = AnalysisTasks(library.root, self)
        self.themes = ThemesView(library, self.analysis, self.history, self.interviews.shown_ids, self.edited)
        self.views = ViewSwitcher()
        view_actions = [
            self.views.add_view(view, widget)
            for view, widget in ((INTERVIEW, page), (BOARD, self.board), (THEMES, self.themes))
        ]
        window.setCentralWidget(self.views)
        self.queue_panel = QueuePanel(queue, self._title_of)
        self.queue_button = QueueButton(queue, self.queue_panel, window)
        window.statusBar().addPermanentWidget(self.queue_button)

        self.tagging = TaggingController(
            self.transcript, self.quote_bar, self.guide_panel, self.tagger, library, self.history.record,
            Analyst(library).suggestions,
        )  # fmt: skip
        self.review = ReviewMode(page.side_tabs, library, self.analysis, self.history, self.edited)
        self.editing = TranscriptEditing(
            self.transcript, editor, library, self.history, queue, self._say, self._refresh_transcript
        )
        self.speakers_menu = SpeakersMenu(
            library, editor, queue, self.transcript, self.history, self._say, window
        )
        self.actions = build_menus(
            window, self._commands(), self.history.actions(), self.speakers_menu, view_actions
        )
        self.undo_action, self.redo_action = self.actions.undo, self.actions.redo

        self._connect()
        self._connect_queue()
        self._restore_layout()
        window.setWindowTitle(f"Earful — {library.root.name}")
        window.statusBar().showMessage(f"Library: {library.root}")
        self.reload_interviews()
        self._restore_session()

    # Public operations (menu items, drops and tests call these) -------------------------------------

    def reload_interviews(self) -> None:
        summaries = self.library.interviews.summaries()
        self.interviews.set_summaries(summaries)
        self.page.show_empty(not summaries)
        if self.current_interview is not None:
            self.interviews.select_interview(self.current_interview)

    def open_interview(self, interview_id: int) -> None:
        """Show an interview: transcript, audio, waveform and details."""
        self.current_interview = interview_id
        self.editing.interview_id = self.speakers_menu.interview_id = interview_id
        interview = self.library.interviews.get(interview_id)
        self.heading.setText(interview.title)
        self._refresh_transcript()
        self.inspector.show_interview(interview, self.interviews.segments())
        self.quote_bar.close_bar()
        self.tagging.show_interview(interview_id)
        self.review.show_interview(interview_id)
        recording = self.library.recordings.for_interview(interview_id)
        if recording is not None:
            self.player.load(self.library.recordings.path(recording), recording.duration_ms)
            self._show_waveform(recording)
        self.history.activate(interview_id)
        self.interviews.select_interview(interview_id)  # its selection signal finds it already open

    def open_at(self, interview_id: int, ms: int) -> None:
        """Open an interview at a moment (a search hit, a quote on the board) in the Interview view, and play
        from there."""
        self.search_popup.close()
        self.views.show_view(INTERVIEW.name)
        if interview_id != self.current_interview:
            self.open_interview(interview_id)
        self.player.seek(ms)
        self.transcript.highlight_time(ms)
        self.player.play()

    def import_files(self, paths: list[Path]) -> None:
        self.imports.import_files(paths)

    def recover_recordings(self) -> None:
        self.imports.recover()

    @property
    def import_report(self) -> QMessageBox | None:
        return self.imports.report

    def transcribe_selected(self, redo: bool = False) -> None:
        if self.current_interview is None:
            self._say("Open an interview first.", 8000)
            return
        self.queue.enqueue([self.current_interview], redo=redo)

    def show_welcome(self) -> WelcomeDialog:
        from app.services.demo import demo_interview_id

        demo = demo_interview_id(self.library)
        return self.dialogs.welcome(demo is not None and demo == self.current_interview)

    def drop(self, event: QDropEvent) -> None:
        """Files or folders dropped on the window are imported."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.import_files(paths)

    def edited(self, interview_id: int) -> None:
        """Show what a change (made, undone or redone) did to `interview_id`."""
        self.board.refresh_later()
        if interview_id == self.current_interview:
            self.tagging.show_changes()
            self._refresh_transcript()
            self.review.edited(interview_id)  # suggested again if the guide or transcript changed

    def close(self) -> None:
        """The window is closing: save what is pending, the layout and where the user was; stop playback and
        the queue."""
        self.inspector.commit_pending()
        self._save_session()
        self.settings.save_state("window", self.window.saveState())
        self.page.save(self.settings)
        self.player.pause()
        self._live_refresh.stop()
        self.search_popup.close()
        self.analysis.stop()  # a review or grouping still running must not reach a closed library
        # A re-render after closing (e.g. the palette changing) must not ask a closed library about a selection.
        self.tagging.stop()
        # Signals already queued from the transcription thread must not reach a window (and library) on
        # its way out.
        for signal in (
            self.queue.job_started,
            self.queue.progress,
            self.queue.segment_committed,
            self.queue.job_finished,
            self.queue.queue_changed,
        ):
            signal.disconnect()
        self.queue.shutdown()

    # Building ---------------------------------------------------------------------------------------

    def _commands(self) -> Commands:
        dialogs = self.dialogs
        return Commands(
            import_recordings=self._choose_files,
            record_call=self._record_call,
            export_pack=lambda: dialogs.export_pack(self.interviews.shown_ids()),
            choose_library=self._choose_library,
            open_library_folder=dialogs.open_library_folder,
            settings=dialogs.settings,
            quit=self.window.close,
            find_in_transcript=self._show_find,
            guides=lambda: dialogs.guides(
                self.tagging.guide, lambda: (self.tagging.show_coverage(), self.board.refresh_later())
            ),
            search=self.search_popup.open_over,
            review_suggestions=lambda: (self.views.show_view(INTERVIEW.name), self.review.open()),
            show_queue=self.queue_button.open_queue,
            play_pause=self.player.toggle,
            skip=self.player.skip,
            transcribe=self.transcribe_selected,
            transcribe_again=self._transcribe_again,
            cancel=self._cancel_current,
            welcome=self.show_welcome,
            about=dialogs.about,
        )

    def _connect(self) -> None:
        self.interviews.interview_selected.connect(
            lambda interview_id: interview_id != self.current_interview and self.open_interview(interview_id)
        )
        self.transcript.word_clicked.connect(self.player.seek)
        self.player.position_changed.connect(self.transcript.highlight_time)
        self.player.error.connect(lambda message: self._say(message, 8000))
        self.inspector.interview_changed.connect(self._interview_saved)
        self.search.hit_activated.connect(self.open_at)
        self.board.quote_activated.connect(self.open_at)
        self.themes.quote_activated.connect(self.open_at)
        self.tagging.message.connect(self._say)
        self.tagging.seek_requested.connect(self.player.seek)
        self.review.panel.seek_requested.connect(self.player.seek)  # shown, not played
        self.review.panel.seek_requested.connect(self.transcript.highlight_time)
        self.guide_panel.guide_chosen.connect(lambda _slug: self.review.edited(self.current_interview or 0))
        self.imports.imported.connect(self._imported)
        self.imports.recovered.connect(self._recovered)
        self.page.empty.import_clicked.connect(self.actions.import_recordings.trigger)
        self.page.empty.record_clicked.connect(self.actions.record_call.trigger)
        self.page.empty.files_dropped.connect(self.import_files)

    def _connect_queue(self) -> None:
        self.queue.progress.connect(
            lambda i, fraction: self.interviews.set_progress(i, JobState.RUNNING.value, fraction)
        )
        # A started job may resume a cancelled one: its row keeps the progress it has until the job reports.
        self.queue.job_started.connect(lambda i: self.interviews.set_progress(i, JobState.RUNNING.value))
        self.queue.segment_committed.connect(self._segment_committed)
        self.queue.job_finished.connect(self._job_finished)
        self.queue.queue_changed.connect(self._queue_changed)

    def _restore_layout(self) -> None:
        """The toolbar and splitters as the user left them (the window's size and place are the frame's)."""
        state = self.settings.restore_state("window")
        if state is not None:
            self.window.restoreState(state)
        self.page.restore(self.settings)

    def _restore_session(self) -> None:
        """The playback speed, and the interview that was open in this library at the moment it was left."""
        self.player.set_speed(self.settings.get(PLAYBACK_SPEED))
        interview_id = self.settings.get(SESSION_INTERVIEW)
        if self.settings.get(SESSION_LIBRARY) != str(self.library.root) or not interview_id:
            return
        try:
            self.open_interview(interview_id)
        except LibraryError:
            return  # deleted since (from the command line): start with nothing open
        self.player.seek(self.settings.get(SESSION_POSITION_MS))
        self.transcript.highlight_time(self.player.position)

    def _save_session(self) -> None:
        self.settings.set(PLAYBACK_SPEED, self.player.speed)
        self.settings.set(SESSION_LIBRARY, str(self.library.root))
        self.settings.set(SESSION_INTERVIEW, self.current_interview or 0)
        self.settings.set(SESSION_POSITION_MS, self.player.position if self.current_interview else 0)

    # Reactions --------------------------------------------------------------------------------------

    def _say(self, message: str, timeout_ms: int = 0) -> None:
        self.window.statusBar().showMessage(message, timeout_ms)

    def _refresh_transcript(self) -> None:
        if self.current_interview is None:
            return
        self.transcript.set_untranscribed(self.library.untranscribed.of_interview(self.current_interview))
        self.transcript.set_transcript(
            self.library.transcripts.segments(self.current_interview),
            self.library.transcripts.speakers(self.current_interview),
        )
        self.tagging.show_quotes()

    def _segment_committed(self, interview_id: int) -> None:
        if interview_id == self.current_interview and not self._live_refresh.isActive():
            self._live_refresh.start()

    def _job_finished(self, interview_id: int, state: str, error: str) -> None:
        self.reload_interviews()
        if interview_id == self.current_interview:
            self._refresh_transcript()
        title = self._title_of(interview_id)
        if state == JobState.FAILED.value:
            self._say(f"Transcription of “{title}” failed: {error}")
        elif state == JobState.DONE.value and self.queue.relabelling:
            self._say(f"Labelled the speakers of “{title}” again.", 8000)
        elif state == JobState.DONE.value:
            self._say(f"Transcribed “{title}”.", 8000)

    def _queue_changed(self) -> None:
        for interview_id in self.queue.pending:
            self.interviews.set_progress(interview_id, JobState.QUEUED.value)
        if self.queue.running is not None:  # handed to the thread; until it reports, its row says so
            self.interviews.set_progress(self.queue.running, JobState.RUNNING.value)

    def _interview_saved(self, interview) -> None:
        self.interviews.update_interview(interview)
        self.board.refresh_later()  # its filters and counts read segments, outcomes and dates
        if interview.id == self.current_interview:
            self.heading.setText(interview.title)

    def _imported(self, new_ids: list[int]) -> None:
        self.reload_interviews()
        if new_ids:
            self.views.show_view(INTERVIEW.name)
            self.open_interview(new_ids[-1])
            if self.settings.get(AUTO_TRANSCRIBE):
                self.queue.enqueue(new_ids)

    def _recovered(self, interview_ids: list[int]) -> None:
        self.reload_interviews()
        self.queue.enqueue(interview_ids)

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.window, "Import recordings", "", AUDIO_FILTER)
        self.import_files([Path(f) for f in files])

    def _show_find(self) -> None:
        self.views.show_view(INTERVIEW.name)
        self.page.show_find()

    def _record_call(self) -> None:
        guides = [self.tagging.guide] if self.tagging.guide else []
        self.dialogs.record_call([*guides, *self.tagger.available_guides()], self._recorded)

    def _recorded(self, interview_id: int) -> None:
        self.reload_interviews()
        self.views.show_view(INTERVIEW.name)
        self.open_interview(interview_id)
        self.queue.enqueue([interview_id])

    def _choose_library(self) -> None:
        root = self.dialogs.choose_library()
        if root is not None:
            self.library_chosen.emit(root)

    def _transcribe_again(self) -> None:
        if self.current_interview is None:
            self._say("Open an interview first.", 8000)
            return
        answer = QMessageBox.question(
            self.window,
            "Transcribe again",
            "Replace this interview's transcript, including your corrections?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.interviews.set_progress(self.current_interview, JobState.QUEUED.value, 0.0)  # from scratch
            self.transcribe_selected(redo=True)

    def _cancel_current(self) -> None:
        interview_id = self.current_interview
        if interview_id is not None and (
            interview_id == self.queue.running or interview_id in self.queue.pending
        ):
            self.queue.cancel(interview_id)
            self._say(f"Cancelling the transcription of “{self._title_of(interview_id)}”…", 8000)
        elif interview_id is None:
            self._say("Nothing to cancel: no interview is open.", 8000)
        else:
            self._say(f"Nothing to cancel: “{self._title_of(interview_id)}” is not being transcribed.", 8000)

    def _title_of(self, interview_id: int) -> str:
        try:
            return self.library.interviews.get(interview_id).title
        except LibraryError:
            return f"Interview {interview_id}"

    def _show_waveform(self, recording) -> None:
        stored = self.library.recordings.peaks(recording.id)
        if stored is not None:
            self.player_bar.waveform.set_peaks(stored[0] / 255.0, stored[1], recording.duration_ms)
            return

        def done(result) -> None:
            peaks, resolution = result
            if self.library.recordings.for_interview(self.current_interview or -1) == recording:
                self.player_bar.waveform.set_peaks(peaks / 255.0, resolution, recording.duration_ms)

        run_in_library(
            self.library.root,
            lambda library: recording_peaks(library, recording),
            done,
            self._waveform_failed,
            owner=self,
        )

    def _waveform_failed(self, error: Exception) -> None:
        """The recording plays without its picture; say why where the picture would be, and in the status."""
        message = f"No waveform: the recording could not be read ({error})"
        self.player_bar.waveform.setToolTip(message)
        self._say(message, 8000)
