"""Markers stamped during a call: kept in time order, moved, deleted and restored under their own id."""

from __future__ import annotations

import pytest

from app.library import LibraryError
from app.library.markers import MarkerKind


@pytest.fixture
def interview(library):
    return library.interviews.create("Acme – ops lead")


def test_markers_come_back_in_time_order_whatever_order_they_were_stamped(library, interview):
    late = library.markers.add(interview.id, 90_000, MarkerKind.BOOKMARK, label="pricing pain")
    early = library.markers.add(interview.id, 1_500, "consent")
    middle = library.markers.add(interview.id, 30_000, "question", question="trigger")
    assert [m.id for m in library.markers.of_interview(interview.id)] == [early.id, middle.id, late.id]
    assert (middle.kind, middle.question, late.label) == (MarkerKind.QUESTION, "trigger", "pricing pain")


def test_a_moved_marker_takes_its_new_place_and_a_restored_one_its_old_id(library, interview):
    first = library.markers.add(interview.id, 1_000, "bookmark")
    second = library.markers.add(interview.id, 2_000, "bookmark")
    assert library.markers.move(first.id, 3_000).at_ms == 3_000
    assert [m.id for m in library.markers.of_interview(interview.id)] == [second.id, first.id]
    deleted = library.markers.delete(second.id)
    assert [m.id for m in library.markers.of_interview(interview.id)] == [first.id]
    assert library.markers.restore(deleted) == second


@pytest.mark.parametrize(
    ("kind", "at_ms", "question", "message"),
    [
        ("laugh", 0, None, "not a kind of marker"),
        ("bookmark", -5, None, "before the start"),
        ("question", 0, None, "needs the question"),
    ],
)
def test_bad_markers_are_refused_with_a_reason(library, interview, kind, at_ms, question, message):
    with pytest.raises(LibraryError, match=message):
        library.markers.add(interview.id, at_ms, kind, question=question)
    assert library.markers.of_interview(interview.id) == []


def test_a_marker_that_does_not_exist_cannot_be_moved(library):
    with pytest.raises(LibraryError, match="no marker 42"):
        library.markers.move(42, 0)
