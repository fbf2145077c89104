"""The pack as a Word document (python-docx): headings, a table of counts, quotes as styled paragraphs.

Quotes get a style of their own ("Earful Quote"), so a reader can restyle them all at once and a test
can count them; attributions and clip times follow in small grey type. (Those are formatted runs rather
than a second style: python-docx looks a style up by scanning every style, which made a 100-quote pack
take seconds.)
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

from app.domain.timecode import clock
from app.export.pack.model import Pack, PackRow
from app.export.pack.plain import isolated, xml_safe

QUOTE_STYLE = "Earful Quote"
_ACCENT = RGBColor(0x0F, 0x6E, 0x6A)
_MUTED = RGBColor(0x5B, 0x64, 0x75)
CORE_PROPERTY_LIMIT = 255
"""python-docx refuses a document title (core property) longer than this; the heading keeps it whole."""


def render_docx(pack: Pack) -> bytes:
    document = Document()
    _styles(document)
    document.core_properties.title = xml_safe(pack.title)[:CORE_PROPERTY_LIMIT]
    document.core_properties.author = "Earful"
    document.core_properties.comments = ""
    document.add_heading(xml_safe(isolated(pack.title)), level=0)
    if pack.subtitle:
        document.add_paragraph(xml_safe(pack.subtitle), style="Subtitle")
    document.add_paragraph(pack.facts)
    document.add_heading("Who we spoke to", level=1)
    for interview in pack.interviews:
        document.add_paragraph(
            f"{interview.number}. {xml_safe(isolated(interview.heading))}", style="List Number"
        )
    if pack.contents.summary and pack.questions:
        document.add_heading("At a glance", level=1)
        _counts_table(document, pack)
    if pack.contents.quotes:
        for heading, rows in (("Question by question", pack.questions), ("Themes", pack.themes)):
            shown = [row for row in rows if row.quotes]
            if shown:
                document.add_page_break()
                document.add_heading(heading, level=1)
                for row in shown:
                    _row(document, row)
    if pack.contents.transcripts:
        document.add_page_break()
        document.add_heading("The conversations in full", level=1)
        for interview in pack.interviews:
            document.add_heading(f"{interview.number}. {xml_safe(isolated(interview.heading))}", level=2)
            details = " · ".join(f"{label}: {isolated(value)}" for label, value in interview.details)
            _small(document, details)
            if interview.notes:
                document.add_paragraph(xml_safe(interview.notes))
            for line in interview.lines:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{clock(line.start_ms)}  ").font.color.rgb = _MUTED
                paragraph.add_run(f"{xml_safe(isolated(line.speaker))}: ").bold = True
                for part in line.parts:
                    run = paragraph.add_run(xml_safe(part.text) + " ")
                    if part.quote:
                        run.font.highlight_color = 7  # WD_COLOR_INDEX.YELLOW
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _styles(document) -> None:
    quote = document.styles.add_style(QUOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    quote.base_style = document.styles["Quote"]
    quote.font.size = Pt(12)


def _small(document, text: str) -> None:
    run = document.add_paragraph().add_run(xml_safe(text))
    run.font.size = Pt(9)
    run.font.color.rgb = _MUTED


def _counts_table(document, pack: Pack) -> None:
    table = document.add_table(rows=1, cols=2)
    table.style = "Light List Accent 1"
    table.rows[0].cells[0].text = "Question"
    table.rows[0].cells[1].text = f"Answered (of {pack.guided})"
    for row in pack.questions:
        cells = table.add_row().cells
        cells[0].text = xml_safe(f"{row.number}. {row.label}")
        cells[1].text = row.headline


def _row(document, row: PackRow) -> None:
    number = f"{row.number}. " if row.kind == "question" else ""
    document.add_heading(xml_safe(f"{number}{isolated(row.label)}"), level=2)
    headline = document.add_paragraph()
    run = headline.add_run(f"{row.headline} conversations")
    run.bold, run.font.color.rgb = True, _ACCENT
    if row.definition:
        headline.add_run(f" — {xml_safe(row.definition)}").italic = True
    for quote in row.quotes:
        if quote.home != row.id:  # shown in full under an earlier question or theme
            _small(document, f"“{isolated(quote.text)}” — {isolated(quote.who)}, {quote.place}")
            continue
        document.add_paragraph(f"“{xml_safe(isolated(quote.text))}”", style=QUOTE_STYLE)
        if quote.reworded and row.kind == "question":
            _small(document, f"Asked as: {isolated(quote.question_text or '')}")
        extra = [f"clip {quote.times}", *(isolated(tag) for tag in quote.tags)]  # tags read "Decision reason"
        _small(document, f"— {isolated(quote.who)}, {quote.place} ({', '.join(extra)})")
        if quote.note:
            _small(document, f"Note: {quote.note}")
