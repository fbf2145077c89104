"""The interview library: one folder with `library.db` (SQLite through sqlite-utils) and `audio/`."""

from app.library.errors import LibraryError, NewerLibraryError
from app.library.library import Library

__all__ = ["Library", "LibraryError", "NewerLibraryError"]
