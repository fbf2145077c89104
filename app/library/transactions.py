"""The one way Earful opens a write transaction: `writing(db)`, which takes SQLite's write lock at its start.

The window's connection and the pool's (transcription, speaker embeddings, imports) write to one file. A
plain `BEGIN` (sqlite-utils' `atomic()`) takes the write lock only at its first write; if it read first and
another connection holds or has just released the lock, that write fails at once with "database is locked":
SQLite does not call the busy handler for a reader's upgrade, since waiting could not make its snapshot
current. `BEGIN IMMEDIATE` asks for the lock before any read, where the busy timeout (10 s, set when a
connection opens) does wait, so a transaction never meets a lock half way through.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


@contextmanager
def writing(db: Database) -> Iterator[Database]:
    """One all-or-nothing write; nested inside another transaction it is a savepoint, as `atomic()` is."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    except BaseException:
        db.conn.rollback()  # a no-op when the error already ended the transaction
        raise
