"""The journeys' parts: real windows offscreen (the UI tests' settings fixture), a library transcribed once
by the real worker and copied per journey, the recording tests' PulseAudio null sinks, and a guard that fails
a journey on any exception that escapes into Python's or a thread's hook (slots included)."""

from __future__ import annotations

import os
from pathlib import Path

# The UI tests' 1920×1080 offscreen desktop (tests/ui/conftest.py); each journey resizes its window to a laptop's.
os.environ.setdefault(
    "QT_QPA_PLATFORM", f"offscreen:configfile={Path(__file__).parents[1] / 'ui' / 'desktop.json'}"
)

import shutil
import sys
import threading
import traceback

import pytest

from app.library import Library
from tests.ui.conftest import app_settings  # noqa: F401 - settings in a temporary INI file, reused
from tests.ui.helpers import transcribe_into_library

CALL = "stereo_diarization"
"""A two-party call: one speaker per channel (5 s)."""
SPEECH = "jfk"
"""A one-speaker recording (11 s)."""


@pytest.fixture(autouse=True)
def fail_on_uncaught_exceptions(monkeypatch):
    """Any exception that reaches `sys.excepthook` (PySide reports exceptions in slots there) or
    `threading.excepthook` fails the journey, whatever else (pytest-qt, the app's own dialog) sees it."""
    caught: list[str] = []
    previous, previous_thread = sys.excepthook, threading.excepthook

    def hook(kind, value, tb) -> None:
        caught.append("".join(traceback.format_exception(kind, value, tb)))
        previous(kind, value, tb)

    def thread_hook(args) -> None:
        caught.append("".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))
        previous_thread(args)

    monkeypatch.setattr(sys, "excepthook", hook)
    monkeypatch.setattr(threading, "excepthook", thread_hook)
    yield caught
    assert not caught, "uncaught exception(s) in the window:\n" + "\n".join(caught)


@pytest.fixture(scope="session")
def transcribed(tmp_path_factory, speech) -> Path:
    """A library with a two-party call and a one-speaker recording, transcribed by the real worker once;
    journeys that change it work on a copy (`library_dir`)."""
    root = tmp_path_factory.mktemp("transcribed")
    library, _ids = transcribe_into_library(
        root, {CALL: (speech / f"{CALL}.wav", None), SPEECH: (speech / f"{SPEECH}.flac", None)}
    )
    library.close()
    return root / "library"


@pytest.fixture
def library_dir(transcribed, tmp_path) -> Path:
    """This journey's own copy of the transcribed library."""
    return Path(shutil.copytree(transcribed, tmp_path / "library"))


def interview_id(library_dir: Path, title: str) -> int:
    with Library.open(library_dir) as library:
        return next(s.interview.id for s in library.interviews.summaries() if s.interview.title == title)
