"""How a transcript is drawn for one palette and font: the reading font, text formats and block layout.

A transcript should read like a document: a size a little above the interface's (never under 11 pt), lines
half as tall again as the font, each turn a paragraph under a line with the speaker's name (in the colour
of their role) and a smaller, quieter timestamp, and a right margin where quote chips sit. Sizes are in
points and ems, so the layout holds at any screen scaling (QT_SCALE_FACTOR).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPalette, QTextBlockFormat, QTextCharFormat

from app.domain.colour_scheme import ColourScheme
from app.domain.transcript import Speaker, SpeakerRole
from app.ui.colours import qcolor, scheme

# The reading font is this much larger than the interface's, and never smaller than MIN_READING_POINTS.
READING_SCALE, MIN_READING_POINTS = 1.15, 11.0
# Line height in percent of the font's: long transcripts are read for a long time.
LINE_HEIGHT_PERCENT = 135
# Timestamps are smaller than the words.
TIMESTAMP_SCALE = 0.85
# Names longer than this many ems are elided, so one long display name cannot fill a header line.
NAME_MAX_EM = 24
# The right margin that holds the quote chips, in ems of the reading font.
CHIP_COLUMN_EM = 8.5


@dataclass(frozen=True, slots=True)
class TranscriptLook:
    """The formats a transcript is drawn with; appending more segments reuses them."""

    colours: ColourScheme
    plain: QTextCharFormat
    timestamp: QTextCharFormat
    heading: QTextCharFormat
    suggested_heading: QTextCharFormat
    """A question the analysis suggests was asked here: quieter (italic, the timestamps' colour)."""
    playing: QTextCharFormat
    name_formats: dict[int, QTextCharFormat]
    names: dict[int, str]
    header_block: QTextBlockFormat
    paragraph_block: QTextBlockFormat
    heading_block: QTextBlockFormat
    chip_column: float
    """Width of the right margin for quote chips, in pixels."""


def reading_font(interface: QFont) -> QFont:
    font = QFont(interface)
    size = interface.pointSizeF() if interface.pointSizeF() > 0 else MIN_READING_POINTS
    font.setPointSizeF(max(size * READING_SCALE, MIN_READING_POINTS))
    return font


def make_look(palette: QPalette, font: QFont, speakers: list[Speaker]) -> TranscriptLook:
    """Formats for `palette` and the reading `font`; speaker names coloured by role (the n-th speaker of
    role "other" by its place among the others, so the interviewer and customer keep theirs)."""
    colours = scheme(palette)
    text = qcolor(colours.text)
    metrics = QFontMetricsF(font)
    em, line = metrics.horizontalAdvance("M"), metrics.lineSpacing()
    plain = QTextCharFormat()
    plain.setForeground(text)
    timestamp = QTextCharFormat()
    timestamp.setForeground(qcolor(colours.timestamp))
    timestamp.setFontPointSize(font.pointSizeF() * TIMESTAMP_SCALE)
    heading = QTextCharFormat()
    heading.setFontWeight(QFont.Weight.Bold)
    heading.setForeground(text)
    suggested_heading = QTextCharFormat()
    suggested_heading.setFontItalic(True)
    suggested_heading.setForeground(qcolor(colours.timestamp))
    playing = QTextCharFormat()
    playing.setBackground(qcolor(colours.playback))
    playing.setForeground(qcolor(colours.playback_text))
    bold = QFont(font)
    bold.setBold(True)
    bold_metrics = QFontMetricsF(bold)
    names, name_formats = {}, {}
    others = 0
    for speaker in speakers:
        names[speaker.id] = bold_metrics.elidedText(
            speaker.name, Qt.TextElideMode.ElideRight, NAME_MAX_EM * em
        )
        name_format = QTextCharFormat()
        name_format.setFontWeight(QFont.Weight.Bold)
        name_format.setForeground(qcolor(colours.speaker(speaker.role, others)))
        name_formats[speaker.id] = name_format
        others += speaker.role is SpeakerRole.OTHER
    chip_column = CHIP_COLUMN_EM * em
    paragraph_block = QTextBlockFormat()
    paragraph_block.setLineHeight(
        LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
    )
    paragraph_block.setRightMargin(chip_column)
    paragraph_block.setTopMargin(line * 0.2)
    header_block = QTextBlockFormat()
    header_block.setRightMargin(chip_column)
    header_block.setTopMargin(line * 0.75)
    heading_block = QTextBlockFormat()
    heading_block.setRightMargin(chip_column)
    heading_block.setTopMargin(line * 1.4)
    heading_block.setBottomMargin(line * 0.1)
    return TranscriptLook(
        colours, plain, timestamp, heading, suggested_heading, playing, name_formats, names, header_block, paragraph_block,
        heading_block, chip_column,
    )  # fmt: skip
