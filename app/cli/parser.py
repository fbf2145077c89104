"""The command line's grammar: the options every command shares, and each command module's subcommands
in the order `earful --help` lists them."""

from __future__ import annotations

import argparse

from app import __version__
from app.cli import analysis, demo, interviews, packs, recording, settings, speakers, tagging, transcribing
from app.cli.opening import with_library
from app.library.location import default_library_dir


def build_parser() -> argparse.ArgumentParser:
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
        """A subcommand whose `run(args)` the CLI calls; it also takes --library."""
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    def command_with_library(name: str, run, help_text: str) -> argparse.ArgumentParser:
        """A subcommand whose `run(args, library)` gets the library opened for it."""
        return command(name, with_library(run), help_text)

    transcribing.register(command)
    interviews.register(command)
    settings.register(command)
    tagging.register(command_with_library)
    recording.register(command, with_library)
    packs.register(command_with_library)
    speakers.register(command_with_library)
    analysis.register(command_with_library)
    demo.register(command)
    return parser
