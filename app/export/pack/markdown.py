"""The pack as Markdown: the same sections as the HTML, for a wiki, a notes app or an email."""

from __future__ import annotations

from app.domain.timecode import clock
from app.export.pack.model import Pack, PackQuote, PackRow
from app.export.pack.plain import isolated
from app.export.pack.plain import markdown_escaped as esc


def render_markdown(pack: Pack) -> str:
    out = [f"# {esc(pack.title)}", ""]
    if pack.subtitle:
        out += [esc(pack.subtitle), ""]
    out += [
        esc(pack.facts),
        "",
        "## Who we spoke to",
        "",
    ]
    out += [f"{i.number}. {esc(i.heading)}" for i in pack.interviews] + [""]
    if pack.contents.summary and pack.questions:
        out += ["## At a glance", "", "| Question | Answered |", "| --- | --- |"]
        out += [f"| {row.number}. {esc(row.label)} | {row.headline} |" for row in pack.questions]
        out += [""]
    if pack.contents.quotes:
        for heading, rows in (("Question by question", pack.questions), ("Themes", pack.themes)):
            shown = [row for row in rows if row.quotes]
            if shown:
                out += [f"## {heading}", ""]
                for row in shown:
                    out += _row(row)
    if pack.contents.transcripts:
        out += ["## The conversations in full", ""]
        for interview in pack.interviews:
            out += [f"### {interview.number}. {esc(interview.heading)}", ""]
            out += [esc(" · ".join(f"{label}: {value}" for label, value in interview.details)), ""]
            if interview.notes:
                out += [f"> {esc(interview.notes)}", ""]
            out += [
                f"**[{clock(line.start_ms)}] {esc(line.speaker)}:** {esc(line.text)}  "
                for line in interview.lines
            ]
            out += [""]
    return "\n".join(out).rstrip() + "\n"


def _row(row: PackRow) -> list[str]:
    number = f"{row.number}. " if row.kind == "question" else ""
    lines = [f"### {number}{esc(row.label)}", "", f"**{row.headline}** conversations", ""]
    if row.definition:
        lines[2:2] = [f"*{esc(row.definition)}*", ""]
    for quote in row.quotes:
        lines += _quote(quote, asked=quote.reworded and row.kind == "question")
    return lines


def _quote(quote: PackQuote, asked: bool) -> list[str]:
    lines = [
        f"> {esc(quote.text)}",
        ">",
        f"> — {esc(isolated(quote.who))}, {quote.place} (clip {quote.times})",
    ]
    if asked:
        lines.insert(1, f"> *Asked as: {esc(quote.question_text or '')}*")
    if quote.tags:
        lines.append(f"> Tags: {esc(', '.join(quote.tags))}")
    if quote.note:
        lines.append(f"> Note: {esc(quote.note)}")
    return [*lines, ""]
