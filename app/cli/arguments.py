"""Argument types for the command line: a wrong value is a usage error (exit 2) with a message, never a
traceback further down (an id past SQLite's 64-bit integers raised OverflowError; `--from 1e309` too)."""

from __future__ import annotations

import argparse
from collections.abc import Collection

from app.cli.errors import UsageError
from app.domain.timecode import parse_clock

LARGEST_ID = 2**63 - 1
"""SQLite's largest integer: no row can have a larger id."""


def record_id(text: str) -> int:
    """An interview's (or other row's) id as `earful list` shows it."""
    return _from_one(text, f"{text!r} is not an id (a whole number from `earful list`)")


def how_many(text: str) -> int:
    """A count such as --limit: 1 or more."""
    return _from_one(text, f"{text!r} is not a number of 1 or more")


def _from_one(text: str, refusal: str) -> int:
    """A whole number from 1 to the largest SQLite integer, else `refusal` as argparse's usage error."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= LARGEST_ID:
        raise argparse.ArgumentTypeError(refusal)
    return value


def clock_time(text: str) -> int:
    """A moment in a recording, MM:SS or HH:MM:SS, as milliseconds."""
    try:
        return parse_clock(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def assignments(pairs: list[str], known: Collection[str]) -> dict[str, str]:
    """`NAME=VALUE` pairs (`earful set`, `earful settings`), each NAME one of `known`."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name not in known:
            raise UsageError(f"{pair!r}: expected NAME=VALUE with NAME one of: {', '.join(known)}.")
        values[name] = value
    return values
