"""A library from before speaker labelling upgrades, and its finished jobs can be labelled afterwards."""

from __future__ import annotations

import pytest

from app.domain.interview import JobState
from app.library import Library, migrations


def test_a_library_without_the_speaker_tables_gains_them_and_keeps_its_jobs(tmp_path):
    root = tmp_path / "library"
    before = next(
        n for n, (name, _) in enumerate(migrations.MIGRATIONS) if name.startswith("speaker labelling")
    )
    with pytest.MonkeyPatch.context() as old_earful:
        old_earful.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        with Library.open(root) as old, old.db.atomic():
            # Plain SQL: what that older schema holds, without today's repository code.
            interview_id = old.db.execute(
                "INSERT INTO interviews (title, created_at, updated_at) VALUES ('ami_dev00', '2026-01-01', '2026-01-01')"
            ).lastrowid
            recording_id = old.db.execute(
                "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, "
                "channels, imported_at) VALUES (?, 'audio/x.wav', 'ami_dev00.wav', 'x', 30000, 16000, 1, '2026-01-01')",
                [interview_id],
            ).lastrowid
            job_id = old.db.execute(
                "INSERT INTO transcription_jobs (interview_id, recording_id, state, model, options, created_at) "
                "VALUES (?, ?, 'done', 'tiny.en', '{}', '2026-01-01')",
                [interview_id, recording_id],
            ).lastrowid
            assert "speaker_stages" not in old.db.table_names()
    with Library.open(root) as library:
        assert {"speaker_stages", "speaker_windows", "speaker_counts"} <= set(library.db.table_names())
        assert library.jobs.get(job_id).state is JobState.DONE
        assert library.jobs.speaker_stage(job_id) is None  # nothing to run until the user asks
        library.jobs.add_speaker_stage(job_id)
        assert library.jobs.speaker_stage(job_id).cursor_ms == 0
        library.transcripts.set_speaker_count(interview_id, 3)
        assert library.transcripts.speaker_count(interview_id) == 3
