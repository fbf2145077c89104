"""`earful devices` and `earful record`: record a call from a script, and see what can be recorded from."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

from app.cli.errors import EXIT_FAILED, EXIT_OK
from app.domain.interview import JobState
from app.domain.text import escape_controls
from app.domain.timecode import clock
from app.library import Library
from app.media.devices import (
    AudioUnavailable,
    default_input_device,
    find_input_device,
    list_input_devices,
)
from app.media.wav_writer import RecordingFailed
from app.services.live_transcript import LiveLine
from app.services.transcribing import JobProgress, Transcriber, library_options, transcriber_lock
from app.transcription.runner import TranscriptionWorker

_POLL_S = 0.2
_FIRST_SOUND_S = 5.0


def register(command, with_library) -> None:
    """Add the commands through the CLI's `command(name, run, help)` helper; `with_library` opens the
    library for a `run(args, library)`."""
    command("devices", cmd_devices, "list the microphones and system-audio sources Earful can record")
    sub = command(
        "record",
        with_library(cmd_record),
        "record a call into the library until Ctrl-C or --duration (you left, customer right)",
    )
    sub.add_argument(
        "--you",
        metavar="DEVICE",
        help="your microphone: a number, name or part of it from "
        "`earful devices` (default: the system's default input)",
    )
    sub.add_argument(
        "--customer",
        metavar="DEVICE",
        help="the other side of the call, e.g. the monitor of your speakers; recorded on its own channel",
    )
    sub.add_argument("--duration", type=_seconds, metavar="S", help="stop after S seconds")
    sub.add_argument("--title", help="the interview's title (default: Call <date> <time>)")
    sub.add_argument(
        "--live",
        action="store_true",
        help="transcribe while recording and print each line as it comes; the transcript is complete "
        "seconds after the recording stops",
    )


def cmd_devices(args: argparse.Namespace) -> int:
    try:
        devices = list_input_devices()
    except AudioUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    for number, device in enumerate(devices, start=1):
        default = "  [default]" if device.is_default else ""
        print(f"{number}\t{device}{default}\t{device.key}")
    return EXIT_OK


def cmd_record(args: argparse.Namespace, library: Library) -> int:
    from app.services.recording import recover_recordings, start_recording  # PyAV: only when recording

    recovery = recover_recordings(library)
    for recovered in recovery.interviews:
        print(f"Recovered: {recovered.interview.id}\t{recovered.interview.title}", file=sys.stderr)
    for problem in recovery.problems:
        print(problem, file=sys.stderr)
    try:
        devices = list_input_devices()
        you = find_input_device(args.you, devices) if args.you else default_input_device(devices)
        customer = find_input_device(args.customer, devices) if args.customer else None
        session = start_recording(
            library,
            you,
            customer,
            title=args.title,
            live=args.live,
            on_line=_print_line if args.live else None,
        )
    except AudioUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    if not _wait_for_sound(session.recorder):
        session.discard()
        print(f"No sound arrives from {you.name}: is it muted, or used by another program?", file=sys.stderr)
        return EXIT_FAILED
    sides = f"you: {you.name}" + (f"; customer: {customer.name}" if customer else "")
    until = f"for {args.duration:g} s" if args.duration else "until Ctrl-C"
    print(f"Recording ({sides}) {until}…", file=sys.stderr, flush=True)
    _wait(session.recorder, args.duration)
    try:
        result = session.stop()
    except RecordingFailed as error:
        print(error, file=sys.stderr)
        return EXIT_FAILED
    interview, stats = result.interview, result.stats
    print(f"Recorded: {interview.id}\t{interview.title}\t{clock(result.recording.duration_ms)}")
    if stats.overflows or stats.dropped_blocks:
        print(
            f"Warning: {stats.overflows} overflowed and {stats.dropped_blocks} dropped block(s): the computer "
            "was too busy and some sound is missing.",
            file=sys.stderr,
        )
    if result.problem:
        print(result.problem, file=sys.stderr)
        return EXIT_FAILED
    if not args.live:
        print(f"Transcribe it with: earful transcribe {interview.id}", file=sys.stderr)
        return EXIT_OK
    if result.live_problem:
        print(result.live_problem, file=sys.stderr)
    return _finish_transcript(library, interview.id)


def _print_line(line: LiveLine) -> None:
    """One line of the live transcript: when it was said, who said it (by channel) and what."""
    who = f"{line.role.value.title()}: " if line.role is not None else ""
    print(f"{clock(line.segment.start_ms)}  {who}{escape_controls(line.segment.text)}", flush=True)


def _finish_transcript(library: Library, interview_id: int) -> int:
    """Run the call's job to its end: only what the live transcript left (the rest of the last utterance),
    the coverage check and the speakers; lines it adds are printed as the live ones were."""
    roles = library.recordings.for_interview(interview_id).channel_roles

    def show(event: JobProgress) -> None:
        segment = event.segment
        if segment is not None:
            role = roles[segment.channel] if segment.channel is not None and len(roles) > 1 else None
            _print_line(LiveLine(segment, role))

    with transcriber_lock(library), TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker)
        job = transcriber.queue([interview_id], library_options(library)).queued[0]
        final = transcriber.run(job, show)
    if final.state is not JobState.DONE:
        print(
            f"The transcript is not complete ({final.error or final.state.value}); "
            f"`earful transcribe {interview_id}` finishes it.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    segments = len(library.transcripts.segments(interview_id))
    print(f"Transcribed: {interview_id}\t{segments} segments", file=sys.stderr)
    return EXIT_OK


def _wait_for_sound(recorder) -> bool:
    """Whether the first block arrives within `_FIRST_SOUND_S` (a sound server takes up to a second)."""
    deadline = time.monotonic() + _FIRST_SOUND_S
    while not recorder.capturing:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _wait(recorder, duration: float | None) -> None:
    """Until `duration` seconds are recorded, Ctrl-C or SIGTERM, or the recorder fails (e.g. a full disk).

    Counted in recorded sound, not wall time: a sound server can take a second to deliver the first block.
    """
    stop = threading.Event()
    handlers = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.wait(_POLL_S) and recorder.failure is None:
            if duration is not None and recorder.position_ms() >= duration * 1000:
                break
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the duration must be more than 0 seconds")
    return value
