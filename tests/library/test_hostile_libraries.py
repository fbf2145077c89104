"""Libraries in a state no one meant (#19): each is refused with what to do, and not a byte is written."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.library import Library, LibraryUnavailable


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_library_whose_migrations_record_was_dropped_is_refused_untouched(tmp_path: Path):
    root = tmp_path / "library"
    with Library.open(root) as library:
        library.interviews.create("Acme renewal")
        library.db.execute("DROP TABLE migrations")
    before = _files(root)
    with pytest.raises(LibraryUnavailable, match="no record of Earful's migrations") as caught:
        Library.open(root)
    assert "already exists" not in str(caught.value)
    assert _files(root) == before


def test_an_emptied_database_beside_recordings_is_refused_with_how_to_recover(tmp_path: Path, speech: Path):
    root = tmp_path / "library"
    Library.open(root).close()
    (root / "audio" / "0123abcd.flac").write_bytes((speech / "jfk.flac").read_bytes())
    (root / "library.db").write_bytes(b"")  # what a crashed sync client or a bad copy leaves
    before = _files(root)
    with pytest.raises(LibraryUnavailable, match="holds 1 recording") as caught:
        Library.open(root)
    assert "backup" in str(caught.value)
    assert _files(root) == before and (root / "library.db").stat().st_size == 0


def test_an_empty_database_beside_no_recordings_becomes_a_library(tmp_path: Path):
    root = tmp_path / "library"
    root.mkdir()
    (root / "library.db").write_bytes(b"")
    with Library.open(root) as library:
        assert library.interviews.count() == 0


def test_a_library_on_a_full_disk_is_said_to_be_on_a_full_disk(one_mib_disk: Path):
    """Left open by a process that died (its -wal stays), then the disk filled up: SQLite can only say
    "disk I/O error", which read as "not an Earful library"."""
    root = one_mib_disk / "library"
    with Library.open(root) as library:
        library.interviews.create("Acme renewal")
    holder = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute(\"UPDATE interviews SET title = 'Acme renewal, call 2'\")\n"
        "conn.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", holder, str(root / "library.db")], check=True)
    (root / "library.db-shm").unlink()
    _fill(one_mib_disk)
    with pytest.raises(LibraryUnavailable) as caught:
        Library.open(root)
    assert "the disk is full" in str(caught.value)
    assert "not an Earful library" not in str(caught.value)
    (one_mib_disk / "filler").unlink()
    with Library.open(root) as library:  # space freed: the library and its last commit are intact
        assert [s.interview.title for s in library.interviews.summaries()] == ["Acme renewal, call 2"]


def test_a_write_on_a_full_disk_is_reported_by_the_cli_and_undone(one_mib_disk: Path, capsys):
    from app.cli import EXIT_LIBRARY, main

    root = one_mib_disk / "library"
    with Library.open(root) as library:
        library.interviews.create("Acme renewal")
    _fill(one_mib_disk, leave=100_000)  # room to open the library, not to store 200 KB of notes
    assert main(["--library", str(root), "set", "1", f"notes={'x' * 200_000}"]) == EXIT_LIBRARY
    err = capsys.readouterr().err
    assert "could not be written: the disk is full" in err and "Traceback" not in err
    (one_mib_disk / "filler").unlink()
    with Library.open(root) as library:
        assert library.interviews.get(1).notes is None


def test_the_library_refuses_nothing_it_should_open(tmp_path: Path):
    """The checks above must not refuse a library that merely has no interviews yet."""
    root = tmp_path / "library"
    Library.open(root).close()
    with sqlite3.connect(root / "library.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] > 0
    Library.open(root, create=False).close()


def _fill(disk: Path, leave: int = 0) -> None:
    with open(disk / "filler", "wb", buffering=0) as filler:
        if leave:
            filler.write(b"\0" * (shutil.disk_usage(disk).free - leave))
            return
        with pytest.raises(OSError):
            while True:
                filler.write(b"\0" * 4096)
