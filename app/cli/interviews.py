"""Reading and describing interviews: `earful list`, `show`, `search` and `set`."""

from __future__ import annotations

import argparse
import sys

from app.cli.analysis import search_meaning
from app.cli.arguments import assignments, how_many, record_id
from app.cli.errors import EXIT_FAILED, EXIT_OK, UsageError, err
from app.cli.opening import open_library
from app.domain.interview import INTERVIEW_FIELDS, JobState
from app.domain.text import escape_controls
from app.domain.timecode import clock
from app.export.transcript_formats import FORMATS
from app.library import Library
from app.library.search import MATCH_END, MATCH_START
from app.services.transcribing import speakers_heard

# `earful set` names each field as a user says it: `segment=` is the market segment (`persona_segment` in
# code, where a segment is a stretch of transcript).
SETTABLE_FIELDS = {("segment" if field == "persona_segment" else field): field for field in INTERVIEW_FIELDS}


def register(command) -> None:
    """Add the commands through the CLI's `command(name, run, help)` helper."""
    command("list", cmd_list, "list interviews with their transcription state")

    sub = command("show", cmd_show, "print an interview's transcript")
    sub.add_argument("id", type=record_id)
    sub.add_argument("--format", choices=sorted(FORMATS), default="txt")

    sub = command("search", cmd_search, 'find words or a "quoted phrase" in every transcript')
    sub.add_argument("query", nargs="?", default="")
    sub.add_argument("--meaning", metavar="TEXT", help="find passages that say this in any words (English)")
    sub.add_argument("--limit", type=how_many, default=50, help="at most this many hits (default: 50)")

    sub = command("set", cmd_set, f"set interview metadata ({', '.join(SETTABLE_FIELDS)})")
    sub.add_argument("id", type=record_id)
    sub.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")


def cmd_list(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        summaries = library.interviews.summaries()
        if not summaries:
            print("The library is empty. Add a recording with: earful import FILE")
        for summary in summaries:
            i = summary.interview
            state = summary.job_state.value if summary.job_state else "not transcribed"
            if summary.job_state in (JobState.RUNNING, JobState.QUEUED, JobState.CANCELLED):
                state += f" {summary.job_progress:.0%}"
            details = " · ".join(part for part in (i.company, i.role, i.persona_segment, i.outcome) if part)
            print(
                f"{i.id}\t{escape_controls(i.title)}\t{clock(summary.duration_ms)}\t{state}\t"
                f"{escape_controls(details)}"
            )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        return show(library, args.id, args.format)


def show(library: Library, interview_id: int, format_name: str) -> int:
    """Print the interview's transcript in `format_name` (`FORMATS`), with what a reader should know
    about it (no transcript yet, the speakers heard, speech left untranscribed) on stderr."""
    interview = library.interviews.get(interview_id)
    segments = library.transcripts.segments(interview_id)
    speakers = library.transcripts.speakers(interview_id)
    if not segments and format_name == "txt":
        err(f"Interview {interview_id} has no transcript yet; run: earful transcribe {interview_id}")
    elif heard := speakers_heard(library, interview_id):
        err(f"Interview {interview_id}: {heard}.")
    sys.stdout.write(FORMATS[format_name](interview, segments, speakers))
    spans = library.untranscribed.of_interview(interview_id)
    if spans:
        err(
            f"Untranscribed speech (no words even when decoded again): {', '.join(s.times for s in spans)}. "
            f"Try again: earful transcribe {interview_id} --retry-untranscribed"
        )
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        if args.meaning:
            return search_meaning(args, library)
        if not args.query:
            raise UsageError("Say what to search for: earful search WORDS, or --meaning TEXT.")
        hits = library.search(args.query, limit=args.limit)
        if not hits:
            err(f"No transcript contains {escape_controls(repr(args.query))}.")
            return EXIT_FAILED
        bold, plain = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("[", "]")
        for hit in hits:
            who = f" {escape_controls(hit.speaker)}:" if hit.speaker else ""
            snippet = escape_controls(hit.snippet, keep="\t" + MATCH_START + MATCH_END)
            print(
                f"{hit.interview_id}\t{clock(hit.start_ms)}\t{escape_controls(hit.interview_title)}\t{who} "
                f"{snippet.replace(MATCH_START, bold).replace(MATCH_END, plain)}"
            )
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    fields = {
        SETTABLE_FIELDS[name]: value for name, value in assignments(args.assignments, SETTABLE_FIELDS).items()
    }
    with open_library(args) as library:
        interview = library.interviews.update(args.id, **fields)
        print(f"Updated: {interview.id}\t{escape_controls(interview.title)}")
    return EXIT_OK
