"""The one place a headless process starts Qt: the PDF pack is laid out by Qt's text engine, which works
only inside an application object, and the window's `EarfulApplication` is not there in the CLI.

Declared in pyproject's import contract as the CLI's one Qt import; imported only when a format that needs
it is asked for, so every other command runs without PySide6.
"""

from __future__ import annotations

_started = None  # the application we started, kept for the life of the process (Qt allows one)


def start_offscreen_qt() -> None:
    """Start Qt on its offscreen platform unless this process has a Qt application already.

    A QApplication rather than a bare QGuiApplication, so a process that later opens windows (a test
    run, a script) can still do so: a QGuiApplication cannot host widgets, and there is one per process.
    """
    global _started
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    if QCoreApplication.instance() is None:
        _started = QApplication(["earful", "-platform", "offscreen"])
