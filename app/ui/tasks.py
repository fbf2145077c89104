"""Run a short callable off the GUI thread and hand its result back on the GUI thread (Picard's run_task).

For work that is brief and needs neither progress nor cancel (a query, stopping a process). Long work has a
thread of its own and reports progress as data (see transcription_queue.py). Work on the library goes
through `run_query` (a read, on a read-only connection), `LatestQuery` (reads where only the newest
request's answer may be shown) or `run_in_library` (a short write, such as an import): each opens its own
connection on the pool thread (SQLite connections stay on their thread) with `Library.attach`, which costs
only the connection, since the window's `Library.open` has already checked and migrated the library.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from app.library import Library

_log = logging.getLogger(__name__)
T = TypeVar("T")


class _Task(QObject):
    """One call in flight. Created on the GUI thread, so its queued slot runs there whichever pool thread
    emits the result."""

    _finished = Signal(bool, object)

    def __init__(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None,
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self._owner = owner
        self._fn = fn
        self._on_done = on_done
        self._on_error = on_error
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.runnable = _Runnable(self._run)

    def _run(self) -> None:
        """On a pool thread."""
        try:
            result = self._fn()
        except Exception as error:
            self._finished.emit(False, error)
        else:
            self._finished.emit(True, result)

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: Any) -> None:
        """On the GUI thread."""
        _in_flight.discard(self)
        if self._owner is not None and not shiboken6.isValid(self._owner):
            return  # the window or dialog the answer was for has closed (and been deleted) meanwhile
        if ok:
            self._on_done(value)
        elif self._on_error is not None:
            self._on_error(value)
        else:
            _log.error("A background task failed", exc_info=value)


class _Runnable(QRunnable):
    def __init__(self, run: Callable[[], None]) -> None:
        super().__init__()
        # Python owns it (through _in_flight): Qt deleting it after run() would leave a dangling wrapper.
        self.setAutoDelete(False)
        self._run = run

    def run(self) -> None:
        self._run()


# Nothing in Qt keeps a Python object alive, so a task is referenced here until its result is delivered;
# otherwise the garbage collector could delete it while a pool thread still runs it.
_in_flight: set[_Task] = set()


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None] | None = None,
    owner: QObject | None = None,
) -> None:
    """Call `fn()` on Qt's thread pool; then `on_done(result)`, or `on_error(exception)`, on the GUI thread.

    `owner`: the widget the answer is for; if it is deleted before the answer comes (a dialog closed while
    its query ran), the answer is dropped instead of reaching a widget that is gone.

    Call it from the GUI thread. Without `on_error` a failure is logged rather than lost.
    """
    task = _Task(fn, on_done, on_error, owner)
    _in_flight.add(task)
    QThreadPool.globalInstance().start(task.runnable)


def run_query(
    root: Path,
    read: Callable[[Library], T],
    on_done: Callable[[T], None],
    on_error: Callable[[Exception], None] | None = None,
    owner: QObject | None = None,
) -> None:
    """`read(library)` on the pool with a read-only connection to the library in `root` (a write raises
    `sqlite3.OperationalError`); its answer goes to `on_done` on the GUI thread, as with `run_task`."""
    run_task(lambda: _with_library(root, read, read_only=True), on_done, on_error, owner)


def run_in_library(
    root: Path,
    work: Callable[[Library], T],
    on_done: Callable[[T], None],
    on_error: Callable[[Exception], None] | None = None,
    owner: QObject | None = None,
) -> None:
    """`work(library)` on the pool with a writable connection (imports, recovered recordings, saved
    redaction terms); otherwise as `run_query`."""
    run_task(lambda: _with_library(root, work, read_only=False), on_done, on_error, owner)


def _with_library(root: Path, work: Callable[[Library], T], read_only: bool) -> T:
    """On a pool thread."""
    from app.library import Library  # sqlite-utils: not before the window's first paint

    with Library.attach(root, read_only=read_only) as library:
        return work(library)


class LatestQuery:
    """Reads for one view where the newest request wins: an answer that arrives after a newer request was
    made (the user typed on, changed a filter) is dropped, so a slow old answer never replaces a new one.

    Every answer is also dropped once `owner` is deleted (see `run_task`), or after `drop()`.
    """

    def __init__(self, root: Path, owner: QObject) -> None:
        self._root = root
        self._owner = owner
        self._request = 0

    def run(
        self,
        read: Callable[[Library], T],
        on_done: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Start `read` (as `run_query`); any request still in flight is superseded."""
        request = self.drop()
        run_query(
            self._root,
            read,
            lambda answer: self._deliver(request, on_done, answer),
            None if on_error is None else lambda error: self._deliver(request, on_error, error),
            owner=self._owner,
        )

    def drop(self) -> int:
        """Drop the answers of every request made so far (the view shows something else now)."""
        self._request += 1
        return self._request

    def _deliver(self, request: int, receive: Callable[[Any], None], answer: Any) -> None:
        if request == self._request:
            receive(answer)
