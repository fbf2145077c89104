"""Errors the library raises with a message meant for the user.

Two kinds, because a script must tell them apart (the CLI maps them once, in `app.cli.run`): a request
refused for what it asks (`LibraryError`: an unknown id, a quote that ends before it starts) and a library
that cannot be used at all (`LibraryUnavailable`: missing, damaged, read-only, from a newer Earful).
"""


class LibraryError(Exception):
    """A request the library refuses; the message says why and what to do."""


class LibraryUnavailable(LibraryError):
    """The library cannot be opened or written at all; nothing was changed."""


class NewerLibraryError(LibraryUnavailable):
    """The library was written by a newer Earful; opening it would risk the user's data."""
