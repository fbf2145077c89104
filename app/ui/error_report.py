"""No silent failures: an exception nobody caught (in a slot, a virtual, a thread) is shown and logged.

A user who started Earful from a menu never sees stderr, so without this a failure looks like a click that
did nothing. `ErrorReporter.install` routes `sys.excepthook` and `threading.excepthook` here: the failure is
written to the log file in the user's log folder (with everything else the `app` loggers say), and a
dialog says what failed and how to report it, its details copyable. The application keeps running.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import app

_log = logging.getLogger(__name__)
LOG_FILE_NAME = "earful.log"
LOG_FILE_BYTES = 1_000_000
LOG_FILES_KEPT = 3
_APP_DIR = Path(app.__file__).resolve().parent


def log_file() -> Path:
    """Where Earful writes what went wrong: the platform's folder for a user's logs."""
    return platformdirs.user_log_path("Earful", appauthor=False) / LOG_FILE_NAME


def what_failed(exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> str:
    """One line a user can read and repeat: the error and the innermost part of Earful it came from (else
    the innermost function: a library's own name says little)."""
    frames = traceback.extract_tb(tb)
    ours = [frame for frame in frames if Path(frame.filename).resolve().is_relative_to(_APP_DIR)] or frames
    where = f" (in {ours[-1].name.strip('_').replace('_', ' ')})" if ours else ""
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{exc_type.__name__}{where}: {message}" if message else f"{exc_type.__name__}{where}"


class ErrorDialog(QDialog):
    """What failed, that Earful is still running, and how to report it with the details (copyable)."""

    def __init__(self, summary: str, details: str, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Earful – something went wrong")
        self.setMinimumSize(560, 420)
        layout = QVBoxLayout(self)
        heading = QLabel("<h3>Something went wrong</h3>")
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setText(
            f"Earful could not finish what it was doing. What failed: {summary}\n\n"
            "Earful is still running and what was saved before is safe; you can try again."
        )
        how = QLabel()
        how.setTextFormat(Qt.TextFormat.PlainText)
        how.setWordWrap(True)
        how.setText(
            "To report it: press “Copy details”, paste them into a message with a line on what you were "
            "doing, and send it to whoever looks after Earful for you (or the project's issue tracker). "
            "Read them first: they may name your files. They are also saved in:"
        )
        self.log_path = QLabel(str(log_path))
        self.log_path.setTextFormat(Qt.TextFormat.PlainText)
        self.log_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        for widget in (heading, self.summary, how, self.log_path):
            layout.addWidget(widget)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def add(self, summary: str, details: str) -> None:
        """Another failure while this one is on screen: its details go below, not into a second dialog."""
        self.details.appendPlainText(f"\n{details}")
        self.summary.setText(f"{self.summary.text()}\n\nThen: {summary}")

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.summary.text()}\n\n{self.details.toPlainText()}")


class ErrorReporter(QObject):
    """Receives every uncaught exception of the process while installed; shows each on the GUI thread."""

    reported = Signal(str, str)
    """(what failed, the traceback): emitted from whichever thread failed, delivered on the GUI thread."""

    def __init__(self, window: Callable[[], QWidget | None], log_path: Path | None = None) -> None:
        super().__init__()
        self._window = window
        self.log_path = log_path or log_file()
        self.dialog: ErrorDialog | None = None
        """The dialog on screen, if any (a second failure is added to it)."""
        self._previous: tuple | None = None
        self._handler: logging.Handler | None = None
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """From now on uncaught exceptions come here, and the `app` loggers also write to the log file."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.report
        threading.excepthook = self._report_thread
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._handler = RotatingFileHandler(
            self.log_path, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILES_KEPT, encoding="utf-8"
        )
        self._handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
        )
        logging.getLogger("app").addHandler(self._handler)

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None
        if self._handler is not None:
            logging.getLogger("app").removeHandler(self._handler)
            self._handler.close()
            self._handler = None

    def report(self, exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        """`sys.excepthook`: log it, then show it on the GUI thread (this may run on any thread)."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, error, tb)
            return
        summary = what_failed(exc_type, error, tb)
        _log.error("Uncaught exception: %s", summary, exc_info=(exc_type, error, tb))
        self.reported.emit(summary, "".join(traceback.format_exception(exc_type, error, tb)))

    def _report_thread(self, args: threading.ExceptHookArgs) -> None:
        # A thread that calls sys.exit() ends quietly, as with Python's own hook.
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            self.report(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add(summary, details)
            return
        self.dialog = ErrorDialog(summary, details, self.log_path, self._window())
        self.dialog.open()
