"""The Qt side of Earful's colours: a palette's scheme, and `Rgb` values as `QColor`s.

The rules live in `app/domain/colour_scheme.py` (tested without Qt); widgets ask here for the colours of
the palette they are drawn with.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from app.domain.colour_scheme import ColourScheme
from app.domain.colours import Rgb


def scheme(palette: QPalette) -> ColourScheme:
    """The transcript colours for `palette` (its base and text colours)."""
    return ColourScheme(
        rgb(palette.color(QPalette.ColorRole.Base)), rgb(palette.color(QPalette.ColorRole.Text))
    )


def question_colours(count: int, palette: QPalette) -> list[QColor]:
    """A colour per guide question, readable on `palette`'s base and far from the playback highlight."""
    return [qcolor(colour) for colour in scheme(palette).questions(count)]


def rgb(colour: QColor) -> Rgb:
    return Rgb(colour.redF(), colour.greenF(), colour.blueF())


def qcolor(colour: Rgb) -> QColor:
    return QColor.fromRgbF(*(min(max(channel, 0.0), 1.0) for channel in colour))
