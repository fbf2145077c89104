"""Getting interviews in and turned into text: `earful import` and `earful transcribe`."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import TYPE_CHECKING

from app.cli.arguments import record_id
from app.cli.errors import EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, UsageError, err
from app.cli.opening import open_library
from app.domain.interview import JobState
from app.domain.text import escape_controls
from app.domain.timecode import clock
from app.domain.transcript import SpeakerRole
from app.library import Library
from app.services.coverage import retry_untranscribed
from app.services.transcribing import JobProgress, Transcriber, library_options, transcriber_lock
from app.transcription.models import BUNDLED_MODEL
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker

if TYPE_CHECKING:
    from app.services.importing import FileImport


def register(command) -> None:
    """Add `import` and `transcribe` through the CLI's `command(name, run, help)` helper."""
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


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.importing import import_recordings  # PyAV is loaded only by the commands that decode

    if args.title and len(args.files) > 1:
        raise UsageError("--title names one interview; import one file at a time to give each a title.")
    roles = _roles(args.channels)
    with open_library(args) as library:
        batch = import_recordings(library, args.files, title=args.title, channel_roles=roles, on_file=_print)
    return EXIT_FAILED if batch.refusals else EXIT_OK


def _print(done: FileImport) -> None:
    """One line a file on stdout as soon as it is done; refusals and notes on stderr."""
    if done.result is None:
        err(f"Not imported: {done.refusal}")
        return
    verb = "Already imported" if done.result.duplicate else "Imported"
    print(
        f"{verb}: {done.result.interview.id}\t{escape_controls(done.result.interview.title)}\t"
        f"{clock(done.result.recording.duration_ms)}"
    )
    for note in done.notes:
        err(f"  Note: {note}")


def cmd_transcribe(args: argparse.Namespace) -> int:
    ids = None if args.all or not args.ids else args.ids
    with open_library(args) as library:
        options = library_options(
            library,
            model=args.model,
            language=args.language,
            beam_size=args.beam_size,
            vad_filter=False if args.no_vad else None,
        )
        retry = ids if args.retry_untranscribed and ids else ()
        return transcribe(library, ids, options, redo=args.redo, retry_ids=retry)


def transcribe(
    library: Library,
    ids: list[int] | None,
    options: TranscriptionOptions,
    redo: bool = False,
    retry_ids: tuple[int, ...] | list[int] = (),
) -> int:
    """Queue and run the transcription of `ids` (None: every interview not transcribed yet), showing
    progress; Ctrl-C cancels and keeps what was transcribed. `retry_ids`: interviews whose untranscribed
    speech is tried again. Returns the exit code."""
    with transcriber_lock(library), TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker)
        for interview_id in retry_ids:
            retry_untranscribed(library, interview_id)  # its job is queued again: run below
        outcome = transcriber.queue(ids, options, redo=redo)
        for reason in outcome.skipped:
            err(reason)
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
                err("Cancelled.")
                return EXIT_CANCELLED
            title = escape_controls(library.interviews.get(job.interview_id).title)
            with _ProgressDisplay(f"{job.interview_id} {title}") as display:
                final = transcriber.run(job, display.update)
            segments = len(library.transcripts.segments(job.interview_id))
            if final.state is JobState.CANCELLED:
                err(
                    f"Cancelled. Kept {segments} segment(s) of interview {job.interview_id}; "
                    f"`earful transcribe {job.interview_id}` resumes it."
                )
                return EXIT_CANCELLED
            if final.state is JobState.FAILED:
                err(f"Interview {job.interview_id} failed: {final.error}")
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
            err(f"{self._label}: {event.progress:.0%} [{clock(event.segment.start_ms)}] {event.segment.text}")

    def __enter__(self) -> _ProgressDisplay:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.close()


def _roles(text: str | None) -> tuple[SpeakerRole, ...] | None:
    if not text:
        return None
    try:
        return tuple(SpeakerRole(part.strip().lower()) for part in text.split(","))
    except ValueError:
        roles = ", ".join(role.value for role in SpeakerRole)
        raise UsageError(f"--channels takes roles separated by commas, from: {roles}.") from None
