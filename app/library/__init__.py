"""The interview library: one folder with `library.db` (SQLite through sqlite-utils) and `audio/`.

`Library` is imported on first use (PEP 562): it brings sqlite-utils and numpy, and the window's first
paint must not wait for them, while its errors are needed everywhere from the start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.library.errors import LibraryError, LibraryUnavailable, NewerLibraryError

if TYPE_CHECKING:
    from app.library.library import Library

__all__ = ["Library", "LibraryError", "LibraryUnavailable", "NewerLibraryError"]


def __getattr__(name: str):
    if name == "Library":
        from app.library.library import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
