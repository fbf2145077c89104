"""Earful's headless commands: parse the command line (`parser.py`), run one command (a module per group
of commands, each calling services) and turn the errors a user can act on into exit codes (`run`, here).
Never imports Qt, so scripts and servers can use it without a display.

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
import sqlite3
import sys
from collections.abc import Sequence

from app.cli.errors import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_LIBRARY,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_OUTPUT_CLOSED,
    EXIT_USAGE,
    CommandFailed,
    err,
)
from app.cli.opening import library_dir
from app.cli.parser import build_parser
from app.library import LibraryError, LibraryUnavailable
from app.library.library import why_unusable
from app.transcription.models import ModelError

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
    args = build_parser().parse_args(argv)
    # --library may stand before or after the command; argparse shares the option between the two parsers.
    args.library = getattr(args, "library", None)
    args.command = getattr(args, "command", None)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if not args.command:
        build_parser().print_help()
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
        err(str(error))
        return error.code
    except LibraryUnavailable as error:
        err(str(error))
        return EXIT_LIBRARY
    except LibraryError as error:
        err(str(error))
        return EXIT_FAILED
    except sqlite3.OperationalError as error:  # e.g. the disk filled up mid-write; the transaction was undone
        root = library_dir(args)
        err(f"The library in {root} could not be written: {why_unusable(error, root)}")
        return EXIT_LIBRARY
    except ModelError as error:
        err(str(error))
        return EXIT_MODEL
    except KeyboardInterrupt:
        err("Cancelled.")
        return EXIT_CANCELLED
    except BrokenPipeError:
        # The reader stopped reading (`earful guide show churn | head -3`): say nothing more, and keep
        # Python from failing again on its way out when it flushes stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OUTPUT_CLOSED
