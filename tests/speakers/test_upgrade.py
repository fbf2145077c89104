"""A library from before speaker labelling upgrades, and its finished jobs can be labelled afterwards."""

from __future__ import annotations

import pytest

from app.domain.interview import JobState
from app.library import Library, migrations
from app.services.importing import import_recording


def test_a_library_without_the_speaker_tables_gains_them_and_keeps_its_jobs(tmp_path, speech):
    root = tmp_path / "library"
    before = next(
        n for n, (name, _) in enumerate(migrations.MIGRATIONS) if name.startswith("speaker labelling")
    )
    with pytest.MonkeyPatch.context() as old_earful:
        old_earful.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        with Library.open(root) as old:
            recording = import_recording(old, speech / "ami_dev00.wav").recording
            job_id = old.db.execute(
                "INSERT INTO transcription_jobs (interview_id, recording_id, state, model, options, created_at) "
                "VALUES (?, ?, 'done', 'tiny.en', '{}', '2026-01-01')",
                [recording.interview_id, recording.id],
            ).lastrowid
            old.db.conn.commit()
            assert "speaker_stages" not in old.db.table_names()
    with Library.open(root) as library:
        assert {"speaker_stages", "speaker_windows", "speaker_counts"} <= set(library.db.table_names())
        assert library.jobs.get(job_id).state is JobState.DONE
        assert library.jobs.speaker_stage(job_id) is None  # nothing to run until the user asks
        library.jobs.add_speaker_stage(job_id)
        assert library.jobs.speaker_stage(job_id).cursor_ms == 0
        library.transcripts.set_speaker_count(recording.interview_id, 3)
        assert library.transcripts.speaker_count(recording.interview_id) == 3
