"""The main window's contents: interviews on the left, the transcript with its player in the middle, the
customer's details and the guide on the right, the transcription queue, search and board below. It arranges
widgets and routes signals; the work is done by the services it is given."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QDropEvent,
    QKeySequence,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.editing import EditError
from app.domain.interview import JobState
from app.domain.transcript import SpeakerRole
from app.library.errors import LibraryError
from app.media.errors import MediaError
from app.services.coverage import retry_untranscribed
from app.services.tagging import Tagger
from app.services.waveform import compute_peaks
from app.ui.board_view import BoardView
from app.ui.folder_link import open_folder
from app.ui.guide_panel import GuidePanel
from app.ui.inspector import InterviewInspector
from app.ui.interview_list import InterviewListPanel
from app.ui.library_chooser import choose_library
from app.ui.line_edit_dialog import corrected_text
from app.ui.player import PlayerBar
from app.ui.queue_panel import QueuePanel
from app.ui.quote_bar import QuoteBar, excerpt
from app.ui.search_view import SearchView
from app.ui.settings import (
    AUTO_TRANSCRIBE,
    PLAYBACK_SPEED,
    SESSION_INTERVIEW,
    SESSION_LIBRARY,
    SESSION_POSITION_MS,
    AppSettings,
)
from app.ui.tagging_controller import TaggingController
from app.ui.tasks import run_task
from app.ui.transcript_view import TranscriptView
from app.ui.undo import ChangeCommand, edit_command
from app.ui.welcome_dialog import WelcomeDialog, welcome_intro

if TYPE_CHECKING:
    from app.library import Library
    from app.services.editing import Edit, TranscriptEditor
    from app.services.recording import Recovery
    from app.ui.player import Player
    from app.ui.transcription_queue import TranscriptionQueue

SKIP_MS = 5000
LIVE_REFRESH_MS = 400  # coalesce live transcript refreshes: at most a few re-renders a second
AUDIO_FILTER = (
    "Recordings (*.mp3 *.m4a *.wav *.flac *.ogg *.opus *.aac *.wma *.mp4 *.mov *.mkv *.webm);;All files (*)"
)


class Workspace(QObject):
    """Everything inside the main window once a library is open: it fills `window` (central panes,
    docks, menus, toolbar, status bar) and routes signals between the widgets and the services.

    Built only after the window's first paint (see app.ui.main_window), so this module and the widgets it
    imports cost nothing on the way to a window on screen.
    """

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
        self.window = window
        self.settings = settings
        self.library = library
        self.queue = queue
        self.editor = editor
        self.player = player
        self.tagger = Tagger(library)
        self.current_interview: int | None = None
        self._undo = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._live_refresh = QTimer(self, singleShot=True, interval=LIVE_REFRESH_MS)
        self._live_refresh.timeout.connect(self._refresh_transcript)

        self.interviews = InterviewListPanel()
        self.transcript = TranscriptView()
        self.player_bar = PlayerBar(player)
        self.inspector = InterviewInspector(
            lambda interview_id, fields: library.interviews.update(interview_id, **fields)
        )
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
        self.queue_panel = QueuePanel(queue, self._title_of)
        self.search, self.board = SearchView(library.root), BoardView(library.root)
        self.tagging = TaggingController(self)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(8, 8, 8, 8)
        centre_layout.addWidget(self.heading)
        centre_layout.addWidget(self.find_bar)
        centre_layout.addWidget(self.transcript, 1)
        centre_layout.addWidget(self.quote_bar)
        centre_layout.addWidget(self.player_bar)
        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.addWidget(self.inspector)
        self.side_splitter.addWidget(self.guide_panel)
        self.side_splitter.setSizes([360, 460])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.interviews)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side_splitter)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([470, 700, 300])
        window.setCentralWidget(self.splitter)
        self.queue_dock = self._dock("Transcription queue", "queue", self.queue_panel)
        self.search_dock = self._dock("Search all interviews", "search", self.search)
        self.board_dock = self._dock("Board", "board", self.board)
        window.tabifyDockWidget(self.queue_dock, self.search_dock)
        window.tabifyDockWidget(self.search_dock, self.board_dock)
        # Search and the board open on demand (View menu) at a useful height; shown from the start, their
        # size would squeeze the transcript. A saved layout may show them.
        self.search_dock.hide()
        self.board_dock.hide()
        self.queue_dock.raise_()
        window.resizeDocks(
            [self.queue_dock], [110], Qt.Orientation.Vertical
        )  # a few rows; the transcript matters

        self._build_actions()
        self._connect()
        self._connect_queue()
        self._restore_layout()
        window.setWindowTitle(f"Earful — {library.root.name}")
        window.statusBar().showMessage(f"Library: {library.root}")
        self.reload_interviews()
        self._restore_session()

    # Public operations (menu items, drops and tests call these) -------------------------------------

    def reload_interviews(self) -> None:
        self.interviews.set_summaries(self.library.interviews.summaries())
        if self.current_interview is not None:
            self.interviews.select_interview(self.current_interview)

    def open_interview(self, interview_id: int) -> None:
        """Show an interview: transcript, audio, waveform and details."""
        self.current_interview = interview_id
        interview = self.library.interviews.get(interview_id)
        self.heading.setText(interview.title)
        self._refresh_transcript()
        self.inspector.show_interview(interview, self.interviews.segments())
        self.quote_bar.close_bar()
        self.tagging.show_guide()
        recording = self.library.recordings.for_interview(interview_id)
        if recording is not None:
            self.player.load(self.library.recordings.path(recording), recording.duration_ms)
            self._show_waveform(recording)
        self._undo.setActiveStack(self._stacks.setdefault(interview_id, QUndoStack(self._undo)))
        self.interviews.select_interview(interview_id)  # its selection signal finds it already open

    def open_at(self, interview_id: int, ms: int) -> None:
        """Open an interview at a moment (a search hit, a quote on the board) and play from there."""
        if interview_id != self.current_interview:
            self.open_interview(interview_id)
        self.player.seek(ms)
        self.transcript.highlight_time(ms)
        self.player.play()

    def import_files(self, paths: list[Path]) -> None:
        """Import in the background (own library connection); report refused files together at the end."""
        files = _expand(paths)
        if not files:
            return
        self.window.statusBar().showMessage(f"Importing {len(files)} file(s)…")
        root = self.library.root
        run_task(lambda: _import_all(root, files), self._imported, self._failed, owner=self)

    def recover_recordings(self) -> None:
        """Calls cut off by a crash or a kill are imported (marked "recovered") and transcribed. Repairing
        and importing them reads whole files: on the thread pool, with its own library connection."""
        root = self.library.root
        run_task(lambda: _recover_all(root), self._recovered, self._failed, owner=self)

    def transcribe_selected(self, redo: bool = False) -> None:
        if self.current_interview is None:
            self.window.statusBar().showMessage("Open an interview first.", 8000)
            return
        self.queue.enqueue([self.current_interview], redo=redo)

    # Building ---------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcut=None, menu=None) -> QAction:
            created = QAction(text, self)
            created.triggered.connect(slot)
            if shortcut is not None:
                keys = [QKeySequence(key) for key in (shortcut if isinstance(shortcut, list) else [shortcut])]
                # A platform's standard key may be the literal one too (Quit is Ctrl+Q on Linux): the same key
                # twice on one action is an "ambiguous shortcut" that Qt ignores.
                unique = {key.toString(): key for key in keys if not key.isEmpty()}
                created.setShortcuts(list(unique.values()))
            if menu is not None:
                menu.addAction(created)
            self.window.addAction(created)
            return created

        file_menu = self.window.menuBar().addMenu("&File")
        self.import_action = action(
            "&Import recordings…", self._choose_files, QKeySequence.StandardKey.Open, file_menu
        )
        action("&Record a call…", self._record_call, QKeySequence("Ctrl+R"), file_menu)
        action("Export &pack…", self._export_pack, QKeySequence("Ctrl+Shift+E"), file_menu)
        action("Open another &library…", self._choose_library, None, file_menu)
        action("Open library &folder", self._open_library_folder, None, file_menu)
        file_menu.addSeparator()
        action("&Settings…", self._show_settings, [QKeySequence.StandardKey.Preferences, "Ctrl+,"], file_menu)
        file_menu.addSeparator()
        action("&Quit", self.window.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"], file_menu)

        edit_menu = self.window.menuBar().addMenu("&Edit")
        undo = self._undo.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self._undo.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addActions([undo, redo])
        self.undo_action, self.redo_action = undo, redo
        edit_menu.addSeparator()
        action("&Find in transcript", self._show_find, QKeySequence.StandardKey.Find, edit_menu)
        edit_menu.addSeparator()
        self.speakers_menu = edit_menu.addMenu("&Speakers")
        self.speakers_menu.aboutToShow.connect(self._fill_speakers_menu)
        action("&Guides…", self._edit_guides, QKeySequence("Ctrl+G"), edit_menu)

        view_menu = self.window.menuBar().addMenu("&View")
        action(
            "&Search all interviews",
            lambda: self._show_dock(self.search_dock),
            QKeySequence("Ctrl+Shift+F"),
            view_menu,
        )
        action("&Board", lambda: self._show_dock(self.board_dock), QKeySequence("Ctrl+Shift+B"), view_menu)
        # Search and the board are shown (and focused) by the two entries above and hidden by their docks'
        # close buttons; their toggle entries would list them twice.
        view_menu.addSeparator()
        view_menu.addAction(self.queue_dock.toggleViewAction())

        play_menu = self.window.menuBar().addMenu("&Playback")
        action("&Play / pause", self.player.toggle, QKeySequence(Qt.Key.Key_Space), play_menu)
        action(
            "&Back 5 seconds", lambda: self.player.skip(-SKIP_MS), QKeySequence(Qt.Key.Key_Left), play_menu
        )
        action(
            "&Forward 5 seconds", lambda: self.player.skip(SKIP_MS), QKeySequence(Qt.Key.Key_Right), play_menu
        )

        transcribe_menu = self.window.menuBar().addMenu("&Transcription")
        self.transcribe_action = action(
            "&Transcribe", lambda: self.transcribe_selected(), QKeySequence("Ctrl+T"), transcribe_menu
        )
        action("Transcribe &again", lambda: self._transcribe_again(), None, transcribe_menu)
        action("&Cancel", self._cancel_current, None, transcribe_menu)

        help_menu = self.window.menuBar().addMenu("&Help")
        action("&Welcome", self.show_welcome, None, help_menu)
        action("&About Earful", self._show_about, None, help_menu)

        toolbar = QToolBar("Main", self.window)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.transcribe_action)
        self.window.addToolBar(toolbar)

    def _connect(self) -> None:
        self.interviews.interview_selected.connect(
            lambda interview_id: interview_id != self.current_interview and self.open_interview(interview_id)
        )
        self.transcript.word_clicked.connect(self.player.seek)
        self.player.position_changed.connect(self.transcript.highlight_time)
        self.player.error.connect(lambda message: self.window.statusBar().showMessage(message, 8000))
        self.transcript.edit_requested.connect(self._edit_segment_text)
        self.transcript.split_requested.connect(lambda s, w: self._apply(lambda: self.editor.split(s, w)))
        self.transcript.merge_requested.connect(lambda s: self._apply(lambda: self.editor.merge_with_next(s)))
        self.transcript.reassign_requested.connect(
            lambda s, p: self._apply(lambda: self.editor.reassign(s, p))
        )
        self.transcript.reassign_words_requested.connect(
            lambda words, speaker_id: self._apply(lambda: self.editor.reassign_words(words, speaker_id))
        )
        self.transcript.delete_requested.connect(self._delete_segment)
        self.transcript.retry_requested.connect(self._retry_untranscribed)
        self.inspector.interview_changed.connect(self._interview_saved)
        self.search.hit_activated.connect(self.open_at)
        self.board.quote_activated.connect(self.open_at)

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
        """Docks and splitters as the user left them (the window's size and place are the frame's)."""
        state = self.settings.restore_state("window")
        if state is not None:
            self.window.restoreState(state)
        for name, splitter in (("splitter", self.splitter), ("side-splitter", self.side_splitter)):
            state = self.settings.restore_state(name)
            if state is not None:
                splitter.restoreState(state)

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

    def close(self) -> None:
        """The window is closing: save what is pending, the layout and where the user was; stop playback and
        the queue."""
        self.inspector.commit_pending()
        self._save_session()
        self.settings.save_state("window", self.window.saveState())
        self.settings.save_state("splitter", self.splitter.saveState())
        self.settings.save_state("side-splitter", self.side_splitter.saveState())
        self.player.pause()
        self._live_refresh.stop()
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

    # Reactions --------------------------------------------------------------------------------------

    def _refresh_transcript(self) -> None:
        if self.current_interview is None:
            return
        self.transcript.set_untranscribed(self.library.untranscribed.of_interview(self.current_interview))
        self.transcript.set_transcript(
            self.library.transcripts.segments(self.current_interview),
            self.library.transcripts.speakers(self.current_interview),
        )
        self.tagging.show_quotes()

    def _retry_untranscribed(self) -> None:
        """Queue the open interview's untranscribed speech for another try (its job resumes for it)."""
        try:
            retry_untranscribed(self.library, self.current_interview)
        except LibraryError as error:  # already tried again meanwhile: the view catches up below
            self.window.statusBar().showMessage(str(error), 8000)
            self._refresh_transcript()
            return
        self.queue.enqueue([self.current_interview])

    def _segment_committed(self, interview_id: int) -> None:
        if interview_id == self.current_interview and not self._live_refresh.isActive():
            self._live_refresh.start()

    def _job_finished(self, interview_id: int, state: str, error: str) -> None:
        self.reload_interviews()
        if interview_id == self.current_interview:
            self._refresh_transcript()
        title = self._title_of(interview_id)
        if state == JobState.FAILED.value:
            self.window.statusBar().showMessage(f"Transcription of “{title}” failed: {error}")
        elif state == JobState.DONE.value and self.queue.relabelling:
            self.window.statusBar().showMessage(f"Labelled the speakers of “{title}” again.", 8000)
        elif state == JobState.DONE.value:
            self.window.statusBar().showMessage(f"Transcribed “{title}”.", 8000)

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

    def _imported(self, outcome: tuple[list[int], list[str], list[str]]) -> None:
        new_ids, notes, refused = outcome
        self.reload_interviews()
        self.window.statusBar().showMessage(f"Imported {len(new_ids)} recording(s).", 8000)
        if new_ids:
            self.open_interview(new_ids[-1])
            if self.settings.get(AUTO_TRANSCRIBE):
                self.queue.enqueue(new_ids)
        if refused or notes:
            box = QMessageBox(self.window)
            box.setIcon(QMessageBox.Icon.Warning if refused else QMessageBox.Icon.Information)
            box.setWindowTitle("Import")
            summary = f"{len(refused)} file(s) could not be imported." if refused else "Imported, with notes."
            box.setText(f"{summary} {len(new_ids)} imported.")
            box.setInformativeText("\n".join([*refused, *notes]))
            box.open()
            self.import_report = box  # kept so tests and the user can read it

    def _recovered(self, recovery: Recovery) -> None:
        if recovery.interviews:
            self.reload_interviews()
            self.queue.enqueue([recovered.interview.id for recovered in recovery.interviews])
            self.window.statusBar().showMessage(
                f"Recovered {len(recovery.interviews)} interrupted recording(s).", 10_000
            )
        if recovery.problems:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "A recording could not be recovered",
                "\n\n".join(recovery.problems),
                QMessageBox.StandardButton.Close,
                self.window,
            )
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self.window, "Earful", str(error))

    def _apply(self, make_edit) -> Edit | None:
        """Run one core edit; on success it goes on the interview's undo stack (already saved)."""
        try:
            edit = make_edit()
        except (EditError, LibraryError) as error:
            QMessageBox.warning(self.window, "Cannot do that", str(error))
            return None
        self.push(edit_command(self.editor, edit, self.edited))
        return edit

    def push(self, command: ChangeCommand) -> None:
        """Put a change already made on its interview's undo stack (pushing redraws what it changed)."""
        self._stacks.setdefault(command.interview_id, QUndoStack(self._undo)).push(command)

    def edited(self, interview_id: int) -> None:
        """Show what a change (made, undone or redone) did to `interview_id`."""
        self.board.refresh_later()
        if interview_id == self.current_interview:
            self.tagging.show_sections()
            self._refresh_transcript()
            self.tagging.show_coverage()

    def _delete_segment(self, segment_id: int) -> None:
        emptied = self.editor.quotes_emptied_by_deleting(segment_id)
        also = (
            f"\n\n{len(emptied)} quote(s) hold only these words and will be deleted with them."
            if emptied
            else ""
        )
        text = self.library.transcripts.segment(segment_id).text
        answer = QMessageBox.question(
            self.window,
            "Delete segment",
            f"Delete “{excerpt(text)}” from the transcript?{also}\n\nYou can undo this (Ctrl+Z).",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._apply(lambda: self.editor.delete_segment(segment_id))

    # Tagging ----------------------------------------------------------------------------------------

    def _edit_segment_text(self, segment_id: int) -> None:
        segment = self.library.transcripts.segment(segment_id)
        text = corrected_text(self.window, segment.text)
        if text is not None and text.strip() != segment.text:
            self._apply(lambda: self.editor.correct_text(segment_id, text))

    def _fill_speakers_menu(self) -> None:
        self.speakers_menu.clear()
        if self.current_interview is None:
            self.speakers_menu.addAction("Open an interview first").setEnabled(False)
            return
        speaking = self.transcript.speaker_ids()
        speakers = [s for s in self.library.transcripts.speakers(self.current_interview) if s.id in speaking]
        for speaker in speakers:
            submenu = self.speakers_menu.addMenu(f"{speaker.name} ({speaker.role.value})")
            submenu.addAction("Rename…", lambda s=speaker: self._rename_speaker(s.id, s.name))
            merge = submenu.addMenu("Merge into")
            for other in speakers:
                if other.id != speaker.id:
                    merge.addAction(
                        other.name,
                        lambda s=speaker, o=other: self._apply(
                            lambda: self.editor.merge_speakers(s.id, o.id)
                        ),
                    )
            merge.setEnabled(len(speakers) > 1)
            for role in SpeakerRole:
                chosen = submenu.addAction(
                    f"Is the {role.value}",
                    lambda s=speaker, r=role: self._apply(lambda: self.editor.set_role(s.id, r)),
                )
                chosen.setCheckable(True)
                chosen.setChecked(speaker.role is role)
        self.speakers_menu.addSeparator()
        count = self.speakers_menu.addMenu("&Number of speakers")
        count.setToolTip("How many people speak on this call: the transcript is labelled again")
        for number in range(1, 6):
            count.addAction(
                f"{number} {'person' if number == 1 else 'people'}",
                lambda n=number: self._set_speaker_count(n),
            )
        if len(speakers) == 2:
            first, second = speakers
            self.speakers_menu.addSeparator()
            self.speakers_menu.addAction(
                f"Swap {first.name} and {second.name}",
                lambda: self._apply(lambda: self.editor.swap_speakers(first.id, second.id)),
            )

    def _set_speaker_count(self, count: int) -> None:
        """Label the call again as `count` people (on the queue thread); undo labels it as it was."""
        interview_id = self.current_interview
        before = (
            self.library.transcripts.speaker_count(interview_id) or len(self.transcript.speaker_ids()) or 1
        )
        self.queue.relabel_speakers(interview_id, count)
        self.push(
            ChangeCommand(
                f"{count} speaker(s)",
                interview_id,
                lambda: self.queue.relabel_speakers(interview_id, count),
                lambda: self.queue.relabel_speakers(interview_id, before),
                self.edited,
            )
        )
        self.window.statusBar().showMessage(f"Labelling the speakers again as {count}…", 5000)

    def _rename_speaker(self, speaker_id: int, current: str) -> None:
        name, ok = QInputDialog.getText(
            self.window, "Rename speaker", "Name shown in the transcript:", text=current
        )
        if ok:
            self._apply(lambda: self.editor.rename_speaker(speaker_id, name))

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self.window, "Import recordings", "", AUDIO_FILTER)
        self.import_files([Path(f) for f in files])

    def _show_find(self) -> None:
        self.find_bar.setVisible(True)
        self.find_bar.setFocus()
        self.find_bar.selectAll()

    def _show_settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog  # dialogs load when opened, not at start-up

        SettingsDialog(self.library, self.settings, self.window).exec()

    def _edit_guides(self) -> None:
        """Edit the open interview's guide (or the Roadmap guide); a saved edition is offered from then on."""
        from app.guides import builtin_guides
        from app.ui.guide_editor import GuideEditor

        guide = self.tagging.guide or builtin_guides()[0]
        editor = GuideEditor(self.library, guide, self.window)
        editor.guide_saved.connect(lambda *_saved: (self.tagging.show_coverage(), self.board.refresh_later()))
        editor.exec()

    def _record_call(self) -> None:
        from app.ui.record_panel import RecordDialog  # PortAudio loads when a recording is set up

        guides = [self.tagging.guide] if self.tagging.guide else []
        dialog = RecordDialog(
            self.library, [*guides, *self.tagger.available_guides()], self.settings, parent=self.window
        )
        dialog.recorded.connect(self._recorded)
        dialog.open()

    def _recorded(self, interview_id: int) -> None:
        self.reload_interviews()
        self.open_interview(interview_id)
        self.queue.enqueue([interview_id])

    def _export_pack(self) -> None:
        """A pack of the interviews the list shows: filter to "mid-market, won", then export those."""
        from app.ui.export_dialog import ExportPackDialog

        ids = self.interviews.shown_ids()
        if not ids:
            QMessageBox.information(
                self.window, "Export pack", "No interviews are shown; clear the filters first."
            )
            return
        folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        ExportPackDialog(self.library.root, ids, folder=folder, parent=self.window).open()

    def _show_dock(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()
        if dock.height() < self.window.height() // 3:
            self.window.resizeDocks([dock], [self.window.height() * 2 // 5], Qt.Orientation.Vertical)
        dock.widget().setFocus()

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)  # how the saved layout finds it again
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def show_welcome(self) -> WelcomeDialog:
        """What Earful is for, its first line true for this library (the demo open, your interviews, none)."""
        from app.services.demo import demo_interview_id

        demo = demo_interview_id(self.library)
        intro = welcome_intro(
            demo is not None and demo == self.current_interview, self.library.interviews.count()
        )
        welcome = WelcomeDialog(intro, self.window)
        welcome.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        welcome.open()
        return welcome

    def _show_about(self) -> None:
        from app.ui.about_dialog import AboutDialog

        about = AboutDialog(self.library, self.window)
        about.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        about.open()

    def _choose_library(self) -> None:
        root = choose_library(self.window, self.library.root)
        if root is not None:
            self.library_chosen.emit(root)

    def _open_library_folder(self) -> None:
        open_folder(self.library.root, self.window)

    def _transcribe_again(self) -> None:
        if self.current_interview is None:
            self.window.statusBar().showMessage("Open an interview first.", 8000)
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
            self.window.statusBar().showMessage(
                f"Cancelling the transcription of “{self._title_of(interview_id)}”…", 8000
            )
        elif interview_id is None:
            self.window.statusBar().showMessage("Nothing to cancel: no interview is open.", 8000)
        else:
            self.window.statusBar().showMessage(
                f"Nothing to cancel: “{self._title_of(interview_id)}” is not being transcribed.", 8000
            )

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
        path, recording_id, duration = (
            self.library.recordings.path(recording),
            recording.id,
            recording.duration_ms,
        )

        def done(result) -> None:
            peaks, resolution = result
            self.library.recordings.set_peaks(recording_id, peaks, resolution)
            if self.library.recordings.for_interview(self.current_interview or -1) == recording:
                self.player_bar.waveform.set_peaks(peaks / 255.0, resolution, duration)

        run_task(lambda: compute_peaks(path), done, self._waveform_failed, owner=self)

    def _waveform_failed(self, error: Exception) -> None:
        """The recording plays without its picture; say why where the picture would be, and in the status."""
        message = f"No waveform: the recording could not be read ({error})"
        self.player_bar.waveform.setToolTip(message)
        self.window.statusBar().showMessage(message, 8000)

    def drop(self, event: QDropEvent) -> None:
        """Files or folders dropped on the window are imported."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.import_files(paths)


def _expand(paths: list[Path]) -> list[Path]:
    """Dropped folders stand for the files inside them (recursively, hidden files left out)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            files.append(path)
    return files


def _recover_all(root: Path) -> Recovery:
    """On a worker thread, with its own library connection."""
    from app.library import Library
    from app.services.recording import recover_recordings  # PortAudio and PyAV: after the window is up

    with Library.open(root) as library:
        return recover_recordings(library)


def _import_all(root: Path, files: list[Path]) -> tuple[list[int], list[str], list[str]]:
    """Runs on a worker thread with its own library connection (SQLite objects stay on their thread)."""
    from app.library import Library
    from app.services.importing import import_recording  # PyAV loads on the first import, not at start-up

    new_ids, notes, refused = [], [], []
    with Library.open(root) as library:
        for file in files:
            try:
                result = import_recording(library, file)
            except MediaError as error:
                refused.append(str(error))
                continue
            if not result.duplicate:
                new_ids.append(result.interview.id)
            notes.extend(f"{file.name}: {note}" for note in result.notes)
    return new_ids, notes, refused
