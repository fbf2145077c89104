"""The window's menus and keys as a user meets them: each answers, or says why it cannot."""

from __future__ import annotations

import shutil
import wave

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressBar, QPushButton, QTableView, QWidget

from app.resources import resource_path
from app.services.demo import ensure_demo_interview
from app.services.importing import import_recording
from app.services.recording import IN_PROGRESS_DIR
from app.ui.about_dialog import AboutDialog
from app.ui.interview_list_model import ID_ROLE, Column
from app.ui.record_panel import RecordDialog
from app.ui.welcome_dialog import WelcomeDialog
from tests.ui.helpers import DEMO, main_window, menu_action, run_earful_script


def shown(kind: type[QWidget]) -> QWidget:
    """The one window of `kind` on screen."""
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    assert len(found) == 1, f"{len(found)} {kind.__name__} on screen"
    return found[0]


def test_ctrl_r_opens_the_record_dialog(qtbot, window):
    window.window.activateWindow()
    qtbot.waitActive(window.window)
    qtbot.keyClick(window.window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = shown(RecordDialog)
    assert dialog.parent() is window.window
    dialog.reject()


def test_file_record_a_call_opens_the_record_dialog(qtbot, window):
    menu_action(window.window, "File", "Record a call…").trigger()
    shown(RecordDialog).reject()


CTRL_Q_ON_X11 = """
import sys
from pathlib import Path
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.library import Library
from app.ui.settings import AppSettings
from tests.ui.helpers import main_window
root = Path(sys.argv[1])
library = Library.open(root / "library")
workspace = main_window(library, AppSettings(QSettings(str(root / "earful.ini"), QSettings.Format.IniFormat)))
workspace.window.show()
workspace.window.activateWindow()
assert QTest.qWaitForWindowActive(workspace.window)
print([key.toString() for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)])
QTest.keyClick(workspace.window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
print("open" if workspace.window.isVisible() else "closed")
workspace.window.close()
library.close()
"""


def test_ctrl_q_quits_on_a_linux_desktop(tmp_path):
    """On X11 the platform's Quit key is Ctrl+Q; offscreen it has none, so this runs on a real X server."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (packaging/dev.sh installs it)")
    bindings, outcome = run_earful_script(
        CTRL_Q_ON_X11, str(tmp_path), prefix=("xvfb-run", "-a"), QT_QPA_PLATFORM="xcb"
    )[-2:]
    assert "Ctrl+Q" in bindings  # the platform's own Quit key, as a user has it
    assert outcome == "closed"


def test_the_view_menu_lists_each_pane_once(window):
    view = next(a.menu() for a in window.window.menuBar().actions() if a.text() == "&View")
    names = [a.text().replace("&", "") for a in view.actions() if not a.isSeparator()]
    assert sorted(names) == sorted(set(names))
    assert {"Search all interviews", "Board", "Transcription queue"} <= set(names)


def assert_shows_folder_to_copy(qtbot, folder) -> None:
    """Offscreen no file manager answers (QDesktopServices.openUrl is False), as on a bare desktop."""
    box = shown(QMessageBox)
    assert str(folder) in box.text()
    copy = next(b for b in box.buttons() if b.text() == "Copy path")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == str(folder)
    assert box.isVisible()  # copying leaves the path on screen
    box.close()


def test_open_library_folder_without_a_file_manager_shows_the_path_to_copy(qtbot, window):
    menu_action(window.window, "File", "Open library folder").trigger()
    assert_shows_folder_to_copy(qtbot, window.library.root)


def test_the_about_boxs_folder_button_without_a_file_manager_shows_the_path(qtbot, window):
    menu_action(window.window, "Help", "About Earful").trigger()
    about = shown(AboutDialog)
    qtbot.mouseClick(about.open_folder, Qt.MouseButton.LeftButton)
    assert_shows_folder_to_copy(qtbot, window.library.root)
    about.close()


def status(window) -> str:
    return window.window.statusBar().currentMessage()


def test_cancel_with_nothing_running_says_so(window, speech):
    menu_action(window.window, "Transcription", "Cancel").trigger()
    assert status(window) == "Nothing to cancel: no interview is open."
    interview = import_recording(window.library, speech / "jfk.flac").interview
    window.reload_interviews()
    window.interviews.select_interview(interview.id)
    menu_action(window.window, "Transcription", "Cancel").trigger()
    assert status(window) == f"Nothing to cancel: “{interview.title}” is not being transcribed."


def test_a_number_key_without_a_guide_says_to_pick_one(qtbot, window, speech):
    interview = import_recording(window.library, speech / "jfk.flac").interview
    window.reload_interviews()
    window.interviews.select_interview(interview.id)
    assert window.tagging.guide is None
    window.transcript.setFocus()
    qtbot.keyClick(window.transcript, Qt.Key.Key_1)
    assert status(window).startswith("Pick a guide first")


JOB_TIMEOUT_MS = 300_000


def listed_status(window, interview_id: int) -> str:
    """The Status cell of the interview's row in the list, as painted."""
    view = window.interviews.findChild(QTableView)
    model = view.model()
    row = next(
        r for r in range(model.rowCount()) if model.index(r, Column.TITLE).data(ID_ROLE) == interview_id
    )
    return model.index(row, Column.STATUS).data()


def test_after_retry_the_list_and_the_queue_show_the_same_progress(qtbot, window):
    interview_id = import_recording(window.library, resource_path(DEMO)).interview.id
    window.reload_interviews()
    window.interviews.select_interview(interview_id)
    with qtbot.waitSignal(
        window.queue.progress, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda _i, fraction: fraction >= 0.2
    ):
        menu_action(window.window, "Transcription", "Transcribe").trigger()
    with qtbot.waitSignal(
        window.queue.job_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda _i, s, _e: s == "cancelled"
    ):
        menu_action(window.window, "Transcription", "Cancel").trigger()
    row = window.queue_panel.findChild(QWidget, f"job-{interview_id}")
    stopped_at = row.findChild(QProgressBar, "progress").value()
    assert stopped_at >= 20 and listed_status(window, interview_id) == f"cancelled {stopped_at} %"
    retry = row.findChild(QPushButton, "action")
    assert retry.text() == "Retry"
    with qtbot.waitSignal(window.queue.job_started, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert listed_status(window, interview_id) == f"transcribing {stopped_at} %"
    with qtbot.waitSignal(window.queue.progress, timeout=JOB_TIMEOUT_MS):
        pass  # the job's first report: where it resumes
    shown = row.findChild(QProgressBar, "progress").value()
    assert shown >= stopped_at and listed_status(window, interview_id) == f"transcribing {shown} %"
    with qtbot.waitSignal(window.queue.job_finished, timeout=JOB_TIMEOUT_MS):
        menu_action(window.window, "Transcription", "Cancel").trigger()


def test_changing_the_number_of_speakers_says_they_were_labelled_not_transcribed(qtbot, window, speech):
    with qtbot.waitSignal(window.queue.job_finished, timeout=JOB_TIMEOUT_MS):
        window.import_files([speech / "jfk.flac"])
    assert status(window).startswith("Transcribed “")
    window.speakers_menu.aboutToShow.emit()  # what opening Edit ▸ Speakers does
    count = next(a.menu() for a in window.speakers_menu.actions() if a.text() == "&Number of speakers")
    with qtbot.waitSignal(window.queue.job_finished, timeout=JOB_TIMEOUT_MS) as ended:
        next(a for a in count.actions() if a.text() == "2 people").trigger()
    assert ended.args[1] == "done", ended.args
    assert status(window).startswith("Labelled the speakers of “")


def test_a_restart_reopens_the_interview_at_its_moment_and_speed(qtbot, library, app_settings, speech):
    interview = import_recording(library, speech / "jfk.flac").interview
    first = main_window(library, app_settings)
    qtbot.addWidget(first.window)
    first.window.show()
    first.interviews.select_interview(interview.id)
    speeds = first.player_bar.speed_box
    speeds.activated.emit(speeds.findText("1.5×"))  # what choosing it in the box does
    menu_action(first.window, "Playback", "Forward 5 seconds").trigger()
    assert (first.player.position, first.player.speed) == (5_000, 1.5)
    first.window.close()

    again = main_window(library, app_settings)
    qtbot.addWidget(again.window)
    again.window.show()
    assert again.current_interview == interview.id
    assert again.player.position == 5_000 and again.player.speed == 1.5
    assert again.player_bar.speed_box.currentText() == "1.5×"
    again.window.close()


def welcome_intro_shown(window) -> str:
    menu_action(window.window, "Help", "Welcome").trigger()
    welcome = shown(WelcomeDialog)
    intro = welcome.intro.text()
    welcome.close()
    return intro


def test_the_welcome_speaks_of_the_demo_only_where_the_demo_is_open(window, speech):
    assert welcome_intro_shown(window) == "Your library is empty: start with step 1 below."
    own = import_recording(window.library, speech / "jfk.flac").interview
    window.reload_interviews()
    window.interviews.select_interview(own.id)
    intro = welcome_intro_shown(window)
    assert "demo" not in intro.lower() and "holds 1 interview:" in intro
    demo = ensure_demo_interview(window.library)
    window.reload_interviews()
    window.interviews.select_interview(demo.id)
    assert welcome_intro_shown(window).startswith("A demo interview is already open")


def test_recordings_cut_off_by_a_crash_are_recovered_in_the_background(qtbot, window, speech):
    """What a killed recorder leaves: a WAV whose header still says it is empty (see tests/recording)."""
    folder = window.library.root / IN_PROGRESS_DIR
    folder.mkdir()
    with wave.open(str(speech / "stereo_diarization.wav")) as source:
        frames, rate = source.readframes(source.getnframes()), source.getframerate()
    with wave.open(str(folder / "Call with Acme.wav"), "wb") as left:
        left.setnchannels(2)
        left.setsampwidth(2)
        left.setframerate(rate)
        left.writeframes(frames)
    wav = folder / "Call with Acme.wav"
    header = bytearray(wav.read_bytes())
    header[40:44] = bytes(4)  # the data size a killed recorder never patched
    wav.write_bytes(header)

    with qtbot.waitSignal(window.queue.queue_changed, timeout=30_000):
        window.recover_recordings()
    [recovered] = window.library.interviews.summaries()
    assert recovered.interview.title == "Call with Acme (recovered)"
    assert recovered.interview.id in [window.queue.running, *window.queue.pending]
    assert listed_status(window, recovered.interview.id) in ("waiting", "transcribing 0 %")
    assert status(window) == "Recovered 1 interrupted recording(s)."


def test_a_waveform_that_cannot_be_drawn_says_why(qtbot, window, speech):
    interview = import_recording(window.library, speech / "jfk.flac").interview
    recording = window.library.recordings.for_interview(interview.id)
    window.library.db.execute("DELETE FROM recording_peaks")  # as for a recording imported before peaks
    window.library.recordings.path(recording).write_bytes(b"not audio any more")  # damaged on disk since
    window.reload_interviews()
    window.interviews.select_interview(interview.id)
    qtbot.waitUntil(lambda: window.player_bar.waveform.toolTip().startswith("No waveform:"), timeout=10_000)


def test_a_recording_imported_before_peaks_were_kept_gets_its_waveform_drawn_and_kept(qtbot, window, speech):
    interview = import_recording(window.library, speech / "jfk.flac").interview
    recording = window.library.recordings.for_interview(interview.id)
    window.library.db.execute("DELETE FROM recording_peaks")  # as for a recording imported before peaks
    window.library.db.conn.commit()
    window.reload_interviews()
    window.interviews.select_interview(interview.id)
    qtbot.waitUntil(lambda: window.player_bar.waveform._peaks is not None, timeout=20_000)
    assert window.library.recordings.peaks(recording.id) is not None, "computed once, kept for next time"
