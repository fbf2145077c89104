"""Commands for guides, quotes and the board: the same queries as the desktop app, as text or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.arguments import clock_time, record_id
from app.cli.errors import CommandFailed, UsageError
from app.domain.text import escape_controls
from app.domain.timecode import clock
from app.domain.transcript import SpeakerRole
from app.export.spreadsheet import write_csv
from app.guides import (
    Guide,
    GuideError,
    builtin_guides,
    dump_guide,
    load_guide,
    load_guide_file,
    question_hints,
)
from app.library import Library
from app.services.board import BoardFilters, build_board
from app.services.tagging import Tagger


def register(command) -> None:
    """Add this module's subcommands through the CLI's `command(name, run, help)` helper."""
    command("guides", cmd_guides, "list the built-in guides and those this library uses")

    sub = command("guide", cmd_guide, "show, check, import, export or use an interview guide")
    sub.add_argument("action", choices=("show", "check", "import", "export", "use"))
    sub.add_argument(
        "target",
        nargs="+",
        metavar="ARG",
        help="show GUIDE | check FILE | import FILE | export GUIDE FILE | use INTERVIEW GUIDE  "
        "(GUIDE: slug or .yaml)",
    )

    sub = command(
        "quote", cmd_quote_add, "mark a stretch of an interview as a quote: quote add ID --from --to"
    )
    sub.add_argument("action", choices=("add",))
    sub.add_argument("id", type=record_id)
    sub.add_argument("--from", dest="start", type=clock_time, required=True, metavar="MM:SS")
    sub.add_argument("--to", dest="end", type=clock_time, required=True, metavar="MM:SS")
    sub.add_argument("--question", help="the guide question it answers (its key, e.g. trigger)")
    sub.add_argument("--tag", action="append", default=[], help="a theme tag (repeat for several)")
    sub.add_argument("--note")
    sub.add_argument(
        "--speaker",
        choices=[role.value for role in SpeakerRole],
        help="whose channel on a two-channel call (default: the customer's)",
    )

    sub = command("quotes", cmd_quotes, "list quotes, e.g. every answer to one question")
    sub.add_argument("--interview", type=record_id)
    sub.add_argument("--question")
    sub.add_argument("--tag")
    sub.add_argument("--format", choices=("text", "csv"), default="text")

    sub = command("board", cmd_board, "questions against interviews: who said what, and how many")
    sub.add_argument("--guide", required=True)
    sub.add_argument("--segment")
    sub.add_argument("--outcome")
    sub.add_argument("--interviewer")
    sub.add_argument("--format", choices=("text", "csv"), default="text")


def cmd_guides(args: argparse.Namespace, library: Library) -> int:
    for guide in builtin_guides():
        print(f"{guide.slug}\tv{guide.version}\tbuilt-in\t{guide.name}\t{len(guide.questions)} questions")
    for stored in library.guides.all():  # stored before guides refused control characters: escape them
        print(f"{stored.slug}\tv{stored.version}\tin library\t{escape_controls(stored.name)}")
    return 0


def cmd_guide(args: argparse.Namespace, library: Library) -> int:
    action, target = args.action, args.target
    expected = {"show": 1, "check": 1, "import": 1, "export": 2, "use": 2}[action]
    if len(target) != expected:
        raise UsageError(f"guide {action} takes {expected} argument(s); see earful guide --help.")
    if action == "check":
        guide = _load_file(Path(target[0]))
        hints = question_hints(guide)
        for hint in hints:
            print(f"{hint.question_key}: {hint.message}")
        print(f"{target[0]}: valid, {len(guide.questions)} questions, {len(hints)} hint(s).")
        return 0
    if action == "import":
        guide = _load_file(Path(target[0]))
        _refuse_builtin_slug(library, guide, target[0])
        stored, added = Tagger(library).save_guide(guide)
        state = "Imported" if added else "Already in the library:"
        print(f"{state} {stored.name} ({stored.slug}) as version {stored.version}.")
        return 0
    if action == "use":
        try:
            interview_id = record_id(target[0])
        except argparse.ArgumentTypeError as error:
            raise UsageError(f"guide use INTERVIEW GUIDE: {error}") from None
        guide = find_guide(library, target[1])
        stored = Tagger(library).use_guide(interview_id, guide)
        print(f"Interview {interview_id} now follows {stored.name} (v{stored.version}).")
        return 0
    guide = find_guide(library, target[0])
    if action == "export":
        destination = Path(target[1])
        if destination.is_dir():
            raise CommandFailed(
                f"{destination} is a folder; give a file name, e.g. {destination / guide.slug}.yaml"
            )
        try:
            destination.write_text(dump_guide(guide), encoding="utf-8")
        except OSError as error:
            raise CommandFailed(f"Cannot write {destination}: {error.strerror or error}") from None
        print(f"Wrote {destination}")
        return 0
    _print_guide(guide)
    return 0


def cmd_quote_add(args: argparse.Namespace, library: Library) -> int:
    result = Tagger(library).add_quote(
        args.id,
        args.start,
        args.end,
        question_key=args.question,
        tags=tuple(args.tag),
        note=args.note,
        channel=_channel(library, args.id, args.speaker),
    )
    quote = result.quote
    print(escape_controls(f"Quote {quote.id}\t{clock(quote.start_ms)}–{clock(quote.end_ms)}\t“{quote.text}”"))
    for warning in result.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    return 0


def cmd_quotes(args: argparse.Namespace, library: Library) -> int:
    tagger = Tagger(library)
    interview_ids = (
        [args.interview] if args.interview else [s.interview.id for s in library.interviews.summaries()]
    )
    rows = []
    for interview_id in interview_ids:
        title = library.interviews.get(interview_id).title
        for quote in tagger.quotes(interview_id):
            if (args.question and quote.question_key != args.question) or (
                args.tag and args.tag not in quote.tags
            ):
                continue
            rows.append(
                [
                    interview_id,
                    title,
                    clock(quote.start_ms),
                    clock(quote.end_ms),
                    quote.question_key or "",
                    ";".join(quote.tags),
                    quote.text,
                    quote.note or "",
                ]
            )
    header = ["interview", "title", "from", "to", "question", "tags", "text", "note"]
    _write(rows, header, args.format, lambda r: f"{r[0]}\t{r[2]}\t{r[4] or '-'}\t“{r[6]}”\t{r[1]}")
    return 0


def cmd_board(args: argparse.Namespace, library: Library) -> int:
    filters = BoardFilters(persona_segment=args.segment, outcome=args.outcome, interviewer=args.interviewer)
    board = build_board(library, args.guide, filters)
    titles = {interview.id: interview.title for interview in board.interviews}
    if args.format == "csv":
        rows = [
            [
                kind,
                row.key,
                row.label,
                row.answered,
                len(board.interviews),
                interview_id,
                titles[interview_id],
                clock(quote.start_ms),
                quote.text,
            ]
            for kind, rows_of_kind in (("question", board.questions), ("theme", board.themes))
            for row in rows_of_kind
            for interview_id, quotes in row.cells.items()
            for quote in quotes
        ]
        _write(
            rows,
            ["kind", "key", "label", "answered", "interviews", "interview", "title", "at", "quote"],
            "csv",
            None,
        )
        return 0
    lines = [f"{board.guide.name}: {len(board.interviews)} interviews"]
    for heading, rows_of_kind in (("Questions", board.questions), ("Themes", board.themes)):
        lines += ["", heading]
        for row in rows_of_kind:
            label = row.label if rows_of_kind is board.questions else f"{row.key}: {row.label}"
            lines.append(f"  {label} — {board.headline(row)}")
            for interview_id, quotes in row.cells.items():
                asked = board.asked(row, interview_id) if rows_of_kind is board.questions else None
                if asked:  # the interview followed an older version of the guide
                    lines.append(f"    {titles[interview_id]} was asked: {asked}")
                lines += [f"    “{quote.text}” ({titles[interview_id]}, {clock(quote.start_ms)})" for quote in quotes]
    for line in lines:
        print(escape_controls(line))
    return 0


def find_guide(library: Library, name: str) -> Guide:
    """A guide by file, by slug in the library (latest version) or by built-in slug."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        return _load_file(path)
    stored = [guide for guide in library.guides.all() if guide.slug == name]
    if stored:
        return load_guide(stored[-1].document, name)
    for guide in builtin_guides():
        if guide.slug == name:
            return guide
    known = ", ".join(guide.slug for guide in builtin_guides())
    raise CommandFailed(
        f"No guide {escape_controls(repr(name))}. Built-in guides: {known}; or give a .yaml file."
    )


def _load_file(path: Path) -> Guide:
    try:
        return load_guide_file(path)
    except OSError as error:
        raise CommandFailed(f"Cannot read {path}: {error.strerror or error}") from None
    except GuideError as error:
        raise CommandFailed(str(error)) from None


def _refuse_builtin_slug(library: Library, guide: Guide, file: str) -> None:
    """An imported guide must not take a built-in guide's slug: it would silently stand in for the
    built-in wherever that slug is named. Editions of the built-in kept in the library are fine."""
    builtin = {known.slug: known for known in builtin_guides()}.get(guide.slug)
    if builtin is None or guide.name == builtin.name:
        return
    raise CommandFailed(
        f'{file}: the slug "{guide.slug}" is the built-in guide "{builtin.name}"; give your guide its own '
        f'slug (e.g. "slug: my-{guide.slug}") and import it again. Nothing was imported.'
    )


def _channel(library: Library, interview_id: int, role: str | None) -> int | None:
    """On a two-channel call a quote takes one person's words: the customer's unless told otherwise."""
    recording = library.recordings.for_interview(interview_id)
    if recording is None or not recording.split_channels:
        return None
    wanted = SpeakerRole(role) if role else SpeakerRole.CUSTOMER
    return recording.channel_roles.index(wanted) if wanted in recording.channel_roles else None


def _print_guide(guide: Guide) -> None:
    lines = [f"{guide.name} (v{guide.version})", guide.purpose, "", f"Consent: {guide.consent}"]
    number = 0
    for section in guide.sections:
        lines += ["", section.title]
        for question in section.questions:
            number += 1
            lines.append(f"  {number}. [{question.key}] {question.text}")
            lines += [f"       – {probe}" for probe in question.probes]
    lines += ["", "Tags", *(f"  {tag.name}: {tag.definition}" for tag in guide.tags)]
    for line in lines:  # guides stored before control characters were refused may hold some
        print(escape_controls(line, keep="\t\n"))


def _write(rows: list[list], header: list[str], fmt: str, line) -> None:
    if fmt == "csv":
        write_csv(sys.stdout, header, rows)  # formulas in titles or notes are escaped there
    else:
        for row in rows:
            print(escape_controls(line(row)))
