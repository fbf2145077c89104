"""Sizes that fit the screen a window opens on: a 1366×768 laptop has about 1366×730 once its panel is
taken away, and a window or dialog taller than that hides its buttons below the screen's edge."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for the window's title bar and borders, which the size given to `resize` leaves out.
FRAME_ALLOWANCE = QSize(16, 40)


def fitting_size(wanted: QSize, available: QSize) -> QSize:
    """`wanted`, or less where the screen's free area (`available`) is smaller."""
    return wanted.boundedTo(available - FRAME_ALLOWANCE)


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """Give `widget` (a window or dialog) width × height, or what its screen has room for."""
    widget.resize(fitting_size(QSize(width, height), free_area(widget).size()))


def free_area(widget: QWidget) -> QRect:
    """The free area (without the desktop's panels) of the screen `widget` is on.

    Found through QGuiApplication's static lookups, never `QWidget.screen()`: PySide6 makes the QScreen that
    method returns a child of the widget, so when the widget went (a dialog closed and collected) Python
    took the screen with it; Qt then crashed in the next widget's constructor, reading the deleted screen.
    """
    centre = widget.mapToGlobal(widget.rect().center())
    screen = QGuiApplication.screenAt(centre) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()
