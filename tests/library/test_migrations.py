"""Every older schema upgrades to the current one with its data intact."""

from __future__ import annotations

import pytest

import app.library.migrations as migrations
from app.library import Library
from app.services.importing import import_recording
from app.services.waveform import compute_peaks


@pytest.mark.parametrize("older", range(1, len(migrations.MIGRATIONS)))
def test_a_library_from_an_older_schema_upgrades_with_its_interviews(tmp_path, speech, monkeypatch, older):
    root = tmp_path / "library"
    with monkeypatch.context() as old_earful:
        old_earful.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:older])
        with Library.open(root) as library, library.db.atomic():
            # Plain SQL: what any older schema has, without today's repository code.
            library.db.execute(
                "INSERT INTO interviews (title, company, created_at, updated_at) VALUES (?, ?, ?, ?)",
                ["Acme – ops lead", "Acme", "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00"],
            )
    with Library.open(root) as library:
        assert migrations.applied_count(library.db.conn) == len(migrations.MIGRATIONS)
        assert [s.interview.company for s in library.interviews.summaries()] == ["Acme"]
        interview = import_recording(library, speech / "jfk.flac").interview
        assert library.recordings.peaks(library.recordings.for_interview(interview.id).id) is not None


def test_import_keeps_one_waveform_lane_per_party_of_a_two_channel_call(library, speech):
    call = library.recordings.for_interview(
        import_recording(library, speech / "stereo_diarization.wav").interview.id
    )
    peaks, resolution_ms = library.recordings.peaks(call.id)
    assert peaks.shape == (2, call.duration_ms // resolution_ms)
    # Each speaker is louder on their own channel: the lanes differ, so the waveform shows who speaks when;
    # a stereo mix of one voice (JFK) gives two near-identical lanes.
    mix = library.recordings.for_interview(import_recording(library, speech / "jfk.flac").interview.id)
    mix_peaks, _ = library.recordings.peaks(mix.id)
    assert _lanes_differ(peaks) > 0.2 > 0.02 > _lanes_differ(mix_peaks)


def _lanes_differ(peaks) -> float:
    """Share of moments where the two lanes differ by more than 8 % of full scale."""
    return float((abs(peaks[0].astype(int) - peaks[1].astype(int)) > 20).mean())


def test_peaks_can_be_computed_again_for_a_recording_that_has_none(library, speech):
    recording = library.recordings.for_interview(import_recording(library, speech / "jfk.flac").interview.id)
    library.db.execute("DELETE FROM recording_peaks")
    assert library.recordings.peaks(recording.id) is None
    peaks, resolution_ms = compute_peaks(library.recordings.path(recording))
    library.recordings.set_peaks(recording.id, peaks, resolution_ms)
    assert library.recordings.peaks(recording.id)[0].shape[1] == recording.duration_ms // resolution_ms


def _old_library_with_an_interview(root, monkeypatch, migration: str, table: str):
    """A library written by an Earful from before `migration` (so without `table`), holding one interview."""
    before = [name for name, _ in migrations.MIGRATIONS].index(migration)
    with monkeypatch.context() as old_earful:
        old_earful.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        with Library.open(root) as library:
            interview = library.interviews.create("Acme – ops lead")
            assert not library.db[table].exists()
    return interview


def test_a_library_from_before_markers_gets_them_and_keeps_its_interviews(tmp_path, monkeypatch):
    root = tmp_path / "library"
    interview = _old_library_with_an_interview(root, monkeypatch, "markers stamped while recording", "markers")
    with Library.open(root) as library:
        marker = library.markers.add(interview.id, 61_250, "question", question="trigger")
        assert library.markers.of_interview(interview.id) == [marker]
        library.interviews.delete(interview.id)
        assert library.db.execute("SELECT COUNT(*) FROM markers").fetchone()[0] == 0


def test_a_library_from_before_untranscribed_spans_gets_them_and_keeps_its_interviews(tmp_path, monkeypatch):
    from app.domain.transcript import UntranscribedSpan

    root = tmp_path / "library"
    interview = _old_library_with_an_interview(root, monkeypatch, "untranscribed spans of speech", "untranscribed_spans")
    with Library.open(root) as library:
        with library.db.atomic():
            library.untranscribed.replace(
                interview.id, None, -1, (12_000, 40_000), [UntranscribedSpan(12_000, 40_000)]
            )
        assert [(s.start_ms, s.end_ms) for s in library.untranscribed.of_interview(interview.id)] == [
            (12_000, 40_000)
        ]
        library.interviews.delete(interview.id)
        assert library.db.execute("SELECT COUNT(*) FROM untranscribed_spans").fetchone()[0] == 0
