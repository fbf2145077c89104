"""Which library a command works on, and whether the command may create it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from app.library import Library
from app.library.location import default_demo_library_dir, default_library_dir


def library_dir(args: argparse.Namespace) -> Path:
    """--library, else $EARFUL_LIBRARY or the usual folder (the demo has a library of its own)."""
    if args.library:
        return Path(args.library)
    return default_demo_library_dir() if args.command == "demo" else default_library_dir()


def open_library(args: argparse.Namespace) -> Library:
    """The library; only a command that adds something to it creates it (a mistyped --library given to
    `list` or `info` is reported, not made into an empty library)."""
    return Library.open(library_dir(args), create=_adds_to_library(args))


def with_library(run: Callable[[argparse.Namespace, Library], int]) -> Callable[[argparse.Namespace], int]:
    """Adapt a `run(args, library)` command to the `run(args)` the parser calls, opening the library."""

    def opened(args: argparse.Namespace) -> int:
        with open_library(args) as library:
            return run(args, library)

    return opened


def _adds_to_library(args: argparse.Namespace) -> bool:
    action = getattr(args, "action", None)
    return (
        args.command in ("import", "record", "demo")
        or (args.command == "settings" and bool(args.assignments))
        or (args.command == "guide" and action == "import")
        or (args.command == "redact" and action == "add")
    )
