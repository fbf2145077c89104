"""A batch import (what the window's Import and `earful import` both run): a refused file is reported and
the others still go in; files already in the library add nothing."""

from __future__ import annotations

from app.services.importing import import_recordings


def test_a_batch_imports_the_good_files_refuses_the_bad_one_and_names_each(library, speech, tmp_path):
    not_audio = tmp_path / "notes.mp3"
    not_audio.write_text("meeting notes, not audio")
    heard = []

    first = import_recordings(library, [speech / "jfk.flac", not_audio], on_file=heard.append)
    again = import_recordings(library, [speech / "jfk.flac"])

    assert [done.source for done in heard] == [speech / "jfk.flac", not_audio], "told file by file, in order"
    assert len(first.new_interview_ids) == 1
    assert [s.interview.id for s in library.interviews.summaries()] == first.new_interview_ids
    assert len(first.refusals) == 1 and first.refusals[0].startswith("notes.mp3: ")
    assert again.new_interview_ids == [] and again.refusals == []
    assert again.notes == [f"jfk.flac: already in the library as interview {first.new_interview_ids[0]}."]

