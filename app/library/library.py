"""Opening a library folder: refuse what we must not touch, migrate the rest, then hand out repositories."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.library.errors import LibraryUnavailable, NewerLibraryError
from app.library.guides import GuideRepository
from app.library.interviews import InterviewRepository
from app.library.jobs import JobRepository
from app.library.markers import MarkerRepository
from app.library.migrations import MIGRATIONS, applied_count, migrate
from app.library.quotes import QuoteRepository
from app.library.recordings import RecordingRepository
from app.library.search import TranscriptSearch
from app.library.settings import LibrarySettings
from app.library.theme_groups import ThemeGroupRepository
from app.library.transcripts import TranscriptRepository
from app.library.untranscribed import UntranscribedRepository

if TYPE_CHECKING:
    import sqlite_utils

DB_NAME = "library.db"
AUDIO_DIR = "audio"
PARTIAL_SUFFIX = ".part"
STALE_PARTIAL_S = 10 * 60


class Library:
    """One library folder. Use one `Library` per thread (SQLite connections are not shared across threads)."""

    def __init__(self, root: Path, db: sqlite_utils.Database) -> None:
        self.root = root
        self.db = db
        self.audio_dir = root / AUDIO_DIR
        self.interviews = InterviewRepository(db)
        self.recordings = RecordingRepository(db, self.audio_dir)
        self.transcripts = TranscriptRepository(db)
        self.jobs = JobRepository(db)
        self.search = TranscriptSearch(db)
        self.settings = LibrarySettings(db)
        self.guides = GuideRepository(db)
        self.quotes = QuoteRepository(db)
        self.markers = MarkerRepository(db)
        self.untranscribed = UntranscribedRepository(db)
        self.theme_groups = ThemeGroupRepository(db)

    @classmethod
    def open(cls, root: Path, create: bool = True) -> Library:
        """Open the library in `root`, creating it there only when `create` (commands that add something).

        A library from a newer Earful, a damaged one or one whose database was emptied is refused before
        anything is written, since even switching on WAL would change its file.
        """
        import sqlite_utils  # here, not at the top: the window paints before it loads (see app.ui.application)

        root = Path(root).expanduser().resolve()
        db_path = root / DB_NAME
        if db_path.exists():
            _refuse_unusable(db_path)
        elif not create:
            raise LibraryUnavailable(
                f"No Earful library in {root} (no {DB_NAME}). Check the folder's name; "
                "`earful import FILE` creates a library there."
            )
        try:
            (root / AUDIO_DIR).mkdir(parents=True, exist_ok=True)
            db = sqlite_utils.Database(db_path)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 10000")
            db.enable_wal()
            migrate(db)
        except (OSError, sqlite3.Error) as error:
            reason = _READ_ONLY if not _writable(db_path) else why_unusable(error, root)
            raise LibraryUnavailable(f"Cannot open the library in {root}: {reason}") from error
        library = cls(root, db)
        library.remove_partial_files()
        return library

    @classmethod
    def attach(cls, root: Path, *, read_only: bool = True) -> Library:
        """Another connection to a library that `open` has already opened in this process, for a pool thread.

        `open` checks the migrations, switches WAL on and tidies `audio/`; that was done once, so this does
        none of it and costs only the connection. A `read_only` connection (SQLite's `mode=ro`) refuses every
        write, so a background query cannot change the library by mistake; writes (an import) ask for a
        writable one, with foreign keys on as `open` sets them.
        """
        import sqlite_utils

        root = Path(root).expanduser().resolve()
        db_path = root / DB_NAME
        try:
            conn = sqlite3.connect(f"{db_path.as_uri()}?mode={'ro' if read_only else 'rw'}", uri=True)
            conn.execute("PRAGMA busy_timeout = 10000")
            if not read_only:
                conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise LibraryUnavailable(
                f"Cannot open the library in {root}: {why_unusable(error, root)}"
            ) from error
        return cls(root, sqlite_utils.Database(conn))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def remove_partial_files(self) -> None:
        """Delete copies an interrupted import left behind; they were never recorded in the database.

        A copy still being written (by another window or command) keeps changing, so only copies untouched
        for a while count as left behind.
        """
        stale_before = time.time() - STALE_PARTIAL_S
        for partial in self.audio_dir.glob(f"*{PARTIAL_SUFFIX}"):
            try:
                if partial.stat().st_mtime < stale_before:
                    partial.unlink(missing_ok=True)
            except OSError:
                continue


def _refuse_unusable(db_path: Path) -> None:
    """Refuse, without writing a byte, a database Earful must not open: emptied, damaged, not Earful's, or
    from a newer Earful."""
    root = db_path.parent
    if db_path.stat().st_size == 0:
        recordings = sum(1 for path in (root / AUDIO_DIR).glob("*") if path.is_file())
        if recordings:
            raise LibraryUnavailable(
                f"{db_path} is empty, but {root / AUDIO_DIR} holds {recordings} recording(s): the database "
                "was lost, not the interviews. Restore library.db from a backup; or, to start again from "
                f"the recordings, move {DB_NAME} and {AUDIO_DIR} aside and `earful import` the files in "
                f"{AUDIO_DIR}. Nothing was changed."
            )
        return  # an empty file beside no recordings: nothing to lose, it becomes a new library
    # A read-only connection to a WAL database still creates -wal/-shm files; `immutable` avoids that when
    # there is no -wal to read (with one, its last commits count, so it must be read normally).
    has_wal = db_path.with_name(db_path.name + "-wal").exists()
    options = "mode=ro" if has_wal else "mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(f"{db_path.as_uri()}?{options}", uri=True)
        try:
            known = applied_count(conn)
            foreign = known == 0 and _has_tables(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        if not _writable(db_path):
            raise LibraryUnavailable(f"Cannot open the library in {root}: {_READ_ONLY}") from error
        if _disk_full(root):
            raise LibraryUnavailable(f"Cannot open the library in {root}: {_DISK_FULL}") from error
        raise LibraryUnavailable(f"{db_path} is not an Earful library ({error}).") from error
    if foreign:
        raise LibraryUnavailable(
            f"{db_path} holds tables but no record of Earful's migrations: it is not an Earful library, or "
            "its `migrations` table was removed. Restore it from a backup; nothing was changed."
        )
    if known > len(MIGRATIONS):
        raise NewerLibraryError(
            f"The library in {root} was written by a newer version of Earful "
            f"(schema {known}, this version knows {len(MIGRATIONS)}). Update Earful to open it; "
            "nothing was changed."
        )


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone() is not None


_READ_ONLY = "the folder or its database is read-only. Choose a folder you can write to."


def _writable(db_path: Path) -> bool:
    """Whether the library folder (and its database, if any) can be written; true for root except where
    the file system or `chattr +i` forbids it, which os.access reports."""
    folder = db_path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK) and (not db_path.exists() or os.access(db_path, os.W_OK))


_DISK_FULL = "the disk is full. Free some space and try again."


def _disk_full(folder: Path) -> bool:
    """Whether the library's disk has no room left: SQLite reports that as a "disk I/O error" when even
    a read needs a file (-shm), which would otherwise read like a damaged library."""
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def why_unusable(error: Exception, root: Path) -> str:
    """Why the library could not be opened or written, in words that say what to do."""
    text = str(error)
    if "readonly" in text or "read-only" in text or isinstance(error, PermissionError):
        return _READ_ONLY
    if "disk is full" in text or getattr(error, "errno", None) == 28 or _disk_full(root):
        return _DISK_FULL
    return text
