"""Real Qt widgets without a display (offscreen platform), with settings kept out of the user's home."""

from __future__ import annotations

import os
from pathlib import Path

# A 1920×1080 desktop: a first window opens at the size it would on one (the default offscreen screen is
# 800×600, which the window now fits itself into).
DESKTOP = f"offscreen:configfile={Path(__file__).with_name('desktop.json')}"
os.environ.setdefault("QT_QPA_PLATFORM", DESKTOP)

import pytest  # noqa: E402 - the platform is chosen before Qt loads
from PySide6.QtCore import QSettings  # noqa: E402

from app.guides.model import Guide  # noqa: E402
from app.library import Library  # noqa: E402
from app.services.tagging import Tagger  # noqa: E402
from app.ui.settings import AppSettings  # noqa: E402
from tests.services.test_tagging import GUIDE, make_interview  # noqa: E402
from tests.ui.helpers import main_window  # noqa: E402


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
    yield from open_guided_window(qtbot, tmp_path, app_settings, GUIDE)


def open_guided_window(qtbot, tmp_path, app_settings, guide: Guide):
    """(A fixture's body) the main window on a library with one two-channel interview following `guide`."""
    library = Library.open(tmp_path / "library")
    interview_id = make_interview(library, "Northwind – ops lead")
    Tagger(library).use_guide(interview_id, guide)
    main = main_window(library, app_settings)
    qtbot.addWidget(main.window)
    main.window.show()
    qtbot.waitExposed(main.window)
    main.open_interview(interview_id)
    yield main
    main.window.close()
    library.close()
