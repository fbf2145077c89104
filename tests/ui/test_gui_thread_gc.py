"""Qt objects left in reference cycles are deleted by the GUI thread's event loop, never because another
thread allocated when Python's cycle collector was due.

Without Earful's collector, a dialog collected on a busy worker thread is deleted on the GUI thread at
whatever bytecode that thread runs next (PySide6 hands the deletion over, as this test saw inside a lock
wait), so in the middle of any operation."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.ui import gui_thread_gc


def _churn_cycles() -> None:
    """What a busy background thread does: allocate, some of it in cycles, well past the collector's
    thresholds."""
    for _ in range(50_000):
        node: list = []
        node.append(node)


def _dialog_in_a_cycle(deleted_on: list[str]) -> None:
    """A closed dialog whose Python object only a reference cycle keeps (a slot holding its dialog)."""
    dialog = QDialog()
    dialog.itself = dialog
    dialog.destroyed.connect(
        lambda: deleted_on.append(threading.current_thread().name), Qt.ConnectionType.DirectConnection
    )


def test_a_dialog_in_a_cycle_is_deleted_on_the_gui_thread_while_other_threads_allocate(qtbot):
    gui_thread_gc.install(QApplication.instance())
    deleted_on: list[str] = []
    worker = threading.Thread(target=_churn_cycles, name="busy-worker")
    gc.collect()  # so that the few allocations before the worker's cannot reach a threshold here
    _dialog_in_a_cycle(deleted_on)
    worker.start()
    worker.join()
    assert deleted_on == [], "deleted while the GUI thread was busy elsewhere, not from its event loop"
    qtbot.waitUntil(lambda: bool(deleted_on), timeout=10_000)
    assert deleted_on == [threading.main_thread().name]


def test_installing_twice_keeps_one_collector():
    app = QApplication.instance() or QApplication([])
    first = gui_thread_gc.install(app)
    assert gui_thread_gc.install(app) is first
    assert isinstance(first, QObject) and first.parent() is app
