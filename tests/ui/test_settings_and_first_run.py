"""Settings are validated before they are saved; a first start shows the demo working."""

from __future__ import annotations

import os
import subprocess
import sys

from app.library import Library
from app.services.transcribing import OPTIONS_SETTING, library_options
from app.ui.settings import AUTO_TRANSCRIBE
from app.ui.settings_dialog import SettingsDialog
from tests.conftest import REPO


def test_settings_are_saved_in_the_library(qtbot, library, app_settings):
    dialog = SettingsDialog(library, app_settings)
    qtbot.addWidget(dialog)
    dialog.vocabulary.setText("Tallyline, Northwind Freight")
    dialog.beam.setValue(3)
    dialog.auto.setChecked(False)
    dialog.accept()
    options = library_options(library)
    assert (options.vocabulary, options.beam_size) == ("Tallyline, Northwind Freight", 3)
    assert app_settings.get(AUTO_TRANSCRIBE) is False


def test_an_english_only_model_with_another_language_is_refused_and_nothing_saved(
    qtbot, library, app_settings
):
    dialog = SettingsDialog(library, app_settings)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.accept()
    assert "only understands English" in dialog.error.text()
    assert library.settings.get(OPTIONS_SETTING) is None


def test_a_folder_that_is_not_a_model_is_refused(qtbot, library, app_settings, tmp_path):
    dialog = SettingsDialog(library, app_settings)
    qtbot.addWidget(dialog)
    dialog.model.setCurrentIndex(dialog.model.findData("folder"))
    dialog.folder.setText(str(tmp_path))
    dialog.accept()
    assert "missing model.bin" in dialog.error.text()
    assert library.settings.get(OPTIONS_SETTING) is None


def test_first_start_opens_the_demo_library_and_transcribes_the_demo(tmp_path):
    """In a fresh process with a fresh home, as a newcomer starts Earful."""
    code = (
        "from app.ui.application import EarfulApplication\n"
        "app = EarfulApplication([])\n"
        "workspace = app.open_library(None)\n"
        "print(workspace.library.root)\n"
        "print(workspace.current_interview, workspace.queue.pending + [workspace.queue.running])\n"
        "print(workspace.transcript.toPlainText()[:40].replace('\\n', ' '))\n"
        "workspace.window.close()\n"
    )
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    root, opened, _view = result.stdout.splitlines()[:3]
    assert root.endswith("Demo library") and root.startswith(str(home))
    with Library.open(root) as demo:
        interview = demo.interviews.summaries()[0].interview
        assert interview.title.startswith("Demo:") and interview.company == "Northwind Freight"
    assert opened.startswith(f"{interview.id} ") and str(interview.id) in opened.split(" ", 1)[1]


def test_options_the_dialog_does_not_show_are_kept(qtbot, library, app_settings):
    """One merge for the CLI and the dialog: saving the dialog keeps what `earful settings` set."""
    from app.services.transcribing import save_library_options

    save_library_options(library, {"batch_size": 0, "word_timestamps": True})
    dialog = SettingsDialog(library, app_settings)
    qtbot.addWidget(dialog)
    dialog.vocabulary.setText("Tallyline")
    dialog.accept()
    assert library.settings.get(OPTIONS_SETTING)["batch_size"] == 0
    assert library_options(library).vocabulary == "Tallyline"


def test_advanced_transcription_options_are_folded_away_until_asked_for(qtbot, library, app_settings):
    from PySide6.QtCore import Qt

    dialog = SettingsDialog(library, app_settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.beam.isVisible() and not dialog.vad.isVisible()
    qtbot.mouseClick(dialog.show_advanced, Qt.MouseButton.LeftButton)
    assert dialog.beam.isVisible() and dialog.vad.isVisible()
