"""The main window: interviews on the left, the transcript with its player in the middle, the customer's
details on the right, the transcription queue below. It arranges widgets and routes signals; the work is
done by the services it is given."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
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
from app.library import Library, LibraryError
from app.media.errors import MediaError
from app.services.editing import Edit, TranscriptEditor
from app.services.waveform import compute_peaks
from app.ui.about_dialog import AboutDialog
from app.ui.inspector import InterviewInspector
from app.ui.interview_list import InterviewListPanel
from app.ui.player import Player, PlayerBar
from app.ui.queue_panel import QueuePanel
from app.ui.settings import AUTO_TRANSCRIBE, AppSettings
from app.ui.settings_dialog import SettingsDialog
from app.ui.tasks import run_task
from app.ui.transcript_view import TranscriptView
from app.ui.transcription_queue import TranscriptionQueue
from app.ui.undo import EditCommand
from app.ui.welcome_dialog import WelcomeDialog

SKIP_MS = 5000
LIVE_REFRESH_MS = 400  # coalesce live transcript refreshes: at most a few re-renders a second
AUDIO_FILTER = (
    "Recordings (*.mp3 *.m4a *.wav *.flac *.ogg *.opus *.aac *.wma *.mp4 *.mov *.mkv *.webm);;All files (*)"
)


class MainWindow(QMainWindow):
    def __init__(
        self,
        library: Library,
        settings: AppSettings,
        queue: TranscriptionQueue,
        editor: TranscriptEditor,
        player: Player,
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.queue = queue
        self.editor = editor
        self.player = player
        self.current_interview: int | None = None
        self._undo = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._live_refresh = QTimer(self, singleShot=True, interval=LIVE_REFRESH_MS)
        self._live_refresh.timeout.connect(self._refresh_transcript)

        self.setWindowTitle(f"Earful — {library.root.name}")
        self.setAcceptDrops(True)
        self.interviews = InterviewListPanel()
        self.transcript = TranscriptView()
        self.player_bar = PlayerBar(player)
        self.inspector = InterviewInspector(
            lambda interview_id, fields: library.interviews.update(interview_id, **fields)
        )
        self.queue_panel = QueuePanel(queue, self._title_of)
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

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(8, 8, 8, 8)
        centre_layout.addWidget(self.heading)
        centre_layout.addWidget(self.find_bar)
        centre_layout.addWidget(self.transcript, 1)
        centre_layout.addWidget(self.player_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.interviews)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([470, 700, 300])
        self.setCentralWidget(self.splitter)
        self.queue_dock = QDockWidget("Transcription queue", self)
        self.queue_dock.setObjectName("queue")
        self.queue_dock.setWidget(self.queue_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.queue_dock)
        self.resizeDocks(
            [self.queue_dock], [110], Qt.Orientation.Vertical
        )  # a few rows; the transcript matters

        self._build_actions()
        self._connect()
        self._restore_geometry()
        # Paint the window first; filling a long interview list can wait for the next turn of the event loop.
        QTimer.singleShot(0, self.reload_interviews)
        self.statusBar().showMessage(f"Library: {library.root}")

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
        recording = self.library.recordings.for_interview(interview_id)
        if recording is not None:
            self.player.load(self.library.recordings.path(recording), recording.duration_ms)
            self._show_waveform(recording)
        self._undo.setActiveStack(self._stacks.setdefault(interview_id, QUndoStack(self._undo)))
        self.interviews.select_interview(interview_id)  # its selection signal finds it already open

    def import_files(self, paths: list[Path]) -> None:
        """Import in the background (own library connection); report refused files together at the end."""
        files = _expand(paths)
        if not files:
            return
        self.statusBar().showMessage(f"Importing {len(files)} file(s)…")
        root = self.library.root
        run_task(lambda: _import_all(root, files), self._imported, self._failed)

    def transcribe_selected(self, redo: bool = False) -> None:
        if self.current_interview is not None:
            self.queue.enqueue([self.current_interview], redo=redo)

    # Building ---------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcut=None, menu=None) -> QAction:
            created = QAction(text, self)
            created.triggered.connect(slot)
            if shortcut is not None:
                keys = [QKeySequence(key) for key in (shortcut if isinstance(shortcut, list) else [shortcut])]
                created.setShortcuts([key for key in keys if not key.isEmpty()])
            if menu is not None:
                menu.addAction(created)
            self.addAction(created)
            return created

        file_menu = self.menuBar().addMenu("&File")
        self.import_action = action(
            "&Import recordings…", self._choose_files, QKeySequence.StandardKey.Open, file_menu
        )
        action("Open library &folder", self._open_library_folder, None, file_menu)
        file_menu.addSeparator()
        action("&Settings…", self._show_settings, [QKeySequence.StandardKey.Preferences, "Ctrl+,"], file_menu)
        file_menu.addSeparator()
        action("&Quit", self.close, [QKeySequence.StandardKey.Quit, "Ctrl+Q"], file_menu)

        edit_menu = self.menuBar().addMenu("&Edit")
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

        play_menu = self.menuBar().addMenu("&Playback")
        action("&Play / pause", self.player.toggle, QKeySequence(Qt.Key.Key_Space), play_menu)
        action(
            "&Back 5 seconds", lambda: self.player.skip(-SKIP_MS), QKeySequence(Qt.Key.Key_Left), play_menu
        )
        action(
            "&Forward 5 seconds", lambda: self.player.skip(SKIP_MS), QKeySequence(Qt.Key.Key_Right), play_menu
        )

        transcribe_menu = self.menuBar().addMenu("&Transcription")
        self.transcribe_action = action(
            "&Transcribe", lambda: self.transcribe_selected(), QKeySequence("Ctrl+T"), transcribe_menu
        )
        action("Transcribe &again", lambda: self._transcribe_again(), None, transcribe_menu)
        action("&Cancel", self._cancel_current, None, transcribe_menu)
        transcribe_menu.addAction(self.queue_dock.toggleViewAction())

        help_menu = self.menuBar().addMenu("&Help")
        action("&Welcome", lambda: WelcomeDialog(self).exec(), None, help_menu)
        action("&About Earful", lambda: AboutDialog(self.library, self).exec(), None, help_menu)

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.transcribe_action)
        self.addToolBar(toolbar)

    def _connect(self) -> None:
        self.interviews.interview_selected.connect(
            lambda interview_id: interview_id != self.current_interview and self.open_interview(interview_id)
        )
        self.transcript.word_clicked.connect(self.player.seek)
        self.player.position_changed.connect(self.transcript.highlight_time)
        self.player.error.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.transcript.edit_requested.connect(self._edit_segment_text)
        self.transcript.split_requested.connect(lambda s, w: self._apply(lambda: self.editor.split(s, w)))
        self.transcript.merge_requested.connect(lambda s: self._apply(lambda: self.editor.merge_with_next(s)))
        self.transcript.reassign_requested.connect(
            lambda s, p: self._apply(lambda: self.editor.reassign(s, p))
        )
        self.inspector.interview_changed.connect(self._interview_saved)
        self.queue.progress.connect(
            lambda i, fraction: self.interviews.set_progress(i, JobState.RUNNING.value, fraction)
        )
        self.queue.job_started.connect(lambda i: self.interviews.set_progress(i, JobState.RUNNING.value, 0.0))
        self.queue.segment_committed.connect(self._segment_committed)
        self.queue.job_finished.connect(self._job_finished)
        self.queue.queue_changed.connect(self._queue_changed)

    def _restore_geometry(self) -> None:
        geometry = self.settings.restore_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 860)
        state = self.settings.restore_state("window")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.restore_state("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.inspector.commit_pending()
        self.settings.save_state("geometry", self.saveGeometry())
        self.settings.save_state("window", self.saveState())
        self.settings.save_state("splitter", self.splitter.saveState())
        self.player.pause()
        self._live_refresh.stop()
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
        super().closeEvent(event)

    # Reactions --------------------------------------------------------------------------------------

    def _refresh_transcript(self) -> None:
        if self.current_interview is None:
            return
        self.transcript.set_transcript(
            self.library.transcripts.segments(self.current_interview),
            self.library.transcripts.speakers(self.current_interview),
        )

    def _segment_committed(self, interview_id: int) -> None:
        if interview_id == self.current_interview and not self._live_refresh.isActive():
            self._live_refresh.start()

    def _job_finished(self, interview_id: int, state: str, error: str) -> None:
        self.reload_interviews()
        if interview_id == self.current_interview:
            self._refresh_transcript()
        title = self._title_of(interview_id)
        if state == JobState.FAILED.value:
            self.statusBar().showMessage(f"Transcription of “{title}” failed: {error}")
        elif state == JobState.DONE.value:
            self.statusBar().showMessage(f"Transcribed “{title}”.", 8000)

    def _queue_changed(self) -> None:
        for interview_id in self.queue.pending:
            self.interviews.set_progress(interview_id, JobState.QUEUED.value, 0.0)

    def _interview_saved(self, interview) -> None:
        self.interviews.update_interview(interview)
        if interview.id == self.current_interview:
            self.heading.setText(interview.title)

    def _imported(self, outcome: tuple[list[int], list[str], list[str]]) -> None:
        new_ids, notes, refused = outcome
        self.reload_interviews()
        self.statusBar().showMessage(f"Imported {len(new_ids)} recording(s).", 8000)
        if new_ids:
            self.open_interview(new_ids[-1])
            if self.settings.get(AUTO_TRANSCRIBE):
                self.queue.enqueue(new_ids)
        if refused or notes:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning if refused else QMessageBox.Icon.Information)
            box.setWindowTitle("Import")
            summary = f"{len(refused)} file(s) could not be imported." if refused else "Imported, with notes."
            box.setText(f"{summary} {len(new_ids)} imported.")
            box.setInformativeText("\n".join([*refused, *notes]))
            box.open()
            self.import_report = box  # kept so tests and the user can read it

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, "Earful", str(error))

    def _apply(self, make_edit) -> Edit | None:
        """Run one core edit; on success it goes on the interview's undo stack (already saved)."""
        try:
            edit = make_edit()
        except (EditError, LibraryError) as error:
            QMessageBox.warning(self, "Cannot do that", str(error))
            return None
        stack = self._stacks.setdefault(edit.interview_id, QUndoStack(self._undo))
        stack.push(EditCommand(self.editor, edit, self._edited))
        return edit

    def _edited(self, interview_id: int) -> None:
        if interview_id == self.current_interview:
            self._refresh_transcript()

    def _edit_segment_text(self, segment_id: int) -> None:
        segment = self.library.transcripts.segment(segment_id)
        text, ok = QInputDialog.getMultiLineText(self, "Edit text", "Correct what was said:", segment.text)
        if ok and text.strip() != segment.text:
            self._apply(lambda: self.editor.correct_text(segment_id, text))

    def _fill_speakers_menu(self) -> None:
        self.speakers_menu.clear()
        if self.current_interview is None:
            self.speakers_menu.addAction("Open an interview first").setEnabled(False)
            return
        speakers = self.library.transcripts.speakers(self.current_interview)
        for speaker in speakers:
            submenu = self.speakers_menu.addMenu(f"{speaker.name} ({speaker.role.value})")
            submenu.addAction("Rename…", lambda s=speaker: self._rename_speaker(s.id, s.name))
            for role in SpeakerRole:
                chosen = submenu.addAction(
                    f"Is the {role.value}",
                    lambda s=speaker, r=role: self._apply(lambda: self.editor.set_role(s.id, r)),
                )
                chosen.setCheckable(True)
                chosen.setChecked(speaker.role is role)
        if len(speakers) == 2:
            first, second = speakers
            self.speakers_menu.addSeparator()
            self.speakers_menu.addAction(
                f"Swap {first.name} and {second.name}",
                lambda: self._apply(lambda: self.editor.swap_speakers(first.id, second.id)),
            )

    def _rename_speaker(self, speaker_id: int, current: str) -> None:
        name, ok = QInputDialog.getText(self, "Rename speaker", "Name shown in the transcript:", text=current)
        if ok:
            self._apply(lambda: self.editor.rename_speaker(speaker_id, name))

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import recordings", "", AUDIO_FILTER)
        self.import_files([Path(f) for f in files])

    def _show_find(self) -> None:
        self.find_bar.setVisible(True)
        self.find_bar.setFocus()
        self.find_bar.selectAll()

    def _show_settings(self) -> None:
        SettingsDialog(self.library, self.settings, self).exec()

    def _open_library_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.library.root)))

    def _transcribe_again(self) -> None:
        if self.current_interview is None:
            return
        answer = QMessageBox.question(
            self, "Transcribe again", "Replace this interview's transcript, including your corrections?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.transcribe_selected(redo=True)

    def _cancel_current(self) -> None:
        if self.current_interview is not None:
            self.queue.cancel(self.current_interview)

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

        run_task(lambda: compute_peaks(path), done, lambda error: None)

    # Drag and drop ----------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
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


def _import_all(root: Path, files: list[Path]) -> tuple[list[int], list[str], list[str]]:
    """Runs on a worker thread with its own library connection (SQLite objects stay on their thread)."""
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
