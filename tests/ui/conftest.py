"""Real Qt widgets without a display (offscreen platform), with settings kept out of the user's home."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings

from app.library import Library
from app.services.tagging import Tagger
from app.ui.settings import AppSettings
from tests.services.test_tagging import GUIDE, make_interview
from tests.ui.helpers import main_window


@pytest.fixture
def app_settings(tmp_path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "earful.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, tmp_path, app_settings):
    """The main window on a new, empty library (the frame is `window.window`), closed afterwards."""
    library = Library.open(tmp_path / "library")
    main = main_window(library, app_settings)
    qtbot.addWidget(main.window)
    main.window.show()
    yield main
    main.window.close()
    library.close()


@pytest.fixture
def guided_window(qtbot, tmp_path, app_settings):
    """The main window on a library with one two-channel interview that follows a small guide, open."""
    library = Library.open(tmp_path / "library")
    interview_id = make_interview(library, "Northwind – ops lead")
    Tagger(library).use_guide(interview_id, GUIDE)
    main = main_window(library, app_settings)
    qtbot.addWidget(main.window)
    main.window.show()
    qtbot.waitExposed(main.window)
    main.open_interview(interview_id)
    yield main
    main.window.close()
    library.close()
