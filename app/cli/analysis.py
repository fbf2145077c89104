"""`earful suggest`, `earful themes` and `earful search --meaning`: reading interviews by meaning.

English only (the sentence model is MiniLM); other languages get a message and exact-word search.
Nothing is filed without the user: `suggest` only lists until `--accept` is given, `themes` tags a group
only when `--tag-group N` is given. `themes` shows the groups as the user last edited them in the window.
"""

from __future__ import annotations

import argparse
import sys

from app.analysis.embedder import EmbeddingModelError
from app.cli.arguments import record_id
from app.cli.errors import EXIT_FAILED, EXIT_MODEL, EXIT_OK, CommandFailed, UsageError
from app.domain.text import escape_controls
from app.domain.timecode import clock
from app.library import Library


def register(command) -> None:
    """Add this module's subcommands through the CLI's `command(name, run, help)` helper."""
    sub = command(
        "suggest",
        cmd_suggest,
        "propose where the guide's questions were asked and the customer's answers (English only)",
    )
    sub.add_argument("id", type=record_id, metavar="ID")
    sub.add_argument(
        "--accept", action="store_true", help="file every open suggestion as a question marker or quote"
    )

    sub = command("themes", cmd_themes, "group the quotes answering one question by meaning, with n of N")
    sub.add_argument("--guide", required=True, help="the guide's slug")
    sub.add_argument("--question", required=True, metavar="KEY", help="the question's key, e.g. criteria")
    sub.add_argument("--segment")
    sub.add_argument("--outcome")
    sub.add_argument("--interviewer")
    sub.add_argument(
        "--tag-group",
        type=int,
        metavar="N",
        help="turn group N (as numbered in the list) into a theme tag of the guide and tag its quotes",
    )
    sub.add_argument(
        "--as",
        dest="tag_name",
        metavar="NAME",
        help="the theme's name for --tag-group (default: the group's label)",
    )


def cmd_suggest(args: argparse.Namespace, library: Library) -> int:
    return _guarded(lambda: _suggest(args, library))


def _suggest(args: argparse.Namespace, library: Library) -> int:
    from app.services.analysis import Analyst  # (imports here: see _guarded)

    analyst = Analyst(library)
    suggestions = analyst.suggest(args.id)
    if not suggestions:
        print(f"Earful found none of the guide's questions in interview {args.id}.")
        return EXIT_OK
    for suggestion in suggestions:
        if suggestion.kind == "question":
            print(
                escape_controls(
                    f"{suggestion.id}\t{clock(suggestion.start_ms)}\tasked\t{suggestion.question}"
                )
            )
        else:
            text = " ".join(
                s.text
                for s in library.transcripts.segments_between(args.id, suggestion.start_ms, suggestion.end_ms)
            )
            print(
                escape_controls(
                    f"{suggestion.id}\t{clock(suggestion.start_ms)}–{clock(suggestion.end_ms)}\tanswer\t"
                    f"{suggestion.question}\t“{text}”"
                )
            )
    if args.accept:
        markers, quotes = analyst.accept(args.id)
        print(f"Filed {markers} question markers and {quotes} quotes.")
    else:
        print(f"Nothing is filed yet: earful suggest {args.id} --accept files them.", file=sys.stderr)
    return EXIT_OK


def cmd_themes(args: argparse.Namespace, library: Library) -> int:
    from app.services.analysis import Analyst
    from app.services.board import BoardFilters
    from app.services.theme_groups import themes as kept_themes
    from app.services.theme_tags import tag_group

    filters = BoardFilters(persona_segment=args.segment, outcome=args.outcome, interviewer=args.interviewer)

    def themes() -> int:
        if args.tag_name is not None and args.tag_group is None:
            raise UsageError("--as names the theme made by --tag-group N; give the group's number too.")
        groups, considered = kept_themes(Analyst(library), args.guide, args.question, filters=filters)
        titles = {
            i.id: i.title for i in library.interviews.many(sorted({q[1] for g in groups for q in g.quotes}))
        }
        for number, group in enumerate(groups, start=1):
            print(escape_controls(f"{number}. {group.label} — {group.interviews} of {considered} interviews"))
            for _, interview_id, start_ms, text in group.quotes:
                print(escape_controls(f"    “{text}” ({titles[interview_id]}, {clock(start_ms)})"))
        if args.tag_group is not None:
            if not 1 <= args.tag_group <= len(groups):
                raise CommandFailed(
                    f"There is no group {args.tag_group}: the groups are numbered 1 to {len(groups)}."
                )
            group = groups[args.tag_group - 1]
            done = tag_group(library, args.guide, args.tag_name or group.label, [q[0] for q in group.quotes])
            print(escape_controls(done.summary), file=sys.stderr)
        return EXIT_OK

    return _guarded(themes)


def search_meaning(args: argparse.Namespace, library: Library) -> int:
    """`earful search --meaning TEXT`: passages saying the same thing, exact-word hits ranked among them."""

    def search() -> int:
        from app.services.analysis import Analyst

        analyst = Analyst(library)
        _, other_language = analyst.embed_library()
        if other_language:
            print(
                f"{other_language} interviews are not in English: only their exact words are searched.",
                file=sys.stderr,
            )
        hits = analyst.search_meaning(args.meaning, limit=args.limit)
        if not hits:
            print("No transcript has been analysed yet (earful suggest ID embeds one).", file=sys.stderr)
            return EXIT_FAILED
        for hit in hits:
            marker = "=" if hit.exact else "~"
            print(
                escape_controls(
                    f"{hit.interview_id}\t{clock(hit.start_ms)}\t{hit.interview_title}\t"
                    f"{marker}{hit.score:.2f}\t{hit.text}"
                )
            )
        return EXIT_OK

    return _guarded(search)


def _guarded(action) -> int:
    """Reasons there is nothing to show become messages and exit codes, never tracebacks.

    The analysis services are imported inside the commands that use them, so that every other command
    (`earful transcribe` among them) starts without loading them."""
    from app.services.analysis import AnalysisUnavailable

    try:
        return action()
    except AnalysisUnavailable as reason:
        print(reason, file=sys.stderr)
        return EXIT_FAILED
    except EmbeddingModelError as error:
        print(error, file=sys.stderr)
        return EXIT_MODEL
