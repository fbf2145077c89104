"""Run a short callable off the GUI thread and hand its result back on the GUI thread (Picard's run_task).

For work that is brief and needs neither progress nor cancel (a query, stopping a process). Long work has a
thread of its own and reports progress as data (see transcription_queue.py). Work on the library goes
through `run_query` (a read, on a read-only connection), `LatestQuery` (reads where only the newest
request's answer may be shown) or `run_in_library` (a short write, such as an import): each opens its own
connection on the pool thread (SQLite connections stay on their thread) with `Library.attach`, which costs
only the connection, since the window's `Library.open` has already checked and migrated the library.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from app.library import Library

_log = logging.getLogger(__name__)
T = TypeVar("T")


class _Answer(NamedTuple):
    """Where one call's result goes, kept by ticket until it is delivered."""

    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None] | None
    owner: QObject | None


class _Courier(QObject):
    """Carries every call's result from the pool threads to the GUI thread: one queued signal into a slot on
    the thread that created it.

    One long-lived object rather than a QObject and a Python-owned QRunnable per call: those referred to
    each other, so every answered call left a reference cycle of Qt objects for the cycle collector to
    delete later, on whichever thread it ran (see gui_thread_gc.py); Qt's own runnables are deleted by
    the pool."""

    answered = Signal(int, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self._waiting: dict[int, _Answer] = {}
        self._tickets = itertools.count(1)
        self.answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self, fn: Callable[[], Any], answer: _Answer) -> None:
        """On the GUI thread."""
        ticket = next(self._tickets)
        self._waiting[ticket] = answer
        QThreadPool.globalInstance().start(partial(self._run, ticket, fn))

    @property
    def in_flight(self) -> int:
        """Calls whose answer is not delivered yet."""
        return len(self._waiting)

    def _run(self, ticket: int, fn: Callable[[], Any]) -> None:
        """On a pool thread."""
        try:
            result = fn()
        except Exception as error:
            self.answered.emit(ticket, False, error)
        else:
            self.answered.emit(ticket, True, result)

    @Slot(int, bool, object)
    def _deliver(self, ticket: int, ok: bool, value: Any) -> None:
        """On the GUI thread."""
        answer = self._waiting.pop(ticket)
        if answer.owner is not None and not shiboken6.isValid(answer.owner):
            return  # the window or dialog the answer was for has closed (and been deleted) meanwhile
        if ok:
            answer.on_done(value)
        elif answer.on_error is not None:
            answer.on_error(value)
        else:
            _log.error("A background task failed", exc_info=value)


_courier: _Courier | None = None
"""Created by the first call, on the GUI thread, and kept for the life of the process."""


def in_flight() -> int:
    """How many calls are still waiting for their answer to be delivered (tests wait for none)."""
    return 0 if _courier is None else _courier.in_flight


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
    global _courier
    if _courier is None:
        _courier = _Courier()
    _courier.start(fn, _Answer(on_done, on_error, owner))


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
