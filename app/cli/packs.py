"""Commands for conversation packs: `earful export` writes one, `earful redact` keeps the library's terms."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.arguments import record_id
from app.cli.errors import UsageError
from app.export.pack.formats import FORMATS

if TYPE_CHECKING:
    from app.export.pack.model import Pack
    from app.export.pack.writer import ExportProgress
    from app.library import Library

DEFAULT_FORMATS = ("html", "pdf", "docx")


def register(command) -> None:
    """Add this module's subcommands through the CLI's `command(name, run, help)` helper."""
    sub = command("export", cmd_pack, "write a conversation pack: HTML with clips, PDF, Word, CSV, QDPX…")
    sub.add_argument("ids", nargs="*", type=record_id, metavar="ID", help="interviews to include")
    sub.add_argument("--all", action="store_true", help="every interview in the library")
    sub.add_argument("--out", required=True, metavar="DIR", help="the folder to write the pack into")
    sub.add_argument("--name", help="file name of the pack (default: its title)")
    sub.add_argument("--title", help="the pack's title (default: the guide and the number of conversations)")
    sub.add_argument(
        "--format",
        dest="formats",
        action="append",
        choices=sorted(FORMATS),
        help=f"repeat for several (default: {', '.join(DEFAULT_FORMATS)})",
    )
    sub.add_argument("--every-format", action="store_true", help="all formats")
    sub.add_argument("--guide", help="the guide whose questions structure the pack (default: the most used)")
    sub.add_argument(
        "--anonymise", action="store_true", help="descriptors instead of names; redact terms, emails, phones"
    )
    sub.add_argument("--report-only", action="store_true", help="show what would be redacted, write nothing")
    sub.add_argument(
        "--include-notes",
        action="store_true",
        help="show each interview's private notes (never in an anonymised pack)",
    )
    sub.add_argument("--overwrite", action="store_true", help="replace the files of an earlier export")
    for part in ("summary", "quotes", "transcripts", "clips"):
        sub.add_argument(f"--no-{part}", action="store_true", help=f"leave out the {part}")

    sub = command("redact", cmd_redact, "list, add or remove the terms anonymised packs redact")
    sub.add_argument("action", choices=("list", "add", "remove"))
    sub.add_argument("terms", nargs="*", metavar="TERM", help="people mentioned, product codes…")


def cmd_pack(args: argparse.Namespace, library: Library) -> int:
    # Imported here: every other command starts without PyAV, Jinja and python-docx.
    from app.export.pack.model import PackContents
    from app.export.pack.writer import ExportCancelled, ExportError, ExportExists, export_pack
    from app.services.packs import PackRequest, build_pack, shows_interview_notes

    ids = [i.interview.id for i in library.interviews.summaries()] if args.all else args.ids
    if not ids:
        raise UsageError("Name the interviews to put in the pack (IDs from `earful list`), or use --all.")
    request = PackRequest(
        tuple(ids),
        PackContents(
            summary=not args.no_summary,
            quotes=not args.no_quotes,
            transcripts=not args.no_transcripts,
            clips=not args.no_clips,
            notes=args.include_notes,
        ),
        anonymise=args.anonymise,
        guide_slug=args.guide,
        title=args.title,
    )
    pack = build_pack(library, request)
    if args.include_notes and not shows_interview_notes(request):
        print("Interview notes are never put in an anonymised pack; leaving them out.", file=sys.stderr)
    if pack.anonymised:
        _print_report(pack)
    if args.report_only:
        return 0
    formats = list(FORMATS) if args.every_format else args.formats or list(DEFAULT_FORMATS)
    if any(FORMATS[name].needs_qt for name in formats):
        from app.cli.offscreen_qt import start_offscreen_qt  # PySide6 only when a PDF is asked for

        start_offscreen_qt()
    try:
        files = export_pack(
            pack, Path(args.out), args.name or pack.title, formats, _progress, overwrite=args.overwrite
        )
    except ExportExists as error:
        print(f"{error} Add --overwrite to replace them, or --name to write beside them.", file=sys.stderr)
        return 1
    except ExportError as error:
        print(error, file=sys.stderr)
        return 1
    except (ExportCancelled, KeyboardInterrupt):
        print("Cancelled; nothing was written.", file=sys.stderr)
        return 130
    for path in files:
        print(path)
    return 0


def cmd_redact(args: argparse.Namespace, library: Library) -> int:
    from app.services.packs import redaction_terms, set_redaction_terms  # as in cmd_pack

    terms = redaction_terms(library)
    if args.action == "add":
        terms = set_redaction_terms(library, [*terms, *args.terms])
    elif args.action == "remove":
        gone = {term.casefold() for term in args.terms}
        terms = set_redaction_terms(library, [term for term in terms if term.casefold() not in gone])
    for term in terms:
        print(term)
    return 0


def _print_report(pack: Pack) -> None:
    if not pack.redactions:
        print("Anonymised: nothing needed redacting beyond names in the metadata.", file=sys.stderr)
        return
    print("Redacted before saving:", file=sys.stderr)
    for label, count in pack.redactions.items():
        print(f"  {count}\t{label}", file=sys.stderr)


def _progress(progress: ExportProgress) -> None:
    print(f"[{progress.fraction:4.0%}] {progress.step}", file=sys.stderr, flush=True)
