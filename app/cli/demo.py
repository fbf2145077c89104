"""`earful demo`: the demo interview imported into the demo library, transcribed and printed, so a
newcomer sees Earful work end to end before importing anything of their own."""

from __future__ import annotations

import argparse

from app.cli.errors import EXIT_OK
from app.cli.interviews import show
from app.cli.opening import open_library
from app.cli.transcribing import transcribe
from app.services.transcribing import library_options


def register(command) -> None:
    """Add the command through the CLI's `command(name, run, help)` helper."""
    command("demo", cmd_demo, "import and transcribe the demo interview into the demo library, then show it")


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import ensure_demo_interview  # decodes the demo: PyAV only when needed

    with open_library(args) as library:  # the demo library unless --library names another
        interview = ensure_demo_interview(library)
        print(f"Demo library: {library.root}")
        code = transcribe(library, [interview.id], library_options(library))
        return show(library, interview.id, "txt") if code == EXIT_OK else code
