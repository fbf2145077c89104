"""Errors the library raises with a message meant for the user."""


class LibraryError(Exception):
    """The library cannot be opened or changed; the message says why and what to do."""


class NewerLibraryError(LibraryError):
    """The library was written by a newer Earful; opening it would risk the user's data."""
