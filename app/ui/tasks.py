"""Run a short callable off the GUI thread and hand its result back on the GUI thread (Picard's run_task).

For work that is brief and needs neither progress nor cancel (a query, stopping a process). Long work has a
thread of its own and reports progress as data (see transcription_queue.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

_log = logging.getLogger(__name__)


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
