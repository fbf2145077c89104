"""Two connections write one library (the window's and the pool's): an edit waits for the other's write
instead of failing with "database is locked" half way through."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

from app.library import Library
from app.services.editing import TranscriptEditor
from tests.services.test_tagging import make_interview

APP = Path(__file__).resolve().parents[2] / "app"


def _hold_the_write_lock(library: Library, released: threading.Event) -> threading.Thread:
    """Another connection (as a transcription job's) inside a write until `released` is set; returns once
    the lock is held."""
    locked = threading.Event()

    def write_until_released() -> None:
        with Library.attach(library.root, read_only=False) as other:
            other.db.execute("BEGIN IMMEDIATE")
            other.db.execute("UPDATE interviews SET title = title")
            locked.set()
            released.wait()
            other.db.execute("COMMIT")

    thread = threading.Thread(target=write_until_released)
    thread.start()
    locked.wait()
    return thread


def test_an_edit_made_while_a_job_writes_waits_and_lands(library: Library) -> None:
    interview_id = make_interview(library, "Northwind")
    customer_line = library.transcripts.segments(interview_id)[1]
    interviewer = next(s for s in library.transcripts.speakers(interview_id) if s.id != customer_line.speaker_id)
    released = threading.Event()
    holder = _hold_the_write_lock(library, released)
    # The job commits a moment after the edit starts: the edit reads the segment, then must wait to write.
    threading.Timer(0.3, released.set).start()
    try:
        TranscriptEditor(library).reassign(customer_line.id, interviewer.id)
    finally:
        released.set()
        holder.join()
    assert library.transcripts.segment(customer_line.id).speaker_id == interviewer.id


def test_every_write_transaction_in_the_app_takes_the_lock_first() -> None:
    """`db.atomic()` opens a deferred transaction, the failure above; `transactions.writing` is the one way."""
    offenders = []
    for path in APP.rglob("*.py"):
        if path.name == "transactions.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "atomic":
                offenders.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    assert offenders == []
