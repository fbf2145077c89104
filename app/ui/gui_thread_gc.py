"""Python's cycle collector, run only on the GUI thread.

Python runs its cycle collector in whichever thread happens to allocate when a threshold is crossed. Earful
runs Python on many threads besides the GUI thread (the thread pool's reads and writes, the recorder's
writer, PortAudio's callbacks, the live transcript, the export), so a closed dialog or an answered task that
sits in a reference cycle could be collected on one of them. PySide6 then hands the Qt object's deletion to
the GUI thread, which runs it at whatever bytecode that thread executes next: in the middle of any
operation (tests/ui/test_gui_thread_gc.py saw it inside a lock wait). So automatic collection is switched
off and a timer on the GUI thread collects, from its event loop, with Python's own thresholds (as PyQt's
authors advise for threaded applications).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_EVERY_MS = 250
"""Often enough that garbage never piles up (a young-generation pass takes well under a millisecond)."""


class GuiThreadCollector(QObject):
    """Installed once per application (`install`); lives as long as the application."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(CHECK_EVERY_MS)

    def collect(self) -> None:
        """Collect the oldest generation whose count passed its threshold (with the younger ones), as
        automatic collection would. Call it on the GUI thread only."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


_collector: GuiThreadCollector | None = None


def install(app: QCoreApplication) -> GuiThreadCollector:
    """Collect cycles on `app`'s (the GUI) thread only, from now on; a second call returns the same one."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector(app)
    return _collector
