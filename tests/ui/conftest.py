"""Real Qt widgets without a display (offscreen platform), with settings kept out of the user's home."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QSettings

from app.ui.settings import AppSettings


@pytest.fixture
def app_settings(tmp_path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "earful.ini"), QSettings.Format.IniFormat))
