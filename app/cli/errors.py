"""Exit codes and the errors commands raise; `app.cli.run` turns each kind into its code, in one place."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LIBRARY, EXIT_MODEL, EXIT_CANCELLED = 0, 1, 2, 3, 4, 130
EXIT_OUTPUT_CLOSED = 141
"""128 + SIGPIPE: what a shell reports for any program whose reader (`| head`) stopped reading."""


class CommandFailed(Exception):
    """A request refused or failed for a reason the message gives (exit 1 unless `code` says otherwise)."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class UsageError(CommandFailed):
    """The command line itself is wrong (exit 2), found after argparse (which exits 2 by itself)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_USAGE)


def err(message: str) -> None:
    """A message for the person at the terminal: refusals, notes and progress go to stderr, so stdout stays
    the data a script reads."""
    print(message, file=sys.stderr, flush=True)
