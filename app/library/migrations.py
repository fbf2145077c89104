"""Numbered schema migrations, each applied in one transaction together with its record.

A library remembers which migrations it has in `migrations`; one that knows more of them than this Earful
was written by a newer version and is refused untouched (see `Library.open`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.library.clock import now_iso
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database

Migration = Callable[[sqlite3.Connection], None]

_SCHEMA_1 = [
    """
    CREATE TABLE interviews (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        customer_name TEXT,
        company TEXT,
        role TEXT,
        segment TEXT,
        outcome TEXT CHECK (outcome IN ('won', 'lost', 'churned', 'no-decision')),
        interview_date TEXT,
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """
    CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        original_name TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        duration_ms INTEGER NOT NULL,
        sample_rate INTEGER NOT NULL,
        channels INTEGER NOT NULL,
        channel_roles TEXT,
        truncated INTEGER NOT NULL DEFAULT 0,
        imported_at TEXT NOT NULL
    )""",
    "CREATE INDEX recordings_by_interview ON recordings(interview_id)",
    """
    CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'other' CHECK (role IN ('interviewer', 'customer', 'other')),
        display_name TEXT,
        channel INTEGER,
        UNIQUE (interview_id, label)
    )""",
    """
    CREATE TABLE transcription_jobs (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0,
        model TEXT NOT NULL,
        options TEXT NOT NULL,
        error TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
    )""",
    "CREATE INDEX jobs_by_interview ON transcription_jobs(interview_id)",
    # One pass per channel transcribed on its own (channel -1: the channels mixed down). `cursor_ms` is where
    # the committed text ends, so an interrupted pass resumes there with no gap and no duplicate.
    """
    CREATE TABLE transcription_passes (
        job_id INTEGER NOT NULL REFERENCES transcription_jobs(id) ON DELETE CASCADE,
        channel INTEGER NOT NULL,
        cursor_ms INTEGER NOT NULL DEFAULT 0,
        done INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, channel)
    )""",
    """
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
        job_id INTEGER REFERENCES transcription_jobs(id) ON DELETE SET NULL,
        channel INTEGER,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
        text TEXT NOT NULL,
        words TEXT NOT NULL DEFAULT '[]',
        model TEXT
    )""",
    "CREATE INDEX segments_by_interview ON segments(interview_id, start_ms)",
    "CREATE INDEX segments_by_job ON segments(job_id)",
    # Full-text index over segment text, kept in sync by triggers (external-content FTS5).
    """
    CREATE VIRTUAL TABLE segments_fts USING fts5(
        text, content='segments', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """
    CREATE TRIGGER segments_ai AFTER INSERT ON segments BEGIN
        INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """
    CREATE TRIGGER segments_ad AFTER DELETE ON segments BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """
    CREATE TRIGGER segments_au AFTER UPDATE OF text ON segments BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]


def _schema_1(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_1:
        conn.execute(statement)


def _waveform_peaks(conn: sqlite3.Connection) -> None:
    # uint8 peaks per channel (≤ 2 lanes), `resolution_ms` apart: ~100 KB for an hour of a two-channel call.
    conn.execute(
        """
        CREATE TABLE recording_peaks (
            recording_id INTEGER PRIMARY KEY REFERENCES recordings(id) ON DELETE CASCADE,
            resolution_ms INTEGER NOT NULL,
            channels INTEGER NOT NULL,
            peaks BLOB NOT NULL
        )"""
    )


_SCHEMA_3 = [
    "ALTER TABLE interviews ADD COLUMN interviewer TEXT",
    # A guide is copied in as the YAML document that was used; editing it later adds a version, so an
    # interview keeps the version its quotes were tagged with.
    """
    CREATE TABLE guides (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL,
        version INTEGER NOT NULL,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (slug, version)
    )""",
    """
    CREATE TABLE interview_guides (
        interview_id INTEGER PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
        guide_id INTEGER NOT NULL REFERENCES guides(id)
    )""",
    # A quote is anchored to word times (and the channel of a two-party call), never to character offsets:
    # its text is read from the words in that stretch, so corrections and splits never detach it.
    """
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        guide_id INTEGER REFERENCES guides(id),
        question_key TEXT,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        channel INTEGER,
        speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX quotes_by_interview ON quotes(interview_id, start_ms)",
    "CREATE INDEX quotes_by_question ON quotes(guide_id, question_key)",
    """
    CREATE TABLE quote_tags (
        quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (quote_id, tag)
    )""",
]


def _guides_and_quotes(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_3:
        conn.execute(statement)


def _quote_text(conn: sqlite3.Connection) -> None:
    # The board lists thousands of quotes; reading each one's words from its segments took seconds, so
    # the text is kept in the row and refreshed whenever the segments under it change.
    from sqlite_utils import Database

    from app.library.quotes import refresh_quote_text

    conn.execute("ALTER TABLE quotes ADD COLUMN text TEXT NOT NULL DEFAULT ''")
    db = Database(conn)
    for (interview_id,) in conn.execute("SELECT DISTINCT interview_id FROM quotes").fetchall():
        refresh_quote_text(db, interview_id, 0, 2**62)


def _speaker_labelling(conn: sqlite3.Connection) -> None:
    # The speaker stage of a transcription job (one-channel calls: voices; two-channel: the echo rule).
    # Each chunk's window embeddings are stored with the stage's cursor, so an interrupted stage resumes
    # there, and choosing another speaker count later regroups them without running the model again.
    conn.execute(
        """
        CREATE TABLE speaker_stages (
            job_id INTEGER PRIMARY KEY REFERENCES transcription_jobs(id) ON DELETE CASCADE,
            cursor_ms INTEGER NOT NULL DEFAULT 0,
            done INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute(
        """
        CREATE TABLE speaker_windows (
            job_id INTEGER NOT NULL REFERENCES transcription_jobs(id) ON DELETE CASCADE,
            start_ms INTEGER NOT NULL,
            embedding BLOB NOT NULL,
            PRIMARY KEY (job_id, start_ms)
        )"""
    )
    # How many people the user says speak in an interview (absent: two, or one if all speech sounds alike).
    conn.execute(
        """
        CREATE TABLE speaker_counts (
            interview_id INTEGER PRIMARY KEY REFERENCES interviews(id) ON DELETE CASCADE,
            speakers INTEGER NOT NULL CHECK (speakers >= 1)
        )"""
    )


def _markers(conn: sqlite3.Connection) -> None:
    # Moments stamped during a call (a guide question being asked, consent given, a bookmark), in ms from
    # the start of the recording; `question` is the guide question's key, like a quote's.
    conn.execute(
        """
        CREATE TABLE markers (
            id INTEGER PRIMARY KEY,
            interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            at_ms INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('question', 'consent', 'bookmark')),
            question TEXT NULL,
            label TEXT NULL,
            created TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX markers_by_interview ON markers(interview_id, at_ms)")


def _analysis(conn: sqlite3.Connection) -> None:
    # Sentence embeddings for search by meaning and the guide's suggestions (app/library/analysis.py), each
    # with the model that made it: segments as sign bits (48 bytes), short texts as int8 with a scale. A
    # corrected segment loses its vector (the trigger), so it is embedded again from its new words.
    # Suggestions (questions asked, quotes answering them) live apart from markers and quotes: nothing is
    # filed until the user accepts it.
    for statement in _SCHEMA_ANALYSIS:
        conn.execute(statement)


_SCHEMA_ANALYSIS = [
    "CREATE TABLE embedding_models (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    """
    CREATE TABLE segment_embeddings (
        segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES embedding_models(id),
        bits BLOB NOT NULL
    )""",
    """
    CREATE TRIGGER segment_embeddings_stale AFTER UPDATE OF text ON segments BEGIN
        DELETE FROM segment_embeddings WHERE segment_id = old.id;
    END""",
    # Short texts embedded once and looked up by their words: the interviewer's question clauses, the
    # sentences of quotes, a guide's wording. Keyed by text, so a corrected text simply gets a new row.
    """
    CREATE TABLE text_embeddings (
        model_id INTEGER NOT NULL REFERENCES embedding_models(id),
        text TEXT NOT NULL,
        vector BLOB NOT NULL,
        scale REAL NOT NULL,
        PRIMARY KEY (model_id, text)
    ) WITHOUT ROWID""",
    """
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('question', 'quote')),
        question TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        channel INTEGER,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
        model TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
    "CREATE INDEX suggestions_by_interview ON suggestions(interview_id, start_ms)",
]


def _untranscribed_spans(conn: sqlite3.Connection) -> None:
    # Speech the model gave no usable words for, even decoded again on its own (#18): shown in the
    # transcript with a retry instead of missing silently. Times in ms, channel as for segments; `retry`
    # marks a span the user asked to try again (its pass runs its coverage check once more).
    conn.execute(
        """
        CREATE TABLE untranscribed_spans (
            id INTEGER PRIMARY KEY,
            interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            job_id INTEGER REFERENCES transcription_jobs(id) ON DELETE CASCADE,
            channel INTEGER,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL,
            retry INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute("CREATE INDEX untranscribed_by_interview ON untranscribed_spans(interview_id, start_ms)")


def _persona_segment(conn: sqlite3.Connection) -> None:
    # "segment" meant both a stretch of transcript (the segments table) and the customer's market segment
    # (#13); the market one is `persona_segment` from here on, in code and in the schema alike.
    conn.execute("ALTER TABLE interviews RENAME COLUMN segment TO persona_segment")


def _theme_groups(conn: sqlite3.Connection) -> None:
    # The Themes view's groups as the user edited them (renamed, merged, split, moved quotes), per guide and
    # question (`question:<key>`) or theme tag (`tag:<name>`), so the edits outlive the window (#15).
    # Members are quote ids in order, as JSON: a deleted quote simply drops out when the groups are read.
    conn.execute(
        """
        CREATE TABLE theme_groups (
            id INTEGER PRIMARY KEY,
            guide_slug TEXT NOT NULL,
            basis TEXT NOT NULL,
            position INTEGER NOT NULL,
            label TEXT NOT NULL,
            quote_ids TEXT NOT NULL,
            UNIQUE (guide_slug, basis, position)
        )"""
    )


# Append only: a migration, once released, is never edited or reordered.
MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("interviews, recordings, transcripts, jobs", _schema_1),
    ("waveform peaks", _waveform_peaks),
    ("guides, quotes and tags", _guides_and_quotes),
    ("quote text kept with the quote", _quote_text),
    ("speaker labelling: stages, window embeddings, speaker counts", _speaker_labelling),
    ("markers stamped while recording", _markers),
    ("embeddings and suggestions for reading by meaning", _analysis),
    ("untranscribed spans of speech", _untranscribed_spans),
    ("market segment named persona_segment", _persona_segment),
    ("theme groups the user kept", _theme_groups),
)


def applied_count(conn: sqlite3.Connection) -> int:
    """How many migrations the database records; 0 for a new or empty database."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    if not has_table:
        return 0
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM migrations").fetchone()[0]


def migrate(db: Database) -> None:
    """Bring the schema up to date; every migration commits with its record or not at all."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    db.conn.commit()
    for number, (name, migration) in enumerate(MIGRATIONS, start=1):
        if number <= applied_count(db.conn):
            continue
        with writing(db):
            migration(db.conn)
            db.conn.execute(
                "INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                (number, name, now_iso()),
            )
