"""Shared fixtures: real speech from ../shared, real libraries on disk, and isolation from the user's home."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import traceback
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEECH = Path(os.environ.get("EARFUL_SHARED", REPO.parent / "shared")) / "data" / "speech"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the real user's library, models or caches from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("EARFUL_LIBRARY", raising=False)
    monkeypatch.delenv("EARFUL_MODELS_DIR", raising=False)


class UncaughtErrors:
    """What failed unseen during a test: an exception that ended a thread, or an error that Earful's own
    code logged instead of raising (its uncaught-exception dialog, a background task with no error
    handler, a transcription job stopped by an unforeseen error). Exceptions in Qt slots and virtuals
    reach `sys.excepthook`, where pytest-qt fails the test; with Earful's reporter installed they reach
    the reporter, which logs them here."""

    def __init__(self) -> None:
        self.failures: list[tuple[str, BaseException | None]] = []

    def thread_ended(self, args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread else "a thread"
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        self.failures.append((f"Exception in {name}:\n{text}", args.exc_value))

    def take(self, kind: type[BaseException]) -> list[str]:
        """Remove and return the failures caused by `kind`: for a test that provokes one on purpose."""
        taken = [text for text, error in self.failures if isinstance(error, kind)]
        self.failures = [(text, error) for text, error in self.failures if not isinstance(error, kind)]
        return taken


class _Collect(logging.Handler):
    def __init__(self, errors: UncaughtErrors) -> None:
        super().__init__(logging.ERROR)
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        self._errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        self._errors.failures.append((self.format(record), error))


@pytest.fixture(autouse=True)
def uncaught_errors(monkeypatch: pytest.MonkeyPatch):
    """Fail the test on any failure that a user would not have seen (see UncaughtErrors)."""
    errors = UncaughtErrors()
    collect = _Collect(errors)
    logger = logging.getLogger("app")
    logger.addHandler(collect)
    monkeypatch.setattr(threading, "excepthook", errors.thread_ended)
    yield errors
    logger.removeHandler(collect)
    if errors.failures:
        pytest.fail(
            "Failures nobody saw:\n" + "\n".join(text for text, _error in errors.failures), pytrace=False
        )


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_gui_thread(request: pytest.FixtureRequest):
    """As in Earful (app/ui/gui_thread_gc.py): once the process has a QApplication, reference cycles are
    collected only on the GUI thread, from the event loop or here between tests, never on a thread that
    happened to allocate (which deleted Qt objects mid-operation and crashed the suite)."""
    if "qapp" in request.fixturenames:
        _install_gui_thread_gc(request.getfixturevalue("qapp"))
    yield
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:  # also one a command made in this process (a PDF export)
            _install_gui_thread_gc(app).collect()


def _install_gui_thread_gc(app):
    from app.ui import gui_thread_gc

    return gui_thread_gc.install(app)


@pytest.fixture(scope="session")
def speech() -> Path:
    """The folder of real recordings with reference transcripts (see its MANIFEST.md)."""
    if not (SPEECH / "MANIFEST.md").is_file():
        pytest.fail(f"Test speech not found in {SPEECH}: clone the project with ../shared beside it.")
    return SPEECH


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where a test saves pictures of what a user sees: EARFUL_SCREENSHOTS=DIR keeps them to look at."""
    folder = Path(os.environ.get("EARFUL_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def library(tmp_path: Path):
    from app.library import Library

    with Library.open(tmp_path / "library") as opened:
        yield opened


from tests.recording.sinks import clips, customer, pulse, you  # noqa: E402,F401 - one sound server per session


def reference_text(speech_dir: Path, stem: str) -> str:
    return (speech_dir / f"{stem}.ref.txt").read_text(encoding="utf-8")


@pytest.fixture
def one_mib_disk(tmp_path: Path):
    """A real 1 MiB tmpfs: writes past it fail with ENOSPC, exactly as on a full drive."""
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root and mount(8)")
    point = tmp_path / "small-disk"
    point.mkdir()
    result = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)], capture_output=True, text=True
    )
    if result.returncode:
        pytest.skip(f"cannot mount a 1 MiB tmpfs here: {result.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=True)
