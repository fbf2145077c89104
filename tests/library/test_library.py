"""The library on disk: opening and refusing, interview metadata, search, and jobs that survive a crash."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.domain.interview import JobState, Outcome, Recording, TranscriptionJob
from app.domain.transcript import MIXDOWN, SpeakerRole, TranscribedSegment, Word
from app.library import Library, LibraryError, NewerLibraryError
from app.library.jobs import TranscriptionPass
from app.library.migrations import MIGRATIONS

# --- helpers ---------------------------------------------------------------------------------------------


def _files(root: Path) -> dict[str, str]:
    """Every file under `root` with its sha256: a library must be byte-for-byte what it was."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _add_recording(library: Library, interview_id: int, duration_ms: int = 20_000) -> Recording:
    return library.recordings.add(
        interview_id,
        file=f"{interview_id:064x}.flac",
        original_name="call.flac",
        sha256=f"{interview_id:064x}",
        duration_ms=duration_ms,
        sample_rate=16_000,
        channels=2,
        channel_roles=None,
        truncated=False,
    )


def _segment(start_ms: int, text: str, channel: int | None = None) -> TranscribedSegment:
    """A segment whose words are spoken 400 ms apart from `start_ms`."""
    words, at = [], start_ms
    for token in text.split():
        words.append(Word(at, at + 300, f" {token}", 0.9))
        at += 400
    return TranscribedSegment(start_ms, at, f" {text}", tuple(words), channel)


def _word_start(segment: TranscribedSegment, text: str, occurrence: int = 0) -> int:
    return [word.start_ms for word in segment.words if word.text.strip() == text][occurrence]


def _job(
    library: Library, title: str = "Acme renewal", channels: tuple[int, ...] = (MIXDOWN,)
) -> TranscriptionJob:
    interview = library.interviews.create(title)
    recording = _add_recording(library, interview.id)
    return library.jobs.create(interview.id, recording.id, "tiny.en", {"language": "en"}, list(channels))


def _count(library: Library, table: str, where: str = "1", *params: object) -> int:
    return library.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]


def _make_newer(db_path: Path) -> None:
    """Record a migration this Earful does not know, as a newer Earful would, then close cleanly."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "INSERT INTO migrations (id, name, applied_at) VALUES (?, 'from the future', '2099-01-01')",
            (len(MIGRATIONS) + 1,),
        )
    conn.close()


@contextmanager
def _unwritable(folder: Path, *files: Path) -> Iterator[None]:
    """Make `folder` (and `files`) unwritable for this process, honestly.

    chmod does not stop root, and tests here may run as root; then the immutable attribute does.
    """
    paths = [folder, *files]
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in paths}
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)

        def undo() -> None:
            for path, mode in modes.items():
                path.chmod(mode)

    else:
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.skip("running as root, where chmod does not stop writes, and chattr is not installed")
        made = subprocess.run([chattr, "+i", *map(str, paths)], capture_output=True, text=True)
        if made.returncode:
            pytest.skip(
                f"running as root, where chmod does not stop writes, and chattr +i failed: {made.stderr}"
            )

        def undo() -> None:
            subprocess.run([chattr, "-i", *map(str, paths)], check=True)

    try:
        probe = folder / ".write-probe"
        try:
            probe.touch()
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip(f"could not make {folder} read-only for this process")
        yield
    finally:
        undo()


# --- opening a library -----------------------------------------------------------------------------------


def test_new_library_uses_wal(library: Library) -> None:
    conn = sqlite3.connect(library.root / "library.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_new_library_enforces_foreign_keys(library: Library) -> None:
    assert library.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        _add_recording(library, interview_id=999)
    assert library.recordings.count() == 0


def test_new_library_records_every_migration(library: Library) -> None:
    recorded = [(row["id"], row["name"]) for row in library.db.query("SELECT * FROM migrations ORDER BY id")]
    assert recorded == [(number, name) for number, (name, _) in enumerate(MIGRATIONS, start=1)]


def test_reopening_a_library_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "library"
    with Library.open(root) as library:
        library.interviews.create("Acme renewal", company="Acme")
        schema = list(library.db.query("SELECT type, name, sql FROM sqlite_master ORDER BY name"))
        migrations = list(library.db.query("SELECT * FROM migrations ORDER BY id"))

    for _ in range(2):
        with Library.open(root) as reopened:
            assert (
                list(reopened.db.query("SELECT type, name, sql FROM sqlite_master ORDER BY name")) == schema
            )
            assert list(reopened.db.query("SELECT * FROM migrations ORDER BY id")) == migrations
            assert [s.interview.company for s in reopened.interviews.summaries()] == ["Acme"]


def test_opening_without_create_refuses_a_folder_with_no_library(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="No Earful library"):
        Library.open(tmp_path / "nowhere", create=False)
    assert not (tmp_path / "nowhere").exists()


def test_library_from_a_newer_earful_is_refused_untouched(tmp_path: Path) -> None:
    root = tmp_path / "library"
    Library.open(root).close()
    _make_newer(root / "library.db")
    before = _files(root)

    with pytest.raises(NewerLibraryError, match="newer"):
        Library.open(root)

    assert _files(root) == before  # same bytes, and no -wal/-shm or other new file


def test_newer_library_left_mid_write_is_refused_and_its_data_untouched(tmp_path: Path) -> None:
    """A newer Earful that crashed leaves its last commit only in library.db-wal; that must count too.

    The -shm file is SQLite's shared-memory index, rebuilt from the WAL by any reader; it holds no data,
    so only library.db and library.db-wal are held byte-for-byte.
    """
    root = tmp_path / "library"
    Library.open(root).close()
    crashed_writer = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "future = (int(sys.argv[2]), 'from the future', '2099-01-01')\n"
        "conn.execute('INSERT INTO migrations VALUES (?, ?, ?)', future)\n"
        "conn.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run(
        [sys.executable, "-c", crashed_writer, str(root / "library.db"), str(len(MIGRATIONS) + 1)], check=True
    )
    assert (root / "library.db-wal").stat().st_size > 0
    before = _files(root)

    with pytest.raises(NewerLibraryError, match="newer"):
        Library.open(root)

    after = _files(root)
    assert set(after) == set(before)
    assert after["library.db"] == before["library.db"]
    assert after["library.db-wal"] == before["library.db-wal"]


def test_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    root = tmp_path / "library"
    root.mkdir()
    (root / "library.db").write_text("Interview notes, not a database.\n" * 20, encoding="utf-8")
    before = _files(root)

    with pytest.raises(LibraryError, match="not an Earful library"):
        Library.open(root)

    assert _files(root) == before
    assert sorted(path.name for path in root.iterdir()) == ["library.db"]


def test_read_only_empty_folder_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    root = tmp_path / "library"
    root.mkdir()
    with _unwritable(root):
        with pytest.raises(LibraryError, match="read-only"):
            Library.open(root)
        assert list(root.iterdir()) == []


def test_existing_library_in_a_read_only_folder_is_refused_as_read_only(tmp_path: Path) -> None:
    """E.g. a library on a read-only share: the user must hear "read-only", not "not an Earful library"."""
    root = tmp_path / "library"
    with Library.open(root) as library:
        library.interviews.create("Acme renewal")
    before = _files(root)
    with _unwritable(root, root / "audio", root / "library.db"):
        with pytest.raises(LibraryError) as caught:
            Library.open(root)
        assert "read-only" in str(caught.value)
        assert "not an Earful library" not in str(caught.value)
    assert _files(root) == before


# --- interview metadata ----------------------------------------------------------------------------------


def test_create_stores_metadata_trimmed_with_outcome_normalised(library: Library) -> None:
    interview = library.interviews.create(
        "  Acme renewal ", customer_name="Dana Lee", company="Acme", outcome="Churned", notes="   "
    )
    stored = library.interviews.get(interview.id)
    assert stored.title == "Acme renewal"
    assert stored.customer_name == "Dana Lee"
    assert stored.company == "Acme"
    assert stored.outcome is Outcome.CHURNED
    assert stored.notes is None


def test_update_changes_only_the_given_fields_and_persists(tmp_path: Path) -> None:
    root = tmp_path / "library"
    with Library.open(root) as library:
        interview = library.interviews.create("Acme renewal", company="Acme", role="CTO")
        library.interviews.update(interview.id, outcome="won", role="VP Engineering")
    with Library.open(root) as reopened:
        stored = reopened.interviews.get(interview.id)
    assert (stored.title, stored.company, stored.role, stored.outcome) == (
        "Acme renewal",
        "Acme",
        "VP Engineering",
        Outcome.WON,
    )


def test_unknown_field_is_refused_and_nothing_is_written(library: Library) -> None:
    with pytest.raises(LibraryError, match="budget"):
        library.interviews.create("Acme renewal", budget="10k")
    assert library.interviews.count() == 0
    interview = library.interviews.create("Acme renewal")
    with pytest.raises(LibraryError, match="budget"):
        library.interviews.update(interview.id, budget="10k")
    assert library.interviews.get(interview.id) == interview


def test_outcome_outside_the_list_is_refused(library: Library) -> None:
    with pytest.raises(LibraryError, match="maybe"):
        library.interviews.create("Acme renewal", outcome="maybe")
    interview = library.interviews.create("Acme renewal", outcome="lost")
    with pytest.raises(LibraryError, match="maybe"):
        library.interviews.update(interview.id, outcome="maybe")
    assert library.interviews.get(interview.id).outcome is Outcome.LOST


@pytest.mark.parametrize("blank", ["", "   "], ids=["empty", "spaces"])
def test_title_is_required(library: Library, blank: str) -> None:
    with pytest.raises(LibraryError, match="title"):
        library.interviews.create(blank)
    interview = library.interviews.create("Acme renewal")
    with pytest.raises(LibraryError, match="title"):
        library.interviews.update(interview.id, title=blank)
    assert library.interviews.get(interview.id).title == "Acme renewal"
    assert library.interviews.count() == 1


def test_getting_a_missing_interview_names_it(library: Library) -> None:
    with pytest.raises(LibraryError, match="42"):
        library.interviews.get(42)


def test_summaries_list_interviews_by_date_newest_first(library: Library) -> None:
    january = library.interviews.create("January call", interview_date="2024-01-05")
    undated = library.interviews.create("Undated call")  # dated by when it was added: now
    december = library.interviews.create("December call", interview_date="2023-12-01")
    undated_later = library.interviews.create("Another undated call")

    order = [summary.interview.id for summary in library.interviews.summaries()]

    assert order == [undated_later.id, undated.id, january.id, december.id]


def test_summaries_show_duration_and_the_latest_job(library: Library) -> None:
    first_job = _job(library)
    quiet = library.interviews.create("Not transcribed yet")
    library.jobs.set_state(first_job.id, JobState.FAILED, error="model missing")
    latest = library.jobs.create(first_job.interview_id, first_job.recording_id, "base.en", {}, [MIXDOWN])
    library.jobs.set_state(latest.id, JobState.RUNNING)
    library.jobs.commit_segment(latest, _segment(0, "we renewed for two years"), None, 0.4)

    summaries = {summary.interview.id: summary for summary in library.interviews.summaries()}

    busy = summaries[first_job.interview_id]
    assert (busy.duration_ms, busy.job_state, busy.job_progress) == (20_000, JobState.RUNNING, pytest.approx(0.4))
    idle = summaries[quiet.id]
    assert (idle.duration_ms, idle.job_state, idle.job_progress) == (0, None, 0)


def test_deleting_an_interview_removes_everything_it_owns_and_nothing_else(library: Library) -> None:
    owned = ("recordings", "segments", "speakers", "transcription_jobs")
    interviews = []
    for title in ("Acme renewal", "Globex churn"):
        job = _job(library, title, channels=(0, 1))
        speaker = library.transcripts.ensure_speaker(job.interview_id, "Speaker 1", SpeakerRole.CUSTOMER, 0)
        library.jobs.commit_segment(
            job, _segment(0, f"{title} pricing was the issue", channel=0), speaker, 0.5
        )
        interviews.append(job.interview_id)
    doomed, kept = interviews

    library.interviews.delete(doomed)

    for table in owned:
        assert _count(library, table, "interview_id = ?", doomed) == 0, table
        assert _count(library, table, "interview_id = ?", kept) == 1, table
    assert _count(library, "transcription_passes") == 2  # the kept job's two channels
    assert [hit.interview_id for hit in library.search("pricing")] == [kept]
    with pytest.raises(LibraryError):
        library.interviews.get(doomed)


# --- full-text search ------------------------------------------------------------------------------------


JFK = "ask not what your country can do for you ask what you can do for your country"


def test_committed_segment_is_found_by_a_word_it_contains(library: Library) -> None:
    job = _job(library, "Inaugural")
    segment_id = library.jobs.commit_segment(job, _segment(1000, JFK), None, 0.5)

    hits = library.search("Country")

    assert [(hit.segment_id, hit.interview_id, hit.interview_title) for hit in hits] == [
        (segment_id, job.interview_id, "Inaugural")
    ]
    assert library.search("banana") == []


def test_accented_words_are_found_without_their_accents(library: Library) -> None:
    job = _job(library)
    library.jobs.commit_segment(job, _segment(0, "we met at the café near the office"), None, 0.5)
    assert len(library.search("cafe")) == 1


def test_editing_a_segments_text_reindexes_it(library: Library) -> None:
    job = _job(library)
    segment_id = library.jobs.commit_segment(job, _segment(0, "the onboarding was slow"), None, 0.5)

    with library.db.atomic():
        library.db.execute(
            "UPDATE segments SET text = ? WHERE id = ?", [" the onboarding was quick", segment_id]
        )

    assert library.search("slow") == []
    assert [hit.segment_id for hit in library.search("quick")] == [segment_id]


def test_deleted_segments_are_no_longer_found(library: Library) -> None:
    job = _job(library)
    first = library.jobs.commit_segment(job, _segment(0, "pricing is too high"), None, 0.3)
    library.jobs.commit_segment(job, _segment(5000, "pricing tiers confuse us"), None, 0.6)

    with library.db.atomic():
        library.db.execute("DELETE FROM segments WHERE id = ?", [first])
    assert len(library.search("pricing")) == 1
    assert library.search("high") == []

    with library.db.atomic():
        library.db.execute("DELETE FROM segments WHERE interview_id = ?", [job.interview_id])
    assert library.search("pricing") == []


def test_quoted_phrase_matches_only_adjacent_words(library: Library) -> None:
    job = _job(library)
    adjacent = library.jobs.commit_segment(job, _segment(0, "what your country can do for you"), None, 0.3)
    apart = library.jobs.commit_segment(job, _segment(5000, "can we really do it this quarter"), None, 0.6)

    assert [hit.segment_id for hit in library.search('"can do"')] == [adjacent]
    assert {hit.segment_id for hit in library.search("can do")} == {adjacent, apart}


@pytest.mark.parametrize(
    "query",
    ['"', "*", "-", "NEAR(", ")", ":", '""', "(", "^", "'", "+", '" "', "-*-", "NEAR(,)", "{}:"],
)
def test_query_of_only_fts_syntax_finds_nothing_and_does_not_raise(library: Library, query: str) -> None:
    job = _job(library)
    library.jobs.commit_segment(job, _segment(0, JFK), None, 0.5)
    assert library.search(query) == []


@pytest.mark.parametrize(
    "query",
    [
        "country*",
        "-country",
        '"country',
        'country"',
        "(country",
        "country)",
        ":country",
        "country:",
        "^country",
        "*country*",
        '""country""',
        "country:*",
        "+country",
    ],
)
def test_fts_syntax_around_a_word_is_taken_as_plain_text(library: Library, query: str) -> None:
    job = _job(library)
    segment_id = library.jobs.commit_segment(job, _segment(0, "the country team renewed"), None, 0.5)
    library.jobs.commit_segment(job, _segment(5000, "the county fair"), None, 0.9)
    assert [hit.segment_id for hit in library.search(query)] == [segment_id]


@pytest.mark.parametrize("operator", ["OR", "AND", "NOT", "NEAR"])
def test_fts_operator_words_are_searched_as_plain_words(library: Library, operator: str) -> None:
    job = _job(library)
    with_word = library.jobs.commit_segment(job, _segment(0, f"budget {operator.lower()} timing"), None, 0.5)
    library.jobs.commit_segment(job, _segment(5000, "budget was fine"), None, 0.9)

    assert [hit.segment_id for hit in library.search(f"budget {operator} timing")] == [with_word]
    assert library.search(f"budget {operator} banana") == []


def test_hit_starts_when_the_matching_word_is_spoken(library: Library) -> None:
    job = _job(library)
    segment = _segment(1000, JFK)
    library.jobs.commit_segment(job, segment, None, 0.5)

    [hit] = library.search("country")

    assert hit.start_ms == _word_start(segment, "country") != segment.start_ms


def test_phrase_hit_starts_at_the_phrase_not_an_earlier_use_of_its_first_word(library: Library) -> None:
    job = _job(library)
    segment = _segment(1000, JFK)  # "... can do for you ask what you can do for your country"
    library.jobs.commit_segment(job, segment, None, 0.5)

    [hit] = library.search('"do for your"')

    assert hit.start_ms == _word_start(segment, "do", occurrence=1)


def test_hit_on_another_form_of_the_word_starts_at_that_word(library: Library) -> None:
    """The index stems words, so "pricing" finds "prices"; playback must start at "prices"."""
    job = _job(library)
    segment = _segment(9000, "honestly the prices were too high for our team")
    library.jobs.commit_segment(job, segment, None, 0.5)

    [hit] = library.search("pricing")

    assert hit.start_ms == _word_start(segment, "prices")


# --- transcription jobs ----------------------------------------------------------------------------------


def test_commit_segment_advances_its_channels_cursor_and_the_job_progress(library: Library) -> None:
    job = _job(library, channels=(0, 1))

    library.jobs.commit_segment(job, _segment(0, "hello from the left", channel=0), None, 0.25)

    assert {p.channel: p.cursor_ms for p in library.jobs.passes(job.id)} == {0: 1600, 1: 0}
    assert library.jobs.get(job.id).progress == pytest.approx(0.25)

    library.jobs.commit_segment(job, _segment(500, "and hello from the right", channel=1), None, 0.5)

    assert {p.channel: p.cursor_ms for p in library.jobs.passes(job.id)} == {0: 1600, 1: 2500}
    assert library.jobs.get(job.id).progress == pytest.approx(0.5)


def test_mixed_down_segment_advances_the_mixdown_pass(library: Library) -> None:
    job = _job(library)
    library.jobs.commit_segment(job, _segment(3000, "one two three"), None, 0.1)
    assert library.jobs.passes(job.id) == [TranscriptionPass(channel=MIXDOWN, cursor_ms=4200, done=False)]
    [stored] = library.transcripts.segments(job.interview_id)
    assert stored.channel is None


def test_cursor_never_moves_back_and_progress_stays_between_0_and_1(library: Library) -> None:
    job = _job(library)
    library.jobs.commit_segment(job, _segment(8000, "late words"), None, 1.7)
    library.jobs.commit_segment(job, _segment(1000, "early words"), None, 0.3)
    assert library.jobs.passes(job.id)[0].cursor_ms == 8800
    library.jobs.commit_segment(job, _segment(9000, "more"), None, -0.2)
    assert library.jobs.get(job.id).progress == 0.0


def test_committed_segments_survive_reopening_with_their_words_and_cursor(tmp_path: Path) -> None:
    root = tmp_path / "library"
    segment = _segment(2000, "we would pay for single sign on", channel=1)
    with Library.open(root) as library:
        job = _job(library, channels=(0, 1))
        library.jobs.commit_segment(job, segment, None, 0.4)
    with Library.open(root) as reopened:
        [stored] = reopened.transcripts.segments(job.interview_id)
        passes = {p.channel: p.cursor_ms for p in reopened.jobs.passes(job.id)}
        progress = reopened.jobs.get(job.id).progress
    assert (stored.start_ms, stored.end_ms, stored.text, stored.words, stored.channel) == (
        segment.start_ms,
        segment.end_ms,
        segment.text,
        segment.words,
        1,
    )
    assert passes == {0: 0, 1: segment.end_ms}
    assert progress == pytest.approx(0.4)


def test_requeue_interrupted_puts_running_jobs_back_in_the_queue(library: Library) -> None:
    states = [JobState.RUNNING, JobState.DONE, JobState.RUNNING, JobState.FAILED, JobState.QUEUED]
    jobs = []
    for state in states:
        job = _job(library)
        library.jobs.set_state(job.id, state)
        jobs.append(job)

    assert library.jobs.requeue_interrupted() == 2

    assert [library.jobs.get(job.id).state for job in jobs] == [
        JobState.QUEUED,
        JobState.DONE,
        JobState.QUEUED,
        JobState.FAILED,
        JobState.QUEUED,
    ]
    assert library.jobs.requeue_interrupted() == 0
