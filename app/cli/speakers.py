"""`earful speakers ID [--count N]`: say how many people speak in an interview and label its words again."""

from __future__ import annotations

import argparse
import signal
import sys
from collections import Counter

from app.cli.arguments import record_id
from app.domain.interview import JobState
from app.domain.timecode import clock
from app.library import Library
from app.services.transcribing import Transcriber, speakers_heard, transcriber_lock
from app.transcription.runner import TranscriptionWorker


def register(command) -> None:
    """Add this module's subcommand through the CLI's `command(name, run, help)` helper."""
    sub = command(
        "speakers",
        cmd_speakers,
        "label who speaks when in a transcribed interview, optionally with a new number of speakers",
    )
    sub.add_argument("id", type=record_id, metavar="ID")
    sub.add_argument(
        "--count",
        type=_count,
        metavar="N",
        help="how many people speak (1, 2, 3…; remembered for the interview). Until you say, Earful "
        "counts the voices it hears, looking for at least two",
    )


def cmd_speakers(args: argparse.Namespace, library: Library) -> int:
    with transcriber_lock(library), TranscriptionWorker() as worker:
        previous = signal.signal(signal.SIGINT, lambda *_: worker.cancel())
        try:
            final = Transcriber(library, worker).relabel_speakers(args.id, args.count)
        finally:
            signal.signal(signal.SIGINT, previous)
    if final.state is JobState.CANCELLED:
        raise KeyboardInterrupt  # the CLI reports it as cancelled (exit 130); what was stored stays
    if final.state is JobState.FAILED:
        print(f"Interview {args.id}: the speakers could not be labelled: {final.error}", file=sys.stderr)
        return 1
    _print_speakers(library, args.id)
    print(f"Interview {args.id}: {speakers_heard(library, args.id)}.", file=sys.stderr)
    return 0


def _print_speakers(library: Library, interview_id: int) -> None:
    """One line per speaker: name, role, words and talk time (what a script checks after a re-run)."""
    words, talk_ms = Counter(), Counter()
    for segment in library.transcripts.segments(interview_id):
        words[segment.speaker_id] += len(segment.words)
        talk_ms[segment.speaker_id] += segment.end_ms - segment.start_ms
    for speaker in library.transcripts.speakers(interview_id):
        print(
            f"{speaker.name}\t{speaker.role.value}\t{words[speaker.id]} words\t{clock(talk_ms[speaker.id])}"
        )


def _count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of speakers (1, 2, 3…)")
    return count
